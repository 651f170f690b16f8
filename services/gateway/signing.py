"""HMAC-SHA256 checks of connector callbacks (``POST /api/v1/connectors/{agency}/callbacks``).

The same scheme as the notifications service's outgoing agency webhooks, written here because
the gateway may not import another service's internals::

    X-MPP-Timestamp: <unix seconds>
    X-MPP-Signature: sha256=<hex HMAC-SHA256(secret, f"{timestamp}.{raw body}")>

Constant-time compare; a timestamp more than ``tolerance`` seconds away from now is refused, so
a captured request cannot be replayed later (``decision_id`` makes a replay inside the window
harmless: permits applies a decision once).
"""
import hashlib
import hmac
import time

TIMESTAMP_HEADER = "X-MPP-Timestamp"
SIGNATURE_HEADER = "X-MPP-Signature"
PREFIX = "sha256="


def sign(secret, timestamp, body):
    body = body if isinstance(body, bytes) else str(body).encode("utf-8")
    digest = hmac.new(secret.encode("utf-8"), str(timestamp).encode("ascii") + b"." + body,
                      hashlib.sha256)
    return PREFIX + digest.hexdigest()


def verify(secret, timestamp, body, signature, now=None, tolerance=300):
    if not secret or not isinstance(signature, str) or not signature.startswith(PREFIX):
        return False
    try:
        stamp = int(str(timestamp).strip())
    except (TypeError, ValueError):
        return False
    if abs((time.time() if now is None else now) - stamp) > tolerance:
        return False
    expected = sign(secret, stamp, body)
    return hmac.compare_digest(expected.encode("ascii"),
                               signature.strip().encode("ascii", "replace"))
