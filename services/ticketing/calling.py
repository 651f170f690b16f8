"""The calling rule: which waiting ticket a counter calls next.

Tickets are in one of two classes: *priority* (a named group the rule lists: ``lansia``
elderly, ``disabilitas``, ``ibu_hamil`` pregnant, ``appointment`` booking check-in) and
*regular* (``priority_group`` None, or a group the rule does not list). The rule, MPP-wide
with a per-service override (the catalogue's ``max_priority_in_row`` of a service)::

    {"priority_groups": ["lansia", "disabilitas", "ibu_hamil", "appointment"],
     "max_priority_in_row": 3}          # None = priority always first

**Priority tickets are called first, but after 3 priority calls in a row the next call
goes to the regular ticket that has waited longest.** Per service: priority tickets in the
order they joined; regular tickets by arrival at the MPP (kept across transfers, visit steps
and requeues). ``queue.next_class`` is the rule itself; call-next applies it to each
service's lane heads, and positions are computed from it (``queue``). Calls by name (a
staff override) do not count as calls in a row.

A counter serving several services calls, among each service's next ticket, the one the
rule puts first: a priority ticket or a regular one the rule says is due, then by arrival.
"""
from services.common.errors import ValidationFailed
from services.ticketing import queue, states
from services.contracts.ticketing import PRIORITY_GROUPS  # noqa: F401

PRIORITY_LABELS = {
    "lansia": ("Lansia", "Elderly"),
    "disabilitas": ("Penyandang disabilitas", "Person with disability"),
    "ibu_hamil": ("Ibu hamil", "Pregnant woman"),
    "appointment": ("Janji temu (booking)", "Appointment (booking)"),
}
DEFAULT_RULE = {"priority_groups": list(PRIORITY_GROUPS), "max_priority_in_row": 3}


def _rule(rule):
    return DEFAULT_RULE if rule is None else rule


def is_priority(ticket, rule=None):
    group = ticket.get("priority_group")
    return group is not None and group in _rule(rule).get("priority_groups", ())


def priority_limit(service, rule=None):
    """The service's ``max_priority_in_row``: its own when the catalogue sets one (None
    included: priority always first), else the MPP's."""
    if "max_priority_in_row" in service:
        return service["max_priority_in_row"]
    return _rule(rule).get("max_priority_in_row")


def service_next(heads, streak, limit):
    """The ticket a service calls next and whether it goes first among services:
    ``(ticket, lane, first)`` or None. ``heads``: ``{lane: ticket}`` of its lanes' live
    heads; ``streak``: its priority calls in a row."""
    regular = min((lane for lane in (queue.RETURNED, queue.NEW) if lane in heads),
                  key=lambda lane: queue.regular_key(heads[lane]), default=None)
    cls = queue.next_class(streak, limit, queue.PRIORITY in heads, regular is not None)
    if cls is None:
        return None
    if cls == queue.PRIORITY:
        return heads[queue.PRIORITY], queue.PRIORITY, True
    due = queue.PRIORITY in heads
    return heads[regular], regular, due


def choose(nexts):
    """Among each service's next ``(ticket, lane, first)``, the one a counter calls."""
    return min(nexts, key=lambda x: (0 if x[2] else 1,) + queue.regular_key(x[0]))


def override_record(ticket, counter, officer, reason, now):
    """Check a staff override (call this ticket, not the rule's next) and return its record:
    what the ticket's transition claim keeps (its history); it names no person other than
    the officer."""
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
    }
    return record
