"""Filing: idempotent, every check before anything is stored, the applicant's public view."""
import pytest

from services.common.errors import IllegalTransition, NotFound, ValidationFailed
from tests.integration.permits.conftest import (APPLICANT, PDF, PNG, b64, doc, filing,
                                                snapshot)
from tests.support import wait_for


def test_filing_gives_a_tracking_code_and_pin_and_the_event(permits, events, pdb):
    result = permits.permits.file_application(filing())
    assert result["state"] == "submitted" and result["created"] is True
    assert len(result["pin"]) == 6 and result["tracking_code"]

    status = permits.permits.get_application_public(result["tracking_code"], result["pin"])
    assert status["state"] == "submitted"
    assert [e["to"] for e in status["history"]] == ["submitted"]
    assert status["sla_due_at"]
    text = repr(status)
    # the phone's own digits ("52000001" of 0811-5200-0001, in any form), not a fragment
    # short enough to turn up in a random hash of the answer
    for secret in (APPLICANT["nik"], APPLICANT["name"], "52000001", "5200-0001", "siti@",
                   "applicant-1"):
        assert secret not in text
    assert "actor" not in status["history"][0]

    submitted = wait_for(lambda: events["application_submitted"], message="submitted event")
    assert submitted[0]["contact"] == {"phone": "+6281152000001", "email": "siti@example.id"}
    assert submitted[0]["permit_type_name"] == "Persetujuan Bangunan Gedung"
    assert APPLICANT["nik"] not in repr(submitted[0])
    # the PIN is kept only as a keyed digest
    assert result["pin"] not in repr(list(pdb.applications.find({})))


def test_same_idempotency_key_files_once(permits, pdb):
    data = filing(key="portal-req-0001")
    first = permits.permits.file_application(data)
    again = permits.permits.file_application(data)
    header = permits.permits.file_application(dict(data, idempotency_key="x" * 8),
                                              idempotency_key="portal-req-0001")
    # a retry files nothing new and its answer opens nothing (no code, no PIN)
    assert again == header and again["created"] is False
    assert first["pin"] not in repr(again) and first["tracking_code"] not in repr(again)
    assert pdb.applications.count_documents({}) == 1
    other_person = permits.permits.file_application(filing(
        key="portal-req-0001", applicant=dict(APPLICANT, nik="6203011208850002")))
    assert other_person["application_id"] != first["application_id"]


def test_wrong_pin_or_code_is_not_found(permits):
    result = permits.permits.file_application(filing())
    wrong = "000000" if result["pin"] != "000000" else "111111"
    with pytest.raises(NotFound):
        permits.permits.get_application_public(result["tracking_code"], wrong)
    with pytest.raises(ValidationFailed):
        permits.permits.get_application_public("not-a-code", result["pin"])


@pytest.mark.parametrize("change, field", [
    ({"applicant": dict(APPLICANT, nik="62030157089")}, "applicant"),
    ({"applicant": dict(APPLICANT, nik={"$gt": ""})}, "applicant"),
    ({"applicant": dict(APPLICANT, phone="12")}, "applicant"),
    ({"form": {"floors": "two", "address": "x"}}, "floors"),
    ({"form": {"floors": 2, "address": "x", "extra": 1}}, "extra"),
    ({"documents": [doc("ktp")]}, "documents"),  # gambar missing
    ({"documents": [doc("ktp", PNG), doc("gambar")]}, "documents.0"),  # PNG declared as PDF
    ({"documents": [doc("ktp", b"MZ\x90\x00", "application/x-msdownload", "a.exe"),
                    doc("gambar")]}, "documents.0"),
    ({"documents": [doc("ktp", PDF + b"x" * 3000), doc("gambar")]}, "documents.0"),  # limit
])
def test_bad_input_gets_field_messages_and_stores_nothing(permits, pdb, change, field, config):
    before = snapshot(pdb)
    with pytest.raises(ValidationFailed) as refused:
        permits.permits.file_application(filing(**change))
    fields = refused.value.fields
    top = field.split(".")[0]
    assert top in fields or field in fields, fields
    if field == "applicant":
        assert set(fields["applicant"]) <= {"nik", "phone"}
    assert snapshot(pdb) == before


def test_documents_are_corrected_and_reused_while_returned(permits, pdb):
    result = permits.permits.file_application(filing())
    code, pin = result["tracking_code"], result["pin"]
    app_id = result["application_id"]
    permits.permits.act(app_id, "start_intake", "o1", "officer", "dpmptsp")
    with pytest.raises(IllegalTransition):  # not while the office is checking
        permits.permits.add_document(code, pin, "gambar", "g.pdf", "application/pdf", b64(PDF))
    permits.permits.act(app_id, "return", "o1", "officer", "dpmptsp", note="Gambar buram",
                        corrections=["gambar"])
    new_drawing = PDF + b"% revised drawing\n"
    added = permits.permits.add_document(code, pin, "gambar", "../../etc/g2.pdf",
                                         "application/pdf", b64(new_drawing))
    assert added["filename"] == "g2.pdf" and added["size"] == len(new_drawing)

    before = snapshot(pdb)
    with pytest.raises(ValidationFailed):  # content does not match its declared type
        permits.permits.add_document(code, pin, "gambar", "g.png", "image/png", b64(PDF))
    with pytest.raises(ValidationFailed):  # not a file this applicant has on file
        permits.permits.add_document(code, pin, "ktp", reuse_sha256="ab" * 32)
    assert snapshot(pdb) == before

    # a second application by the same applicant reuses the KTP without sending it again
    ktp_sha = added_sha = None
    for d in permits.permits.get_application(app_id, "dpmptsp")["documents"]:
        if d["kind"] == "ktp":
            ktp_sha = d["sha256"]
        if d["kind"] == "gambar":
            added_sha = d["sha256"]
    assert added_sha == added["sha256"]
    files_before = pdb.files.count_documents({})
    second = permits.permits.file_application(filing(documents=[
        {"kind": "ktp", "reuse_sha256": ktp_sha},
        {"kind": "gambar", "reuse_sha256": added_sha}]))
    assert second["state"] == "submitted"
    assert pdb.files.count_documents({}) == files_before
    # another applicant cannot reuse it
    with pytest.raises(ValidationFailed):
        permits.permits.file_application(filing(
            applicant=dict(APPLICANT, nik="6203011208850002"),
            documents=[{"kind": "ktp", "reuse_sha256": ktp_sha}, doc("gambar")]))

    resubmitted = permits.permits.applicant_act(code, pin, "resubmit")
    assert resubmitted["state"] == "resubmitted"
