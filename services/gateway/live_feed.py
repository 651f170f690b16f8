"""The ticketing events, fed into the live-update hub (``hub``) without a worker per event.

Every gateway process shows every ticketing event on its live streams (boards, counter
consoles), so it hears one event per ticket issued. A nameko event handler costs a worker per
event (spawn, context, dependency injection, result handling) and an ack, while the hub only
needs the body. So each gateway process consumes one queue of its own with kombu directly:
exclusive, deleted with its connection, bound to every ticket event the hub shows, consumed
without acks, as nameko's BROADCAST handlers with ``reliable_delivery=False`` would: a live
view that misses an event while its gateway reconnects loads afresh anyway.

kombu's ``ConsumerMixin`` reconnects by itself when the broker comes back and declares the
queue and its bindings again on the new connection.
"""
import logging
import uuid

import eventlet
from kombu import Connection, Queue, binding
from kombu.mixins import ConsumerMixin
from nameko.constants import (AMQP_SSL_CONFIG_KEY, AMQP_URI_CONFIG_KEY, DEFAULT_HEARTBEAT,
                              DEFAULT_TRANSPORT_OPTIONS, HEARTBEAT_CONFIG_KEY,
                              LOGIN_METHOD_CONFIG_KEY, TRANSPORT_OPTIONS_CONFIG_KEY)
from nameko.extensions import DependencyProvider
from nameko.standalone.events import get_event_exchange

from services.contracts import events as ev
from services.gateway.hub import StreamHub

log = logging.getLogger(__name__)

#: how the feed's connection is named in RabbitMQ's management UI
CONNECTION_NAME = "gateway live feed"
#: how long starting waits for the queue (then the feed goes on trying in the background)
READY_SECONDS = 30

#: the ticketing events a live view shows
TICKET_EVENTS = (ev.TICKET_ISSUED, ev.TICKET_CALLED, ev.TICKET_RECALLED, ev.TICKET_SKIPPED,
                 ev.TICKET_SERVICE_STARTED, ev.TICKET_COMPLETED, ev.TICKET_TRANSFERRED,
                 ev.TICKET_CANCELLED, ev.COUNTER_OPENED, ev.COUNTER_CLOSED)


def feed_queue(config, service_name):
    """This process's queue: a name of its own, every ticket event bound to it."""
    exchange = get_event_exchange(ev.TICKETING, config)
    return Queue("live-ticketing--{}-{}".format(service_name, uuid.uuid4().hex),
                 bindings=[binding(exchange, routing_key=event) for event in TICKET_EVENTS],
                 durable=False, exclusive=True, auto_delete=True)


class FeedConsumer(ConsumerMixin):
    """kombu's consume-and-reconnect loop around one queue, handing ``(event_type, body)``
    to ``deliver``."""

    def __init__(self, connection, queue, deliver):
        self.connection = connection
        self.queue = queue
        self.deliver = deliver
        self.ready = False

    def get_consumers(self, Consumer, channel):  # noqa: N803 - kombu's name
        return [Consumer(queues=[self.queue], callbacks=[self.on_message], no_ack=True,
                         accept=["json"])]

    def on_consume_ready(self, connection, channel, consumers, **kwargs):
        self.ready = True

    def on_connection_error(self, exc, interval):
        self.ready = False
        log.warning("live feed: broker unreachable (%s), retrying in %s s",
                    type(exc).__name__, interval)

    def on_message(self, body, message):
        try:
            self.deliver(message.delivery_info["routing_key"], body)
        except Exception:  # noqa: BLE001 - one bad event must not stop the feed
            log.exception("live feed: event not shown")


class LiveFeed(DependencyProvider):
    """``self.live``: the container's hub. Starting it starts the feed that fills it."""

    stream_hub = StreamHub()

    def setup(self):
        config = self.container.config
        options = dict(config.get(TRANSPORT_OPTIONS_CONFIG_KEY, DEFAULT_TRANSPORT_OPTIONS),
                       client_properties={"connection_name": CONNECTION_NAME})
        self.consumer = FeedConsumer(
            Connection(config[AMQP_URI_CONFIG_KEY],
                       heartbeat=config.get(HEARTBEAT_CONFIG_KEY, DEFAULT_HEARTBEAT),
                       transport_options=options,
                       ssl=config.get(AMQP_SSL_CONFIG_KEY),
                       login_method=config.get(LOGIN_METHOD_CONFIG_KEY)),
            feed_queue(config, self.container.service_name),
            self._deliver)
        self._thread = None

    def _deliver(self, event_type, event):
        hub = self.stream_hub.hub
        if hub is not None:
            hub.feed(event_type, event)

    def start(self):
        """Started once the queue is bound (as nameko's own consumers are), so an event
        published after the gateway is up reaches its streams."""
        self._thread = self.container.spawn_managed_thread(self.consumer.run,
                                                           identifier="live feed")
        with eventlet.Timeout(READY_SECONDS, False):
            while not self.consumer.ready:
                eventlet.sleep(0.01)

    def stop(self):
        self.consumer.should_stop = True
        if self._thread is not None:
            self._thread.wait()
        self.consumer.connection.release()

    def kill(self):
        self.consumer.should_stop = True
        if self._thread is not None:
            self._thread.kill()

    def get_dependency(self, worker_ctx):
        return self.stream_hub.hub
