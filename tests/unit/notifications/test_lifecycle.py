from datetime import datetime, timedelta, timezone

import pytest

from services.common.errors import IllegalTransition
from services.notifications import lifecycle as lc

UTC = timezone.utc
NOW = datetime(2025, 3, 4, 3, 0, tzinfo=UTC)  # 10:00 WIB
ORDER = ["whatsapp", "sms", "email"]


@pytest.mark.parametrize("old,new", [
    ("created", "sending"), ("sending", "delivered"), ("sending", "temporary_failure"),
    ("sending", "permanent_failure"), ("sending", "technical_failure"), ("created", "expired"),
    ("temporary_failure", "sending"), ("technical_failure", "sending"),
    ("permanent_failure", "sending"), ("sending", "expired"), ("temporary_failure", "expired"),
])
def test_allowed_transitions(old, new):
    assert lc.transition(old, new) == new


@pytest.mark.parametrize("old,new", [
    ("delivered", "sending"), ("expired", "sending"), ("created", "delivered"),
    ("permanent_failure", "delivered"), ("delivered", "expired"), ("created", "bogus"),
])
def test_illegal_transitions_raise(old, new):
    with pytest.raises(IllegalTransition) as err:
        lc.transition(old, new)
    assert err.value.details == {"from": old, "to": new}


def test_terminal_statuses_lead_nowhere_and_every_status_has_a_row():
    assert set(lc.TRANSITIONS) == set(lc.STATUSES)
    for status in lc.TERMINAL:
        assert lc.TRANSITIONS[status] == set()


def test_backoff_is_exponential_and_capped():
    assert lc.backoff_delays() == (5, 25, 125, 625)
    assert lc.backoff_delays(retries=6, cap=1000) == (5, 25, 125, 625, 1000, 1000)
    assert lc.DEFAULT_POLICY.max_attempts == 5


def test_retry_tier_names_the_ttl_queue_and_stops_at_max_attempts():
    tiers = [lc.retry_tier(n) for n in range(1, 6)]
    assert [(t.tier, t.delay_s, t.queue) for t in tiers[:4]] == [
        (0, 5, "notifications.retry.5s"), (1, 25, "notifications.retry.25s"),
        (2, 125, "notifications.retry.125s"), (3, 625, "notifications.retry.625s")]
    assert tiers[4] is None
    assert lc.retry_tier(0) is None
    assert lc.retry_tiers() == [(5, "notifications.retry.5s"), (25, "notifications.retry.25s"),
                                (125, "notifications.retry.125s"),
                                (625, "notifications.retry.625s")]


def test_decide_delivered_and_sending():
    assert lc.decide("delivered", "sms", 1, ORDER).action == lc.DONE
    assert lc.decide("expired", "sms", 1, ORDER).action == lc.DONE
    assert lc.decide("sending", "whatsapp", 1, ORDER).action == lc.AWAIT_RECEIPT
    with pytest.raises(ValueError):
        lc.decide("created", "sms", 1, ORDER)


def test_temporary_failure_retries_on_the_same_channel_with_backoff():
    d = lc.decide("temporary_failure", "whatsapp", 1, ORDER)
    assert (d.action, d.channel, d.attempt, d.delay_s, d.queue) == (
        lc.RETRY, "whatsapp", 2, 5, "notifications.retry.5s")
    d = lc.decide("technical_failure", "whatsapp", 3, ORDER)
    assert (d.action, d.attempt, d.delay_s) == (lc.RETRY, 4, 125)


def test_exhausted_retries_fail_over_then_park():
    d = lc.decide("temporary_failure", "whatsapp", 5, ORDER)
    assert (d.action, d.channel, d.attempt) == (lc.FAILOVER, "sms", 1)
    d = lc.decide("temporary_failure", "email", 5, ORDER)
    assert (d.action, d.queue, d.status) == (lc.PARK, lc.PARKING_QUEUE, "temporary_failure")


def test_permanent_failure_fails_over_at_once_and_never_retries():
    d = lc.decide("permanent_failure", "whatsapp", 1, ORDER)
    assert (d.action, d.channel, d.attempt) == (lc.FAILOVER, "sms", 1)
    d = lc.decide("permanent_failure", "email", 1, ORDER)
    assert (d.action, d.status) == (lc.FAIL, "permanent_failure")


