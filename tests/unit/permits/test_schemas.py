import base64
import copy
from pathlib import Path

import pytest
import yaml

from services.common.errors import ValidationFailed
from services.permits import permit_types, schemas, tracking

INJECTION = {"$gt": ""}
PDF = b"%PDF-1.7\n"
FILING = {
    "applicant": {"nik": "6203015708900001", "name": "Siti Aminah", "phone": "0811-5200-0001",
                  "email": "Siti@Example.ID"},
    "permit_type_id": "sip-bidan",
    "form": {"str_number": "ABC/123-45", "practice_address": "Jl. Pemuda 3"},
    "documents": [{"kind": "ktp", "filename": "ktp.pdf", "media_type": "application/pdf",
                   "content": base64.b64encode(PDF).decode()},
                  {"kind": "str", "reuse_sha256": "a" * 64}],
    "idempotency_key": "web-7f3c9a10",
}


def load(schema, data):
    return schemas.load(schema, data)


def errors(schema, data):
    with pytest.raises(ValidationFailed) as err:
        schemas.load(schema, data)
    return err.value.fields


def with_(path, value, base=FILING):
    data = copy.deepcopy(base)
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


def test_filing_loads_and_normalises():
    data = load(schemas.FileApplicationSchema(), FILING)
    assert data["applicant"] == {"nik": "6203015708900001", "name": "Siti Aminah",
                                 "phone": "+6281152000001", "email": "siti@example.id",
                                 "language": "id"}
    assert data["documents"][0]["content"] == PDF
    assert data["documents"][1] == {"kind": "str", "reuse_sha256": "a" * 64}


@pytest.mark.parametrize("raw,e164", [("+62 811-5200-0001", "+6281152000001"),
                                      ("6281152000001", "+6281152000001"),
                                      ("(0513) 21234", "+6251321234")])
def test_phone_forms(raw, e164):
    data = load(schemas.FileApplicationSchema(), with_(("applicant", "phone"), raw))
    assert data["applicant"]["phone"] == e164


@pytest.mark.parametrize("path,value,field", [
    (("applicant", "nik"), "620301570890001", "nik"),          # 15 digits
    (("applicant", "nik"), "62030157089000012", "nik"),        # 17
    (("applicant", "nik"), "62030157089O0001", "nik"),         # letter O
    (("applicant", "nik"), "6203019908900001", "nik"),         # day 99
    (("applicant", "nik"), "6203011513900001", "nik"),         # month 13
    (("applicant", "nik"), "6203015708900000", "nik"),         # serial 0000
    (("applicant", "nik"), 6203015708900001, "nik"),           # a number
    (("applicant", "nik"), INJECTION, "nik"),
    (("applicant", "nik"), "٦٢٠٣٠١٥٧٠٨٩٠٠٠٠١", "nik"),           # non-ASCII digits
    (("applicant", "phone"), "12345", "phone"),
    (("applicant", "phone"), "0811", "phone"),
    (("applicant", "phone"), INJECTION, "phone"),
    (("applicant", "name"), "", "name"),
    (("applicant", "name"), "Siti\x00", "name"),
    (("applicant", "name"), INJECTION, "name"),
    (("applicant", "email"), "not-an-email", "email"),
    (("applicant", "role"), "admin", "role"),                 # unknown field
    (("applicant", "nik"), KeyError, "nik"),
])
def test_applicant_refusals(path, value, field):
    fields = errors(schemas.FileApplicationSchema(), with_(path, value))
    assert field in fields["applicant"]


