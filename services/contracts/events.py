"""Event names, by the service that emits them (its ``<service>.events`` exchange), and the
fields each event carries.

Every event carries ``{event_id, occurred_at, version}`` (``Envelope``; built by
``services.common.events.envelope``) and is named for a fact that happened, in the past tense.
``PAYLOADS`` maps each name to a marshmallow schema of its payload: what a consumer may rely
on. The schemas describe; emitters do not load their events through them. Unknown fields are
kept (``INCLUDE``), so a consumer reading an event with them ignores what it does not know.

Personal data: only ``ticket_contact_given``, ``booking_created`` and ``application_submitted``
carry a contact, and only notifications handles them for it; every other event names the
ticket, booking or application alone.
"""
import marshmallow
from marshmallow import Schema, fields

TICKETING = "ticketing"
PERMITS = "permits"
FEEDBACK = "feedback"
STANDARDS = "standards"

# ticketing
TICKET_ISSUED = "ticket_issued"
TICKET_CONTACT_GIVEN = "ticket_contact_given"
TICKET_CANCELLED = "ticket_cancelled"
TICKET_NEAR_FRONT = "ticket_near_front"
TICKET_CALLED = "ticket_called"
TICKET_RECALLED = "ticket_recalled"
TICKET_SKIPPED = "ticket_skipped"
TICKET_SERVICE_STARTED = "ticket_service_started"
TICKET_COMPLETED = "ticket_completed"
TICKET_TRANSFERRED = "ticket_transferred"
COUNTER_OPENED = "counter_opened"
COUNTER_CLOSED = "counter_closed"
BOOKING_CREATED = "booking_created"
BOOKING_CANCELLED = "booking_cancelled"
#: an agency's state (onboarding or live) was set: permits keeps a copy to refuse filings
AGENCY_STATE_CHANGED = "agency_state_changed"

# permits
APPLICATION_SUBMITTED = "application_submitted"
APPLICATION_RETURNED = "application_returned"
APPLICATION_STATUS_CHANGED = "application_status_changed"
APPLICATION_SLA_WARNING = "application_sla_warning"
#: the applicant asked for a new PIN: it is sent to the contact given at filing
APPLICATION_PIN_REISSUED = "application_pin_reissued"
#: ``application_forwarded.<connector>``: one event name per connector (``forwarded_to``)
APPLICATION_FORWARDED = "application_forwarded"
PERMIT_ISSUED = "permit_issued"
PERMIT_REVOKED = "permit_revoked"
CALENDAR_CHANGED = "calendar_changed"
CONNECTOR_SUSPENDED = "connector_suspended"
#: permits heard a connector report itself suspended (once per suspension, whichever connector:
#: the kit's ``connector_suspended`` is on each connector's own exchange); notifications tells
#: the agencies' supervisors
CONNECTOR_SUSPENSION_REPORTED = "connector_suspension_reported"

# feedback
SURVEY_INVITED = "survey_invited"
COMPLAINT_RECEIVED = "complaint_received"
COMPLAINT_STATUS_CHANGED = "complaint_status_changed"

# standards
#: a service standard was adopted: permits and ticketing make its operative part the running
#: configuration (a new permit type version; a queue service's hours and service minutes)
STANDARD_ADOPTED = "standard_adopted"
#: an adopted standard was replaced by a newer version of the same subject
STANDARD_SUPERSEDED = "standard_superseded"


def forwarded_to(connector):
    """The name of the event that hands an application to ``connector``."""
    return "{}.{}".format(APPLICATION_FORWARDED, connector)


# -- payloads ----------------------------------------------------------------------------------

def _str(**kwargs):
    return fields.String(required=True, **kwargs)


def _opt(field=fields.String, **kwargs):
    return field(allow_none=True, load_default=None, **kwargs)