def test_queue_messages_fail_over_first_then_retry_on_the_last_channel():
    policy = lc.policy_for("ticket_called")
    assert policy.failover_first and lc.policy_for("booking_created") is lc.DEFAULT_POLICY
    d = lc.decide("temporary_failure", "whatsapp", 1, ["whatsapp", "sms"], policy)
    assert (d.action, d.channel) == (lc.FAILOVER, "sms")
    d = lc.decide("temporary_failure", "sms", 1, ["whatsapp", "sms"], policy)
    assert (d.action, d.channel, d.attempt, d.delay_s) == (lc.RETRY, "sms", 2, 5)
    d = lc.decide("temporary_failure", "sms", 3, ["whatsapp", "sms"], policy)
    assert d.action == lc.PARK


def test_no_receipt_in_time_fails_over_without_resending_on_the_same_channel():
    sent = NOW
    assert lc.receipt_deadline("whatsapp", sent) == sent + timedelta(seconds=60)
    assert lc.receipt_deadline("email", sent) is None
    d = lc.on_receipt_timeout("whatsapp", ORDER)
    assert (d.action, d.channel, d.status) == (lc.FAILOVER, "sms", "sending")
    assert lc.can_transition("sending", d.status)
    d = lc.on_receipt_timeout("email", ORDER)
    assert (d.action, d.status) == (lc.FAIL, "temporary_failure")


@pytest.mark.parametrize("word,status", [
    ("delivered", "delivered"), ("READ", "delivered"), ("sent", "sending"),
    ("failed", "permanent_failure"), ("undelivered", "temporary_failure"), ("weird", None),
    (None, None), ({"$gt": ""}, None),
])
def test_receipt_words(word, status):
    assert lc.receipt_status(word) == status


def test_dedup_keys_repeat_for_the_same_fact_only():
    event = {"event_id": "e1", "ticket_id": "T-1", "call_seq": 1}
    redelivered = dict(event, event_id="e2")
    assert lc.dedup_key("ticket_near_front", event) == "ticket_near_front:T-1"
    assert lc.dedup_key("ticket_called", event) == lc.dedup_key("ticket_called", redelivered) \
        == "ticket_called:T-1:1"
    assert lc.dedup_key("ticket_called", dict(event, call_seq=2)) == "ticket_called:T-1:2"
    assert lc.dedup_key("permit_issued", {"application_id": "A9"}, "citizen") == \
        "permit_issued:A9:citizen"
    with pytest.raises(KeyError):
        lc.dedup_key("ticket_called", {"ticket_id": "T-1"})
    with pytest.raises(KeyError):
        lc.dedup_key("unknown_event", event)


@pytest.mark.parametrize("status", ["called", "skipped", "cancelled", "completed", "serving",
                                    "missing"])
def test_near_front_is_stale_once_the_ticket_moved_on(status):
    assert lc.stale_reason("ticket_near_front", {}, {"status": status}) == "ticket_" + status


def test_near_front_is_fresh_while_waiting():
    assert lc.stale_reason("ticket_near_front", {}, {"status": "waiting"}) is None


def test_ticket_called_is_stale_after_a_recall_or_once_served():
    ref = {"call_seq": 1}
    assert lc.stale_reason("ticket_called", ref, {"status": "called", "call_seq": 1}) is None
    assert lc.stale_reason("ticket_called", ref, {"status": "called", "call_seq": 2}) == \
        "ticket_recalled"
    assert lc.stale_reason("ticket_called", ref, {"status": "serving", "call_seq": 1}) == \
        "ticket_serving"


def test_application_messages_never_go_stale_by_state():
    assert lc.state_source("permit_issued") is None
    assert lc.stale_reason("permit_issued", {}, {"status": "anything"}) is None


def test_hard_expiry():
    # queue messages die at the MPP's local midnight (17:00Z = 00:00 WIB)
    end = lc.expires_at("ticket_near_front", {}, NOW)
    assert end == datetime(2025, 3, 4, 17, 0, tzinfo=UTC)
    assert lc.stale_reason("ticket_near_front", {}, {"status": "waiting"}, now=end,
                           expiry=end) == "expired_at"
    assert lc.stale_reason("ticket_near_front", {}, {"status": "waiting"},
                           now=end - timedelta(seconds=1), expiry=end) is None
    assert lc.expires_at("ticket_called", {}, NOW) == NOW + lc.TICKET_CALLED_TTL
    assert lc.expires_at("booking_created", {"slot_start": "2025-03-05T02:30:00Z"}, NOW) == \
        datetime(2025, 3, 5, 2, 30, tzinfo=UTC)
    assert lc.expires_at("permit_issued", {}, NOW) is None
