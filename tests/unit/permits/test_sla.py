"""Working days and the SLA clock with real 2026 dates (Asia/Jakarta, UTC+7).

What ``holidays.Indonesia(years=2026)`` says (public): 1 Jan, 16 Jan, 17 Feb, 19 Mar (Nyepi),
21–22 Mar (Idul Fitri, a weekend), 3 Apr, 1 May, 14 May, 27 May, 31 May, 1 Jun, 16 Jun,
17 Aug (Mon), 25 Aug (Tue), 25 Dec. Its ``government`` category (cuti bersama): 16 Feb, 18 Mar,
20 Mar, 23–24 Mar, 15 May, 28 May, 24 Dec — applied only when listed as data.
"""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from services.permits import sla
from services.permits.sla import WorkingCalendar

WIB = ZoneInfo("Asia/Jakarta")


def wib(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=WIB)


def test_the_package_says_what_these_tests_assume():
    import holidays
    public = holidays.Indonesia(years=2026)
    for day in ("2026-01-01", "2026-03-19", "2026-03-21", "2026-08-17", "2026-08-25",
                "2026-12-25"):
        assert date.fromisoformat(day) in public
    for day in ("2026-03-20", "2026-03-23", "2026-12-24", "2026-03-07"):
        assert date.fromisoformat(day) not in public
    assert date(2026, 3, 20) in sla.suggested_days_off(2026)
    assert date(2026, 12, 24) in sla.suggested_days_off(2026)


CUTI = WorkingCalendar(days_off={"2026-03-20", "2026-03-23", "2026-03-24", "2026-12-24"})


@pytest.mark.parametrize("day,calendar,working", [
    (date(2026, 3, 2), None, True),               # Monday
    (date(2026, 3, 7), None, False),              # Saturday
    (date(2026, 3, 8), None, False),              # Sunday
    (date(2026, 8, 17), None, False),             # Independence Day
    (date(2026, 3, 19), None, False),             # Nyepi
    (date(2026, 3, 20), None, True),              # cuti bersama, not listed
    (date(2026, 3, 20), CUTI, False),             # cuti bersama listed as data
    (date(2026, 3, 20), WorkingCalendar(joint_holidays=True), False),
    (date(2026, 3, 7), WorkingCalendar(working_days={"2026-03-07"}), True),  # declared working
    (date(2026, 8, 17), WorkingCalendar(working_days={date(2026, 8, 17)}), True),
])
def test_is_working_day(day, calendar, working):
    assert sla.is_working_day(day, calendar) is working


@pytest.mark.parametrize("start,n,calendar,due", [
    # across a weekend: Tue 3, Wed 4, Thu 5, Fri 6, Mon 9
    (wib(2026, 3, 2, 10), 5, None, wib(2026, 3, 10)),
    # the filing day is free even when filed at 00:01; n = 0 is the end of that day
    (wib(2026, 3, 2, 0, 1), 1, None, wib(2026, 3, 4)),
    (wib(2026, 3, 2, 10), 0, None, wib(2026, 3, 3)),
    # weekend then Independence Day (Mon 17 Aug): Tue 18
    (wib(2026, 8, 14, 9), 1, None, wib(2026, 8, 19)),
    # Nyepi (19) and Idul Fitri weekend; cuti bersama not listed: Fri 20, Mon 23, Tue 24
    (wib(2026, 3, 18, 10), 3, None, wib(2026, 3, 25)),
    # the same with cuti bersama 20, 23, 24 March added by data: 25, 26, 27
    (wib(2026, 3, 18, 10), 3, CUTI, wib(2026, 3, 28)),
    # Christmas: cuti bersama 24 (data) and Christmas Day 25: Mon 28, Tue 29
    (wib(2026, 12, 23, 10), 2, CUTI, wib(2026, 12, 30)),
    # a Saturday the admin declared a working day
    (wib(2026, 3, 6, 10), 1, WorkingCalendar(working_days={"2026-03-07"}), wib(2026, 3, 8)),
    # across the year end: 31 Dec, (1 Jan holiday), Fri 2 Jan 2027
    (wib(2026, 12, 30, 10), 2, None, wib(2027, 1, 5)),
])
def test_add_working_days(start, n, calendar, due):
    result = sla.add_working_days(start, n, calendar)
    assert result == due
    assert result.tzinfo is not None and result.utcoffset() == timedelta(0)


def test_local_day_decides_not_utc():
    # 2026-03-01 18:00 UTC is Monday 2 March 01:00 in Jakarta: Monday is the filing day
    start = datetime(2026, 3, 1, 18, 0, tzinfo=timezone.utc)
    assert sla.add_working_days(start, 1) == datetime(2026, 3, 3, 17, 0, tzinfo=timezone.utc)
    # in Jayapura (UTC+9) the same instant is Monday 03:00 too, so due at Wed 00:00 WIT
    papua = WorkingCalendar(tz="Asia/Jayapura")
    assert sla.add_working_days(start, 1, papua) == datetime(2026, 3, 3, 15, 0,
                                                             tzinfo=timezone.utc)


