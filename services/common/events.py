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

from nameko.events import SERVICE_POOL, EventDispatcher, event_handler

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
