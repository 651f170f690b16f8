"""Calling the services from the gateway: a bounded wait, and a clear 503 when they are away.

nameko's in-service ``RpcProxy`` waits forever for a reply; a gateway must not hang a kiosk,
so every call runs under ``eventlet.Timeout`` (``RPC_TIMEOUT`` seconds) and a missing reply,
an unreachable broker or a lost connection all become ``Unavailable`` (503 + Retry-After).

A service whose database is down raises pymongo's connection errors; they cross RPC as a
``RemoteError`` naming the type (``DEPENDENCY_DOWN``) and are a 503 too, not a 500: nothing
is wrong with the request, and the client's retry (same Idempotency-Key) will succeed.

The proxies themselves (``service()``) are nameko's, with two settings that fit a caller
whose every request has a deadline and a client that retries: requests the broker keeps in
memory, and replies consumed without acks.
"""
import socket
from functools import partial

import eventlet
from kombu.exceptions import OperationalError
from nameko.constants import NON_PERSISTENT
from nameko.exceptions import RemoteError, UnknownService
from nameko.messaging import QueueConsumer
from nameko.rpc import ReplyListener, RpcProxy
from pymongo.errors import ConnectionFailure

from services.common.errors import Unavailable

DEFAULT_TIMEOUT = 10
RETRY_AFTER = 5

UNAVAILABLE = ("Layanan sedang tidak tersedia, coba lagi sebentar / "
               "Service temporarily unavailable, please retry shortly")

#: ``RemoteError.exc_type`` of a service's dependency being down: pymongo's connection
#: errors (``ConnectionFailure`` and its subclasses) and the broker's, raised while the
#: service was publishing an event
DEPENDENCY_DOWN = frozenset({
    "ConnectionFailure", "AutoReconnect", "NetworkTimeout", "NotPrimaryError",
    "ServerSelectionTimeoutError", "WaitQueueTimeoutError",
    "OperationalError", "RecoverableConnectionError", "ConnectionForced",
    "ConnectionError", "ConnectionResetError", "ConnectionRefusedError", "BrokenPipeError",
})

#: what the gateway itself raises when the broker or its own database is unreachable
LOCAL_DOWN = (eventlet.Timeout, UnknownService, OperationalError, ConnectionFailure,
              ConnectionError, socket.error)


def unavailable_reason(exc):
    """Why ``exc`` means "a dependency is away, retry shortly", or None when it does not."""
    if isinstance(exc, eventlet.Timeout):
        return "timeout"
    if isinstance(exc, UnknownService):
        return "no service"
    if isinstance(exc, ConnectionFailure):
        return "database"
    if isinstance(exc, LOCAL_DOWN):
        return "broker"
    if isinstance(exc, RemoteError) and exc.exc_type in DEPENDENCY_DOWN:
        return "dependency"
    return None


def call(method, *args, timeout=DEFAULT_TIMEOUT, **kwargs):
    """``call(self.ticketing.issue_ticket, service_id=...)`` with a deadline."""
    try:
        with eventlet.Timeout(timeout):
            return method(*args, **kwargs)
    except (RemoteError,) + LOCAL_DOWN as exc:
        reason = unavailable_reason(exc)
        if reason is None:
            raise
        raise Unavailable(UNAVAILABLE, {"reason": reason, "retry_after": RETRY_AFTER}) from None


class _UnackedConsumer(QueueConsumer):
    """nameko's queue consumer, consuming without acks (a connection of its own)."""

    def get_consumers(self, consumer_cls, channel):
        return super().get_consumers(partial(consumer_cls, no_ack=True), channel)


class _ReplyListener(ReplyListener):
    """The gateway's one reply queue, read without acks.

    An ack proves the reply was read; losing one matters only if the gateway's connection
    drops with the reply on the wire, and then the waiting call answers 503 at its deadline
    and the client retries with its key, as for any other broker fault. The acks, and the
    prefetch window they feed, cost RabbitMQ and the gateway about a tenth of a ticket's work
    (``bench/README.md``). nameko's own ``ack_message`` returns at once for such a message."""
    queue_consumer = _UnackedConsumer()


class _Proxy(RpcProxy):
    rpc_reply_listener = _ReplyListener()


def service(name):
    """A proxy to service ``name`` for ``call()``.

    Its requests are kept in memory by the broker (``NON_PERSISTENT``). A request matters while
    its caller waits for the reply. If the broker dies in between, a request it had written to
    disk (nameko's default) is handled after the restart, most often once the client has been
    answered 503 and has retried with its ``Idempotency-Key``; kept in memory, it is simply
    gone and the retry does the work. The disk write cost RabbitMQ about a quarter of its work
    per ticket. Publisher confirms stay on: they turn a service that was never started into a
    prompt 503 (``UnknownService``) instead of a wait for the deadline."""
    return _Proxy(name, delivery_mode=NON_PERSISTENT)
