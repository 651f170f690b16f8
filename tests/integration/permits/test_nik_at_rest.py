"""The applicant's NIK is encrypted field by field in the permits database (AES-GCM, key from
``PERMITS_NIK_KEY``): a copy of the database does not hold NIKs; staff still see it masked and
the permit still binds its holder."""
from tests.integration.permits.conftest import APPLICANT, filing


def test_the_nik_is_not_stored_in_clear(permits, pdb):
    filed = permits.permits.file_application(filing("sip"))
    stored = pdb.applications.find_one({"_id": filed["application_id"]})
    assert APPLICANT["nik"] not in repr(stored)
    assert stored["applicant"]["nik"].startswith("enc2:")
    staff = permits.permits.get_application(filed["application_id"], "dpmptsp")
    assert staff["applicant"]["nik_masked"] == "6203********0001"
