"""What a counter console shows: who waits for the counter's services today, in the order
call-next will call them, and the ticket the counter serves now (so a reloaded console finds
it).

Each row is what the officer needs to pick a ticket and nothing personal: the ticket's id
(to call it out of order), number, service, priority group, booked or walk-in, back in the
queue or not, when it arrived and ``ahead``: how many of its service will be called before
it (the same figure its holder is told; ``store.upcoming``, the calling rule applied to the
lanes as they are now). At most ``LIMIT`` rows per service, so the list costs the rows shown,
not the queue's length. Rows of several services are merged by ``ahead``, then arrival.

Every function takes ``ctx``: the service worker (``db``, ``clock``, ``cache``).
"""
from services.common.errors import NotFound
from services.ticketing import (catalogue_reads, issuing, numbering, queue, states, store,
                                views)
from services.ticketing import schemas as sc

LIMIT = 30           # rows per service: more than a console screen shows


def _row(ticket, service, ahead):
    return {"id": ticket["_id"], "number": ticket["number"], "service_id": service["_id"],
            "service_name": service.get("name"), "service_name_en": service.get("name_en"),
            "priority_group": ticket.get("priority_group"),
            "booked": bool(ticket.get("booking_code")),
            # back in the queue after a skip, a transfer or a visit's step
            "returned": ticket["queue_lane"] == queue.RETURNED or ticket.get("q", 0) > 0,
            "ahead": ahead,
            "waiting_since": views.iso(ticket.get("arrived_at") or ticket.get("issued_at"))}


def _current(ctx, counter):
    serving = store.serving_all(ctx.db).get(counter["_id"])
    if not serving:
        return None
    ticket = store.get_ticket(ctx.db, serving["ticket_id"])
    if (ticket is None or ticket["status"] not in (states.CALLED, states.SERVING)
            or ticket.get("counter_id") != counter["_id"]):
        return None
    try:
        service = catalogue_reads.service(ctx, ticket["service_id"])
    except NotFound:  # a service removed since: the number still identifies the ticket
        service = {"_id": ticket["service_id"]}
    return dict(views.public_ticket(ticket), service_name=service.get("name"),
                service_name_en=service.get("name_en"), counter_name=counter["name"])


def counter_waiting(ctx, counter_id):
    """``{counter, current, waiting}``: the counter with its live status, the ticket it calls
    or serves now (or None) and who waits for its services, in the order they will be
    called."""
    data = sc.load(sc.CounterRefSchema, {"counter_id": counter_id})
    counter = catalogue_reads.counter(ctx, data["counter_id"])
    day = numbering.service_day(ctx.clock.now(), catalogue_reads.tz(ctx))
    rules = catalogue_reads.rules(ctx)
    waiting = []
    for service_id in counter["services"]:
        try:
            service = catalogue_reads.service(ctx, service_id)
        except NotFound:
            continue
        lanes, streak = store.queue_now(ctx.db, service_id, day)
        upcoming = store.upcoming(ctx.db, lanes, streak,
                                  issuing.priority_limit(ctx, service, rules), LIMIT)
        waiting.extend(_row(ticket, service, ahead) for ahead, ticket in enumerate(upcoming))
    waiting.sort(key=lambda r: (r["ahead"], r["waiting_since"] or ""))
    return {"counter": catalogue_reads.public_counter(ctx, counter),
            "current": _current(ctx, counter), "waiting": waiting}
