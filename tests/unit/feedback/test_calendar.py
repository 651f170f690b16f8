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
    copy = calendar.copy_of(dict(PERMITS_VIEW, event_id="e1", version=1), at)
    assert copy == {"_id": calendar.KEY, "days_off": ["2026-12-23", "2026-12-24"],
                    "working_days": ["2026-12-26"], "joint_holidays": False,
                    "occurred_at": at}


def test_a_fetched_copy_is_older_than_any_event():
    fetched = calendar.copy_of(PERMITS_VIEW)
    event = calendar.copy_of(PERMITS_VIEW, datetime(2000, 1, 1, tzinfo=UTC))
    assert calendar.newer(fetched, event) and not calendar.newer(event, fetched)
    assert calendar.newer(None, fetched)


def test_a_later_event_replaces_an_earlier_one_and_the_same_one_again_is_harmless():
    early = calendar.copy_of({}, datetime(2026, 12, 1, tzinfo=UTC))
    late = calendar.copy_of(PERMITS_VIEW, datetime(2026, 12, 2, tzinfo=UTC))
    assert calendar.newer(early, late) and not calendar.newer(late, early)
    assert calendar.newer(late, dict(late))
    # pymongo gives naive UTC datetimes back
    assert calendar.newer(dict(early, occurred_at=datetime(2026, 12, 1)), late)


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
