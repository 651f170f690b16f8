"""``ticket_near_front``: after each call, tell the tickets now within ``near_front_position``
of the front (at most that many will be called before them), once each: the claim
``near:<ticket_id>`` decides, and issuing takes it at once for a ticket that is already that
close when issued (its holder was just told).

``announce`` takes ``ctx``: the service worker (``db``, ``events``, ``tails``) and the service's
fairness limit; it reads the next few calls as call-next will make them (``store.upcoming``).
"""
from services.contracts import events as ev
from services.ticketing import store


def claim_key(ticket_id):
    return "near:" + ticket_id


def announce(ctx, service_id, day, rules, limit):
    threshold = rules.get("near_front_position")
    if not threshold:
        return
    lanes, streak = store.queue_now(ctx.db, service_id, day)
    for ahead, ticket in enumerate(store.upcoming(ctx.db, lanes, streak, limit,
                                                        threshold + 1)):
        if store.claim(ctx.db, claim_key(ticket["_id"]), day=day):
            ctx.events(ev.TICKET_NEAR_FRONT, {
                "ticket_id": ticket["_id"], "number": ticket["number"],
                "service_id": service_id, "agency": ticket["agency"],
                "people_ahead": ahead})
