import hashlib
import hmac
from datetime import date, datetime, timedelta, timezone

import pytest

from services.common.errors import Conflict, IllegalTransition, ValidationFailed
from services.ticketing import bookings

UTC = timezone.utc
WIB = timedelta(hours=7)
NIK = "6203012345670001"
SERVICE = {
    "_id": "disdukcapil-ktp", "agency": "disdukcapil",
    "opening_hours": {"mon": ["07:30", "09:00"], "tue": ["07:30", "09:00"],
                      "fri": [["07:30", "08:30"], ["13:00", "13:45"]]},
    "booking": {"slot_minutes": 30, "capacity_per_slot": 2, "checkin_early_minutes": 30,
                "checkin_late_minutes": 15, "max_days_ahead": 14},
}
MONDAY = date(2026, 11, 30)


def wib(y, m, d, hh, mm):
    return datetime(y, m, d, hh, mm, tzinfo=UTC) - WIB


def test_slots_from_opening_hours():
    got = [(s["local"], s["start"], s["capacity"]) for s in bookings.slots(SERVICE, MONDAY)]
    assert got == [("07:30", wib(2026, 11, 30, 7, 30), 2), ("08:00", wib(2026, 11, 30, 8, 0), 2),
                   ("08:30", wib(2026, 11, 30, 8, 30), 2)]


def test_slots_fit_inside_each_interval():
    # Friday 13:00-13:45 holds one 30-minute slot, not two
    assert [s["local"] for s in bookings.slots(SERVICE, "2026-11-27")] == \
        ["07:30", "08:00", "13:00"]
    assert bookings.slots(SERVICE, "2026-11-29") == []   # Sunday


def test_availability_counts_and_past_slots():
    counts = {"2026-11-30T00:30:00Z": 2, "2026-11-30T01:00:00Z": 1}
    now = wib(2026, 11, 30, 7, 45)
    got = [(s["local"], s["booked"], s["free"], s["bookable"])
           for s in bookings.availability(SERVICE, MONDAY, counts, now)]
    assert got == [("07:30", 2, 0, False), ("08:00", 1, 1, True), ("08:30", 0, 2, True)]


def test_next_free_slot_skips_full_and_closed_days():
    full = {"2026-11-30T00:30:00Z": 2, "2026-11-30T01:00:00Z": 2, "2026-11-30T01:30:00Z": 2}
    asked = []

    def counts(day):
        asked.append(day)
        return full if day == "2026-11-30" else {}

    # Saturday evening: Sunday closed, Monday full -> Tuesday 07:30
    slot = bookings.next_free_slot(SERVICE, wib(2026, 11, 28, 18, 0), counts)
    assert slot == {"service_id": "disdukcapil-ktp", "date": "2026-12-01", "slot_start": "07:30",
                    "start": "2026-12-01T00:30:00Z", "end": "2026-12-01T01:00:00Z",
                    "local": {"id": "Selasa, 1 Desember 2026 pukul 07.30 WIB",
                              "en": "Tuesday, 1 December 2026 at 07:30 WIB"},
                    "free": 2}
    assert asked == ["2026-11-28", "2026-11-29", "2026-11-30", "2026-12-01"]


def test_next_free_slot_none_within_horizon():
    assert bookings.next_free_slot(dict(SERVICE, opening_hours={}), wib(2026, 11, 30, 7, 0),
                                   lambda day: {}) is None


def test_check_bookable():
    now = wib(2026, 11, 29, 10, 0)
    assert bookings.check_bookable(SERVICE, MONDAY, "08:00", now, 1)["local"] == "08:00"
    with pytest.raises(Conflict):
        bookings.check_bookable(SERVICE, MONDAY, "08:00", now, 2)
    with pytest.raises(ValidationFailed) as err:
        bookings.check_bookable(SERVICE, MONDAY, "08:15", now, 0)
    assert "slot_start" in err.value.fields
    with pytest.raises(ValidationFailed):   # past
        bookings.check_bookable(SERVICE, MONDAY, "07:30", wib(2026, 11, 30, 7, 30), 0)
    with pytest.raises(ValidationFailed) as err:   # beyond max_days_ahead
        bookings.check_bookable(SERVICE, date(2026, 12, 14), "07:30", now, 0)
    assert "date" in err.value.fields


def test_slot_claim_keys():
    assert bookings.slot_claim_keys("ktp", wib(2026, 11, 30, 8, 0), 2) == [
        "ktp:2026-11-30T01:00:00Z:1", "ktp:2026-11-30T01:00:00Z:2"]