@pytest.mark.parametrize("path,value,field", [
    (("permit_type_id",), INJECTION, "permit_type_id"),
    (("permit_type_id",), "PBG; drop", "permit_type_id"),
    (("idempotency_key",), INJECTION, "idempotency_key"),
    (("idempotency_key",), "short", "idempotency_key"),
    (("idempotency_key",), KeyError, "idempotency_key"),
    (("form",), ["x"], "form"),
    (("form",), {"$where": "1"}, "form"),
    (("status",), "issued", "status"),
    (("documents", 0, "content"), "not base64!", "documents"),
    (("documents", 0, "media_type"), KeyError, "documents"),
    (("documents", 1, "content"), "JVBERi0=", "documents"),   # content and reuse
    (("documents", 1, "reuse_sha256"), "A" * 64, "documents"),
    (("documents", 0, "kind"), INJECTION, "documents"),
])
def test_filing_refusals(path, value, field):
    assert field in errors(schemas.FileApplicationSchema(), with_(path, value))


def test_transition():
    assert load(schemas.TransitionSchema(), {"action": "accept"}) == {
        "action": "accept", "note": None, "corrections": [], "expected_seq": None}
    data = load(schemas.TransitionSchema(), {"action": "return", "note": " Foto buram\nulang ",
                                             "corrections": ["ktp"], "expected_seq": 3})
    assert data["note"] == "Foto buram\nulang" and data["corrections"] == ["ktp"]
    assert "note" in errors(schemas.TransitionSchema(), {"action": "return"})
    assert "action" in errors(schemas.TransitionSchema(), {"action": "teleport"})
    assert "action" in errors(schemas.TransitionSchema(), {"action": INJECTION})
    assert "expected_seq" in errors(schemas.TransitionSchema(),
                                    {"action": "accept", "expected_seq": "3"})
    assert "role" in errors(schemas.TransitionSchema(), {"action": "accept", "role": "admin"})


def test_connector_decision():
    data = load(schemas.ConnectorDecisionSchema(), {
        "application_id": "app-1", "decision_id": "dpmptsp:42", "agency_status": "TERBIT",
        "reference": "SK-42", "decided_at": "2026-03-05T02:00:00Z"})
    assert data["agency_status"] == "TERBIT" and data["decided_at"].tzinfo is not None
    assert "status" in errors(schemas.ConnectorDecisionSchema(),
                              {"application_id": "a", "decision_id": "d"})
    assert "note" in errors(schemas.ConnectorDecisionSchema(),
                            {"application_id": "a", "decision_id": "d", "status": "rejected"})
    assert "status" in errors(schemas.ConnectorDecisionSchema(),
                              {"application_id": "a", "decision_id": "d", "status": "TERBIT"})
    assert "decided_at" in errors(schemas.ConnectorDecisionSchema(), {
        "application_id": "a", "decision_id": "d", "status": "approved",
        "decided_at": "2026-03-05T02:00:00"})
    assert "application_id" in errors(schemas.ConnectorDecisionSchema(), {
        "application_id": INJECTION, "decision_id": "d", "status": "approved"})


def _catalogue_versions():
    path = Path(__file__).resolve().parents[3] / "catalogue" / "kapuas.yaml"
    catalogue = yaml.safe_load(path.read_text())
    for agency in catalogue["agencies"]:
        for item in agency.get("permit_types", []):
            data = dict(item, permit_type_id=item["id"], version=1, agency=agency["code"])
            del data["id"]
            yield data


def test_the_demo_catalogue_loads_and_its_forms_work():
    versions = [load(schemas.PermitTypeVersionSchema(), v) for v in _catalogue_versions()]
    assert {v["permit_type_id"] for v in versions} == {"pbg", "sip-bidan", "izin-reklame",
                                                       "skpt"}
    sip = next(v for v in versions if v["permit_type_id"] == "sip-bidan")
    assert sip["effective_from"] == "2026-01-01" and sip["approval_levels"] == 1
    assert permit_types.validate_form(sip["form"], FILING["form"]) == FILING["form"]


BASE_VERSION = {"permit_type_id": "pbg", "version": 1, "agency": "dpmptsp", "name": "PBG",
                "effective_from": "2026-01-01", "sla_working_days": 28, "fee": 0,
                "connector": "simulated",
                "requirements": [{"kind": "ktp", "name": "KTP"}],
                "form": [{"name": "floors", "type": "integer", "min": 1, "max": 50,
                          "label": "Lantai"}]}


