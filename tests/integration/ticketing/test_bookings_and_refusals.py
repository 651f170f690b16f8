"""Bookings (anti-calo, capacity, check-in), refusals that offer the next slot, bad input."""
from datetime import datetime, timezone

import pytest

from services.common.errors import Conflict, NotFound, ValidationFailed
from services.ticketing import store
from tests.integration.ticketing.conftest import Harness

NIK = "6203011234567890"
PHONE = "0811-0000-0003"


def test_booking_anti_calo_capacity_and_check_in(harness, clock):
    rpc = harness.start()
    day = "2026-11-30"             # the harness clock: Monday 09:00 WIB
    booked = rpc.book("ktp", day, "10:00", "Siti Aminah", PHONE, nik=NIK)
    assert booked["status"] == "booked" and booked["slot_start"] == "2026-11-30T03:00:00Z"
    with pytest.raises(Conflict) as err:           # same NIK, same service, same day
        rpc.book("ktp", day, "11:00", "Siti A.", "0811-0000-0004", nik=NIK)
    assert err.value.details["reason"] == "one_booking_per_nik"
    assert rpc.book("kk", day, "11:00", "Siti Aminah", PHONE, nik=NIK)["status"] == "booked"
    rpc.book("ktp", day, "10:00", "Budi", "0811-0000-0005")          # the slot's 2nd seat
    with pytest.raises(Conflict):
        rpc.book("ktp", day, "10:00", "Rina", "0811-0000-0006")      # full
    slot = {s["local"]: s for s in rpc.availability("ktp", day)["slots"]}["10:00"]
    assert (slot["booked"], slot["free"], slot["bookable"]) == (2, 0, False)
    # the NIK is never stored, only its keyed hash
    stored = repr(list(harness.db.bookings.find())) + repr(list(harness.db.claims.find()))
    assert NIK not in stored
    created = harness.wait_events("booking_created", 3)
    assert created[0]["contact"] == {"phone": "+6281100000003"}
    assert NIK not in repr(created)

    regular = rpc.issue_ticket("ktp")
    with pytest.raises(Conflict) as err:
        rpc.check_in(booked["code"])                 # window opens at 09:30
    assert err.value.details["reason"] == "too_early"
    clock.advance(minutes=40)
    ticket = rpc.check_in(booked["code"].lower())    # typed in lower case
    assert ticket["priority_group"] == "appointment" and ticket["status"] == "waiting"
    again = rpc.check_in(booked["code"])             # a kiosk retrying after a timeout
    assert (again["id"], again["access_token"]) == (ticket["id"], ticket["access_token"])
    assert harness.db.tickets.count_documents({"booking_code": booked["code"]}) == 1
    rpc.open_counter("c1", "budi")
    assert rpc.call_next("c1", "budi")["id"] == ticket["id"]        # appointment first
    assert rpc.call_next("c1", "budi")["id"] == regular["id"]

    other = rpc.book("ktp", day, "13:00", "Dewi", "0811-0000-0007")
    with pytest.raises(NotFound):
        rpc.cancel_booking(other["code"], "0811-0000-0008")         # not the booker's phone
    assert rpc.cancel_booking(other["code"], "0811-0000-0007")["status"] == "cancelled"
    slot = {s["local"]: s for s in rpc.availability("ktp", day)["slots"]}["13:00"]
    assert slot["free"] == 2
    cancelled = harness.wait_events("booking_cancelled", 1)[0]
    assert cancelled["booking_code"] == other["code"] and "phone" not in repr(cancelled)


def test_closed_refusal_says_when_and_offers_the_next_slot(
        runner_factory, service_config, mongo_client, clock):
    clock.at = datetime(2026, 11, 29, 3, 0, tzinfo=timezone.utc)     # Sunday 10:00 WIB
    harness, rpc = hours_kept(runner_factory, service_config, mongo_client, clock)
    try:
        details = walk_in_refused_until(rpc, "2026-11-30T00:30:00Z")   # Monday 07:30 WIB
        assert "Senin" in details["come_back_local"]["id"]
        assert details["next_booking_slot"]["slot_start"] == "07:30"
        assert harness.db.tickets.count_documents({}) == 0
    finally:
        harness.stop()


def test_quota_refusal_is_exact_and_retries_still_answer(harness, clock):
    rpc = harness.start()                      # kk: daily_quota 2
    first = rpc.issue_ticket("kk", idempotency_key="kiosk-1")
    rpc.issue_ticket("kk")
    with pytest.raises(Conflict) as err:
        rpc.issue_ticket("kk")
    assert err.value.details["reason"] == "quota"
    assert err.value.details["next_booking_slot"] is not None
    assert harness.db.tickets.count_documents({"service_id": "kk"}) == 2
    assert rpc.issue_ticket("kk", idempotency_key="kiosk-1")["id"] == first["id"]


def test_bad_input_is_refused_with_field_messages_and_writes_nothing(harness):
    rpc = harness.start()
    cases = [
        (lambda: rpc.issue_ticket({"$gt": ""}), "service_id"),
        (lambda: rpc.issue_ticket("ktp", contact={"phone": "12"}), "contact"),
        (lambda: rpc.issue_ticket("ktp", priority_group="vip"), "priority_group"),
        (lambda: rpc.book("ktp", "2026-11-30", "10:00", "Siti", "hello"), "phone"),
        (lambda: rpc.book("ktp", "2026-11-30", "10:00", "Siti", PHONE, nik="123"), "nik"),
        (lambda: rpc.book("ktp", "2026-11-30", "10:07", "Siti", PHONE), "slot_start"),
        (lambda: rpc.call_next({"$gt": ""}, "budi"), "counter_id"),
        (lambda: rpc.open_counter("c1", {"$ne": None}), "officer"),
        (lambda: rpc.issue_visit(["ktp", "no-such"]), "steps"),
        (lambda: rpc.upsert_service({"id": "x", "agency": "capil", "prefix": "a1",
                                     "name": "X"}), "prefix"),
    ]
    for call, field in cases:
        with pytest.raises(ValidationFailed) as err:
            call()
        assert field in err.value.fields, (field, err.value.fields)
    with pytest.raises(NotFound):
        rpc.issue_ticket("no-such-service")
    with pytest.raises(NotFound):
        rpc.get_ticket("ktp:2026-11-30:000001", "guess")
    for collection in ("tickets", "lanes", "bookings", "claims", "transitions", "counter_state"):
        assert harness.db[collection].count_documents({}) == 0, collection


