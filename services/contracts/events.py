"""Event names, by the service that emits them (its ``<service>.events`` exchange).

Every event carries ``{event_id, occurred_at, version}`` (``services.common.events.envelope``)
and is named for a fact that happened, in the past tense.
"""
TICKETING = "ticketing"
PERMITS = "permits"
FEEDBACK = "feedback"

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

# permits
APPLICATION_SUBMITTED = "application_submitted"
APPLICATION_RETURNED = "application_returned"
APPLICATION_STATUS_CHANGED = "application_status_changed"
APPLICATION_SLA_WARNING = "application_sla_warning"
PERMIT_ISSUED = "permit_issued"
PERMIT_REVOKED = "permit_revoked"
CALENDAR_CHANGED = "calendar_changed"
CONNECTOR_SUSPENDED = "connector_suspended"

# feedback
SURVEY_INVITED = "survey_invited"
COMPLAINT_RECEIVED = "complaint_received"
COMPLAINT_STATUS_CHANGED = "complaint_status_changed"
