"""Working days and the SLA clock, in the MPP's time zone (default Asia/Jakarta).

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

The SLA clock charges, one by one, the working days at whose start (00:00 local) the clock
was running, i.e. the application was in a ``running`` state (``workflow.clock_mode``). So the
day the clock (re)starts is free, and a day on which it pauses after midnight is charged. With no
pause this gives exactly ``add_working_days(filed_at, n)``. Progress within a charged day is
linear over its 24 hours, so ``percent_used`` grows smoothly and reaches 100 % at the due instant.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from services.common import clock as clk
from services.permits import workflow

WARNING_THRESHOLDS = (50, 80, 100)
_DAY = timedelta(days=1)


@lru_cache(maxsize=64)
def _public_holidays(year):
    return dict(holidays.Indonesia(years=year))


@lru_cache(maxsize=64)
def _joint_holidays(year):
    return dict(holidays.Indonesia(years=year, categories=("government",)))


def suggested_days_off(year):
    """``{date: name}``: the package's *cuti bersama* for ``year``, a seed for the admin list."""
    return dict(_joint_holidays(year))


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


@dataclass(frozen=True)
class SlaStatus:
    sla_working_days: int
    state: str
    mode: str                      # running | paused | stopped
    working_days_used: float       # charged working days, the current one pro rata
    charged_days: tuple            # the local dates charged so far
    paused_periods: tuple          # ((from, to | None), …) aware UTC datetimes
    remaining_working_days: int    # whole charged days still available (never negative)
    due_at: datetime = None        # None while paused or stopped before breaching
    percent_used: float = 0.0
    thresholds_crossed: tuple = field(default_factory=tuple)

    @property
    def breached(self):
        return self.percent_used >= 100

    def to_dict(self):
        return {
            "sla_working_days": self.sla_working_days,
            "state": self.state,
            "mode": self.mode,
            "working_days_used": round(self.working_days_used, 2),
            "charged_days": [d.isoformat() for d in self.charged_days],
            "paused_periods": [[clk.iso(a), clk.iso(b) if b else None]
                               for a, b in self.paused_periods],
            "remaining_working_days": self.remaining_working_days,
            "due_at": clk.iso(self.due_at) if self.due_at else None,
            "percent_used": round(self.percent_used, 1),
            "thresholds_crossed": list(self.thresholds_crossed),
            "breached": self.breached,
        }


def _parse(changes):
    items = []
    for at, state in changes:
        if isinstance(at, str):
            at = datetime.fromisoformat(at.replace("Z", "+00:00"))
        if at.tzinfo is None:
            raise ValueError("history instants must be aware")
        workflow.kind(state)  # unknown states fail loudly
        items.append((clk.to_utc(at), state))
    if not items:
        raise ValueError("the history is empty")
    items.sort(key=lambda item: item[0])
    return items


def clock(changes, sla_working_days, now, calendar=None):
    """The SLA status at ``now`` from the state changes ``[(at, state), …]``.

    ``at`` are aware datetimes or ISO strings (history entries' ``at``); the first change is
    the filing. Changes after ``now`` are ignored.
    """
    calendar = calendar or WorkingCalendar()
    now = clk.to_utc(now)
    items = [(at, state) for at, state in _parse(changes) if at <= now]
    if not items:
        raise ValueError("nothing happened before now")
    intervals = [(at, items[i + 1][0] if i + 1 < len(items) else None, workflow.clock_mode(st))
                 for i, (at, st) in enumerate(items)]
    current = items[-1][1]
    mode = workflow.clock_mode(current)

    charged, paused = [], []
    for start, end, interval_mode in intervals:
        if interval_mode == "paused":
            paused.append((start, end))
        if interval_mode != "running":
            continue
        stop = end or now
        day = _local_day(start, calendar) + _DAY
        while _start_of(day, calendar) < stop:
            if is_working_day(day, calendar):
                charged.append(day)
            day += _DAY

    used = 0.0
    for day in charged:
        begun = _start_of(day, calendar)
        used += min(1.0, max(0.0, (now - begun) / _DAY))
    n = sla_working_days
    remaining = max(0, n - len(charged))
    if n > 0:
        percent = used / n * 100
    else:
        percent = 100.0 if charged else 0.0
    due = None
    if len(charged) >= n and n > 0:
        due = _start_of(charged[n - 1] + _DAY, calendar)
    elif mode == "running":
        due = add_working_days(now, remaining, calendar)
    crossed = tuple(t for t in WARNING_THRESHOLDS if percent >= t)
    return SlaStatus(sla_working_days=n, state=current, mode=mode, working_days_used=used,
                     charged_days=tuple(charged), paused_periods=tuple(paused),
                     remaining_working_days=remaining, due_at=due, percent_used=percent,
                     thresholds_crossed=crossed)


def new_warnings(status, already_sent):
    """Thresholds crossed and not yet warned about (for ``application_sla_warning``)."""
    return tuple(t for t in status.thresholds_crossed if t not in set(already_sent or ()))


def changes_from_history(entries):
    """``[(at, to)]`` from history entries (``history.new_entry`` dicts)."""
    return [(e["at"], e["to"]) for e in sorted(entries, key=lambda e: e["seq"])]
