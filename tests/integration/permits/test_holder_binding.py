"""A genuine QR code copied onto a forged PDF with another name: the verify answer names the
holder (masked), and the holder is part of the signed record, so changing it breaks the
signature."""
from tests.integration.permits.conftest import APPLICANT, filing, staff


def _issued(permits):
    filed = permits.permits.file_application(filing("sip"))
    app_id = filed["application_id"]
    for action in ("start_intake", "accept", "forward", "agency_approve"):
        staff(permits, app_id, action)
    staff(permits, app_id, "approve", role="supervisor")
    return staff(permits, app_id, "issue", role="supervisor")["permit_number"]


def test_the_verify_answer_names_the_holder_masked_and_signed(permits, pdb):
    number = _issued(permits)
    view = permits.permits.verify_permit(number)
    assert view["status"] == "valid"
    assert view["holder"] == "Si** Am****"  # Siti Aminah
    assert APPLICANT["name"] not in repr(view) and APPLICANT["nik"] not in repr(view)
    stored = pdb.permits.find_one({"_id": number})
    holder = stored["record"]["holder"]
    assert holder["name"] == "Si** Am****" and len(holder["nik_hmac"]) == 64
    assert APPLICANT["nik"] not in repr(stored["record"])
    # another name in the record: the signature no longer holds, nobody is vouched for
    pdb.permits.update_one({"_id": number}, {"$set": {"record.holder.name": "Bu** Sa*****"}})
    forged = permits.permits.verify_permit(number)
    assert forged["status"] == "unknown" and "holder" not in forged
