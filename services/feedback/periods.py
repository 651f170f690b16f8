"""The MPP-local day and month an instant belongs to: the keys every figure is filed
under. Pure functions, no I/O."""
from services.common import clock as clk


def when(moment, tz):
    """``{"day": "YYYY-MM-DD", "month": "YYYY-MM"}`` of ``moment`` in zone ``tz``."""
    day = clk.local_day(moment, tz)
    return {"day": day.isoformat(), "month": day.isoformat()[:7]}


def occurred(event):
    """The instant an event happened (its envelope's ``occurred_at``)."""
    return clk.parse(event["occurred_at"])
