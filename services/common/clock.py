"""Time: stored in UTC, read in the MPP's zone for anything a person sees as "a day".

Domain code takes a ``Clock`` (or a datetime) instead of calling ``datetime.now()`` so tests
control time. ``FixedClock`` is a real clock object, not a mock: tests move it forward.
"""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc
DEFAULT_ZONE = "Asia/Jakarta"


class Clock:
    """The system clock (UTC, timezone-aware)."""

    def now(self):
        return datetime.now(UTC)


class FixedClock(Clock):
    """A clock that only moves when told to."""

    def __init__(self, at):
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.at = at.astimezone(UTC)

    def now(self):
        return self.at

    def advance(self, **delta):
        self.at += timedelta(**delta)
        return self.at


def zone(name=None):
    return ZoneInfo(name or DEFAULT_ZONE)


def local_day(moment, tz_name=None) -> date:
    """The MPP's calendar day of an instant (ticket numbering, quotas reset at local midnight)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone(tz_name)).date()


def to_utc(moment):
    """Normalise to aware UTC. Naive datetimes (as pymongo returns them) are taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def iso(moment):
    """UTC ISO-8601 with a ``Z``, as every event and API response carries it. Cut to the
    millisecond the database keeps, so a time reads the same when it is made and when it is
    read back (``.638012`` would come back as ``.638000``)."""
    moment = to_utc(moment)
    moment = moment.replace(microsecond=moment.microsecond - moment.microsecond % 1000)
    return moment.isoformat().replace("+00:00", "Z")


def parse(text):
    """The inverse of ``iso``: an aware datetime from ISO-8601 with ``Z`` or an offset."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