def test_statistics_and_close_out_keep_figures_drop_personal_data(harness, clock):
    rpc = harness.start()
    served, left = [rpc.issue_ticket("ktp", contact={"phone": PHONE}) for _ in range(2)]
    rpc.open_counter("c1", "budi")
    clock.advance(minutes=4)
    rpc.call_next("c1", "budi")
    rpc.start(served["id"], "c1", "budi")
    clock.advance(minutes=5)
    rpc.complete(served["id"], "c1", "budi")
    figures = rpc.day_statistics("2026-11-30")
    ktp = figures["services"]["ktp"]
    assert (ktp["issued"], ktp["served"]) == (2, 1)
    assert ktp["wait"]["avg_minutes"] == 4.0 and ktp["service_time"]["p90_minutes"] == 5.0
    closed = rpc.close_day("2026-11-30")
    assert closed["tickets_not_served"] == 1
    assert store.current_ticket(harness.db, left["id"])["status"] == "not_served"
    assert harness.db.contacts.count_documents({}) == 0
    assert PHONE.replace("-", "")[1:] not in repr(list(harness.db.tickets.find()))
    assert rpc.day_statistics("2026-11-30")["services"]["ktp"]["not_served"] == 1
    assert rpc.close_day("2026-11-30")["tickets_not_served"] == 0       # twice is harmless


def test_availability_says_what_booking_accepts(harness, clock):
    rpc = harness.start()                     # max_days_ahead: 30 (the default)
    last, beyond = "2026-12-30", "2026-12-31"
    assert any(s["bookable"] for s in rpc.availability("ktp", last)["slots"])
    assert rpc.book("ktp", last, "10:00", "Siti", PHONE)["status"] == "booked"
    slots = rpc.availability("ktp", beyond)["slots"]
    assert slots and not any(s["bookable"] for s in slots)
    with pytest.raises(ValidationFailed) as err:
        rpc.book("ktp", beyond, "10:00", "Siti", PHONE)
    assert "date" in err.value.fields


def hours_kept(runner_factory, service_config, mongo_client, clock, calendar=None):
    """Ticketing with opening hours kept, and (when given) the MPP calendar as permits
    announces it."""
    config = dict(service_config, MPP_IGNORE_OPENING_HOURS=0)
    harness = Harness(runner_factory, config, mongo_client, clock)
    rpc = harness.start()
    if calendar is not None:
        from nameko.standalone.events import event_dispatcher

        from services.contracts import events as ev
        dispatch = event_dispatcher(config)
        dispatch(ev.PERMITS, ev.CALENDAR_CHANGED, dict(
            calendar, event_id="cal-1", occurred_at="2026-11-01T00:00:00Z", version=1))
    return harness, rpc


def walk_in_refused_until(rpc, come_back_at):
    """A walk-in now is refused as closed: come back at ``come_back_at`` (UTC), and the first
    free booking slot is offered on that day."""
    with pytest.raises(Conflict) as err:
        rpc.issue_ticket("ktp")
    details = err.value.details
    assert details["reason"] == "closed"
    assert details["come_back_at"] == come_back_at
    assert details["next_booking_slot"]["date"] == come_back_at[:10]
    return details


def test_a_national_holiday_closes_issuing_and_booking_and_offers_the_next_open_slot(
        runner_factory, service_config, mongo_client, clock):
    clock.at = datetime(2026, 12, 25, 2, 0, tzinfo=timezone.utc)     # Christmas, Fri 09:00
    harness, rpc = hours_kept(runner_factory, service_config, mongo_client, clock)
    try:
        walk_in_refused_until(rpc, "2026-12-28T00:30:00Z")              # Monday 07:30 WIB
        assert rpc.availability("ktp", "2026-12-25")["slots"] == []
        assert rpc.availability("ktp", "2027-01-01")["slots"] == []  # New Year's Day
        with pytest.raises(Conflict) as err:
            rpc.book("ktp", "2027-01-01", "10:00", "Siti", PHONE)
        assert err.value.details["next_booking_slot"]["date"] == "2027-01-04"
        assert harness.db.tickets.count_documents({}) == 0
        assert harness.db.bookings.count_documents({}) == 0
    finally:
        harness.stop()


def test_days_off_of_the_mpp_calendar_close_the_mpp(
        runner_factory, service_config, mongo_client, clock):
    """A *cuti bersama* day set by the admin (permits announces ``calendar_changed``) closes
    issuing that day and its slots; a normal Monday after it is open."""
    harness, rpc = hours_kept(runner_factory, service_config, mongo_client, clock,
                                   {"days_off": ["2026-11-30", "2026-12-01"],
                                    "working_days": [], "joint_holidays": False})
    try:
        from tests.support import wait_for
        wait_for(lambda: rpc.availability("ktp", "2026-12-01")["slots"] == [],
                 message="the calendar copy is kept")
        walk_in_refused_until(rpc, "2026-12-02T00:30:00Z")              # on Monday 30 Nov
        assert rpc.availability("ktp", "2026-12-02")["slots"]
    finally:
        harness.stop()
