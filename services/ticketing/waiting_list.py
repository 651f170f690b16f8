"""What a counter console shows: who waits for the counter's services today, in the order
the lanes hold them, and the ticket the counter serves now (so a reloaded console finds it).

Each row is what the officer needs to pick a ticket and nothing personal: the ticket's id
(to call it out of order), number, service, priority group, booked or walk-in and when it
joined the queue. The list walks each lane by ``_id`` from its head (``store.lane_walk``),
at most ``LIMIT`` live rows per lane, to the lane's end (the first missing entry: the tail
hints may lag), so its cost is the rows shown, not the queue's length.

Every function takes ``ctx``: the service worker (``db``, ``clock``, ``cache``).
"""
from services.common.errors import NotFound
from services.ticketing import catalogue_reads, numbering, queue, states, store, views
from services.ticketing import schemas as sc

LIMIT = 30           # live rows per lane and service: more than a console screen shows
MAX_PROBES = 300     # entries read per lane at most (live or dead)


def _row(ticket, service, lane):
    return {"id": ticket["_id"], "number": ticket["number"], "service_id": service["_id"],
            "service_name": service.get("name"), "service_name_en": service.get("name_en"),
            "priority_group": ticket.get("priority_group"),
            "booked": bool(ticket.get("booking_code")),
            # back in the queue after a skip, a transfer or a visit's step
            "returned": lane == queue.RETURNED or ticket.get("q", 0) > 0, "lane": lane,
            "waiting_since": views.iso(ticket.get("arrived_at") or ticket.get("issued_at"))}


def _lane_rows(ctx, service, day, lane, win):
    head_n = win[lane][0]
    rows = []
    for _, ticket in store.lane_walk(ctx.db, service["_id"], day, lane, head_n, MAX_PROBES):
        rows.append(_row(ticket, service, lane))
        if len(rows) >= LIMIT:
            break
    return rows


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
    or serves now (or None) and who waits for its services, priority lanes first, then
    returned tickets, then new ones, each in arrival order (the calling rule may still
    take a due regular ahead of a priority ticket)."""
    data = sc.load(sc.CounterRefSchema, {"counter_id": counter_id})
    counter = catalogue_reads.counter(ctx, data["counter_id"])
    day = numbering.service_day(ctx.clock.now(), catalogue_reads.tz(ctx))
    waiting = []
    for service_id in counter["services"]:
        try:
            service = catalogue_reads.service(ctx, service_id)
        except NotFound:
            continue
        win = store.windows(ctx.db, service_id, day)
        for lane in queue.LANES:
            waiting.extend(_lane_rows(ctx, service, day, lane, win))
    order = {lane: i for i, lane in enumerate(queue.LANES)}
    waiting.sort(key=lambda r: (order[r.pop("lane")], r["waiting_since"] or ""))
    return {"counter": catalogue_reads.public_counter(ctx, counter),
            "current": _current(ctx, counter), "waiting": waiting}