def test_bad_inputs():
    with pytest.raises(ValueError):
        sla.add_working_days(datetime(2026, 3, 2, 10), 1)  # naive
    with pytest.raises(ValueError):
        sla.add_working_days(wib(2026, 3, 2), -1)
    with pytest.raises(ValueError):
        WorkingCalendar(days_off={"2026-03-07"}, working_days={"2026-03-07"})
    with pytest.raises(Exception):
        WorkingCalendar(tz="Mars/Olympus")


def test_working_days_between():
    # 13, 14, (15-16 weekend, 17 Independence Day), 18, 19, 20, 21, (22-23), 24
    assert sla.working_days_between(wib(2026, 8, 12, 10), wib(2026, 8, 24, 12)) == 7
    assert sla.working_days_between(wib(2026, 8, 14, 10), wib(2026, 8, 17, 23)) == 0


def test_calendar_round_trips_as_data():
    data = CUTI.to_dict()
    assert data["days_off"][0] == "2026-03-20"
    assert WorkingCalendar.from_dict(data) == CUTI


# --- the clock ---------------------------------------------------------------------------

NO_PAUSE = [(wib(2026, 3, 2, 10), "submitted"), (wib(2026, 3, 3, 9), "intake_check"),
            (wib(2026, 3, 3, 10), "accepted"), (wib(2026, 3, 3, 10, 5), "in_process")]

# filed Wed 12 Aug; returned Thu 13 Aug 11:00; the applicant fixes it Tue 18 Aug 14:00
# (the weekend and Independence Day fall in the pause), then the office works on.
RETURNED = [(wib(2026, 8, 12, 10), "submitted"), (wib(2026, 8, 13, 9), "intake_check"),
            (wib(2026, 8, 13, 11), "returned"), (wib(2026, 8, 18, 14), "resubmitted"),
            (wib(2026, 8, 19, 9), "intake_check"), (wib(2026, 8, 19, 10), "accepted"),
            (wib(2026, 8, 19, 10, 5), "in_process")]

D = date


@pytest.mark.parametrize("changes,n,now,mode,charged,used,due,crossed", [
    # no pause: the same due instant as add_working_days
    (NO_PAUSE, 5, wib(2026, 3, 2, 15), "running", [], 0.0, wib(2026, 3, 10), ()),
    (NO_PAUSE, 5, wib(2026, 3, 5, 12), "running", [D(2026, 3, 3), D(2026, 3, 4), D(2026, 3, 5)],
     2.5, wib(2026, 3, 10), (50,)),
    (NO_PAUSE, 5, wib(2026, 3, 9, 6), "running",
     [D(2026, 3, 3), D(2026, 3, 4), D(2026, 3, 5), D(2026, 3, 6), D(2026, 3, 9)], 4.25,
     wib(2026, 3, 10), (50, 80)),
    (NO_PAUSE, 5, wib(2026, 3, 10), "running",
     [D(2026, 3, 3), D(2026, 3, 4), D(2026, 3, 5), D(2026, 3, 6), D(2026, 3, 9)], 5.0,
     wib(2026, 3, 10), (50, 80, 100)),
    # paused: Thursday 13 was charged (running at its start); no due date while paused
    (RETURNED, 5, wib(2026, 8, 17, 12), "paused", [D(2026, 8, 13)], 1.0, None, ()),
    # resumed Tue 18 at 14:00: the 18th is free, Wed 19 … Mon 24 charged (not the weekend)
    (RETURNED, 5, wib(2026, 8, 24, 12), "running",
     [D(2026, 8, 13), D(2026, 8, 19), D(2026, 8, 20), D(2026, 8, 21), D(2026, 8, 24)], 4.5,
     wib(2026, 8, 25), (50, 80)),
    (RETURNED, 5, wib(2026, 8, 20, 12), "running",
     [D(2026, 8, 13), D(2026, 8, 19), D(2026, 8, 20)], 2.5, wib(2026, 8, 25), (50,)),
    # breached, Tue 25 (a holiday itself) at noon
    (RETURNED, 5, wib(2026, 8, 25, 12), "running",
     [D(2026, 8, 13), D(2026, 8, 19), D(2026, 8, 20), D(2026, 8, 21), D(2026, 8, 24)], 5.0,
     wib(2026, 8, 25), (50, 80, 100)),
    # a longer SLA: 3 days left on Mon 24 at noon -> Tue 25 is a holiday: 26, 27 -> due 28
    (RETURNED, 7, wib(2026, 8, 24, 12), "running",
     [D(2026, 8, 13), D(2026, 8, 19), D(2026, 8, 20), D(2026, 8, 21), D(2026, 8, 24)], 4.5,
     wib(2026, 8, 28), (50,)),
])
def test_clock(changes, n, now, mode, charged, used, due, crossed):
    status = sla.clock(changes, n, now)
    assert status.mode == mode
    assert list(status.charged_days) == charged
    assert status.working_days_used == pytest.approx(used)
    assert status.due_at == due
    assert status.thresholds_crossed == crossed
    assert status.percent_used == pytest.approx(used / n * 100)
    assert status.remaining_working_days == max(0, n - len(charged))