class Envelope(Schema):
    """What every event carries besides its payload."""

    class Meta:
        unknown = marshmallow.INCLUDE

    event_id = _str(metadata={"description": "unique; handlers skip an id seen before"})
    occurred_at = _str(metadata={"description": "UTC ISO-8601"})
    version = fields.Integer(required=True)


class Contact(Schema):
    phone = _opt(metadata={"description": "E.164"})
    email = _opt()


# ticketing

class TicketEvent(Envelope):
    """A ticket's state change at a counter (cancelled, started, skipped, completed ...)."""
    ticket_id = _str()
    number = _str(metadata={"description": "as shown to people, e.g. B-014"})
    service_id = _str()
    agency = _str()
    counter_id = _opt()


class TicketIssued(Envelope):
    ticket_id = _str()
    number = _str()
    service_id = _str()
    service_name = _opt()
    service_name_en = _opt()
    people_ahead = _opt(fields.Integer)
    agency = _str()
    priority_group = _opt()
    language = _str()


class TicketContactGiven(TicketIssued):
    """``ticket_issued``'s fields and the contact; notifications alone subscribes."""
    contact = fields.Nested(Contact, required=True)


class TicketNearFront(Envelope):
    ticket_id = _str()
    number = _str()
    service_id = _str()
    agency = _str()
    people_ahead = fields.Integer(required=True)


class TicketCalled(Envelope):
    """Also ``ticket_recalled``. ``override``: a staff call out of the rule's order."""
    ticket_id = _str()
    number = _str()
    service_id = _str()
    agency = _str()
    counter_id = _str()
    counter_name = _str()
    call_seq = fields.Integer(required=True)
    override = fields.Boolean()


class TicketSkipped(TicketEvent):
    returned_to_queue = fields.Boolean(required=True)


class TicketCompleted(TicketEvent):
    service_seconds = _opt(fields.Number)


class TicketTransferred(TicketEvent):
    to_service_id = _str()
    new_ticket_id = _str()
    new_number = _str()


class CounterOpened(Envelope):
    counter_id = _str()
    agency = _str()
    counter_name = _str()
    services = fields.List(fields.String(), required=True)


class CounterClosed(Envelope):
    counter_id = _str()
    agency = _str()
    counter_name = _str()


class BookingCreated(Envelope):
    booking_code = _str()
    service_id = _str()
    service_name = _str()
    agency = _str()
    slot_start = _str(metadata={"description": "UTC ISO-8601"})
    slot_local = _str()
    date = _str()
    contact = fields.Nested(Contact, required=True)
    language = _str()


class BookingCancelled(Envelope):
    booking_code = _str()
    service_id = _str()
    slot_start = _str()
    language = _str()


# permits

class ApplicationEvent(Envelope):
    application_id = _str()
    tracking_code = _str()


class SlaOutcome(Schema):
    """Present on a decision (issued, rejected, deemed approved) when the SLA was measurable."""
    sla_working_days = fields.Integer()
    sla_working_days_used = fields.Number()
    within_sla = fields.Boolean()


class ApplicationSubmitted(ApplicationEvent):
    agency = _str()
    permit_type_id = _str()
    permit_type_name = _opt()
    contact = fields.Nested(Contact, required=True)
    language = _str()
    due_at = _opt(metadata={"description": "the SLA's due time, UTC ISO-8601"})


class ApplicationPinReissued(ApplicationEvent):
    """Carries the new PIN: only notifications consumes it, to send it to ``contact``."""
    agency = _str()
    pin = _str()
    pin_generation = fields.Integer(required=True)
    contact = fields.Nested(Contact, required=True)
    language = _str()


class ApplicationStatusChanged(ApplicationEvent, SlaOutcome):
    """``from`` and ``to`` are workflow states; ``action`` the step taken."""
    agency = _str()
    permit_type_id = _str()
    language = _str()
    from_ = _str(data_key="from")
    to = _str()
    seq = fields.Integer(required=True)
    action = _str()


class ApplicationReturned(ApplicationEvent):
    seq = fields.Integer(required=True)
    reason = _opt()
    corrections = fields.List(fields.String(), required=True)


