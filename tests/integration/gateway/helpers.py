"""Helpers of the gateway API tests."""
import base64
import datetime
import functools
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from tests import support

PASSWORD = "demo12345"
CONNECTOR_SECRET = "s3cret-webhook-key"

PERMIT_TYPES = [support.SIP_TYPE, support.REKLAME_TYPE]

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

#: a complete standard of DPMPTSP's billboard permit (every component a consultation needs)
STANDARD_COMPONENTS = {
    "requirements": [{"kind": "ktp", "name": "KTP pemohon", "required": True}],
    "procedure": [{"step": 1, "name": "Pengajuan"}, {"step": 2, "name": "Verifikasi"},
                  {"step": 3, "name": "Penerbitan"}],
    "time": {"working_days": 3}, "cost": {"fee": 0, "legal_basis": "Perda 1/2020"},
    "product": "Izin reklame", "complaints": ["Halaman pengaduan MPP"],
    "legal_basis": "UU 25/2009", "facilities": "Loket dan portal", "competence": "Pelatihan",
    "oversight": "Kepala dinas", "staff_count": 2, "guarantee": "Tepat waktu",
    "security": "Data terlindungi", "evaluation": "Setiap triwulan"}
#: the MPP's local day (the service decides "not before today" in its zone)
TODAY = datetime.datetime.now(ZoneInfo("Asia/Jakarta")).date().isoformat()
STANDARD_DRAFT = {"agency": "dpmptsp", "subject": {"kind": "permit_type", "id": "reklame"},
                  "title": "Standar Pelayanan Izin Reklame",
                  "components": STANDARD_COMPONENTS}

APPLICANT = support.APPLICANT
PDF = base64.b64encode(support.PDF).decode()  # as the JSON body carries it


def login(session, username, password=PASSWORD):
    response = session.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


def bearer(session, username):
    return {"Authorization": "Bearer " + login(session, username)["access_token"]}


def file_reklame(session, idempotency_key):
    """File a DPMPTSP billboard application over HTTP; its ``application_id``,
    ``tracking_code`` and ``pin``."""
    filed = session.post("/api/v1/applications", headers={"Idempotency-Key": idempotency_key},
                         json={"permit_type_id": "reklame", "applicant": APPLICANT,
                               "form": {"size_m2": 4},
                               "documents": [{"kind": "ktp", "filename": "ktp.pdf",
                                              "media_type": "application/pdf", "content": PDF}]})
    assert filed.status_code == 201, filed.text
    return filed.json()


def assert_problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json", response.headers
    assert response.json()["status"] == status
    return response.json()


@functools.lru_cache(maxsize=1)
def _document():
    import schemathesis

    from services.gateway.openapi import DOCUMENT
    return schemathesis.openapi.from_path(str(DOCUMENT))


def documented(response, status=200):
    """The JSON body of ``response`` once it has ``status`` and fits the schema the committed
    ``docs/openapi.json`` declares for its operation and code (schemathesis checks it: types,
    formats, required members, enums). A client generated from the document reads it."""
    assert response.status_code == status, response.text
    request = response.request
    operation = _document().find_operation_by_path(request.method, urlsplit(request.url).path)
    assert operation is not None, "{} {} is not in the document".format(request.method,
                                                                       request.url)
    operation.validate_response(response)
    return response.json()
