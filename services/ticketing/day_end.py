"""The end of a service day: its statistics, and its close-out (what is left open becomes
``not_served``, bookings ``missed``, personal data goes; ``closeout`` plans it). The hourly
timer closes every past day not closed yet; closing a day twice changes nothing.

Every function takes ``ctx``: the service worker (``db``, ``clock``, ``config``, ``cache``).
"""
import logging
from datetime import date, timedelta

from services.ticketing import catalogue_reads, closeout, numbering, states, stats, store, views
from services.ticketing import schemas as sc

log = logging.getLogger(__name__)


def _day_arg(day, agency=None):
    data = sc.load(sc.DayQuerySchema, {"day": day, "agency": agency})
    return data["day"].isoformat() if data["day"] else None, data["agency"]


def day_statistics(ctx, day=None, agency=None):
    day, agency = _day_arg(day, agency)
    tz = catalogue_reads.tz(ctx)
    day = day or numbering.service_day(ctx.clock.now(), tz)
    result = stats.day_statistics(store.tickets_of_day(ctx.db, day, agency), tz)
    return dict(views.jsonable(result), day=day, agency=agency)


def close_day(ctx, day=None):
    """Close out a day (default: yesterday, local): open tickets become ``not_served``,
    bookings ``missed``, personal data (contacts, names, phones, NIK keys) removed, the
    day's seat and anti-calo claims deleted. Safe to run twice."""
    day, _ = _day_arg(day)
    now = ctx.clock.now()
    tz = catalogue_reads.tz(ctx)
    if day is None:
        day = (date.fromisoformat(numbering.service_day(now, tz)) - timedelta(days=1)).isoformat()
    closed = 0
    for item in closeout.ticket_close_out(store.tickets_of_day(ctx.db, day), day, now):
        ticket = store.current_ticket(ctx.db, item["_id"])
        if ticket["status"] not in states.OPEN_STATUSES:
            continue
        changes = states.apply_action(ticket, "close_out", now)
        if ticket["status"] == states.WAITING:
            store.note_leaving(ctx.db, ctx.tails, ticket)
        if store.claim_transition(ctx.db, ticket, changes, "close_out", now):
            closed += 1
    # contacts live apart from the insert-only tickets: the day's are deleted at once
    store.delete_contacts_until(ctx.db, day)
    missed = 0
    for item in closeout.booking_close_out(store.bookings_of_day(ctx.db, day), day, now):
        if item["set"]:
            missed += 1
        store.update_booking(ctx.db, item["_id"], item["set"], item["unset"])
    store.delete_day_claims(ctx.db, day)
    store.mark_day_closed(ctx.db, day, now)
    return {"day": day, "tickets_not_served": closed, "bookings_missed": missed}


def close_past_days(ctx):
    today = numbering.service_day(ctx.clock.now(), catalogue_reads.tz(ctx))
    for day in store.open_days_before(ctx.db, today):
        log.info("closing out a past day", extra={"entity": day})
        close_day(ctx, day)
