"""The PDAM connector against the MPP's contract (the kit's fake permits service) and a
stand-in SIPAM: no broker, no database."""
from mpp_connector.testing import (assert_approves, assert_keeps_polling, assert_parks,
                                   assert_rejects, assert_returns, sample_application)

from pdam_connector import Pdam

APPLICATION = sample_application(agency="pdam", permit_type_id="sambungan-baru",
                                 form={"address": "Jl. Pemuda 7", "diameter_inch": 0.5})
NUMBER = APPLICATION["tracking_code"]


def test_a_new_application_is_filed_at_sipam_and_polled(sipam):
    report, seconds = assert_keeps_polling(Pdam, APPLICATION, settings=sipam.settings)
    assert sipam.filed == [{"nomor_mpp": NUMBER, "alamat": "Jl. Pemuda 7",
                            "diameter_inch": 0.5}]
    assert report["status"] == "received" and report["agency_status"] == "BARU"
    assert seconds == 900
    assert sipam.tokens[0] == "Bearer sipam-test-token"


def test_survey_in_progress_keeps_polling_and_staff_see_sipams_word(sipam):
    sipam.cases[NUMBER] = {"status": "survei"}
    report, seconds = assert_keeps_polling(Pdam, APPLICATION, settings=sipam.settings)
    assert report["status"] == "in_review" and report["agency_status"] == "survei"
    assert seconds == 900


def test_finished_connection_is_approved_with_its_number(sipam):
    sipam.cases[NUMBER] = {"status": " Selesai ", "nomor_sambungan": "SB-2026-00042"}
    decision = assert_approves(Pdam, APPLICATION, settings=sipam.settings)
    assert decision["reference"] == "SB-2026-00042"
    assert decision["agency_status"] == "Selesai"


def test_refusal_is_a_rejection_with_sipams_reason(sipam):
    sipam.cases[NUMBER] = {"status": "DITOLAK", "catatan": "Jaringan pipa belum tersedia"}
    decision = assert_rejects(Pdam, APPLICATION, settings=sipam.settings)
    assert decision["note"] == "Jaringan pipa belum tersedia"


def test_correction_needed_returns_it_to_the_applicant(sipam):
    sipam.cases[NUMBER] = {"status": "PERLU PERBAIKAN", "catatan": "Denah lokasi kurang jelas"}
    assert assert_returns(Pdam, APPLICATION, settings=sipam.settings)["note"] == \
        "Denah lokasi kurang jelas"


def test_the_survey_then_the_decision_over_several_polls(sipam, connector_harness):
    harness = connector_harness(Pdam, settings=sipam.settings)
    harness.forward(APPLICATION)                       # filed at SIPAM: BARU
    sipam.cases[NUMBER] = {"status": "SURVEI"}
    harness.next_due()                                 # 15 minutes later
    sipam.cases[NUMBER] = {"status": "SELESAI", "nomor_sambungan": "SB-1"}
    harness.next_due()
    assert [d["agency_status"] for d in harness.permits.decisions] == \
        ["BARU", "SURVEI", "SELESAI"]
    assert harness.permits.final_decision(APPLICATION["application_id"])["status"] == "approved"


def test_an_unknown_sipam_word_parks_with_an_alert_until_the_mapping_is_fixed(sipam):
    sipam.cases[NUMBER] = {"status": "SELESAI DIPASANG", "nomor_sambungan": "SB-7"}
    harness = assert_parks(Pdam, APPLICATION, settings=sipam.settings)
    assert "SELESAI DIPASANG" in harness.alerts[0]["error"]
    harness.settings["status_mapping"]["SELESAI DIPASANG"] = "approved"   # the fix
    harness.resume()
    decision = harness.permits.final_decision(APPLICATION["application_id"])
    assert decision["status"] == "approved" and decision["reference"] == "SB-7"


def test_sipam_down_is_retried_then_parked_never_dropped(sipam):
    sipam.down = True
    harness = assert_parks(Pdam, APPLICATION, settings=sipam.settings)
    assert "503" in harness.alerts[0]["error"]
    sipam.down = False
    harness.resume()
    assert harness.job(APPLICATION)["status"] == "waiting"   # filed, polling again
    assert sipam.filed


def test_against_a_running_suite(mpp_suite, sipam):
    """Integration: skipped unless MPP_SUITE_URL names a running suite (see the README)."""
    mpp_suite.start_connector("pdam_connector:PdamService",
                              settings=dict(sipam.settings, poll_seconds=1))
    application_id = mpp_suite.file("sambungan-baru", {"address": "Jl. Pemuda 7",
                                                       "diameter_inch": 0.5}, ["ktp"])
    mpp_suite.forward(application_id)
    number = mpp_suite.application(application_id)["tracking_code"]
    sipam.cases[number] = {"status": "SELESAI", "nomor_sambungan": "SB-9"}
    assert mpp_suite.wait_state(application_id, "approval_1", timeout=60)
