"""The ticket and counter state machines: one table each, every change checked against it.

Ticket::

    waiting ──call──▶ called ──start──▶ serving ──complete──▶ completed
       ▲                │ ▲ recall (stays called)
       └──requeue── skipped ◀──skip──┘
    waiting/called/serving ──transfer──▶ transferred   (a new waiting ticket elsewhere)
    waiting/called/skipped ──cancel──▶ cancelled
    waiting/called/serving/skipped ──close_out──▶ not_served   (day close-out)

``apply_action`` returns the fields to ``$set`` (status, timestamps, counters) and bumps
``version``; ``transition_key`` (``"<ticket_id>:v<version>"``) is what a store inserts into a
unique index so that two writers racing on one ticket cannot both win (FerretDB's updates are
not atomic, inserts against a unique index are).

Counter: ``closed ──open(officer)──▶ open ──close──▶ closed``; calling at a closed counter, or
for a service the counter does not serve, is an ``IllegalTransition``.
"""
from services.common.errors import IllegalTransition, ValidationFailed
from services.contracts.messages import bilingual

WAITING, CALLED, SERVING, COMPLETED = "waiting", "called", "serving", "completed"
SKIPPED, TRANSFERRED, CANCELLED, NOT_SERVED = "skipped", "transferred", "cancelled", "not_served"
STATUSES = (WAITING, CALLED, SERVING, COMPLETED, SKIPPED, TRANSFERRED, CANCELLED, NOT_SERVED)
ACTIONS = ("call", "recall", "start", "complete", "skip", "requeue", "transfer", "cancel",
           "close_out")

#: status -> {action: new status}. Anything absent is illegal.
TRANSITIONS = {
    WAITING: {"call": CALLED, "transfer": TRANSFERRED, "cancel": CANCELLED,
              "close_out": NOT_SERVED},
    CALLED: {"recall": CALLED, "start": SERVING, "skip": SKIPPED, "transfer": TRANSFERRED,
             "cancel": CANCELLED, "close_out": NOT_SERVED},
    SERVING: {"complete": COMPLETED, "transfer": TRANSFERRED, "close_out": NOT_SERVED},
    SKIPPED: {"requeue": WAITING, "cancel": CANCELLED, "close_out": NOT_SERVED},
    COMPLETED: {}, TRANSFERRED: {}, CANCELLED: {}, NOT_SERVED: {},
}
TERMINAL = frozenset(s for s, actions in TRANSITIONS.items() if not actions)
OPEN_STATUSES = frozenset(STATUSES) - TERMINAL
#: actions an officer does at *the* counter that called the ticket
COUNTER_BOUND = frozenset({"recall", "start", "complete", "skip"})

STATUS_LABELS = {
    WAITING: ("menunggu", "waiting"), CALLED: ("sudah dipanggil", "called"),
    SERVING: ("sedang dilayani", "being served"), COMPLETED: ("selesai", "completed"),
    SKIPPED: ("dilewati", "skipped"), TRANSFERRED: ("dialihkan", "transferred"),
    CANCELLED: ("dibatalkan", "cancelled"), NOT_SERVED: ("tidak terlayani", "not served"),
}
ACTION_LABELS = {
    "call": ("memanggil", "call"), "recall": ("memanggil ulang", "recall"),
    "start": ("memulai layanan", "start serving"), "complete": ("menyelesaikan", "complete"),
    "skip": ("melewati", "skip"), "requeue": ("mengembalikan ke antrean", "return to the queue"),
    "transfer": ("mengalihkan", "transfer"), "cancel": ("membatalkan", "cancel"),
    "close_out": ("menutup hari untuk", "close out"),
}


def transition(status, action):
    """The status after ``action`` from ``status``, or ``IllegalTransition`` (409)."""
    if action not in ACTIONS:
        raise ValueError("unknown action {!r}".format(action))
    try:
        return TRANSITIONS[status][action]
    except KeyError:
        act_id, act_en = ACTION_LABELS[action]
        st_id, st_en = STATUS_LABELS.get(status, (status, status))
        raise IllegalTransition(
            "Tidak dapat {} tiket yang {} / Cannot {} a ticket that is {}".format(
                act_id, st_id, act_en, st_en),
            {"status": status, "action": action}) from None


def allowed_actions(status):
    return sorted(TRANSITIONS.get(status, {}))


