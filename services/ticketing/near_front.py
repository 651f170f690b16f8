"""``ticket_near_front``: after each call, tell the tickets now within ``near_front_position``
of the front, once each (the claim ``near:<ticket_id>`` decides). A per-lane hint remembers
how far the scan has looked, so a call reads one or two entries, not the lane.

``announce`` takes ``ctx``: the service worker (``db``, ``events``, ``tails``).
"""
from services.contracts import events as ev
from services.ticketing import eta, queue, store


def announce(ctx, service_id, day, rules):
    threshold = rules.get("near_front_position")
    if not threshold:
        return
    win = store.windows(ctx.db, service_id, day, ctx.tails)
    for lane in queue.LANES:
        head_n = win[lane][0]
        start, last, before = queue.near_front_range(
            win, lane, threshold, store.near_front_seen(ctx.db, service_id, day, lane))
        for n in range(start, last + 1):
            ticket = store.entry_at(ctx.db, service_id, day, lane, n)
            ahead = n - head_n + before
            if (ticket is not None and eta.near_front_due(ticket, ahead, threshold)
                    and store.claim(ctx.db, "near:" + ticket["_id"], day=day)):
                ctx.events(ev.TICKET_NEAR_FRONT, {
                    "ticket_id": ticket["_id"], "number": ticket["number"],
                    "service_id": service_id, "agency": ticket["agency"],
                    "people_ahead": ahead})
        if last >= start:
            store.near_front_looked(ctx.db, service_id, day, lane, last)
