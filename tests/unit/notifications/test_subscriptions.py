"""The service's event handlers are declared from ``facts.SUBSCRIPTIONS``; their durable
queues keep the names deployed brokers already hold (the method name is part of it)."""
from nameko.events import SERVICE_POOL, EventHandler

from services.notifications import facts
from services.notifications.service import NotificationsService

#: the durable queues of the handlers, as RabbitMQ knows them
QUEUES = {
    "evt-ticketing-ticket_contact_given--notifications.on_ticket_contact_given",
    "evt-ticketing-ticket_near_front--notifications.on_ticket_near_front",
    "evt-ticketing-ticket_called--notifications.on_ticket_called",
    "evt-ticketing-ticket_recalled--notifications.on_ticket_recalled",
    "evt-ticketing-ticket_service_started--notifications.on_ticket_service_started",
    "evt-ticketing-ticket_skipped--notifications.on_ticket_skipped",
    "evt-ticketing-ticket_completed--notifications.on_ticket_completed",
    "evt-ticketing-ticket_cancelled--notifications.on_ticket_cancelled",
    "evt-ticketing-ticket_transferred--notifications.on_ticket_transferred",
    "evt-ticketing-booking_created--notifications.on_booking_created",
    "evt-ticketing-booking_cancelled--notifications.on_booking_cancelled",
    "evt-permits-application_submitted--notifications.on_application_submitted",
    "evt-permits-application_returned--notifications.on_application_returned",
    "evt-permits-application_status_changed--notifications.on_application_status_changed",
    "evt-permits-permit_issued--notifications.on_permit_issued",
    "evt-permits-application_sla_warning--notifications.on_application_sla_warning",
    "evt-permits-application_pin_reissued--notifications.on_application_pin_reissued",
    "evt-feedback-survey_invited--notifications.on_survey_invited",
    # to staff, not through facts (staff_alerts)
    "evt-permits-connector_suspension_reported--notifications.on_connector_suspension_reported",
}
#: handlers of staff alerts, declared by hand beside the citizen facts' ones
STAFF = {"on_connector_suspension_reported"}


def _handlers():
    out = {}
    for name in dir(NotificationsService):
        for entrypoint in getattr(getattr(NotificationsService, name), "nameko_entrypoints", ()):
            if isinstance(entrypoint, EventHandler):
                out[name] = entrypoint
    return out


def test_one_durable_shared_handler_per_subscription():
    handlers = _handlers()
    assert len(handlers) - len(STAFF) == len(facts.SUBSCRIPTIONS) == 18
    for source, event_type in facts.SUBSCRIPTIONS:
        entrypoint = handlers[facts.handler_name(event_type)]
        assert (entrypoint.source_service, entrypoint.event_type) == (source, event_type)
        assert entrypoint.handler_type == SERVICE_POOL and entrypoint.reliable_delivery
        assert entrypoint.requeue_on_error


def test_the_queue_names_are_the_deployed_ones():
    names = {"evt-{}-{}--notifications.{}".format(e.source_service, e.event_type, name)
             for name, e in _handlers().items()}
    assert names == QUEUES