@pytest.mark.parametrize("path,value,field", [
    (("fee",), -1, "fee"), (("fee",), "0", "fee"), (("fee",), 1.5, "fee"),
    (("sla_working_days",), 0, "sla_working_days"),
    (("approval_levels",), 6, "approval_levels"),
    (("effective_to",), "2025-12-31", "effective_to"),
    (("effective_from",), "01/01/2026", "effective_from"),
    (("connector",), INJECTION, "connector"),
    (("requirements",), [{"kind": "ktp", "name": "A"}, {"kind": "ktp", "name": "B"}],
     "requirements"),
    (("form", 0, "type"), "file", "form"),
    (("form", 0, "min"), 60, "form"),                       # min > max
    (("form", 0, "choices"), ["a"], "form"),                 # choices on an integer
    (("form", 0, "pattern"), "[0-9]+", "form"),              # pattern on an integer
    (("form", 0, "name"), "Floors", "form"),
    (("form", 0, "label"), INJECTION, "form"),
    (("form", 0, "min"), True, "form"),
    (("form",), [{"name": "f", "type": "enum", "label": "F"}], "form"),
    (("form",), [{"name": "f", "type": "string", "pattern": "(", "label": "F"}], "form"),
    (("form",), [{"name": "d", "type": "date", "min": 3, "label": "D"}], "form"),
    (("form",), [{"name": "a", "type": "string", "label": "A"},
                 {"name": "a", "type": "string", "label": "A"}], "form"),
    (("price",), 1, "price"),
])
def test_permit_type_refusals(path, value, field):
    assert field in errors(schemas.PermitTypeVersionSchema(), with_(path, value, BASE_VERSION))


def test_permit_type_defaults():
    data = load(schemas.PermitTypeVersionSchema(), BASE_VERSION)
    assert data["name_en"] == "PBG" and data["approval_levels"] == 1
    assert data["effective_to"] is None and data["requirements"][0]["required"] is True
    date_field = {"name": "d", "type": "date", "min": "2026-01-01", "max": "2026-12-31",
                  "label": "D"}
    load(schemas.PermitTypeVersionSchema(), with_(("form",), [date_field], BASE_VERSION))


def test_status_lookup():
    code = tracking.new_code()
    data = load(schemas.StatusLookupSchema(), {"tracking_code": code.lower(), "pin": "012345"})
    assert data == {"tracking_code": code, "pin": "012345"}
    assert "pin" in errors(schemas.StatusLookupSchema(), {"tracking_code": code, "pin": 12345})
    assert "tracking_code" in errors(schemas.StatusLookupSchema(),
                                     {"tracking_code": INJECTION, "pin": "012345"})
    assert "tracking_code" in errors(schemas.StatusLookupSchema(),
                                     {"tracking_code": "AAAA-AAAA-AA", "pin": "012345"})


def test_public_status_has_no_personal_data():
    application = {"tracking_code": "7Q4M-X9KP-T3", "permit_type_id": "pbg",
                   "agency": "dpmptsp", "state": "returned", "filed_at": "2026-03-02T03:00:00Z",
                   "updated_at": "2026-03-03T03:00:00Z", "permit_number": None,
                   "applicant": {"nik": "6203015708900001", "name": "Siti"},
                   "form": {"address": "Jl. Rumah"}, "secret_digest": "x" * 64,
                   "history": [{"seq": 1, "at": "2026-03-02T03:00:00Z", "actor": "officer-9",
                                "role": "officer", "from": None, "to": "submitted",
                                "action": "submit", "note": None, "hash": "h"}]}
    out = schemas.PublicStatusSchema().dump(application)
    assert out["state_label"] == "Berkas dikembalikan untuk perbaikan / Returned for correction"
    assert out["history"][0]["from"] is None and "actor" not in out["history"][0]
    text = repr(out)
    for secret in ("6203015708900001", "Siti", "Jl. Rumah", "x" * 64, "officer-9"):
        assert secret not in text
