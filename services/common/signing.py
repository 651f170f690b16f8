"""HMAC-SHA256 request signing shared by every party of the agency-webhook scheme.

Used by the notifications service's outgoing agency webhooks, the permits webhook connector
(forwarding an application to an agency's back office) and the gateway's check of connector
callbacks (``POST /api/v1/connectors/{agency}/callbacks``)::

    X-MPP-Timestamp: <unix seconds>
    X-MPP-Signature: sha256=<hex HMAC-SHA256(secret, f"{timestamp}.{raw body}")>

The timestamp is signed as the text sent in the header (stripped of surrounding blanks).
``verify`` compares in constant time and refuses a timestamp more than ``tolerance`` seconds
away from now, so a captured request cannot be replayed later (a replay inside the window is
the receiver's to make harmless, e.g. by a delivery or decision id). It never raises on
malformed input: a missing header, a non-number timestamp or a non-ASCII signature is just
refused.
"""
import hashlib
import hmac
import time
from datetime import datetime

TIMESTAMP_HEADER = "X-MPP-Timestamp"
SIGNATURE_HEADER = "X-MPP-Signature"
PREFIX = "sha256="
DEFAULT_TOLERANCE_SECONDS = 300


def _bytes(value):
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


def _epoch(now):
    """Unix seconds of ``now``: ``None`` (the system clock), an aware datetime or a number."""
    if now is None:
        return time.time()
    if isinstance(now, datetime):
        return now.timestamp()
    return float(now)


def sign(secret, timestamp, body):
    """``"sha256=<hex>"`` over ``f"{timestamp}.{body}"`` (``secret``, ``body``: str or bytes)."""
    digest = hmac.new(_bytes(secret), _bytes(timestamp) + b"." + _bytes(body), hashlib.sha256)
    return PREFIX + digest.hexdigest()


def signature_headers(secret, body, now=None):
    """The two headers that sign ``body`` at ``now`` (see ``_epoch``)."""
    timestamp = str(int(_epoch(now)))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: sign(secret, timestamp, body)}


def verify(secret, timestamp, body, signature, now=None, tolerance=DEFAULT_TOLERANCE_SECONDS):
    """True only if ``signature`` (``"sha256=<hex>"``) is the HMAC of ``f"{timestamp}.{body}"``
    under ``secret`` and ``timestamp`` (unix seconds) is within ``tolerance`` seconds of
    ``now`` (``None``: the system clock; an aware datetime or unix seconds)."""
    if not secret or not isinstance(signature, str) or not signature.startswith(PREFIX):
        return False
    try:
        stamp = int(str(timestamp).strip())
        if abs(_epoch(now) - stamp) > tolerance:
            return False
    except (TypeError, ValueError, OverflowError):  # OverflowError: a 400-digit "timestamp"
        return False
    expected = sign(secret, str(timestamp).strip(), body)
    return hmac.compare_digest(expected.encode("ascii"),
                               signature.strip().encode("ascii", "replace"))
