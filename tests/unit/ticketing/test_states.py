from datetime import datetime, timedelta, timezone

import pytest

from services.common.errors import IllegalTransition, ValidationFailed
from services.ticketing import states

UTC = timezone.utc
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)

# Written out independently of states.TRANSITIONS: (status, action) -> new status.
ALLOWED = {
    ("waiting", "call"): "called",
    ("waiting", "transfer"): "transferred",
    ("waiting", "cancel"): "cancelled",
    ("waiting", "close_out"): "not_served",
    ("called", "recall"): "called",
    ("called", "start"): "serving",
    ("called", "skip"): "skipped",
    ("called", "transfer"): "transferred",
    ("called", "cancel"): "cancelled",
    ("called", "close_out"): "not_served",
    ("serving", "complete"): "completed",
    ("serving", "transfer"): "transferred",
    ("serving", "close_out"): "not_served",
    ("skipped", "requeue"): "waiting",
    ("skipped", "cancel"): "cancelled",
    ("skipped", "close_out"): "not_served",
}
STATUSES = ["waiting", "called", "serving", "completed", "skipped", "transferred",
            "cancelled", "not_served"]
ACTIONS = ["call", "recall", "start", "complete", "skip", "requeue", "transfer", "cancel",
           "close_out"]
ALL = [(s, a) for s in STATUSES for a in ACTIONS]


def test_module_knows_the_same_statuses_and_actions():
    assert sorted(states.STATUSES) == sorted(STATUSES)
    assert sorted(states.ACTIONS) == sorted(ACTIONS)


@pytest.mark.parametrize("status,action", [p for p in ALL if p in ALLOWED])
def test_allowed_transition(status, action):
    assert states.transition(status, action) == ALLOWED[(status, action)]


@pytest.mark.parametrize("status,action", [p for p in ALL if p not in ALLOWED])
def test_refused_transition(status, action):
    with pytest.raises(IllegalTransition) as err:
        states.transition(status, action)
    assert " / " in err.value.message
    assert err.value.details == {"status": status, "action": action}


def test_refusal_message_is_bilingual_and_clear():
    with pytest.raises(IllegalTransition) as err:
        states.transition("waiting", "complete")
    assert err.value.message == ("Tidak dapat menyelesaikan tiket yang menunggu / "
                                 "Cannot complete a ticket that is waiting")


def test_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError):
        states.transition("waiting", "teleport")


def test_terminal_statuses():
    assert states.TERMINAL == {"completed", "transferred", "cancelled", "not_served"}
    assert states.allowed_actions("skipped") == ["cancel", "close_out", "requeue"]


def ticket(**kw):
    base = {"_id": "t1", "service_id": "ktp", "status": "waiting", "version": 0,
            "arrived_at": NOW - timedelta(minutes=20), "issued_at": NOW - timedelta(minutes=20)}
    base.update(kw)
    return base


def test_call_sets_counter_and_first_call_time():
    changes = states.apply_action(ticket(), "call", NOW, counter_id="c1", officer="budi")
    assert changes == {"status": "called", "version": 1, "updated_at": NOW, "counter_id": "c1",
                       "officer": "budi", "last_called_at": NOW, "called_at": NOW, "calls": 1}
    assert states.transition_key("t1", changes) == "t1:v1"


def test_second_call_after_requeue_keeps_first_called_at():
    first = NOW - timedelta(minutes=5)
    changes = states.apply_action(ticket(called_at=first, calls=1, version=4), "call", NOW,
                                  counter_id="c2")
    assert changes["called_at"] == first and changes["last_called_at"] == NOW
    assert changes["calls"] == 2 and changes["version"] == 5


def test_call_needs_a_counter():
    with pytest.raises(ValueError):
        states.apply_action(ticket(), "call", NOW)


def test_recall_stays_called():
    changes = states.apply_action(ticket(status="called", counter_id="c1"), "recall", NOW,
                                  counter_id="c1")
    assert changes["status"] == "called" and changes["recalls"] == 1


@pytest.mark.parametrize("status,action", [("called", "recall"), ("called", "start"),
                                           ("called", "skip"), ("serving", "complete")])
def test_counter_bound_actions_refused_from_another_counter(status, action):
    with pytest.raises(IllegalTransition):
        states.apply_action(ticket(status=status, counter_id="c1"), action, NOW,
                            counter_id="c2")


def test_complete_records_service_seconds():
    started = NOW - timedelta(minutes=7, seconds=30)
    changes = states.apply_action(ticket(status="serving", counter_id="c1", started_at=started),
                                  "complete", NOW, counter_id="c1")
    assert changes["completed_at"] == NOW and changes["service_seconds"] == 450.0


def test_skip_then_requeue_clears_counter():
    skipped = states.apply_action(ticket(status="called", counter_id="c1"), "skip", NOW)
    assert skipped["status"] == "skipped" and skipped["skipped_at"] == NOW
    back = states.apply_action(ticket(status="skipped", counter_id="c1"), "requeue", NOW)
    assert back["status"] == "waiting" and back["counter_id"] is None
    assert back["requeued_at"] == NOW


def test_transfer_records_target_and_reason():
    changes = states.apply_action(ticket(status="serving"), "transfer", NOW, officer="budi",
                                  reason="Perlu bayar di bank", target_service_id="bank")
    assert changes["status"] == "transferred"
    assert (changes["transferred_to"], changes["transfer_reason"], changes["transferred_by"]) \
        == ("bank", "Perlu bayar di bank", "budi")


def test_transfer_to_the_same_service_is_refused():
    with pytest.raises(ValidationFailed):
        states.apply_action(ticket(), "transfer", NOW, target_service_id="ktp")
    with pytest.raises(ValueError):
        states.apply_action(ticket(), "transfer", NOW)


def test_illegal_action_changes_nothing():
    t = ticket(status="completed")
    before = dict(t)
    with pytest.raises(IllegalTransition):
        states.apply_action(t, "call", NOW, counter_id="c1")
    assert t == before


# -- counters ------------------------------------------------------------------------------

CLOSED = {"_id": "c1", "status": "closed", "officer": None, "services": ["ktp", "kk"]}
OPEN = dict(CLOSED, status="open", officer="budi")


def test_open_and_close_counter():
    assert states.open_counter(CLOSED, "budi", NOW) == {"status": "open", "officer": "budi",
                                                        "opened_at": NOW}
    assert states.close_counter(OPEN, NOW) == {"status": "closed", "officer": None,
                                               "closed_at": NOW}


def test_open_again_by_same_officer_is_a_no_op_by_another_is_refused():
    assert states.open_counter(OPEN, "budi", NOW) == {}
    with pytest.raises(IllegalTransition):
        states.open_counter(OPEN, "siti", NOW)


@pytest.mark.parametrize("officer", [None, "", {"$gt": ""}])
def test_open_needs_an_officer(officer):
    with pytest.raises(ValidationFailed):
        states.open_counter(CLOSED, officer, NOW)


def test_close_a_closed_counter_is_refused():
    with pytest.raises(IllegalTransition):
        states.close_counter(CLOSED, NOW)


def test_calling_at_a_closed_counter_is_illegal():
    with pytest.raises(IllegalTransition) as err:
        states.ensure_can_call(CLOSED)
    assert err.value.message == "Loket tutup / Counter is closed"


def test_calling_for_a_service_the_counter_does_not_serve_is_illegal():
    states.ensure_can_call(OPEN, "kk")
    with pytest.raises(IllegalTransition):
        states.ensure_can_call(OPEN, "akta")
