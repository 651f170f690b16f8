"""Opening hours and the daily walk-in quota: may a walk-in ticket be issued now?

Opening hours are per weekday in local time, as the catalogue writes them::

    {"mon": ["07:30", "16:00"], ..., "fri": [["07:30", "11:30"], ["13:00", "16:00"]]}

A day is either one ``[open, close]`` pair or a list of pairs (a break, e.g. Friday prayers);
a missing or empty day is closed. An interval is half-open: open at 07:30, closed at 16:00.
``closed_dates`` (local ``date`` objects or ``"YYYY-MM-DD"``, or the MPP calendar: public
holidays from the ``holidays`` package, *cuti bersama*, local closures) close whole days.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from babel.dates import format_datetime

from services.common import clock as clk
from services.common.errors import Conflict
from services.contracts.ticketing import WEEKDAYS

HORIZON_DAYS = 31


def parse_hhmm(text):
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def day_intervals(opening_hours, weekday):
    """The ``[(open, close), ...]`` local ``time`` pairs of a weekday (0 = Monday)."""
    spec = (opening_hours or {}).get(WEEKDAYS[weekday])
    if not spec:
        return []
    pairs = [spec] if isinstance(spec[0], str) else spec
    return sorted((parse_hhmm(a), parse_hhmm(b)) for a, b in pairs)


def _closed(local_date, closed_dates):
    """``closed_dates``: dates, ISO strings, or anything that answers ``in`` for a date (the
    MPP calendar, ``services.common.workdays.WorkingCalendar``)."""
    if not closed_dates:
        return False
    if isinstance(closed_dates, (list, tuple, set, frozenset)):
        return local_date in {date.fromisoformat(d) if isinstance(d, str) else d
                              for d in closed_dates}
    return local_date in closed_dates


def intervals_on(opening_hours, local_date, tz_name=None, closed_dates=()):
    """The opening intervals of a local date as ``[(start_utc, end_utc), ...]``."""
    if _closed(local_date, closed_dates):
        return []
    tz = clk.zone(tz_name)
    return [(clk.to_utc(datetime.combine(local_date, a, tzinfo=tz)),
             clk.to_utc(datetime.combine(local_date, b, tzinfo=tz)))
            for a, b in day_intervals(opening_hours, local_date.weekday())]


def is_open(opening_hours, now, tz_name=None, closed_dates=()):
    day = clk.local_day(now, tz_name)
    return any(start <= now < end
               for start, end in intervals_on(opening_hours, day, tz_name, closed_dates))


def next_opening(opening_hours, after, tz_name=None, closed_dates=(), horizon_days=HORIZON_DAYS):
    """The first opening instant (UTC) at or after ``after``, or None within the horizon."""
    day = clk.local_day(after, tz_name)
    for offset in range(horizon_days + 1):
        for start, _ in intervals_on(opening_hours, day + timedelta(days=offset), tz_name,
                                     closed_dates):
            if start >= after:
                return start
    return None


def next_local_midnight(moment, tz_name=None):
    day = clk.local_day(moment, tz_name) + timedelta(days=1)
    return clk.to_utc(datetime.combine(day, time(0, 0), tzinfo=clk.zone(tz_name)))


def local_text(moment, tz_name=None):
    """``{"id": "Senin, 30 November 2026 pukul 07.30 WIB", "en": "Monday, … at 07:30 WIB"}``."""
    local = moment.astimezone(clk.zone(tz_name))
    abbrev = local.tzname()
    return {
        "id": "{} {}".format(format_datetime(local, "EEEE, d MMMM y 'pukul' HH.mm", locale="id"),
                             abbrev),
        "en": "{} {}".format(format_datetime(local, "EEEE, d MMMM y 'at' HH:mm", locale="en"),
                             abbrev),
    }


@dataclass
class WalkInDecision:
    """``allowed`` or a refusal: ``reason`` is ``"closed"`` or ``"quota"``; ``come_back_at``
    (UTC, None when nothing opens within the horizon) and its local text in both languages."""

    allowed: bool
    reason: str = None
    come_back_at: datetime = None
    come_back_local: dict = field(default_factory=dict)
    message: str = ""

    def details(self, next_booking_slot=None):
        """JSON-ready refusal details; ``next_booking_slot`` is bookings.next_free_slot()."""
        return {
            "reason": self.reason,
            "come_back_at": clk.iso(self.come_back_at) if self.come_back_at else None,
            "come_back_local": self.come_back_local or None,
            "next_booking_slot": next_booking_slot,
        }

    def to_error(self, next_booking_slot=None):
        """The ``Conflict`` (409) the service raises for a refusal."""
        if self.allowed:
            raise ValueError("an allowed walk-in is not an error")
        return Conflict(self.message, self.details(next_booking_slot))


_MESSAGES = {
    "closed": ("Layanan sedang tutup", "The service is closed"),
    "quota": ("Kuota antrean hari ini sudah habis", "Today's walk-in quota is used up"),
}


def _refusal(reason, come_back_at, tz_name):
    id_text, en_text = _MESSAGES[reason]
    if come_back_at is None:
        return WalkInDecision(False, reason, None, {}, "{} / {}".format(id_text, en_text))
    when = local_text(come_back_at, tz_name)
    message = "{}. Silakan kembali {} / {}. Please come back {}".format(
        id_text, when["id"], en_text, when["en"])
    return WalkInDecision(False, reason, come_back_at, when, message)


def check_walk_in(service, now, issued_today, tz_name=None, ignore_opening_hours=False,
                  closed_dates=()):
    """May a walk-in ticket for ``service`` be issued at ``now``?

    ``service`` needs ``opening_hours`` and ``daily_quota`` (None = no quota);
    ``issued_today`` is the number of walk-in tickets already issued for its service day.
    ``ignore_opening_hours`` (``MPP_IGNORE_OPENING_HOURS``) skips the hours, never the quota.
    Closed is checked before quota. After the quota, come back at the first opening of a later
    day (or the next local midnight when hours are ignored).
    """
    hours = service.get("opening_hours") or {}
    if not ignore_opening_hours and not is_open(hours, now, tz_name, closed_dates):
        return _refusal("closed", next_opening(hours, now, tz_name, closed_dates), tz_name)
    quota = service.get("daily_quota")
    if quota is not None and issued_today >= quota:
        tomorrow = next_local_midnight(now, tz_name)
        back = tomorrow if ignore_opening_hours else next_opening(hours, tomorrow, tz_name,
                                                                  closed_dates)
        return _refusal("quota", back, tz_name)
    return WalkInDecision(True)
