"""Indonesian working days in the MPP's time zone: one implementation for every deadline.

Moved here from ``services.permits.sla`` so that the permits SLA clock and the feedback
service's complaint response deadline (5 working days) count the same days.

A *working day* is a local date that is Monday–Friday, not a public holiday of
``holidays.Indonesia`` (the ``public`` category) and not one of the calendar's ``days_off``
(*cuti bersama* and other days off set by decree, which the admin edits as data), unless the
admin declared it a working day (``working_days`` wins over everything, e.g. a Saturday
designated as a working day to make up for a bridge holiday).

The package also knows the government's joint holidays (category ``government``);
``suggested_days_off(year)`` returns them so the admin can start the editable list from them.
They are not applied unless listed (or ``WorkingCalendar(joint_holidays=True)``): the decree,
not the package, is the authority, and it is revised during the year.

Due instant: ``add_working_days(start, n)`` counts the working days *after* the local day of
``start`` (the day of filing is free, as in "paling lama n hari kerja sejak diterima") and the
due instant is the end of the n-th of them: 00:00 local of the next day, returned in UTC.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from services.common import clock as clk

_DAY = timedelta(days=1)


@lru_cache(maxsize=64)
def _public_holidays(year):
    return dict(holidays.Indonesia(years=year))


@lru_cache(maxsize=64)
def _joint_holidays(year):
    return dict(holidays.Indonesia(years=year, categories=("government",)))


def suggested_days_off(year):
    """``{date: "Indonesian name / English name"}``: the package's *cuti bersama* for
    ``year``, a seed for the admin list, named the way server messages are (both halves)."""
    names = {lang: holidays.Indonesia(years=year, categories=("government",), language=lang)
             for lang in ("id", "en_US")}
    return {day: "{} / {}".format(names["id"][day], names["en_US"].get(day, names["id"][day]))
            for day in names["id"]}


def _as_date(value):
    if isinstance(value, datetime):
        raise TypeError("a date, not a datetime")
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)


@dataclass(frozen=True)
class WorkingCalendar:
    """The MPP's calendar. ``days_off``/``working_days`` are dates (or ISO strings)."""

    days_off: frozenset = frozenset()
    working_days: frozenset = frozenset()
    tz: str = clk.DEFAULT_ZONE
    joint_holidays: bool = False

    def __post_init__(self):
        object.__setattr__(self, "days_off", frozenset(_as_date(d) for d in self.days_off))
        object.__setattr__(self, "working_days",
                           frozenset(_as_date(d) for d in self.working_days))
        clk.zone(self.tz)  # an unknown zone fails here, not in the middle of a computation
        both = self.days_off & self.working_days
        if both:
            raise ValueError("dates both off and working: {}".format(sorted(both)))

    @classmethod
    def from_dict(cls, data):
        """From ``{"timezone", "days_off": [ISO], "working_days": [ISO], "joint_holidays"}``."""
        data = data or {}
        return cls(days_off=frozenset(data.get("days_off", ())),
                   working_days=frozenset(data.get("working_days", ())),
                   tz=data.get("timezone") or clk.DEFAULT_ZONE,
                   joint_holidays=bool(data.get("joint_holidays", False)))

    def to_dict(self):
        return {"timezone": self.tz, "days_off": sorted(d.isoformat() for d in self.days_off),
                "working_days": sorted(d.isoformat() for d in self.working_days),
                "joint_holidays": self.joint_holidays}

    def reason_off(self, day):
        """Why ``day`` is not a working day (``None`` when it is one)."""
        if day in self.working_days:
            return None
        if day in self.days_off:
            return "cuti bersama / day off by decree"
        name = _public_holidays(day.year).get(day)
        if name:
            return name
        if self.joint_holidays and day in _joint_holidays(day.year):
            return _joint_holidays(day.year)[day]
        if day.weekday() >= 5:
            return "akhir pekan / weekend"
        return None


    def closes(self, day):
        """Does the calendar close the MPP on ``day``: a public holiday, a joint holiday it
        applies or a day off by decree, and not declared a working day. Weekends are left to
        the opening hours (a service may open on Saturday)."""
        day = _as_date(day)
        reason = self.reason_off(day)
        return reason is not None and (day.weekday() < 5 or day in self.days_off
                                       or day in _public_holidays(day.year)
                                       or (self.joint_holidays
                                           and day in _joint_holidays(day.year)))

    def __contains__(self, day):
        """``day in calendar``: closed that day (``closes``), so a calendar can stand where
        a set of closed dates is taken."""
        return self.closes(day)


def is_working_day(day, calendar=None):
    """Is the local date ``day`` a working day in ``calendar``."""
    return (calendar or WorkingCalendar()).reason_off(_as_date(day)) is None


def _start_of(day, calendar):
    """00:00 local of ``day`` as an aware UTC datetime."""
    return clk.to_utc(datetime.combine(day, time(0), tzinfo=clk.zone(calendar.tz)))


def _local_day(instant, calendar):
    if instant.tzinfo is None:
        raise ValueError("an aware datetime is needed")
    return instant.astimezone(clk.zone(calendar.tz)).date()


def next_working_day(day, calendar=None):
    """The first working day strictly after ``day``."""
    calendar = calendar or WorkingCalendar()
    day = day + _DAY
    for _ in range(3660):
        if is_working_day(day, calendar):
            return day
        day += _DAY
    raise ValueError("no working day within ten years")


def add_working_days(start, n, calendar=None):
    """Due instant (aware, UTC): the end of the n-th working day after ``start``'s local day.

    ``n == 0`` gives the end of ``start``'s own local day.
    """
    calendar = calendar or WorkingCalendar()
    if not isinstance(n, int) or n < 0:
        raise ValueError("n must be a non-negative int")
    day = _local_day(start, calendar)
    for _ in range(n):
        day = next_working_day(day, calendar)
    return _start_of(day + _DAY, calendar)


def working_days_between(start, end, calendar=None):
    """Working days after ``start``'s local day up to and including ``end``'s local day."""
    calendar = calendar or WorkingCalendar()
    day, last, count = _local_day(start, calendar), _local_day(end, calendar), 0
    while day < last:
        day += _DAY
        count += is_working_day(day, calendar)
    return count
