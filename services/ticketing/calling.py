"""The calling rule: which waiting ticket a counter calls next.

Tickets are in one of two classes: *priority* (a named group the rule lists: ``lansia``
elderly, ``disabilitas``, ``ibu_hamil`` pregnant, ``appointment`` booking check-in) and
*regular* (``priority_group`` None, or a group the rule does not list). The rule::

    {"priority_groups": ["lansia", "disabilitas", "ibu_hamil", "appointment"],
     "max_regular_passed_over": 3}          # None = priority always first

1. Priority tickets come before regular ones.
2. But a regular ticket already *passed over* ``max_regular_passed_over`` times is *due*: it
   joins the priority class, so it is never passed over again.
3. Within a class, by ``arrived_at`` (the arrival at the MPP, kept across transfers and visit
   steps), then ``_id`` so the order is total and stable.

A ticket is *passed over* when a ticket of its service that arrived after it is called while
it waits. ``count_passed_over`` computes that from the day's call log; a store may keep the
count instead (the candidate's ``passed_over`` field), the order only reads the number.
"""
from services.common.errors import ValidationFailed
from services.ticketing import states

PRIORITY_GROUPS = ("lansia", "disabilitas", "ibu_hamil", "appointment")
PRIORITY_LABELS = {
    "lansia": ("Lansia", "Elderly"),
    "disabilitas": ("Penyandang disabilitas", "Person with disability"),
    "ibu_hamil": ("Ibu hamil", "Pregnant woman"),
    "appointment": ("Janji temu (booking)", "Appointment (booking)"),
}
DEFAULT_RULE = {"priority_groups": list(PRIORITY_GROUPS), "max_regular_passed_over": 3}


def _rule(rule):
    return DEFAULT_RULE if rule is None else rule


def is_priority(ticket, rule=None):
    group = ticket.get("priority_group")
    return group is not None and group in _rule(rule).get("priority_groups", ())


def is_due(ticket, rule=None):
    """A regular ticket that may not be passed over again."""
    limit = _rule(rule).get("max_regular_passed_over")
    return (not is_priority(ticket, rule) and limit is not None
            and ticket.get("passed_over", 0) >= limit)


def order_key(ticket, rule=None):
    """Sort key: ``(class, arrived_at, _id)``; class 0 = priority or due, 1 = regular."""
    first = is_priority(ticket, rule) or is_due(ticket, rule)
    return (0 if first else 1, ticket["arrived_at"], str(ticket.get("_id", "")))


def order_candidates(candidates, rule=None):
    """The waiting tickets in the order a counter should try to claim them.

    ``candidates`` are dicts with ``_id``, ``service_id``, ``priority_group``, ``arrived_at``
    and ``passed_over`` (default 0), typically the oldest few of each class of every service
    the counter serves; the store claims them in this order until one claim succeeds.
    """
    return sorted(candidates, key=lambda t: order_key(t, rule))


def waiting_since(ticket):
    """When the ticket (re)joined its current queue."""
    return ticket.get("requeued_at") or ticket.get("issued_at") or ticket["arrived_at"]


def count_passed_over(ticket, calls):
    """How many times ``ticket`` was passed over, from call records
    ``{"service_id", "arrived_at", "called_at"}`` (the called tickets')."""
    since = waiting_since(ticket)
    return sum(1 for call in calls
               if call["service_id"] == ticket["service_id"]
               and call["called_at"] >= since
               and call["arrived_at"] > ticket["arrived_at"])


def with_passed_over(tickets, calls):
    """Copies of ``tickets`` with ``passed_over`` computed from ``calls``."""
    return [dict(t, passed_over=count_passed_over(t, calls)) for t in tickets]


def ahead_of(ticket, waiting, rule=None):
    """How many of ``waiting`` (same queue, the ticket itself may be included) are ordered
    before ``ticket``. O(n), no sort."""
    key = order_key(ticket, rule)
    own = ticket.get("_id")
    return sum(1 for other in waiting
               if other.get("_id") != own and order_key(other, rule) < key)


def override_record(ticket, counter, officer, reason, now, ordered=None):
    """Check a staff override (call this ticket, not the rule's next) and return its record.

    ``ordered`` is the counter's candidates in rule order (optional): the record then says
    which ticket the rule would have called and how many were ahead. The record is what the
    store keeps (an ``overrides`` collection or the ticket's history); it names no person
    other than the officer.
    """
    if not isinstance(reason, str) or len(reason.strip()) < 3:
        raise ValidationFailed(
            "Alasan wajib diisi / A reason is required",
            {"fields": {"reason": ["Shorter than minimum length 3."]}})
    if not isinstance(officer, str) or not officer:
        raise ValidationFailed("Petugas wajib diisi / Officer is required",
                               {"fields": {"officer": ["Missing data for required field."]}})
    states.ensure_can_call(counter, ticket["service_id"])
    states.transition(ticket["status"], "call")
    record = {
        "kind": "override_call",
        "ticket_id": ticket["_id"],
        "number": ticket.get("number"),
        "service_id": ticket["service_id"],
        "counter_id": counter["_id"],
        "officer": officer,
        "reason": reason.strip(),
        "at": now,
        "rule_next_ticket_id": None,
        "passed": 0,
    }
    if ordered:
        ids = [t["_id"] for t in ordered]
        record["rule_next_ticket_id"] = ids[0]
        record["passed"] = ids.index(ticket["_id"]) if ticket["_id"] in ids else len(ids)
    return record
