"""The pure parts of ``services.common.calendar`` (the MPP calendar's local copy), which the
feedback service reads for complaint deadlines."""
from datetime import date, datetime, timezone

from services.common import calendar
from services.common.workdays import WorkingCalendar, is_working_day

UTC = timezone.utc
PERMITS_VIEW = {"timezone": "Asia/Jakarta", "days_off": ["2026-12-24", "2026-12-23"],
                "working_days": ["2026-12-26"], "joint_holidays": False,
                "suggested_days_off": {"2026-12-24": "Cuti Bersama Hari Raya Natal"}}


def test_a_copy_keeps_the_calendar_and_the_instant_it_describes():
    at = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    copy = calendar.copy_of(dict(PERMITS_VIEW, event_id="e1", version=1), at, "e1")
    assert copy == {"_id": "mpp_calendar:2026-12-01T03:00:00.000000Z:e1",
                    "days_off": ["2026-12-23", "2026-12-24"],
                    "working_days": ["2026-12-26"], "joint_holidays": False,
                    "occurred_at": at}


def test_copies_sort_by_the_instant_they_describe_and_a_fetched_one_first():
    fetched = calendar.copy_of(PERMITS_VIEW)
    ancient = calendar.copy_of(PERMITS_VIEW, datetime(1999, 1, 1, tzinfo=UTC), "e0")
    early = calendar.copy_of({}, datetime(2026, 12, 1, 9, 59, 59, 999999, tzinfo=UTC), "z")
    late = calendar.copy_of({}, datetime(2026, 12, 1, 10, 0, tzinfo=UTC), "a")
    ids = [c["_id"] for c in (fetched, ancient, early, late)]
    assert ids == sorted(ids)
    # the same event again is the same document
    assert calendar.copy_of({}, late["occurred_at"], "a")["_id"] == late["_id"]


def test_the_working_calendar_of_a_copy_is_in_the_readers_zone():
    cal = calendar.working_calendar(calendar.copy_of(PERMITS_VIEW), "Asia/Makassar")
    assert cal.tz == "Asia/Makassar"
    assert not is_working_day(date(2026, 12, 24), cal)  # day off by decree
    assert is_working_day(date(2026, 12, 26), cal)  # a Saturday made a working day
    assert is_working_day(date(2026, 12, 22), cal)


def test_no_copy_means_the_national_calendar():
    cal = calendar.working_calendar(None, "Asia/Jakarta")
    assert cal == WorkingCalendar(tz="Asia/Jakarta")
    assert not is_working_day(date(2026, 12, 25), cal)  # Christmas, a public holiday
    assert is_working_day(date(2026, 12, 24), cal)
