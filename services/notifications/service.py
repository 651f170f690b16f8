"""Notifications service entrypoints: react to other services' events, deliver, answer status.

- Event handlers: one durable ``handles`` handler per row of ``facts.SUBSCRIPTIONS``, declared
  by ``subscribed`` as ``on_<event_type>`` (the method name is part of the durable queue's
  name, ``evt-<source>-<event>--notifications.on_<event>``). Each hands its event to
  ``intake``: idempotent without an ``event_id`` marker because every write it does is
  (messages inserted under their dedup key, recipients insert-only, states forward only).
- ``deliver`` consumes the delivery work queue (``delivery``); retries and receipt deadlines
  come back to it through TTL queues, exhausted messages wait in the parking queue until
  ``replay_parked``.
- Status RPCs (``status``): ``get_message``, ``messages_for``, ``counts``;
  ``set_preferences``; ``receipt`` for providers' delivery receipts (via the gateway).
- Timers: quiet-hours releases, and retention (personal data removed after
  ``MESSAGE_RETENTION_DAYS``; the database may lack TTL indexes, FerretDB does).
"""
import logging

from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy, rpc
from nameko.timer import timer

from services.common import boot
from services.common import clock as clk
from services.common.errors import NotFound
from services.common.events import handles
from services.common.health import HealthMixin
from services.common.mongo import Mongo
from services.contracts import events as ev
from services.notifications import (confirmation, facts, receipts, settings, staff_alerts,
                                    status, store)
from services.notifications.delivery import WORK_QUEUE, DeliveryPipeline, consume_work
from services.notifications.dispatcher import Dispatcher
from services.notifications.intake import Intake

boot.install()

log = logging.getLogger(__name__)


def _handler(event_type):
    def handler(self, event):
        self.intake.take(event_type, event)

    handler.__name__ = handler.__qualname__ = facts.handler_name(event_type)
    handler.__doc__ = "A ``{}`` event: recipient, state and messages.".format(event_type)
    return handler


def subscribed(service_class):
    """Declare on ``service_class`` the durable handler of each ``facts.SUBSCRIPTIONS`` row."""
    for source, event_type in facts.SUBSCRIPTIONS:
        setattr(service_class, facts.handler_name(event_type),
                handles(source, event_type)(_handler(event_type)))
    return service_class


@subscribed
class NotificationsService(HealthMixin):
    name = "notifications"

    db = Mongo("notifications", store.ensure_indexes)
    config = Config()
    pipeline = DeliveryPipeline(lambda config: settings.load(config).delays())
    clock = clk.Clock()
    gateway = RpcProxy("gateway")

    @property
    def dispatcher(self):
        return Dispatcher(self.db, self.pipeline, settings.load(self.config), self.clock)

    @property
    def intake(self):
        return Intake(self.db, self.dispatcher, self.clock)

    # --- delivery -------------------------------------------------------------------------

    @consume_work(WORK_QUEUE, requeue_on_error=True)
    def deliver(self, item, redelivered):
        return self.dispatcher.handle(item, redelivered)

    @handles(ev.PERMITS, ev.CONNECTOR_SUSPENSION_REPORTED)
    def on_connector_suspension_reported(self, event):
        """A connector suspended itself: each agency's supervisors are told by e-mail
        (``staff_alerts``; their addresses come from the gateway's staff accounts)."""
        staff_alerts.tell_supervisors(self.dispatcher, self.db, event,
                                      self.gateway.staff_contacts, self.clock.now())

    @rpc
    def replay_parked(self, limit=1000):
        """Operator: start every parked message again (current preferences, first channel)."""
        dispatcher = self.dispatcher
        replayed = []
        handled = self.pipeline.drain_parking(
            lambda item: replayed.append(item["id"]) if dispatcher.replay(item) else None,
            limit=int(limit))
        log.info("replayed %s of %s parked items", len(replayed), handled)
        return {"taken": handled, "replayed": len(replayed)}

    @rpc
    def receipt(self, message_id, provider_status, raw=None):
        """A provider's delivery receipt for ``message_id`` (the id we sent as reference)."""
        outcome = self.dispatcher.receipt(status.reference(message_id), provider_status, raw)
        if outcome is None:
            raise NotFound(status.MESSAGE_NOT_FOUND, {"id": message_id})
        return {"id": message_id, "status": outcome}

    @rpc
    def provider_report(self, channel, report_key, statuses, replies=()):
        """A provider's report as the gateway verified it (``receipts`` module): delivery
        receipts and STOP replies, applied once per ``report_key``."""
        dispatcher = self.dispatcher
        return receipts.apply(dispatcher, self.db, dispatcher.settings.phone_key, channel,
                              report_key, list(statuses or []), list(replies or []),
                              self.clock.now())

    @rpc
    def confirm_phone(self, phone, code):
        """The confirmation code a citizen typed on the portal (``confirmation``)."""
        settings_ = self.dispatcher.settings
        return confirmation.confirm_by_code(self.db, settings_.phone_key, phone, code,
                                            self.clock.now(), settings_.zone)

    @timer(interval=30)
    def release_deferred(self):
        return self.dispatcher.release_deferred()

    @timer(interval=3600)
    def retention(self):
        done = self.dispatcher.scrub()
        if done["messages"] or done["recipients"]:
            log.info("retention: personal data removed from %s messages, %s recipients",
                     done["messages"], done["recipients"])
        return done

    @rpc
    def purge_personal_data(self):
        """Run retention now (operators, tests); returns how many documents it scrubbed."""
        return self.retention()

    # --- status ---------------------------------------------------------------------------

    @rpc
    def get_message(self, id):
        return status.get_message(self.db, id)

    @rpc
    def messages_for(self, reference):
        return status.messages_for(self.db, reference)

    def domain_metrics(self):
        return status.gauges(self.db)

    @rpc
    def counts(self, channel=None):
        return status.counts(self.db, channel)

    @rpc
    def set_preferences(self, reference, prefs):
        return status.set_preferences(self.db, reference, prefs, self.clock.now())
