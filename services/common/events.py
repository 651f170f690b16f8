"""Events: the envelope every event carries, durable handlers, idempotent handling.

Envelope: ``{event_id, occurred_at (UTC ISO-8601), version, ...payload}``. Names are
past-tense facts (``ticket_issued``). Handlers subscribe with ``handles()``: a SERVICE_POOL
handler (one durable queue per service+handler, shared by every instance, so scaled-out
instances split the work and a consumer that is down catches up from its queue) with
nameko's reliable delivery (ack after the worker finishes) and requeue on error.
``once()`` makes a handler idempotent by ``event_id``.
"""
import functools
import logging
import uuid

from kombu import Queue
from nameko.amqp.publish import get_connection
from nameko.constants import AMQP_URI_CONFIG_KEY
from nameko.events import SERVICE_POOL, EventDispatcher, event_handler
from nameko.extensions import DependencyProvider
from nameko.standalone.events import get_event_exchange

from services.common.broker import durable
from services.common.clock import Clock, iso

log = logging.getLogger(__name__)


def envelope(payload, version=1, clock=None):
    event = {
        "event_id": uuid.uuid4().hex,
        "occurred_at": iso((clock or Clock()).now()),
        "version": version,
    }
    event.update(payload)
    return event


class Events(EventDispatcher):
    """``self.events(event_type, payload, version=1)``: dispatch an enveloped, persistent event."""

    def get_dependency(self, worker_ctx):
        dispatch = super().get_dependency(worker_ctx)

        def emit(event_type, payload, version=1):
            event = envelope(payload, version)
            dispatch(event_type, event)
            return event

        return emit


def pool_queue(source_service, event_type, service_name, method_name, config):
    """The durable queue nameko declares for ``handles(source_service, event_type)`` on
    ``service_name.method_name`` (same name, binding, flags and type)."""
    return durable(Queue(
        "evt-{}-{}--{}.{}".format(source_service, event_type, service_name, method_name),
        exchange=get_event_exchange(source_service, config), routing_key=event_type,
        durable=True, auto_delete=False, exclusive=False), config)


class SubscriberQueues(DependencyProvider):
    """``self.subscriber_queues.ensure(event_type, service_name, method_name)``: declare a
    subscriber's durable queue before publishing to it, so an event reaches a consumer that
    has never run yet (a connector deployed after its first application was forwarded).
    Declared once per process and queue; declaring an existing queue changes nothing."""

    def setup(self):
        self.declared = set()

    def get_dependency(self, worker_ctx):
        return self

    def ensure(self, event_type, service_name, method_name):
        key = (event_type, service_name, method_name)
        if key in self.declared:
            return
        config = self.container.config
        queue = pool_queue(self.container.service_name, event_type, service_name, method_name,
                           config)
        with get_connection(config[AMQP_URI_CONFIG_KEY], ssl=config.get("AMQP_SSL"),
                            login_method=config.get("LOGIN_METHOD")) as connection:
            queue.maybe_bind(connection.default_channel)
            queue.declare()
        self.declared.add(key)


def handles(source_service, event_type):
    """A durable, shared-per-service event subscription."""
    return event_handler(
        source_service,
        event_type,
        handler_type=SERVICE_POOL,
        reliable_delivery=True,
        requeue_on_error=True,
    )


def once(db_attr="db"):
    """Decorate a handler method so each ``event_id`` is handled once per handler.

    The marker is written *after* the handler succeeds: a process killed mid-handler sees
    the event again (the message was not acked) and does the work again, so handlers whose
    side effect must not repeat guard it with their own unique key (e.g. a notification's
    dedup key). A redelivery of a finished event is skipped.
    """

    def decorate(handler):
        @functools.wraps(handler)
        def wrapper(self, event):
            db = getattr(self, db_attr)
            key = "{}:{}".format(handler.__name__, event["event_id"])
            if db.processed_events.find_one({"_id": key}, {"_id": 1}):
                log.info("event already handled", extra={"event": key})
                return None
            result = handler(self, event)
            try:
                db.processed_events.insert_one({"_id": key, "at": event.get("occurred_at")})
            except Exception:  # DuplicateKeyError: a concurrent redelivery finished first
                pass
            return result

        return wrapper

    return decorate
