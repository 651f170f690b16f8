"""The connector kit's engine through its contract test kit (no broker, no database): the
mapping done in the connector, results that keep polling, an unknown agency word that is
retried, parked with an alert and never dropped, and the application moving once the mapping
is fixed."""
import pytest

from mpp_connector import Connector, Decision, Pending, UnknownAgencyStatus
from mpp_connector.testing import (FakePermits, Harness, assert_approves, assert_keeps_polling,
                                   assert_parks, sample_application)
from mpp_connector.vocabulary import from_canonical

MAPPING = {"Diterima": "received", "Proses Survei": "in_review", "SELESAI": "approved",
           "DITOLAK": "rejected"}
SAYS = {}


class Words(Connector):
    """Says whatever the test put in ``SAYS`` for the application."""

    name = "words"

    def process(self, application):
        return self.result(SAYS[application["application_id"]], reference="REF-1")


@pytest.fixture(autouse=True)
def fresh():
    SAYS.clear()


@pytest.mark.parametrize("word,status", [("SELESAI", "approved"), ("  selesai ", "approved"),
                                         ("proses  survei", None), ("PROSES SURVEI", "in_review"),
                                         ("diterima", "received")])
def test_mapping_is_tolerant_of_case_and_surrounding_spaces(word, status):
    connector = Words({"WORDS_CONNECTOR": {"status_mapping": MAPPING}})
    if status is None:  # inner spaces are part of the word
        with pytest.raises(UnknownAgencyStatus):
            connector.result(word)
        return
    result = connector.result(word)
    assert (result.outcome if isinstance(result, Decision) else result.status) == status
    assert result.agency_status == word.strip()


def test_a_mapped_pending_word_keeps_polling_with_the_agency_word_carried():
    SAYS["app-0001"] = "Proses Survei"
    report, seconds = assert_keeps_polling(Words, settings={"status_mapping": MAPPING,
                                                            "poll_seconds": 120})
    assert report["status"] == "in_review" and report["agency_status"] == "Proses Survei"
    assert seconds == 120


def test_from_canonical_pending_polls_again():
    assert from_canonical("in_review").retry_after_seconds > 0


def test_a_pending_without_an_interval_is_asked_again_never_dropped():
    class Quiet(Connector):
        name = "quiet"

        def process(self, application):
            return Pending("in_review")

    _, seconds = assert_keeps_polling(Quiet)
    assert seconds == 600


def test_a_callback_pending_waits_for_the_callback():
    class Hook(Connector):
        name = "hook"

        def process(self, application):
            return Pending("received", callback=True)

    harness = Harness(Hook)
    application = harness.forward()
    assert harness.permits.decisions[0]["status"] == "received"
    assert harness.job(application) is None and not harness.alerts


def test_an_unmapped_word_retries_then_parks_with_an_alert_and_moves_once_fixed():
    SAYS["app-0001"] = "SELESAI DIPASANG"
    harness = assert_parks(Words, settings={"status_mapping": dict(MAPPING)},
                           config={"CONNECTOR_MAX_ATTEMPTS": 6})
    alert = harness.alerts[0]
    assert alert["attempts"] == 6 and "SELESAI DIPASANG" in alert["error"]
    assert alert["application_id"] == "app-0001" and alert["agency"] == "pdam"
    assert harness.engine.status()["state"] == "suspended"
    assert harness.engine.status()["parked"] == 1
    assert harness.permits.decisions == []              # nothing reported, nothing lost

    # new work while suspended is parked too, not attempted
    harness.forward(sample_application(application_id="app-0002"))
    assert harness.engine.status()["parked"] == 2
    SAYS["app-0002"] = "SELESAI"

    harness.settings["status_mapping"]["selesai dipasang"] = "approved"    # the fix
    assert harness.resume() == {"resumed": 2}
    for app_id in ("app-0001", "app-0002"):
        decision = harness.permits.final_decision(app_id)
        assert decision["status"] == "approved" and decision["reference"] == "REF-1"
    assert harness.engine.status() == dict(harness.engine.status(), state="running",
                                           parked=0, waiting=0)


def test_the_application_moving_on_meanwhile_ends_the_work():
    class Slow(Connector):
        name = "slow"

        def process(self, application):
            return Pending("in_review", retry_after_seconds=60)

    harness = Harness(Slow)
    application = harness.forward()
    harness.permits.applications[application["application_id"]][0]["state"] = "withdrawn"
    harness.next_due()
    assert harness.job(application) is None and not harness.alerts


def test_a_report_permits_refuses_is_parked_at_once():
    class Sloppy(Connector):
        name = "sloppy"

        def process(self, application):
            return Decision("approved", reference="x" * 500)   # longer than permits takes

    harness = assert_parks(Sloppy, min_attempts=1)
    assert "ValidationFailed" in harness.alerts[0]["error"]


def test_an_agency_down_is_retried_with_growing_delays_then_parked():
    class Down(Connector):
        name = "down"
        calls = 0

        def process(self, application):
            Down.calls += 1
            raise ConnectionError("agency unreachable")

    harness = assert_parks(Down)
    assert Down.calls == 9                 # 3 inline attempts, 3 rounds (max 8 reached)
    assert harness.at.hour == 1 and harness.at.minute == 0   # delays in seconds, not hours


def test_sample_application_has_the_documented_shape():
    application = sample_application(form={"extra": 1})
    assert set(application) == {"application_id", "tracking_code", "agency", "permit_type_id",
                                "permit_type_version", "state", "seq", "filed_at",
                                "applicant", "form", "documents"}
    assert set(application["applicant"]) == {"nik", "name", "phone", "email"}
    assert application["form"]["extra"] == 1 and "address" in application["form"]


def test_fake_permits_records_what_the_connector_reported():
    SAYS["app-0001"] = "ditolak"
    permits = FakePermits()
    harness = Harness(Words, settings={"status_mapping": MAPPING}, permits=permits)
    harness.run()
    assert permits.decisions[0]["status"] == "rejected"
    assert permits.decisions[0]["note"].startswith("Status instansi: ditolak")


def test_assert_approves_fails_with_the_reason_when_the_connector_parks():
    SAYS["app-0001"] = "HILANG"
    with pytest.raises(AssertionError, match="HILANG"):
        assert_approves(Words, settings={"status_mapping": MAPPING})
