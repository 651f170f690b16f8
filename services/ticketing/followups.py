"""Tickets that follow another: a transfer, and the next step of a multi-step visit.

A *visit* is one citizen's trip through several services in order (Samsat then Bank). It
rides on each of its tickets as ``{"id": "<visit id>", "steps": [service ids], "step": i}``.
When the ticket of step ``i`` completes, ``next_step_ticket`` gives the waiting ticket of step
``i + 1``. A transfer (``transferred_ticket``) gives a waiting ticket on another service.

Either way the new ticket keeps the citizen's place: ``arrived_at`` (what the calling rule
orders by), the priority group, language, contact and access token (the tracking link keeps
working). ``issued_at`` is now (when it joined the new queue: statistics measure the wait in
that queue from it). The store adds ``_id``, ``seq``, ``number`` and ``agency``, and uses
``idempotency_key`` so a retried completion or transfer never makes two tickets.
The ``appointment`` group belongs to the booked service only: a visit's next step drops it.
"""
from services.common.errors import ValidationFailed
from services.ticketing import numbering, states

MAX_STEPS = 6
CARRIED = ("arrived_at", "priority_group", "language", "contact", "access_token")


def new_visit(visit_id, steps):
    """The visit record for the first ticket; ``steps`` are service ids in order."""
    if not isinstance(steps, (list, tuple)) or not 2 <= len(steps) <= MAX_STEPS:
        raise ValidationFailed(
            "Kunjungan perlu 2 sampai {0} layanan / A visit needs 2 to {0} services".format(
                MAX_STEPS), {"fields": {"steps": ["Length must be between 2 and 6."]}})
    if any(a == b for a, b in zip(steps, steps[1:])):
        raise ValidationFailed(
            "Layanan yang sama berurutan / The same service twice in a row",
            {"fields": {"steps": ["Consecutive duplicate service."]}})
    return {"id": visit_id, "steps": list(steps), "step": 0}


def _follow(ticket, service_id, now, tz_name, **extra):
    doc = {key: ticket.get(key) for key in CARRIED}
    doc.update(service_id=service_id, status=states.WAITING, issued_at=now,
               day=numbering.service_day(now, tz_name), version=0, **extra)
    return doc


def next_step_ticket(ticket, now, tz_name=None):
    """The next step's waiting ticket fields, or None (no visit, or its last step).
    ``ticket`` must be completed."""
    if ticket.get("status") != states.COMPLETED:
        raise ValueError("only a completed ticket moves its visit on")
    visit = ticket.get("visit")
    if not visit or visit["step"] + 1 >= len(visit["steps"]):
        return None
    step = visit["step"] + 1
    doc = _follow(ticket, visit["steps"][step], now, tz_name,
                  visit=dict(visit, step=step), previous_ticket_id=ticket["_id"],
                  idempotency_key="visit:{}:{}".format(visit["id"], step))
    if doc["priority_group"] == "appointment":
        doc["priority_group"] = None
    return doc


def transferred_ticket(ticket, target_service_id, now, tz_name=None):
    """The waiting ticket on ``target_service_id`` that a transfer creates (the old ticket
    gets ``states.apply_action(..., "transfer", ...)``). A visit stays with the citizen."""
    return _follow(ticket, target_service_id, now, tz_name,
                   visit=ticket.get("visit"), transferred_from=ticket["_id"],
                   idempotency_key="transfer:{}:v{}".format(ticket["_id"],
                                                            ticket.get("version", 0) + 1))
