"""Delivery lifecycle of one message: statuses, retries, failover, dedup and expiry. Pure rules.

Statuses (GOV.UK Notify's, with ``expired`` tied to domain state)::

    created ──> sending ──> delivered
       │           ├──> temporary_failure ──┐  retry (same channel, after a TTL queue)
       │           ├──> technical_failure ──┤  or failover (next channel)
       │           ├──> permanent_failure ──┘  failover only (never the same channel again)
       └───────────┴──> expired   (the message went stale before it could be sent)

``sending`` means handed to the provider and waiting for its receipt (WhatsApp/SMS answer
"accepted"); a channel whose provider confirms synchronously (SMTP accepted the message, the
agency's webhook answered 2xx) goes straight to ``delivered``.

Failure classes (``channels.*`` map provider answers to them):

- ``temporary_failure``: the provider or the phone may accept later (HTTP 5xx/408/429, SMTP 4xx).
- ``permanent_failure``: this message will never go through this channel (HTTP 4xx, SMTP 5xx on
  the recipient/data): retrying is pointless, the next channel may work.
- ``technical_failure``: the problem is ours or the connection's (no answer: connection refused,
  DNS, timeout; HTTP 401/403: our credentials). Retried like a temporary failure, because a
  provider outage ends; the operator is alerted by counts per status.

Retries never sleep in a worker: ``decide`` names the retry tier, i.e. the TTL queue the
message goes to (``notifications.retry.25s`` …), which dead-letters it back to the work queue
when the TTL expires. Tiers are fixed per queue (RabbitMQ per-queue TTL), so the delays come
from a fixed schedule (5 s, 25 s, 125 s, 625 s: ×5, capped), not computed per message. When the
schedule is exhausted on the last channel the message is parked (``PARKING_QUEUE``) for an
operator to replay.
"""
from dataclasses import asdict, dataclass
from datetime import datetime, time, timedelta

from services.common import clock as clk
from services.common.errors import IllegalTransition
from services.notifications.preferences import EVENT_CLASS, REALTIME

CREATED = "created"
SENDING = "sending"
DELIVERED = "delivered"
TEMPORARY_FAILURE = "temporary_failure"
PERMANENT_FAILURE = "permanent_failure"
TECHNICAL_FAILURE = "technical_failure"
EXPIRED = "expired"

STATUSES = (CREATED, SENDING, DELIVERED, TEMPORARY_FAILURE, PERMANENT_FAILURE,
            TECHNICAL_FAILURE, EXPIRED)
FAILURES = (TEMPORARY_FAILURE, PERMANENT_FAILURE, TECHNICAL_FAILURE)
RETRYABLE = (TEMPORARY_FAILURE, TECHNICAL_FAILURE)
#: No way out of these.
TERMINAL = (DELIVERED, EXPIRED)

#: status -> statuses it may move to. A failure moves back to ``sending`` on a retry (retryable
#: failures) or a failover (any failure); the service decides which with ``decide``.
#: ``sending -> sending`` is a failover after a receipt never came.
TRANSITIONS = {
    CREATED: {SENDING, EXPIRED, PERMANENT_FAILURE},  # permanent_failure: no usable channel
    SENDING: {SENDING, DELIVERED, TEMPORARY_FAILURE, PERMANENT_FAILURE, TECHNICAL_FAILURE,
              EXPIRED},
    TEMPORARY_FAILURE: {SENDING, EXPIRED, DELIVERED},  # delivered: a late receipt
    TECHNICAL_FAILURE: {SENDING, EXPIRED},
    PERMANENT_FAILURE: {SENDING},  # failover to the next channel only
    DELIVERED: set(),
    EXPIRED: set(),
}

SERVICE = "notifications"
PARKING_QUEUE = "{}.parking".format(SERVICE)


def can_transition(old, new):
    return new in TRANSITIONS.get(old, ())


def transition(old, new):
    """``new`` if ``old -> new`` is allowed, else ``IllegalTransition``."""
    if not can_transition(old, new):
        raise IllegalTransition(
            "Status pesan tidak dapat berubah dari {0} ke {1} / "
            "Message status cannot change from {0} to {1}".format(old, new),
            {"from": old, "to": new})
    return new


# --- retries -------------------------------------------------------------------------------

def backoff_delays(base=5, factor=5, cap=625, retries=4):
    """``(5, 25, 125, 625)``: the TTL of each retry tier, in seconds."""
    return tuple(min(base * factor ** i, cap) for i in range(retries))


@dataclass(frozen=True)
class RetryPolicy:
    """``delays``: TTL per retry tier; attempts per channel = ``len(delays) + 1``.

    ``failover_first``: on a retryable failure move to the next channel at once and retry only
    on the last one (queue messages must arrive within seconds, not after 155 s of retries).
    """

    delays: tuple = backoff_delays()
    failover_first: bool = False

    @property
    def max_attempts(self):
        return len(self.delays) + 1


