"""What an event from another service means to notifications. Pure functions, no I/O.

For every event we handle, ``read(event_type, event)`` returns a ``Fact``:

- ``reference``: what the message is about (ticket id, booking code, application id); the
  recipient and the domain state are stored under it;
- ``kind``: the message kind (template), or None when the event only changes state;
- ``key_fields``: the event as ``lifecycle.dedup_key`` wants it (``booking_id`` is the code);
- ``recipient``: the contact points when this event carries them (only ``ticket_contact_given``,
  ``booking_created`` and ``application_submitted`` do), else None;
- ``context``: template variables from this event; ``keep``: the part of it later messages
  about the same reference need (a permit's name for ``permit_issued``);
- ``state``: the domain state this event establishes (``{"status": "called", "call_seq": 2}``),
  ``closed``: the state is final (completed, cancelled, transferred): stored insert-only.
- ``ref``: what ``lifecycle.stale_reason`` compares (``call_seq`` of a call).
- ``agency``: the agency an application belongs to (its system may hear of it by webhook).

Permits' ``application_submitted`` carries ``application_id, tracking_code, contact {phone,
email}, language, permit_type_name`` and ``due_at`` (``due_date`` is read too when present).

``SUBSCRIPTIONS`` is the one list of the events the service handles: the service declares one
durable handler per row, named ``handler_name(event_type)``.
"""
from dataclasses import dataclass, field

from services.contracts import events as ev

TICKETING, PERMITS, FEEDBACK = ev.TICKETING, ev.PERMITS, ev.FEEDBACK

#: (source service, event type) pairs the service subscribes to.
SUBSCRIPTIONS = (
    (TICKETING, ev.TICKET_CONTACT_GIVEN), (TICKETING, ev.TICKET_NEAR_FRONT),
    (TICKETING, ev.TICKET_CALLED), (TICKETING, ev.TICKET_RECALLED),
    (TICKETING, ev.TICKET_SERVICE_STARTED), (TICKETING, ev.TICKET_SKIPPED),
    (TICKETING, ev.TICKET_COMPLETED), (TICKETING, ev.TICKET_CANCELLED),
    (TICKETING, ev.TICKET_TRANSFERRED),
    (TICKETING, ev.BOOKING_CREATED), (TICKETING, ev.BOOKING_CANCELLED),
    (PERMITS, ev.APPLICATION_SUBMITTED), (PERMITS, ev.APPLICATION_RETURNED),
    (PERMITS, ev.APPLICATION_STATUS_CHANGED), (PERMITS, ev.PERMIT_ISSUED),
    (PERMITS, ev.APPLICATION_SLA_WARNING), (PERMITS, ev.APPLICATION_PIN_REISSUED),
    (FEEDBACK, ev.SURVEY_INVITED),
)


def handler_name(event_type):
    """The handler's method name, part of its durable queue's name
    (``evt-<source>-<event>--notifications.<handler_name>``): never change it."""
    return "on_" + event_type


#: application states whose own event (``application_returned``, ``permit_issued``) tells the
#: citizen: the status change itself sends nothing, so nobody gets two messages for one step.
COVERED_STATES = {"returned", "issued"}

#: state ranks within one call: a later event never moves a ticket back.
TICKET_RANK = {"waiting": 0, "called": 1, "serving": 2, "skipped": 3}


@dataclass
class Fact:
    reference: str
    kind: str = None
    key_fields: dict = None
    recipient: dict = None
    language: str = None
    context: dict = field(default_factory=dict)
    keep: dict = field(default_factory=dict)
    state: dict = None
    closed: str = None
    ref: dict = field(default_factory=dict)
    source: str = None  # "ticket" | "booking" | "application"
    agency: str = None


def _contact(event):
    contact = event.get("contact") or {}
    if not isinstance(contact, dict):
        return {}
    return {k: contact.get(k) for k in ("phone", "email") if contact.get(k)}


