"""An application's SLA clock, and when its SLA checks fall due.

The working-day arithmetic is ``sla`` (pure); this module feeds it the application's state
changes and the stored calendar, and writes the instants at which the application will cross
each warning threshold into the hour buckets ``sla_sweep`` reads (``store.schedule_log``).
"""
from datetime import timedelta

from services.common import clock as clk
from services.permits import catalogue, sla, store


def changes(app):
    """``[(at, state)]`` for ``sla.clock`` (stored as objects: FerretDB has no nested arrays)."""
    return [(c["at"], c["state"]) for c in app["changes"]]


def status(ctx, app, now=None, calendar=None):
    """The application's ``sla.SlaStatus`` at ``now`` (default: the clock's now)."""
    return sla.clock(changes(app), app["terms"]["sla_working_days"],
                     now or ctx.now(), calendar or catalogue.working_calendar(ctx))


def schedule(ctx, app, now):
    """Put the instants at which the application will cross each threshold it has not
    crossed yet into the hour buckets the sweep reads (checked again when due)."""
    calendar = catalogue.working_calendar(ctx)
    n = app["terms"]["sla_working_days"]
    current = sla.clock(changes(app), n, now, calendar)
    if current.mode != "running" or current.due_at is None:
        return
    for threshold in sla.WARNING_THRESHOLDS:
        if threshold in current.thresholds_crossed:
            continue
        at = current.due_at if threshold == 100 else crossing(
            changes(app), n, calendar, threshold, now, current.due_at)
        store.log_append(ctx.db, store.schedule_log(at), {
            "application_id": app["_id"], "at": clk.iso(at), "threshold": threshold})


def crossing(state_changes, n, calendar, threshold, start, end):
    """The first minute in ``[start, end]`` at which ``threshold`` percent of the SLA is used
    (bisection: ``percent_used`` only grows while the clock runs)."""
    lo, hi = start, end
    while hi - lo > timedelta(minutes=1):
        mid = lo + (hi - lo) / 2
        if sla.clock(state_changes, n, mid, calendar).percent_used >= threshold:
            hi = mid
        else:
            lo = mid
    return hi