DEFAULT_POLICY = RetryPolicy()
REALTIME_POLICY = RetryPolicy(delays=backoff_delays(retries=2), failover_first=True)


def policy_for(event_kind):
    """Queue messages fail over at once; the rest retry on each channel before failing over."""
    return REALTIME_POLICY if EVENT_CLASS.get(event_kind) == REALTIME else DEFAULT_POLICY


def retry_queue_name(delay_s):
    return "{}.retry.{}s".format(SERVICE, int(delay_s))


def retry_tiers(*policies):
    """Every ``(delay_s, queue_name)`` the topology must declare, shortest first."""
    delays = sorted({d for p in (policies or (DEFAULT_POLICY, REALTIME_POLICY)) for d in p.delays})
    return [(d, retry_queue_name(d)) for d in delays]


@dataclass(frozen=True)
class RetryTier:
    tier: int       # 0-based index in the policy's delays
    delay_s: int
    queue: str


def retry_tier(attempts_made, policy=DEFAULT_POLICY):
    """The tier for the next retry after ``attempts_made`` attempts on a channel, or ``None``
    when the channel has had ``policy.max_attempts``."""
    if attempts_made < 1 or attempts_made >= policy.max_attempts:
        return None
    delay = policy.delays[attempts_made - 1]
    return RetryTier(attempts_made - 1, delay, retry_queue_name(delay))


# --- what next after an attempt --------------------------------------------------------------

DONE, AWAIT_RECEIPT, RETRY, FAILOVER, PARK, FAIL = (
    "done", "await_receipt", "retry", "failover", "park", "fail")


@dataclass(frozen=True)
class Decision:
    """``action``: ``done`` (delivered/expired), ``await_receipt`` (sending), ``retry`` (same
    channel via ``queue`` after ``delay_s``), ``failover`` (``channel`` now, attempt 1), ``park``
    (retryable failure, nothing left: ``PARKING_QUEUE``), ``fail`` (permanent, nothing left).
    ``status``: the message's status after the decision."""

    action: str
    status: str
    channel: str = None
    attempt: int = None
    delay_s: int = 0
    queue: str = None

    def as_dict(self):
        return asdict(self)


def next_channel(channel, channels):
    """The channel after ``channel`` in the plan's order, or ``None``."""
    try:
        index = list(channels).index(channel)
    except ValueError:
        return None
    return channels[index + 1] if index + 1 < len(channels) else None


def decide(status, channel, attempt, channels, policy=DEFAULT_POLICY):
    """What to do after attempt number ``attempt`` (1-based, on ``channel``) ended in ``status``
    (a ``SendResult.status``). ``channels`` is the plan's order."""
    if status in TERMINAL:
        return Decision(DONE, status, channel, attempt)
    if status == SENDING:
        return Decision(AWAIT_RECEIPT, SENDING, channel, attempt)
    if status not in FAILURES:
        raise ValueError("not an outcome: {!r}".format(status))
    following = next_channel(channel, channels)
    if status in RETRYABLE and not (policy.failover_first and following):
        tier = retry_tier(attempt, policy)
        if tier:
            return Decision(RETRY, status, channel, attempt + 1, tier.delay_s, tier.queue)
    if following:
        return Decision(FAILOVER, status, following, 1)
    if status in RETRYABLE:
        return Decision(PARK, status, channel, attempt, queue=PARKING_QUEUE)
    return Decision(FAIL, status, channel, attempt)


# --- receipts --------------------------------------------------------------------------------

#: How long to wait for a provider's delivery receipt before failing over. ``None``: the
#: channel confirms synchronously.
RECEIPT_TIMEOUT = {"whatsapp": timedelta(seconds=60), "sms": timedelta(minutes=5),
                   "email": None, "webhook": None}


def receipt_deadline(channel, sent_at):
    timeout = RECEIPT_TIMEOUT.get(channel)
    return clk.to_utc(sent_at) + timeout if timeout else None


def on_receipt_timeout(channel, channels):
    """No receipt in time: fail over (``sending -> sending`` on the next channel), or, with
    nothing left, end as ``temporary_failure``. Never resend on the same channel: the first
    message may still arrive, and the citizen must not get it twice."""
    following = next_channel(channel, channels)
    if following:
        return Decision(FAILOVER, SENDING, following, 1)
    return Decision(FAIL, TEMPORARY_FAILURE, channel)


_RECEIPTS = {
    "delivered": DELIVERED, "read": DELIVERED,
    "sent": SENDING, "accepted": SENDING, "queued": SENDING, "enroute": SENDING,
    "buffered": SENDING,
    "undelivered": TEMPORARY_FAILURE, "expired": TEMPORARY_FAILURE, "deferred": TEMPORARY_FAILURE,
    "failed": PERMANENT_FAILURE, "rejected": PERMANENT_FAILURE,
    "undeliverable": PERMANENT_FAILURE, "invalid": PERMANENT_FAILURE,
}


