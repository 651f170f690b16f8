"""Applicants' personal data is erased a configurable time after the final decision
(``PERMITS_PERSONAL_DATA_DAYS``); what statistics and the signed permit need stays: agency,
type, states and dates, the permit and its verification (the holder's masked name is in the
signed record)."""
import base64
from datetime import timedelta

import pytest

from services.common import clock as clk
from services.common.errors import NotFound
from tests.integration.permits.conftest import APPLICANT, PDF, b64, filing, staff


def test_personal_data_is_erased_after_the_decision_and_the_permit_still_verifies(
        permits, pdb):
    filed = permits.permits.file_application(filing("sip"))
    app_id = filed["application_id"]
    undecided = permits.permits.file_application(filing("sip", key="still-open-01"))
    for action in ("start_intake", "accept", "forward", "agency_approve"):
        staff(permits, app_id, action)
    staff(permits, app_id, "approve", role="supervisor")
    number = staff(permits, app_id, "issue", role="supervisor")["permit_number"]

    # not yet: the period has not passed
    assert permits.permits.erase_personal_data()["erased"] == 0
    later = clk.iso(clk.parse(clk.iso(clk.Clock().now())) + timedelta(days=400))
    assert permits.permits.erase_personal_data(at=later)["erased"] == 1
    stored = pdb.applications.find_one({"_id": app_id})
    text = repr(stored)
    for value in (APPLICANT["name"], APPLICANT["nik"], "0811", APPLICANT["email"]):
        assert value not in text
    assert stored["applicant"].get("erased_at") and stored["state"] == "issued"
    assert stored["agency"] == "dpmptsp" and stored["permit_type_id"] == "sip"
    assert permits.permits.verify_permit(number)["status"] == "valid"
    # an application not decided keeps its applicant
    kept = pdb.applications.find_one({"_id": undecided["application_id"]})
    assert kept["applicant"]["name"] == APPLICANT["name"]


def _issue(permits, app_id):
    for action in ("start_intake", "accept", "forward", "agency_approve"):
        staff(permits, app_id, action)
    staff(permits, app_id, "approve", role="supervisor")
    return staff(permits, app_id, "issue", role="supervisor")["permit_number"]


def _files(pdb):
    return {d["_id"] for d in pdb.files.find({}, {"_id": 1})}


def test_an_erased_applicants_documents_go_unless_a_later_application_still_uses_them(
        permits, pdb):
    """The KTP filed with the first application and reused by a second stays while the second
    is open; the corrected upload only the first ever used goes with the first's erasure; once
    both are erased no file of the applicant is left. Statistics and the permit stay."""
    first = permits.permits.file_application(filing("sip"))
    corrected = PDF + b"% corrected scan\n"
    permits.permits.add_document(first["tracking_code"], first["pin"], "ktp", "ktp-baru.pdf",
                                 "application/pdf", b64(corrected))
    second = permits.permits.file_application(filing("sip"))  # the same KTP again
    ktp = permits.permits.get_document(second["application_id"], "dpmptsp", "ktp")
    assert base64.b64decode(ktp["content_b64"]) == PDF
    assert len(_files(pdb)) == 2
    number = _issue(permits, first["application_id"])

    later = clk.iso(clk.Clock().now() + timedelta(days=400))
    assert permits.permits.erase_personal_data(at=later)["erased"] == 1
    # the corrected scan (only the first used it) is gone; the KTP the open one uses stays
    left = {bytes(d["content"]) for d in pdb.files.find({})}
    assert left == {PDF}
    with pytest.raises(NotFound):
        permits.permits.get_document(first["application_id"], "dpmptsp", "ktp")
    assert "ktp-baru.pdf" not in repr(pdb.app_documents.find_one(
        {"application_id": first["application_id"]}))
    stored = pdb.applications.find_one({"_id": first["application_id"]})
    assert "ktp-baru" not in repr(stored) and "ktp.pdf" not in repr(stored)
    assert [d["kind"] for d in stored["documents"]] == ["ktp"] and stored["state"] == "issued"
    assert permits.permits.verify_permit(number)["status"] == "valid"
    assert base64.b64decode(permits.permits.get_document(
        second["application_id"], "dpmptsp", "ktp")["content_b64"]) == PDF

    _issue(permits, second["application_id"])
    much_later = clk.iso(clk.Clock().now() + timedelta(days=800))
    assert permits.permits.erase_personal_data(at=much_later)["erased"] == 1
    assert _files(pdb) == set()
    assert pdb.app_documents.count_documents({}) == 0
    # nothing left to do: a second run erases nothing and fails on nothing
    assert permits.permits.erase_personal_data(at=much_later)["erased"] == 0
