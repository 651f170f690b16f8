"""Working days and the SLA clock, in the MPP's time zone (default Asia/Jakarta).

Working days themselves (``WorkingCalendar``, ``add_working_days`` …) live in
``services.common.workdays`` (one calendar for every deadline in the suite) and are
re-exported here.

The SLA clock charges, one by one, the working days at whose start (00:00 local) the clock
was running, i.e. the application was in a ``running`` state (``workflow.clock_mode``). So the
day the clock (re)starts is free, and a day on which it pauses after midnight is charged. With no
pause this gives exactly ``add_working_days(filed_at, n)``. Progress within a charged day is
linear over its 24 hours, so ``percent_used`` grows smoothly and reaches 100 % at the due instant.
"""
from dataclasses import dataclass, field
from datetime import datetime

from services.common import clock as clk
from services.common.workdays import (  # noqa: F401  (the calendar, re-exported)
    _DAY, WorkingCalendar, _local_day, _start_of, add_working_days, is_working_day,
    next_working_day, suggested_days_off, working_days_between)
from services.permits import workflow

WARNING_THRESHOLDS = (50, 80, 100)


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


def instant(at):
    """An aware instant (ISO-8601 text or datetime) as UTC; naive instants fail loudly."""
    return _parse([(at, workflow.SUBMITTED)])[0][0]


def _parse(changes):
    items = []
    for at, state in changes:
        if isinstance(at, str):
            at = clk.parse(at)
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