def receipt_status(provider_status):
    """A provider's receipt word (WhatsApp Cloud API, common SMS gateways) -> our status;
    unknown words -> ``None`` (keep the raw receipt, change nothing)."""
    if not isinstance(provider_status, str):
        return None
    return _RECEIPTS.get(provider_status.strip().lower())


# --- exactly once: dedup keys ----------------------------------------------------------------

#: event kind -> fields of the event that identify the fact, in order. A key repeats exactly
#: when the same fact is delivered again (redelivery, replay), never for a new fact: a ticket
#: called again (recall) has a new ``call_seq``; an application returned twice has a new
#: ``seq`` (its history step).
DEDUP_FIELDS = {
    "ticket_issued": ("ticket_id",),
    "ticket_near_front": ("ticket_id",),
    "ticket_called": ("ticket_id", "call_seq"),
    "booking_created": ("booking_id",),
    "booking_cancelled": ("booking_id",),
    "application_submitted": ("application_id",),
    "application_returned": ("application_id", "seq"),
    "application_status_changed": ("application_id", "seq"),
    "permit_issued": ("application_id",),
    "application_sla_warning": ("application_id", "threshold"),  # each threshold warns once
    "application_pin_reissued": ("application_id", "pin_generation"),
    "survey_invited": ("reference",),  # one invitation per ticket or application
    # to each supervisor (the recipient part) once per suspension of a connector
    "connector_suspended": ("connector", "suspended_at"),
}


def dedup_key(event_kind, event, recipient=None):
    """``"ticket_called:T-1:2"``; ``recipient`` (a role such as ``"agency:dpmptsp"``, never a
    phone number) is appended when one event notifies several recipients. ``KeyError`` if the
    event lacks a field: better no message than one sent twice."""
    try:
        fields = DEDUP_FIELDS[event_kind]
    except KeyError:
        raise KeyError("no dedup rule for event {}".format(event_kind))
    parts = [event_kind] + [str(event[f]) for f in fields]
    if recipient:
        parts.append(str(recipient))
    return ":".join(parts)


# --- expiry tied to domain state ------------------------------------------------------------

#: Messages about a ticket are worth sending only while the ticket is in one of these states.
FRESH_TICKET_STATES = {
    "ticket_issued": {"waiting"},
    "ticket_near_front": {"waiting"},
    "ticket_called": {"called"},
}
#: Messages about a booking, likewise.
FRESH_BOOKING_STATES = {"booking_created": {"booked", "confirmed"}}
TICKET_CALLED_TTL = timedelta(minutes=15)


def state_source(event_kind):
    """Which domain state a send attempt must look at first: ``"ticket"``, ``"booking"`` or
    ``None`` (application messages record facts that stay true)."""
    if event_kind in FRESH_TICKET_STATES:
        return "ticket"
    if event_kind in FRESH_BOOKING_STATES:
        return "booking"
    return None


def expires_at(event_kind, event, now, zone_name=None):
    """Hard expiry (aware UTC) regardless of state: queue messages die with the MPP's local day,
    ``ticket_called`` after ``TICKET_CALLED_TTL``, a booking confirmation at the slot start."""
    now = clk.to_utc(now)
    if event_kind == "ticket_called":
        return now + TICKET_CALLED_TTL
    if event_kind in FRESH_TICKET_STATES:
        tz = clk.zone(zone_name)
        midnight = datetime.combine(clk.local_day(now, zone_name) + timedelta(days=1), time(0),
                                    tzinfo=tz)
        return midnight.astimezone(clk.UTC)
    if event_kind == "booking_created" and event.get("slot_start"):
        slot = event["slot_start"]
        if isinstance(slot, str):
            slot = clk.parse(slot)
        return clk.to_utc(slot)
    return None


def stale_reason(event_kind, message_ref, domain_state, now=None, expiry=None):
    """Why a message must not be sent any more, or ``None`` to send it. Checked before every
    attempt (first, retry, failover).

    ``message_ref``: what the message was about, from its event (``{"call_seq": 2}`` for
    ``ticket_called``). ``domain_state``: the entity now (``{"status": "called",
    "call_seq": 2}``), ``{"status": "missing"}`` if it no longer exists, ``None`` if the kind
    needs no state. ``expiry``: the message's ``expires_at``.
    """
    if expiry is not None and now is not None and clk.to_utc(now) >= clk.to_utc(expiry):
        return "expired_at"
    fresh = FRESH_TICKET_STATES.get(event_kind) or FRESH_BOOKING_STATES.get(event_kind)
    if fresh is None or domain_state is None:
        return None
    status = domain_state.get("status")
    if status not in fresh:
        return "{}_{}".format(state_source(event_kind), status)
    if event_kind == "ticket_called":
        seq = (message_ref or {}).get("call_seq")
        current = domain_state.get("call_seq")
        if seq is not None and current is not None and int(seq) != int(current):
            return "ticket_recalled"
    return None
