"""Durable work queues as RabbitMQ quorum queues, the same way in the suite and in every
connector built with the kit (a queue's type must agree between everyone who declares it:
permits declares a connector's queue before forwarding to it).

A durable work queue (durable, not exclusive, not auto-delete: a service's RPC queue, a
``SERVICE_POOL`` event handler's queue) is declared with ``x-queue-type: quorum`` when
``AMQP_QUORUM_QUEUES`` says so (nameko config, else the environment; unset: on when
``MPP_ENV=production``), so on a RabbitMQ cluster it is replicated and a node's loss loses no
message. Exclusive and auto-delete queues (RPC replies) stay classic. A queue's type is fixed
when it is first declared: switching a running installation needs the suite's migration
(its ``docs/scaling.md``).
"""
import os

from kombu import Queue
from nameko.messaging import Consumer
from nameko.rpc import RpcConsumer

QUORUM = {"x-queue-type": "quorum"}
TRUE = {"1", "true", "yes", "on"}


def enabled(config, environ=None):
    """Whether ``config`` (a nameko config) asks for quorum queues."""
    environ = os.environ if environ is None else environ
    value = (config or {}).get("AMQP_QUORUM_QUEUES")
    if value is None or str(value).strip() == "":
        value = environ.get("AMQP_QUORUM_QUEUES", "")
    if str(value).strip() == "":
        env = (config or {}).get("MPP_ENV") or environ.get("MPP_ENV", "")
        return str(env).strip() == "production"
    return value is True or str(value).strip().lower() in TRUE


def durable(queue, quorum):
    """``queue``, a quorum queue when ``quorum`` and it is a durable work queue."""
    if not quorum or not queue.durable or queue.exclusive or queue.auto_delete:
        return queue
    fields = {name: getattr(queue, name) for name, _ in Queue.attrs}
    fields["queue_arguments"] = dict(queue.queue_arguments or {}, **QUORUM)
    return Queue(**fields)


def _durable_queue(setup, decide):
    def wrapper(self):
        setup(self)
        if self.queue is not None:
            self.queue = durable(self.queue, decide(self.container.config))
    wrapper.__wrapped__ = setup
    return wrapper


def install(decide=enabled):
    """Make nameko's ``RpcConsumer`` and ``Consumer`` (``EventHandler`` is one) declare their
    queues through ``durable(queue, decide(config))``. Idempotent: the first call decides."""
    if getattr(Consumer.setup, "__wrapped__", None) is not None:
        return
    RpcConsumer.setup = _durable_queue(RpcConsumer.setup, decide)
    Consumer.setup = _durable_queue(Consumer.setup, decide)
