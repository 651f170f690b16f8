"""The delivery pipeline's RabbitMQ topology, and the nameko pieces that use it.

One direct exchange, ``notifications.delivery``, and behind it:

- ``notifications.work`` (routing key ``work``): the work queue. An item names one step of one
  message: ``{"id": <message id>, "round": 1, "channel": "whatsapp" | None, "attempt": 1,
  "wait": 0, "check": False}`` (``channel`` None: plan the message first; ``check``: a receipt
  deadline, not a send). Consumed by ``NotificationsService.deliver`` with reliable delivery.
- ``notifications.retry.<ms>ms`` (routing key = its name): one queue per delay, declared with
  ``x-message-ttl`` and ``x-dead-letter-exchange``/``x-dead-letter-routing-key`` pointing back
  at the work queue. Nobody consumes them: an item published there comes back to the work
  queue when its TTL ends. Backoff is the choice of queue, never a sleep in a worker; receipt
  deadlines use the same queues.
- ``notifications.parking`` (routing key ``parking``): items whose retries are exhausted on
  the last channel, kept until an operator calls the ``replay_parked`` RPC.

Queue names carry their TTL (a queue's arguments cannot change once declared), so changing
``NOTIFY_RETRY_DELAYS`` declares new queues instead of failing on the old ones.
"""
import logging
from functools import partial

from kombu import Connection, Exchange, Queue
from nameko.amqp.publish import Publisher
from nameko.constants import AMQP_URI_CONFIG_KEY
from nameko.exceptions import ContainerBeingKilled
from nameko.extensions import DependencyProvider
from nameko.messaging import Consumer

from services.common.broker import durable
from services.notifications.lifecycle import PARKING_QUEUE, SERVICE

log = logging.getLogger(__name__)

EXCHANGE = Exchange("{}.delivery".format(SERVICE), type="direct", durable=True)
WORK_KEY = "work"
WORK_QUEUE = Queue("{}.work".format(SERVICE), exchange=EXCHANGE, routing_key=WORK_KEY,
                   durable=True)
PARKING = Queue(PARKING_QUEUE, exchange=EXCHANGE, routing_key="parking", durable=True)


def delay_ms(seconds):
    return max(1, int(round(float(seconds) * 1000)))


def delay_queue_name(seconds):
    return "{}.retry.{}ms".format(SERVICE, delay_ms(seconds))


def delay_queue(seconds):
    name = delay_queue_name(seconds)
    return Queue(name, exchange=EXCHANGE, routing_key=name, durable=True, queue_arguments={
        "x-message-ttl": delay_ms(seconds),
        "x-dead-letter-exchange": EXCHANGE.name,
        "x-dead-letter-routing-key": WORK_KEY,
    })


def topology(delays, config=None):
    """Every queue the pipeline needs for these delays (seconds), of the type ``config`` says
    (quorum queues or classic ones, ``services.common.broker.durable``)."""
    queues = [WORK_QUEUE, PARKING] + [delay_queue(d) for d in sorted(set(delays))]
    return [durable(q, config or {}) for q in queues]


def declare(amqp_uri, delays, config=None):
    with Connection(amqp_uri) as conn:
        channel = conn.channel()
        for queue in topology(delays, config):
            queue(channel).declare()


class Pipeline:
    """What a worker gets: publish an item now, after a delay, to parking; replay parking."""

    def __init__(self, amqp_uri, publisher):
        self.amqp_uri = amqp_uri
        self.publisher = publisher

    def now(self, item):
        self.publisher.publish(item, exchange=EXCHANGE, routing_key=WORK_KEY)

    def later(self, item, seconds):
        self.publisher.publish(item, exchange=EXCHANGE, routing_key=delay_queue_name(seconds))

    def park(self, item):
        self.publisher.publish(item, exchange=EXCHANGE, routing_key=PARKING.routing_key)

    def drain_parking(self, handle, limit=1000):
        """Take up to ``limit`` items off the parking queue, ``handle(item)`` each, ack it after
        ``handle`` returned (an error leaves the item parked). Returns how many were handled."""
        done = 0
        with Connection(self.amqp_uri) as conn:
            queue = PARKING(conn.channel())
            while done < limit:
                message = queue.get(no_ack=False, accept=["json"])
                if message is None:
                    break
                try:
                    handle(message.payload)
                except Exception:
                    message.requeue()
                    raise
                message.ack()
                done += 1
        return done


class DeliveryPipeline(DependencyProvider):
    """Declares the topology at start-up (delays from ``settings_factory(config)``)."""

    def __init__(self, delays_from_config):
        self.delays_from_config = delays_from_config
        self.pipeline = None

    def setup(self):
        config = self.container.config
        amqp_uri = config[AMQP_URI_CONFIG_KEY]
        delays = self.delays_from_config(config)
        declare(amqp_uri, delays, config)
        publisher = Publisher(amqp_uri, serializer="json", declare=[])
        self.pipeline = Pipeline(amqp_uri, publisher)

    def get_dependency(self, worker_ctx):
        return self.pipeline


class WorkConsumer(Consumer):
    """nameko's ``consume`` (ack after the worker, requeue on error) that also tells the worker
    whether RabbitMQ is redelivering the item (its previous consumer died before acking): the
    worker may then take over an attempt claimed but not finished by that consumer."""

    def handle_message(self, body, message):
        args = (body, bool(message.delivery_info.get("redelivered")))
        context_data = self.unpack_message_headers(message)
        handle_result = partial(self.handle_result, message)
        try:
            self.container.spawn_worker(self, args, {}, context_data=context_data,
                                        handle_result=handle_result)
        except ContainerBeingKilled:
            self.queue_consumer.requeue_message(message)


consume_work = WorkConsumer.decorator