def _seconds(later, earlier):
    if later is None or earlier is None:
        return None
    return round((later - earlier).total_seconds(), 3)


def apply_action(ticket, action, now, counter_id=None, officer=None, reason=None,
                 target_service_id=None):
    """Check ``action`` against ``ticket["status"]`` and return the fields to ``$set``.

    ``call`` needs ``counter_id``; counter-bound actions (recall/start/complete/skip) given a
    ``counter_id`` must come from the counter that called the ticket; ``transfer`` needs
    ``target_service_id``. ``called_at`` is the *first* call (statistics' wait);
    ``last_called_at`` moves with every call and recall.
    """
    new_status = transition(ticket["status"], action)
    if (action in COUNTER_BOUND and counter_id is not None
            and ticket.get("counter_id") not in (None, counter_id)):
        raise IllegalTransition(
            "Tiket ini dipanggil di loket lain / This ticket was called at another counter",
            {"counter_id": ticket.get("counter_id")})
    changes = {"status": new_status, "version": ticket.get("version", 0) + 1,
               "updated_at": now}
    if action == "call":
        if counter_id is None:
            raise ValueError("call needs a counter_id")
        changes.update(counter_id=counter_id, officer=officer, last_called_at=now,
                       called_at=ticket.get("called_at") or now,
                       calls=ticket.get("calls", 0) + 1)
    elif action == "recall":
        changes.update(last_called_at=now, recalls=ticket.get("recalls", 0) + 1)
    elif action == "start":
        changes.update(started_at=now, officer=officer or ticket.get("officer"))
    elif action == "complete":
        changes.update(completed_at=now,
                       service_seconds=_seconds(now, ticket.get("started_at")))
    elif action == "skip":
        changes.update(skipped_at=now, skips=ticket.get("skips", 0) + 1)
    elif action == "requeue":
        changes.update(requeued_at=now, counter_id=None, officer=None)
    elif action == "transfer":
        if not target_service_id:
            raise ValueError("transfer needs a target_service_id")
        if target_service_id == ticket.get("service_id"):
            raise ValidationFailed(
                "Tidak dapat mengalihkan ke layanan yang sama / Cannot transfer to the same "
                "service", {"fields": {"target_service_id": ["Same service."]}})
        changes.update(transferred_at=now, transferred_to=target_service_id,
                       transfer_reason=reason, transferred_by=officer)
    elif action == "cancel":
        changes.update(cancelled_at=now)
    elif action == "close_out":
        changes.update(closed_out_at=now)
    return changes


def transition_key(ticket_id, changes):
    """The unique claim key of one state change: ``"<ticket_id>:v<version>"``."""
    return "{}:v{}".format(ticket_id, changes["version"])


# -- counters --------------------------------------------------------------------------------

COUNTER_CLOSED, COUNTER_OPEN = "closed", "open"


def open_counter(counter, officer, now):
    """Fields to ``$set`` to open ``counter`` with ``officer``. Opening again by the same
    officer is a no-op (``{}``: a retried request); by another officer it is refused."""
    if not isinstance(officer, str) or not officer:
        raise ValidationFailed("Petugas wajib diisi / Officer is required",
                               {"fields": {"officer": [bilingual("Missing data for required field.")]}})
    if counter.get("status") == COUNTER_OPEN:
        if counter.get("officer") == officer:
            return {}
        raise IllegalTransition(
            "Loket sudah dibuka oleh petugas lain / Counter is already open by another officer",
            {"counter_id": counter.get("_id")})
    return {"status": COUNTER_OPEN, "officer": officer, "opened_at": now}


def close_counter(counter, now):
    if counter.get("status") != COUNTER_OPEN:
        raise IllegalTransition("Loket sudah tutup / Counter is already closed",
                                {"counter_id": counter.get("_id")})
    return {"status": COUNTER_CLOSED, "officer": None, "closed_at": now}


def ensure_can_call(counter, service_id=None):
    """Refuse a call at a closed counter, or for a service the counter does not serve."""
    if counter.get("status") != COUNTER_OPEN:
        raise IllegalTransition("Loket tutup / Counter is closed",
                                {"counter_id": counter.get("_id")})
    if service_id is not None and service_id not in counter.get("services", ()):
        raise IllegalTransition(
            "Loket ini tidak melayani layanan tersebut / This counter does not serve that service",
            {"counter_id": counter.get("_id"), "service_id": service_id})