class ApplicationForwarded(ApplicationEvent):
    """``application_forwarded.<connector>``."""
    agency = _str()
    permit_type_id = _str()
    permit_type_version = fields.Integer(required=True)
    connector = _str()
    seq = fields.Integer(required=True)


class ApplicationSlaWarning(Envelope):
    application_id = _str()
    agency = _str()
    tracking_code = _str()
    permit_type_id = _str()
    permit_type_name = _opt()
    state = _str()
    threshold = fields.Raw(required=True, metadata={"description": "the share of the SLA used"})
    due_at = _opt()
    remaining_working_days = _opt(fields.Number)
    seq = fields.Integer(required=True)


class PermitIssued(ApplicationEvent, SlaOutcome):
    agency = _str()
    permit_type_id = _str()
    permit_type_name = _opt()
    permit_number = _str()
    verify_url = _str()
    language = _str()


class PermitRevoked(ApplicationEvent):
    permit_number = _opt()
    reason = _opt()


class CalendarChanged(Envelope):
    """The calendar as ``permits.get_calendar`` returns it."""
    timezone = _str()
    days_off = fields.List(fields.String(), required=True,
                           metadata={"description": "ISO dates off by decree (cuti bersama)"})
    working_days = fields.List(fields.String(), required=True,
                               metadata={"description": "ISO dates worked although a holiday"})
    joint_holidays = fields.Raw(required=True)
    suggested_days_off = fields.Dict(keys=fields.String(), values=fields.String())


class ConnectorSuspended(Envelope):
    connector = _str()
    application_id = _str()
    agency = _str()
    attempts = fields.Integer(required=True)
    error = _str()


class ConnectorSuspensionReported(Envelope):
    connector = _str(metadata={"description": "the connector (``webhook@dpmptsp`` for one "
                                              "agency of a connector that suspends per agency)"})
    agencies = fields.List(fields.String(), required=True,
                           metadata={"description": "the agencies whose applications wait"})
    suspended_at = _str()
    reason = _opt()


class AgencyStateChanged(Envelope):
    """``state``: ``onboarding`` (a new agency) or ``live`` (gone live); ``changed_at`` orders
    the changes (a copy keeps the latest)."""
    agency = _str()
    state = _str()
    changed_at = _str()


# feedback

class SurveyInvited(Envelope):
    reference = _str(metadata={"description": "the ticket id or application id"})
    reference_kind = _str(metadata={"description": "ticket or application"})
    agency = _str()
    service_id = _str()
    service_name = _opt()
    survey_url = _str()
    language = _opt()


class ComplaintReceived(Envelope):
    complaint_id = _str()
    agency = _str()
    kind = _str()
    due_at = _str()


class ComplaintStatusChanged(Envelope):
    complaint_id = _str()
    agency = _str()
    status = _str()


# standards

class StandardSubject(Schema):
    kind = _str(metadata={"description": "permit_type or queue_service"})
    id = _str(metadata={"description": "the permit type id or the queue service id"})


class StandardAdopted(Envelope):
    """``operative``: for a permit type ``{requirements: [{kind, name, name_en, required}],
    sla_working_days, fee}``; for a queue service ``{opening_hours (ticketing's shape),
    default_service_minutes}``. ``event_id`` is ``standard_adopted:<standard_id>``."""
    standard_id = _str()
    version = fields.Integer(required=True)
    agency = _str()
    subject = fields.Nested(StandardSubject, required=True)
    effective_from = _str(metadata={"description": "local date YYYY-MM-DD"})
    operative = fields.Dict(required=True)


class StandardSuperseded(Envelope):
    standard_id = _str()
    version = fields.Integer(required=True)
    agency = _str()
    subject = fields.Nested(StandardSubject, required=True)
    superseded_by = _str()


