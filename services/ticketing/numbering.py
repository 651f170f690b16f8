"""Ticket numbers and the MPP's *service day*.

A number is the service's prefix and a sequence that restarts every local day in the MPP's
zone (``A-001`` …), never at UTC midnight: 2026-11-27T16:59Z is still 27 November in WIB,
17:01Z is already the 28th. The day key is the ISO date string (``"2026-11-28"``) so a Mongo
document can carry it as a plain string and index it.
"""
from datetime import datetime, time, timedelta

from services.common import clock as clk


def service_day(moment, tz_name=None):
    """The local service day of an instant, as ``"YYYY-MM-DD"``."""
    return clk.local_day(moment, tz_name).isoformat()


def day_bounds(day, tz_name=None):
    """``(start, end)`` in UTC of a local day (``"YYYY-MM-DD"`` or ``date``): [start, end)."""
    if isinstance(day, str):
        day = datetime.strptime(day, "%Y-%m-%d").date()
    tz = clk.zone(tz_name)
    start = datetime.combine(day, time(0, 0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=tz)
    return clk.to_utc(start), clk.to_utc(end)


def ticket_number(prefix, seq):
    """``ticket_number("A", 1) == "A-001"``; past 999 it simply grows (``A-1000``)."""
    if not isinstance(seq, int) or seq < 1:
        raise ValueError("sequence numbers start at 1")
    return "{}-{:03d}".format(prefix, seq)