def test_anti_calo_key_hashes_nik_with_salt():
    expected = hmac.new(b"s3cret", NIK.encode(), hashlib.sha256).hexdigest()
    key = bookings.anti_calo_key("disdukcapil-ktp", MONDAY, NIK, "s3cret")
    assert key == "disdukcapil-ktp:2026-11-30:" + expected
    assert NIK not in key
    assert bookings.anti_calo_key("disdukcapil-ktp", "2026-11-30", NIK, "s3cret") == key
    assert bookings.anti_calo_key("disdukcapil-ktp", MONDAY, NIK, "other") != key
    assert bookings.anti_calo_key("disdukcapil-kk", MONDAY, NIK, "s3cret") != key
    assert bookings.anti_calo_key("disdukcapil-ktp", "2026-12-01", NIK, "s3cret") != key


@pytest.mark.parametrize("nik,salt", [("620301234567000", "s"), ("62030123456700011", "s"),
                                      ("620301234567000X", "s"), (NIK, ""), (NIK, None),
                                      (6203012345670001, "s")])
def test_nik_hash_refuses(nik, salt):
    with pytest.raises(ValueError):
        bookings.nik_hash(nik, salt)


def test_new_booking_never_holds_the_nik():
    slot = bookings.slot_at(SERVICE, MONDAY, "08:00")
    now = wib(2026, 11, 29, 10, 0)
    doc = bookings.new_booking(SERVICE, MONDAY, slot, "Siti", "+6281100000001", "K7M4QX", now,
                               nik=NIK, salt="s3cret")
    assert NIK not in repr(doc)
    assert doc["nik_key"] == bookings.anti_calo_key(SERVICE["_id"], MONDAY, NIK, "s3cret")
    assert (doc["_id"], doc["status"], doc["day"], doc["slot_start"]) == \
        ("K7M4QX", "booked", "2026-11-30", wib(2026, 11, 30, 8, 0))
    without = bookings.new_booking(SERVICE, MONDAY, slot, "Siti", "+628110", "K7M4QY", now)
    assert without["nik_key"] is None


BOOKING = {"_id": "K7M4QX", "status": "booked", "slot_start": wib(2026, 11, 30, 8, 0),
           "version": 0}


@pytest.mark.parametrize("now,allowed,reason", [
    (wib(2026, 11, 30, 7, 29), False, "too_early"),
    (wib(2026, 11, 30, 7, 30), True, None),         # 30 min early
    (wib(2026, 11, 30, 8, 0), True, None),
    (wib(2026, 11, 30, 8, 15), True, None),         # 15 min late
    (wib(2026, 11, 30, 8, 16), False, "too_late"),
])
def test_check_in_window(now, allowed, reason):
    decision = bookings.check_in_decision(BOOKING, SERVICE, now)
    assert (decision.allowed, decision.reason) == (allowed, reason)


def test_too_early_says_when_to_come_back():
    decision = bookings.check_in_decision(BOOKING, SERVICE, wib(2026, 11, 30, 7, 0))
    assert decision.come_back_at == wib(2026, 11, 30, 7, 30)
    err = decision.to_error()
    assert isinstance(err, Conflict) and "07.30 WIB" in err.message and "07:30 WIB" in err.message
    assert err.details["come_back_at"] == "2026-11-30T00:30:00Z"


def test_check_in_window_is_configurable():
    service = dict(SERVICE, booking=dict(SERVICE["booking"], checkin_early_minutes=5,
                                         checkin_late_minutes=0))
    assert not bookings.check_in_decision(BOOKING, service, wib(2026, 11, 30, 7, 54)).allowed
    assert bookings.check_in_decision(BOOKING, service, wib(2026, 11, 30, 7, 55)).allowed
    assert not bookings.check_in_decision(BOOKING, service, wib(2026, 11, 30, 8, 1)).allowed


@pytest.mark.parametrize("status,action,new", [
    ("booked", "check_in", "checked_in"), ("booked", "cancel", "cancelled"),
    ("booked", "expire", "missed"),
])
def test_booking_transitions_allowed(status, action, new):
    now = wib(2026, 11, 30, 8, 0)
    changes = bookings.booking_transition(dict(BOOKING, status=status), action, now)
    assert changes == {"status": new, "version": 1, new + "_at": now}


@pytest.mark.parametrize("status", ["checked_in", "cancelled", "missed"])
@pytest.mark.parametrize("action", ["check_in", "cancel", "expire"])
def test_booking_transitions_refused(status, action):
    with pytest.raises(IllegalTransition):
        bookings.booking_transition(dict(BOOKING, status=status), action, wib(2026, 11, 30, 8, 0))


def test_cancelled_booking_cannot_check_in():
    with pytest.raises(IllegalTransition):
        bookings.check_in_decision(dict(BOOKING, status="cancelled"), SERVICE,
                                   wib(2026, 11, 30, 8, 0))
