"""No event is lost when the permits process dies after it won a step (or stored a filing)
but before the step's events went out: the outbox sweep rolls the step forward and publishes
its events once, with ids derived from the step."""
import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from services.permits import store
from services.permits.service import PermitsService
from tests.integration.permits.conftest import CATALOGUE, Recorder, filing, staff
from tests.support import wait_for


class DiesBeforeAnnouncing(PermitsService):
    """The permits service, whose worker dies right before publishing, the first time."""

    deaths = {"step": 0, "filing": 0}

    def _emit(self, event_type, payload):
        # a step's first event is its application_status_changed: dying there publishes none
        if event_type == "application_status_changed" and DiesBeforeAnnouncing.deaths["step"]:
            DiesBeforeAnnouncing.deaths["step"] -= 1
            raise RuntimeError("process died")
        if event_type == "application_submitted" and DiesBeforeAnnouncing.deaths["filing"]:
            DiesBeforeAnnouncing.deaths["filing"] -= 1
            raise RuntimeError("process died")
        return super()._emit(event_type, payload)


@pytest.fixture
def dying(runner_factory, config, events):
    DiesBeforeAnnouncing.deaths.update(step=0, filing=0)
    runner = runner_factory(config, DiesBeforeAnnouncing, Recorder)
    runner.start()
    with ClusterRpcProxy(config, timeout=30) as cluster:
        cluster.permits.load_catalogue(CATALOGUE)
        yield cluster


def _of(events, event_type, app_id):
    return [e for e in events[event_type] if e["application_id"] == app_id]


def test_a_step_whose_process_died_before_announcing_is_announced_once(dying, events, pdb):
    app_id = dying.permits.file_application(filing("sip"))["application_id"]
    staff(dying, app_id, "start_intake")
    DiesBeforeAnnouncing.deaths["step"] = 1
    with pytest.raises(Exception):
        staff(dying, app_id, "accept")
    assert dying.permits.get_application(app_id, "dpmptsp")["state"] == "accepted"
    assert not [e for e in _of(events, "application_status_changed", app_id)
                if e["to"] == "accepted"]

    accepted = wait_for(lambda: [e for e in _of(events, "application_status_changed", app_id)
                                 if e["to"] == "accepted"], timeout=30,
                        message="the stranded step announced")
    wait_for(lambda: pdb.unannounced.count_documents({}) == 0, message="the outbox emptied")
    assert len(accepted) == 1 and accepted[0]["from"] == "intake_check"
    # the next step goes out as usual, once
    staff(dying, app_id, "forward")
    wait_for(lambda: _of(events, "application_forwarded.manual", app_id),
             message="forwarded event")
    assert len([e for e in _of(events, "application_status_changed", app_id)
                if e["to"] == "accepted"]) == 1


def test_a_filing_whose_process_died_before_announcing_is_announced(dying, events, pdb):
    DiesBeforeAnnouncing.deaths["filing"] = 1
    with pytest.raises(Exception):
        dying.permits.file_application(filing("sip", key="died-once"))
    assert pdb.applications.count_documents({}) == 1
    app_id = pdb.applications.find_one({})["_id"]
    submitted = wait_for(lambda: _of(events, "application_submitted", app_id), timeout=30,
                         message="the stranded filing announced")
    assert len(submitted) == 1 and submitted[0]["due_at"]
    assert pdb.applications.find_one({"_id": app_id})["filing_done"] is True
    wait_for(lambda: pdb.unannounced.count_documents({}) == 0, message="the outbox emptied")


def test_a_losing_rival_withdraws_only_its_own_mark(pdb):
    winner = store.mark_unannounced(pdb, "app-1", 2, "2026-11-28T01:00:00Z")
    assert winner and store.mark_unannounced(pdb, "app-1", 2, "2026-11-28T01:00:01Z") is None
    store.mark_announced(pdb, "app-1", 2, token="someone-else")  # a loser without a mark
    assert pdb.unannounced.count_documents({}) == 1  # the winner still owes its events
    store.mark_announced(pdb, "app-1", 2)  # the winner announced
    loser = store.mark_unannounced(pdb, "app-1", 2, "2026-11-28T01:00:02Z")  # a late rival
    store.mark_announced(pdb, "app-1", 2, token=loser)  # ...lost the step: withdraws its own
    assert pdb.unannounced.count_documents({}) == 0