#: event name -> the schema of what it carries
PAYLOADS = {
    TICKET_ISSUED: TicketIssued,
    TICKET_CONTACT_GIVEN: TicketContactGiven,
    TICKET_CANCELLED: TicketEvent,
    TICKET_NEAR_FRONT: TicketNearFront,
    TICKET_CALLED: TicketCalled,
    TICKET_RECALLED: TicketCalled,
    TICKET_SKIPPED: TicketSkipped,
    TICKET_SERVICE_STARTED: TicketEvent,
    TICKET_COMPLETED: TicketCompleted,
    TICKET_TRANSFERRED: TicketTransferred,
    COUNTER_OPENED: CounterOpened,
    COUNTER_CLOSED: CounterClosed,
    BOOKING_CREATED: BookingCreated,
    BOOKING_CANCELLED: BookingCancelled,
    AGENCY_STATE_CHANGED: AgencyStateChanged,
    APPLICATION_SUBMITTED: ApplicationSubmitted,
    APPLICATION_RETURNED: ApplicationReturned,
    APPLICATION_STATUS_CHANGED: ApplicationStatusChanged,
    APPLICATION_SLA_WARNING: ApplicationSlaWarning,
    APPLICATION_PIN_REISSUED: ApplicationPinReissued,
    APPLICATION_FORWARDED: ApplicationForwarded,
    PERMIT_ISSUED: PermitIssued,
    PERMIT_REVOKED: PermitRevoked,
    CALENDAR_CHANGED: CalendarChanged,
    CONNECTOR_SUSPENDED: ConnectorSuspended,
    CONNECTOR_SUSPENSION_REPORTED: ConnectorSuspensionReported,
    SURVEY_INVITED: SurveyInvited,
    COMPLAINT_RECEIVED: ComplaintReceived,
    COMPLAINT_STATUS_CHANGED: ComplaintStatusChanged,
    STANDARD_ADOPTED: StandardAdopted,
    STANDARD_SUPERSEDED: StandardSuperseded,
}

#: event name -> the service whose exchange carries it (``connector_suspended`` is on the
#: exchange of the connector service that suspended itself, ``connector_<name>``)
SOURCES = dict(
    {name: TICKETING for name in (
        TICKET_ISSUED, TICKET_CONTACT_GIVEN, TICKET_CANCELLED, TICKET_NEAR_FRONT, TICKET_CALLED,
        TICKET_RECALLED, TICKET_SKIPPED, TICKET_SERVICE_STARTED, TICKET_COMPLETED,
        TICKET_TRANSFERRED, COUNTER_OPENED, COUNTER_CLOSED, BOOKING_CREATED, BOOKING_CANCELLED,
        AGENCY_STATE_CHANGED)},
    **{name: PERMITS for name in (
        APPLICATION_SUBMITTED, APPLICATION_RETURNED, APPLICATION_STATUS_CHANGED,
        APPLICATION_SLA_WARNING, APPLICATION_FORWARDED, PERMIT_ISSUED, PERMIT_REVOKED,
        CALENDAR_CHANGED, APPLICATION_PIN_REISSUED, CONNECTOR_SUSPENSION_REPORTED)},
    **{name: FEEDBACK for name in (SURVEY_INVITED, COMPLAINT_RECEIVED, COMPLAINT_STATUS_CHANGED)},
    **{name: STANDARDS for name in (STANDARD_ADOPTED, STANDARD_SUPERSEDED)})


#: event name -> the handlers (service, method) that must not miss it even when their service
#: has never run yet: the emitter declares their durable queues before publishing
SUBSCRIBERS = {
    STANDARD_ADOPTED: (("permits", "on_standard_adopted"), ("ticketing", "on_standard_adopted")),
    AGENCY_STATE_CHANGED: (("permits", "on_agency_state_changed"),),
}


def payload_schema(event_type):
    """The schema of ``event_type`` (``application_forwarded.<connector>`` included)."""
    return PAYLOADS[event_type.split(".", 1)[0]]
