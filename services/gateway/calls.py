"""Calling the services from the gateway: a bounded wait, and a clear 503 when they are away.

nameko's in-service ``RpcProxy`` waits forever for a reply; a gateway must not hang a kiosk,
so every call runs under ``eventlet.Timeout`` (``RPC_TIMEOUT`` seconds) and a missing reply,
an unreachable broker or a lost connection all become ``Unavailable`` (503 + Retry-After).
"""
import socket

import eventlet
from kombu.exceptions import OperationalError
from nameko.exceptions import UnknownService

from services.common.errors import Unavailable

DEFAULT_TIMEOUT = 10

UNAVAILABLE = ("Layanan sedang tidak tersedia, coba lagi sebentar / "
               "Service temporarily unavailable, please retry shortly")


def call(method, *args, timeout=DEFAULT_TIMEOUT, **kwargs):
    """``call(self.ticketing.issue_ticket, service_id=...)`` with a deadline."""
    try:
        with eventlet.Timeout(timeout):
            return method(*args, **kwargs)
    except eventlet.Timeout:
        raise Unavailable(UNAVAILABLE, {"reason": "timeout", "retry_after": 5})
    except UnknownService:
        raise Unavailable(UNAVAILABLE, {"reason": "no service", "retry_after": 5})
    except (OperationalError, ConnectionError, socket.error):
        raise Unavailable(UNAVAILABLE, {"reason": "broker", "retry_after": 5})
