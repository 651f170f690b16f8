from datetime import date, datetime, timedelta, timezone

import pytest

from services.common.errors import Conflict
from services.common.workdays import WorkingCalendar
from services.ticketing import hours

UTC = timezone.utc
WIB = timedelta(hours=7)
HOURS = {d: ["07:30", "16:00"] for d in ("mon", "tue", "wed", "thu")}
HOURS["fri"] = [["07:30", "11:30"], ["13:00", "16:00"]]
HOURS["sat"] = ["08:00", "12:00"]
SERVICE = {"_id": "disdukcapil-ktp", "opening_hours": HOURS, "daily_quota": 3}


def wib(y, m, d, hh, mm):
    """A WIB wall-clock time as an aware UTC instant."""
    return datetime(y, m, d, hh, mm, tzinfo=UTC) - WIB


# 2026-11-30 is a Monday, 2026-11-27 a Friday, 2026-11-29 a Sunday
@pytest.mark.parametrize("moment,open_", [
    (wib(2026, 11, 30, 7, 29), False),
    (wib(2026, 11, 30, 7, 30), True),
    (wib(2026, 11, 30, 15, 59), True),
    (wib(2026, 11, 30, 16, 0), False),
    (wib(2026, 11, 27, 12, 0), False),   # Friday break
    (wib(2026, 11, 27, 13, 0), True),
    (wib(2026, 11, 28, 9, 0), True),     # Saturday morning
    (wib(2026, 11, 29, 10, 0), False),   # Sunday
])
def test_is_open_edges(moment, open_):
    assert hours.is_open(HOURS, moment) is open_


def test_closed_dates_close_a_whole_day():
    assert hours.is_open(HOURS, wib(2026, 11, 30, 9, 0), closed_dates=["2026-11-30"]) is False
    assert hours.is_open(HOURS, wib(2026, 11, 30, 9, 0), closed_dates=[date(2026, 12, 1)])


@pytest.mark.parametrize("now,expected", [
    (wib(2026, 11, 30, 7, 29), wib(2026, 11, 30, 7, 30)),
    (wib(2026, 11, 30, 16, 0), wib(2026, 12, 1, 7, 30)),
    (wib(2026, 11, 27, 11, 45), wib(2026, 11, 27, 13, 0)),   # after the Friday break
    (wib(2026, 11, 28, 12, 30), wib(2026, 11, 30, 7, 30)),   # Saturday afternoon -> Monday
    (wib(2026, 11, 29, 10, 0), wib(2026, 11, 30, 7, 30)),    # Sunday -> Monday
])
def test_next_opening(now, expected):
    assert hours.next_opening(HOURS, now) == expected


def test_next_opening_none_when_never_open():
    assert hours.next_opening({}, wib(2026, 11, 30, 9, 0)) is None


def test_local_text_in_both_languages():
    text = hours.local_text(wib(2026, 11, 30, 7, 30))
    assert text == {"id": "Senin, 30 November 2026 pukul 07.30 WIB",
                    "en": "Monday, 30 November 2026 at 07:30 WIB"}


@pytest.mark.parametrize("now,issued,allowed,reason,back", [
    (wib(2026, 11, 30, 7, 30), 0, True, None, None),
    (wib(2026, 11, 30, 7, 30), 2, True, None, None),
    (wib(2026, 11, 30, 7, 29), 0, False, "closed", wib(2026, 11, 30, 7, 30)),
    (wib(2026, 11, 30, 16, 0), 0, False, "closed", wib(2026, 12, 1, 7, 30)),
    (wib(2026, 11, 29, 10, 0), 0, False, "closed", wib(2026, 11, 30, 7, 30)),
    (wib(2026, 11, 30, 9, 0), 3, False, "quota", wib(2026, 12, 1, 7, 30)),
    (wib(2026, 11, 28, 9, 0), 5, False, "quota", wib(2026, 11, 30, 7, 30)),   # Sat -> Mon
    (wib(2026, 11, 29, 10, 0), 5, False, "closed", wib(2026, 11, 30, 7, 30)),  # closed first
])
def test_check_walk_in(now, issued, allowed, reason, back):
    decision = hours.check_walk_in(SERVICE, now, issued)
    assert (decision.allowed, decision.reason, decision.come_back_at) == (allowed, reason, back)


def test_ignore_opening_hours_bypasses_hours_not_quota():
    sunday = wib(2026, 11, 29, 22, 0)
    assert hours.check_walk_in(SERVICE, sunday, 0, ignore_opening_hours=True).allowed
    refused = hours.check_walk_in(SERVICE, sunday, 3, ignore_opening_hours=True)
    assert refused.reason == "quota"
    assert refused.come_back_at == wib(2026, 11, 30, 0, 0)   # next local midnight


def test_no_quota_means_unlimited():
    service = dict(SERVICE, daily_quota=None)
    assert hours.check_walk_in(service, wib(2026, 11, 30, 9, 0), 10_000).allowed


def test_refusal_message_and_error_carry_when_to_come_back():
    decision = hours.check_walk_in(SERVICE, wib(2026, 11, 29, 10, 0), 0)
    assert decision.message == (
        "Layanan sedang tutup. Silakan kembali Senin, 30 November 2026 pukul 07.30 WIB / "
        "The service is closed. Please come back Monday, 30 November 2026 at 07:30 WIB")
    slot = {"date": "2026-11-30", "slot_start": "07:30"}
    err = decision.to_error(next_booking_slot=slot)
    assert isinstance(err, Conflict)
    assert err.details == {
        "reason": "closed", "come_back_at": "2026-11-30T00:30:00Z",
        "come_back_local": decision.come_back_local, "next_booking_slot": slot}


def test_allowed_decision_is_not_an_error():
    with pytest.raises(ValueError):
        hours.check_walk_in(SERVICE, wib(2026, 11, 30, 9, 0), 0).to_error()


def test_never_open_refusal_has_no_come_back():
    decision = hours.check_walk_in({"opening_hours": {}, "daily_quota": None},
                                   wib(2026, 11, 30, 9, 0), 0)
    assert decision.reason == "closed" and decision.come_back_at is None
    assert decision.message == "Layanan sedang tutup / The service is closed"
    assert decision.to_error().details["come_back_at"] is None


def test_the_mpp_calendar_closes_holidays_and_days_off_not_weekends():
    d = date
    cal = WorkingCalendar(days_off=frozenset({"2026-12-24", "2026-12-26"}),
                          working_days=frozenset({"2026-12-31"}))
    assert d(2026, 8, 17) in cal                 # Hari Kemerdekaan (holidays.Indonesia)
    assert d(2026, 12, 24) in cal                # cuti bersama set by decree
    assert d(2026, 12, 26) in cal                # a Saturday off by decree
    assert d(2026, 12, 19) not in cal            # a plain Saturday: opening hours decide
    assert d(2026, 12, 23) not in cal
    hours_ = {"mon": ["07:30", "16:00"], "tue": ["07:30", "16:00"], "wed": ["07:30", "16:00"],
              "thu": ["07:30", "16:00"], "fri": ["07:30", "16:00"]}
    assert hours.intervals_on(hours_, d(2026, 8, 17), "Asia/Jakarta", cal) == []
    assert hours.intervals_on(hours_, d(2026, 8, 18), "Asia/Jakarta", cal)
