"""A broker that goes away is not a reason for a service to die.

When the broker connection drops while a worker finishes, the worker's ack (or requeue) and
its RPC reply meet a dead socket. nameko 2.14's ``QueueConsumer.ack_message`` only ignores
``amqp``'s own ``ConnectionError``, so a ``ConnectionResetError`` would escape from the
worker's result handling, which nameko treats as fatal: the service container stops and
``nameko run`` exits (``tests/integration/test_broker_outage.py``, ``tests/e2e/test_restarts.py``).

Neither is worth dying for. A message whose ack or reply was lost is still unacked: the broker
gives it back when the connection drops (or it is requeued here), it is handled again, and the
handlers are idempotent (idempotency keys, event ids). The caller of an RPC whose reply was
lost answers 503 after its timeout and retries. Meanwhile kombu's consumer loop reconnects by
itself once the broker is back.

``install()`` (called by ``services.common.boot.install``, which every service entrypoint
calls) wraps those three nameko methods; it changes nothing while the broker is there.

RPC replies are published without publisher confirms (``ReplyPublisher``). A reply goes to
the caller's own transient reply queue, so a confirm proves little: a broker that dies after
confirming loses the reply all the same. Either way the caller's timeout answers 503 and an
idempotency key makes its retry safe. Skipping the confirm saves a broker round trip per
call (``bench/README.md``). Requests, events and work messages keep their confirms.

nameko builds a kombu ``Connection`` for every message it publishes, only to look up the
producer pool that connection's parameters name (parsing the broker URL each time).
``get_producer`` here keeps one such key per set of parameters; the pooled connections,
their reconnection and the producers are kombu's as before.

py-amqp reads a frame in three ``recv`` calls of exactly the bytes it needs next (header,
payload, end marker): nine system calls per message. ``_read_ahead`` asks the socket for up
to ``READ_AHEAD`` bytes instead; py-amqp's own ``_read`` already keeps whatever comes beyond
the frame in its buffer for the next one, so one call often brings several messages.

Quorum queues (``AMQP_QUORUM_QUEUES``; unset: on when ``MPP_ENV=production``): every durable
work queue, that is each service's RPC queue, each ``SERVICE_POOL`` event handler's queue and
notifications' work, retry and parking queues, is declared with ``x-queue-type: quorum``, so on
a RabbitMQ cluster it is replicated and a node's loss loses no message. Exclusive and
auto-delete queues (RPC reply queues, the gateways' live feeds) stay classic: they live as long
as one connection. ``install()`` wraps the ``setup`` of nameko's ``RpcConsumer`` and
``Consumer`` (``EventHandler`` is one) to swap their queue for ``durable(queue, config)``; code
that declares queues itself passes them through ``durable`` too. A queue's type is fixed when it
is first declared: turning the setting on for a vhost that has classic queues needs the
migration in ``docs/scaling.md``. The mechanism is the connector kit's
(``mpp_connector.queues``), so the suite and every connector declare a queue alike.
"""
import logging
from contextlib import contextmanager

from amqp import transport
from amqp.exceptions import ConnectionError as AmqpConnectionError
from kombu import Connection
from kombu.exceptions import OperationalError
from kombu.pools import producers
from mpp_connector import queues
from nameko.amqp import publish
from nameko.amqp.publish import Publisher
from nameko.messaging import QueueConsumer
from nameko.rpc import Responder, RpcConsumer

from services.common import settings

log = logging.getLogger(__name__)

#: what a lost connection raises: socket errors (OSError: reset, broken pipe, refused),
#: amqp's connection errors, kombu's "could not publish after retrying"
CONNECTION_LOST = (OSError, AmqpConnectionError, OperationalError)


def _tolerant(settle, verb):
    def wrapper(self, message):
        try:
            settle(self, message)
        except CONNECTION_LOST as exc:
            log.warning("could not %s a message, the broker connection is gone (%s); "
                        "the broker delivers it again", verb, type(exc).__name__)
    wrapper.__wrapped__ = settle
    return wrapper


