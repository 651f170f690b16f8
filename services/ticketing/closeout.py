"""Day close-out: what is left open becomes ``not_served``, and personal data goes.

After a service day the queue keeps only what statistics need: statuses, timestamps, service,
agency, priority group, counter, numbers. Personal fields (a ticket's ``contact``; a booking's
``name``, ``phone`` and its pseudonymous ``nik_key``) are removed from every document of the
day, whatever its status. A store applies each entry as ``$set`` + ``$unset`` by ``_id``
(and deletes the day's anti-calo and seat claims).
"""
from services.ticketing import bookings, states

TICKET_PERSONAL = ("contact",)
BOOKING_PERSONAL = ("name", "phone", "nik_key")


def _day_done(doc, day):
    return doc.get("day") is not None and doc["day"] <= day


def ticket_close_out(tickets, day, now):
    """``[{"_id", "set": {...}, "unset": [fields]}]`` for tickets of ``day`` or earlier that
    are still open (-> ``not_served``) or still hold personal data."""
    plan = []
    for t in tickets:
        if not _day_done(t, day):
            continue
        changes = (states.apply_action(t, "close_out", now)
                   if t["status"] in states.OPEN_STATUSES else {})
        unset = [f for f in TICKET_PERSONAL if t.get(f) is not None]
        if changes or unset:
            plan.append({"_id": t["_id"], "set": changes, "unset": unset})
    return plan


def booking_close_out(booking_docs, day, now):
    """The same for bookings: ``booked`` -> ``missed``; personal fields removed."""
    plan = []
    for b in booking_docs:
        if not _day_done(b, day):
            continue
        changes = (bookings.booking_transition(b, "expire", now)
                   if b["status"] == bookings.BOOKED else {})
        unset = [f for f in BOOKING_PERSONAL if b.get(f) is not None]
        if changes or unset:
            plan.append({"_id": b["_id"], "set": changes, "unset": unset})
    return plan