def test_without_the_pause_the_same_filing_would_have_been_due_earlier():
    straight = [(wib(2026, 8, 12, 10), "submitted"), (wib(2026, 8, 13, 9), "in_process")]
    # 13, 14, (15-16 weekend, 17 Independence Day), 18, 19, 20
    assert sla.clock(straight, 5, wib(2026, 8, 13, 12)).due_at == wib(2026, 8, 21)
    assert sla.add_working_days(wib(2026, 8, 12, 10), 5) == wib(2026, 8, 21)


def test_cuti_bersama_counts_in_the_clock():
    changes = [(wib(2026, 3, 18, 10), "submitted")]
    plain = sla.clock(changes, 3, wib(2026, 3, 18, 12))
    cuti = sla.clock(changes, 3, wib(2026, 3, 18, 12), CUTI)
    assert plain.due_at == wib(2026, 3, 25) and cuti.due_at == wib(2026, 3, 28)


def test_paused_periods_and_awaiting_payment():
    changes = [(wib(2026, 3, 2, 10), "submitted"), (wib(2026, 3, 3, 10), "in_process"),
               (wib(2026, 3, 3, 11), "approval_1"), (wib(2026, 3, 4, 10), "awaiting_payment"),
               (wib(2026, 3, 9, 15), "paid"), (wib(2026, 3, 10, 9), "issued")]
    status = sla.clock(changes, 5, wib(2026, 3, 12))
    # charged: Tue 3, Wed 4 (running at 00:00), Tue 10 (paid at 00:00); stopped after issue
    assert status.charged_days == (D(2026, 3, 3), D(2026, 3, 4), D(2026, 3, 10))
    assert status.paused_periods == ((wib(2026, 3, 4, 10).astimezone(timezone.utc),
                                      wib(2026, 3, 9, 15).astimezone(timezone.utc)),)
    assert status.mode == "stopped" and status.due_at is None
    assert status.working_days_used == pytest.approx(3.0)
    assert status.to_dict()["paused_periods"] == [["2026-03-04T03:00:00Z",
                                                   "2026-03-09T08:00:00Z"]]


def test_history_strings_and_future_changes():
    changes = [("2026-03-02T03:00:00Z", "submitted"), ("2026-03-20T03:00:00Z", "rejected")]
    status = sla.clock(changes, 5, wib(2026, 3, 4, 12))
    assert status.state == "submitted" and status.mode == "running"
    assert status.charged_days == (D(2026, 3, 3), D(2026, 3, 4))
    with pytest.raises(ValueError):
        sla.clock([], 5, wib(2026, 3, 4))
    with pytest.raises(ValueError):
        sla.clock([(datetime(2026, 3, 2), "submitted")], 5, wib(2026, 3, 4))
    with pytest.raises(ValueError):
        sla.clock([(wib(2026, 3, 2), "nowhere")], 5, wib(2026, 3, 4))


def test_new_warnings_and_dict():
    status = sla.clock(RETURNED, 5, wib(2026, 8, 24, 12))
    assert sla.new_warnings(status, [50]) == (80,)
    assert sla.new_warnings(status, [50, 80]) == ()
    data = status.to_dict()
    assert data["due_at"] == "2026-08-24T17:00:00Z"
    assert data["percent_used"] == 90.0 and data["breached"] is False


def test_changes_from_history():
    entries = [{"seq": 2, "at": "b", "to": "intake_check"}, {"seq": 1, "at": "a", "to": "x"}]
    assert sla.changes_from_history(entries) == [("a", "x"), ("b", "intake_check")]


def test_instant_reads_aware_iso_text_as_utc_and_refuses_naive_instants():
    assert sla.instant("2026-03-02T08:00:00+07:00") == datetime(2026, 3, 2, 1, 0,
                                                                tzinfo=timezone.utc)
    assert sla.instant(datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)) == \
        datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
    with pytest.raises(ValueError):
        sla.instant(datetime(2026, 3, 2, 1, 0))
