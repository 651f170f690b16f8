"""Applicants' personal data is erased a configurable time after the final decision
(``PERMITS_PERSONAL_DATA_DAYS``); what statistics and the signed permit need stays: agency,
type, states and dates, the permit and its verification (the holder's masked name is in the
signed record)."""
from datetime import timedelta

from services.common import clock as clk
from tests.integration.permits.conftest import APPLICANT, filing, staff


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
