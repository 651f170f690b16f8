"""Calling the services from the gateway: a bounded wait, and a clear 503 when they are away.

nameko's in-service ``RpcProxy`` waits forever for a reply; a gateway must not hang a kiosk,
so every call runs under ``eventlet.Timeout`` (``RPC_TIMEOUT`` seconds) and a missing reply,
an unreachable broker or a lost connection all become ``Unavailable`` (503 + Retry-After).

A service whose database is down raises pymongo's connection errors; they cross RPC as a
``RemoteError`` naming the type (``DEPENDENCY_DOWN``) and are a 503 too, not a 500: nothing
is wrong with the request, and the client's retry (same Idempotency-Key) will succeed.
"""
import socket

import eventlet
from kombu.exceptions import OperationalError
from nameko.exceptions import RemoteError, UnknownService
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
