from datetime import datetime, timezone

import pytest

from services.common.errors import ValidationFailed
from services.ticketing import followups

UTC = timezone.utc
ARRIVED = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 30, 17, 30, tzinfo=UTC)   # 00:30 WIB on 1 December


def done(step=0, group="lansia", **kw):
    return dict({"_id": "samsat:2026-11-30:000001", "service_id": "samsat-pkb",
                 "status": "completed", "arrived_at": ARRIVED, "priority_group": group,
                 "language": "en", "contact": {"phone": "+6281100000001", "email": None},
                 "access_token": "tok", "version": 5,
                 "visit": {"id": "v1", "steps": ["samsat-pkb", "bank-setoran"], "step": step}},
                **kw)


def test_next_step_keeps_arrival_and_moves_the_visit_on():
    nxt = followups.next_step_ticket(done(), NOW)
    assert nxt == {
        "arrived_at": ARRIVED, "priority_group": "lansia", "language": "en",
        "contact": {"phone": "+6281100000001", "email": None}, "access_token": "tok",
        "service_id": "bank-setoran", "status": "waiting", "issued_at": NOW,
        "day": "2026-12-01", "version": 0,
        "visit": {"id": "v1", "steps": ["samsat-pkb", "bank-setoran"], "step": 1},
        "previous_ticket_id": "samsat:2026-11-30:000001", "idempotency_key": "visit:v1:1"}


def test_last_step_and_no_visit_end_there():
    assert followups.next_step_ticket(done(step=1), NOW) is None
    assert followups.next_step_ticket(done(visit=None), NOW) is None


def test_appointment_priority_does_not_follow_to_the_next_service():
    assert followups.next_step_ticket(done(group="appointment"), NOW)["priority_group"] is None


def test_only_completed_tickets_move_on():
    with pytest.raises(ValueError):
        followups.next_step_ticket(done(status="serving"), NOW)


def test_transferred_ticket():
    old = done(status="serving", group="appointment")
    new = followups.transferred_ticket(old, "bank-setoran", NOW)
    assert new["service_id"] == "bank-setoran" and new["status"] == "waiting"
    assert new["arrived_at"] == ARRIVED and new["priority_group"] == "appointment"
    assert new["transferred_from"] == old["_id"] and new["visit"] == old["visit"]
    assert new["idempotency_key"] == "transfer:samsat:2026-11-30:000001:v6"


@pytest.mark.parametrize("steps", [[], ["a"], ["a", "a"], ["a"] * 7, "ab"])
def test_new_visit_refuses_bad_steps(steps):
    with pytest.raises(ValidationFailed):
        followups.new_visit("v", steps)


def test_new_visit():
    assert followups.new_visit("v", ("a", "b", "a")) == {"id": "v", "steps": ["a", "b", "a"],
                                                       "step": 0}