def _reply_or_requeue(handle_result):
    def wrapper(self, message, result, exc_info):
        try:
            return handle_result(self, message, result, exc_info)
        except CONNECTION_LOST as exc:
            log.warning("could not send an RPC reply, the broker connection is gone (%s); "
                        "the request is handled again", type(exc).__name__)
            self.queue_consumer.requeue_message(message)
            return result, exc_info
    wrapper.__wrapped__ = handle_result
    return wrapper


class ReplyPublisher(Publisher):
    """nameko's publisher for RPC replies, without confirms (see the module doc)."""
    use_confirms = False


_POOL_KEYS = {}


@contextmanager
def get_producer(amqp_uri, confirms=True, ssl=None, login_method=None, transport_options=None):
    """nameko's ``get_producer`` without a new ``Connection`` per message."""
    options = dict(transport_options or publish.DEFAULT_TRANSPORT_OPTIONS,
                   confirm_publish=confirms)
    key = (amqp_uri, repr(ssl), login_method, repr(sorted(options.items())))
    conn = _POOL_KEYS.get(key)
    if conn is None:
        conn = _POOL_KEYS[key] = Connection(amqp_uri, transport_options=options, ssl=ssl,
                                            login_method=login_method)
    with producers[conn].acquire(block=True) as producer:
        yield producer


#: bytes asked of the socket at once while reading AMQP frames
READ_AHEAD = 16 * 1024


def _read_ahead(setup_transport):
    def wrapper(self):
        setup_transport(self)
        recv = self._quick_recv
        self._quick_recv = lambda n: recv(max(n, READ_AHEAD))
    wrapper.__wrapped__ = setup_transport
    return wrapper


def quorum_queues(config):
    """Whether durable work queues are quorum queues (``AMQP_QUORUM_QUEUES``; unset: in
    production)."""
    value = settings.get(config, "AMQP_QUORUM_QUEUES")
    return settings.is_production(config) if value is None else value


def durable(queue, config):
    """``queue`` as the suite declares it: a durable work queue (durable, not exclusive, not
    auto-delete) is a quorum queue when ``quorum_queues(config)``; anything else is unchanged."""
    return queues.durable(queue, quorum_queues(config))


def install():
    """Idempotent."""
    if getattr(QueueConsumer.ack_message, "__wrapped__", None) is not None:
        return
    transport.TCPTransport._setup_transport = _read_ahead(transport.TCPTransport._setup_transport)
    publish.get_producer = get_producer
    Responder.publisher_cls = ReplyPublisher
    QueueConsumer.ack_message = _tolerant(QueueConsumer.ack_message, "ack")
    QueueConsumer.requeue_message = _tolerant(QueueConsumer.requeue_message, "requeue")
    RpcConsumer.handle_result = _reply_or_requeue(RpcConsumer.handle_result)
    queues.install(quorum_queues)


def queue_type_conflict(service_name, config):
    """One line when ``service_name``'s RPC queue exists with the other type than the setting
    asks for (a queue's type is fixed once declared: nameko would wait for it for ever), else
    None. Declares that queue the way the service will (a no-op when it agrees); a broker that
    cannot be reached is left to nameko's own reconnection (None)."""
    from amqp.exceptions import PreconditionFailed
    from kombu import Queue

    quorum = quorum_queues(config)
    queue = durable(Queue("rpc-{}".format(service_name), durable=True), config)
    try:
        with Connection(config["AMQP_URI"], connect_timeout=5) as connection:
            queue(connection.channel()).declare()
    except PreconditionFailed:
        return ("AMQP_QUORUM_QUEUES is {} but the queue rpc-{} on this vhost is a {} queue (a "
                "queue's type cannot change): migrate as docs/scaling.md says, or set "
                "AMQP_QUORUM_QUEUES={}".format("on" if quorum else "off", service_name,
                                               "classic" if quorum else "quorum",
                                               "0" if quorum else "1"))
    except CONNECTION_LOST:
        return None
    return None
