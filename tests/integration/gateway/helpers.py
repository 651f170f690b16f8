"""Helpers of the gateway API tests."""
import base64

PASSWORD = "demo12345"
CONNECTOR_SECRET = "s3cret-webhook-key"

PERMIT_TYPES = [
    {"id": "sip", "name": "Surat Izin Praktik Bidan", "effective_from": "2026-01-01",
     "sla_working_days": 5, "fee": 0, "approval_levels": 1, "connector": "manual",
     "requirements": [{"kind": "ktp", "name": "KTP"}],
     "form": [{"name": "str_number", "type": "string", "required": True, "label": "STR"}]},
    {"id": "reklame", "name": "Izin Reklame", "effective_from": "2026-01-01",
     "sla_working_days": 3, "fee": 0, "approval_levels": 1, "connector": "webhook",
     "requirements": [{"kind": "ktp", "name": "KTP"}],
     "form": [{"name": "size_m2", "type": "number", "min": 0.5, "max": 200, "required": True,
               "label": "Ukuran"}]},
]

HOURS = {d: ["07:30", "16:00"] for d in ("mon", "tue", "wed", "thu", "fri")}

CATALOGUE = {"defaults": {"opening_hours": HOURS}, "agencies": [
    {"code": "samsat", "name": "Samsat",
     "services": [{"id": "samsat-pkb", "prefix": "H", "name": "Pajak Kendaraan"},
                  {"id": "samsat-bbn", "prefix": "J", "name": "Balik Nama"}],
     "counters": [{"id": "samsat-7", "name": "Loket 7", "services": ["samsat-pkb", "samsat-bbn"]}],
     "permit_types": []},
    {"code": "dpmptsp", "name": "DPMPTSP",
     "services": [{"id": "ptsp-izin", "prefix": "P", "name": "Perizinan"}],
     "counters": [{"id": "ptsp-1", "name": "Loket 1", "services": ["ptsp-izin"]}],
     "permit_types": PERMIT_TYPES},
]}

APPLICANT = {"nik": "6203015708900001", "name": "Siti Aminah", "phone": "0811-5200-0001"}
PDF = base64.b64encode(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").decode()


def login(session, username, password=PASSWORD):
    response = session.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


def bearer(session, username):
    return {"Authorization": "Bearer " + login(session, username)["access_token"]}


def assert_problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json", response.headers
    assert response.json()["status"] == status
    return response.json()