def _ticket(event_type, event):
    tid = event["ticket_id"]
    fact = Fact(reference=tid, source="ticket", key_fields=event)
    number = event.get("number")
    if event_type == ev.TICKET_CONTACT_GIVEN:
        # ticketing's public ``ticket_issued`` plus the contact, announced only for a ticket
        # whose holder left one: the "your ticket" message (kind ``ticket_issued``)
        fact.kind = "ticket_issued"
        fact.recipient = _contact(event)
        fact.language = event.get("language")
        service_name = event.get("service_name") or event.get("service_id") or "-"
        fact.keep = {"number": number, "service_name": service_name}
        ahead = event.get("people_ahead", event.get("issued_ahead"))
        fact.context = dict(fact.keep, people_ahead="-" if ahead is None else ahead,
                            issued_at=event.get("occurred_at"))
        fact.state = {"status": "waiting", "call_seq": 0}
    elif event_type == ev.TICKET_NEAR_FRONT:
        fact.kind = "ticket_near_front"
        fact.context = {"number": number, "people_ahead": event.get("people_ahead")}
    elif event_type in (ev.TICKET_CALLED, ev.TICKET_RECALLED):
        fact.kind = "ticket_called"
        seq = int(event.get("call_seq") or 1)
        fact.key_fields = dict(event, call_seq=seq)
        fact.context = {"number": number,
                        "counter": event.get("counter_name") or event.get("counter_id")}
        fact.state = {"status": "called", "call_seq": seq}
        fact.ref = {"call_seq": seq}
    elif event_type == ev.TICKET_SERVICE_STARTED:
        fact.state = {"status": "serving"}
    elif event_type == ev.TICKET_SKIPPED:
        fact.state = {"status": "skipped"}
    elif event_type == ev.TICKET_COMPLETED:
        fact.closed = "completed"
    elif event_type == ev.TICKET_CANCELLED:
        fact.closed = "cancelled"
    elif event_type == ev.TICKET_TRANSFERRED:
        fact.closed = "transferred"
    return fact


def _booking(event_type, event):
    code = event["booking_code"]
    fact = Fact(reference=code, source="booking", key_fields=dict(event, booking_id=code),
                kind=event_type)
    fact.context = {"booking_code": code, "service_name": event.get("service_name"),
                    "slot_start": event.get("slot_start")}
    if event_type == ev.BOOKING_CREATED:
        fact.recipient = _contact(event)
        fact.language = event.get("language")
        fact.keep = {"service_name": event.get("service_name") or event.get("service_id")}
        fact.state = {"status": "booked"}
    else:
        fact.closed = "cancelled"
    return fact


def _application(event_type, event):
    aid = event["application_id"]
    fact = Fact(reference=aid, source="application", kind=event_type, key_fields=event,
                agency=event.get("agency"))
    fact.context = {"tracking_code": event.get("tracking_code"), "application_id": aid,
                    "agency_id": event.get("agency")}
    if event_type == ev.APPLICATION_SUBMITTED:
        fact.recipient = _contact(event)
        fact.language = event.get("language")
        fact.keep = {"permit_name": event.get("permit_type_name") or event.get("permit_type_id"),
                     "tracking_code": event.get("tracking_code")}
        fact.context.update(fact.keep, due_date=event.get("due_date") or event.get("due_at"),
                            submitted_at=event.get("occurred_at"))
    elif event_type == ev.APPLICATION_RETURNED:
        fact.context.update(reason=event.get("reason") or "-")
    elif event_type == ev.APPLICATION_STATUS_CHANGED:
        status = event.get("to") or event.get("status")
        fact.context.update(status=status)
        if status in COVERED_STATES:  # application_returned / permit_issued say it better
            fact.kind = None
    elif event_type == ev.PERMIT_ISSUED:
        fact.context.update(permit_number=event.get("permit_number"),
                            permit_name=event.get("permit_type_name"),
                            verify_url=event.get("verify_url"),
                            issued_at=event.get("occurred_at"))
    elif event_type == ev.APPLICATION_PIN_REISSUED:
        # to the contact given at filing (the event carries it again), the PIN in the text
        fact.recipient = _contact(event)
        fact.language = event.get("language")
        fact.context.update(pin=event.get("pin"))
    elif event_type == ev.APPLICATION_SLA_WARNING:
        fact.context.update(permit_name=event.get("permit_type_name"),
                            status=event.get("state"), due_at=event.get("due_at"),
                            threshold=event.get("threshold"),
                            working_days_left=event.get("remaining_working_days"))
    return fact


def _survey(event):
    """The feedback service's invitation: about a ticket or an application, whose recipient
    is stored under that same reference (from ``ticket_issued``/``application_submitted``)."""
    kind = event.get("reference_kind")
    return Fact(reference=event["reference"], kind="survey_invited", key_fields=event,
                source=kind if kind in ("ticket", "application") else None,
                agency=event.get("agency"),
                context={"survey_url": event["survey_url"],
                         "service_name": event.get("service_name")})


def read(event_type, event):
    if event_type == ev.SURVEY_INVITED:
        return _survey(event)
    if event_type.startswith("ticket_"):
        return _ticket(event_type, event)
    if event_type.startswith("booking_"):
        return _booking(event_type, event)
    return _application(event_type, event)


def newer(old, new):
    """True when ticket state ``new`` comes after ``old`` (call order first, then rank)."""
    if old is None:
        return True
    new = dict(new, call_seq=new.get("call_seq", old.get("call_seq")))
    key = lambda s: (int(s.get("call_seq") or 0), TICKET_RANK.get(s.get("status"), 0))  # noqa
    return key(new) > key(old)
