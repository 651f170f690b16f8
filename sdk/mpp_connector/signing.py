"""The HMAC-SHA256 signature of every request between the suite and an agency: the suite's
agency webhooks and webhook-connector calls, and an agency's callbacks to the suite
(``POST /api/v1/connectors/{agency}/callbacks``). Specified, with test vectors and a
reference receiver, in ``docs/signatures.md``::

    X-MPP-Timestamp: <unix seconds, decimal ASCII digits>
    X-MPP-Signature: sha256=<lowercase hex HMAC-SHA256(key = secret as UTF-8,
                                message = timestamp + "." + raw body bytes)>

``check`` says why a request is refused (``REASONS``); ``verify`` is its yes/no. Both compare
in constant time, refuse a timestamp more than ``tolerance`` (300) seconds away from now, and
never raise on malformed input.
"""
import hashlib
import hmac
import time
from datetime import datetime

TIMESTAMP_HEADER = "X-MPP-Timestamp"
SIGNATURE_HEADER = "X-MPP-Signature"
PREFIX = "sha256="
DEFAULT_TOLERANCE_SECONDS = 300

#: why a signed request is refused, and what the receiver tells the sender
REASONS = {
    "missing_signature": "Tanda tangan atau cap waktu tidak ada / Signature or timestamp "
                         "header missing",
    "malformed_timestamp": "Cap waktu bukan detik Unix / Timestamp is not Unix seconds",
    "stale_timestamp": "Cap waktu di luar 300 detik (periksa jam server) / Timestamp outside "
                       "the 300-second window (check the server's clock)",
    "bad_signature": "Tanda tangan tidak cocok / Signature does not match",
}


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


def check(secret, timestamp, body, signature, now=None, tolerance=DEFAULT_TOLERANCE_SECONDS):
    """``None`` when the request is genuine and fresh, else the reason (a key of ``REASONS``):
    the timestamp is checked first, so a correctly signed old request is ``stale_timestamp``,
    never ``bad_signature``."""
    if not secret or not isinstance(signature, str) or not signature.strip() \
            or timestamp is None or not str(timestamp).strip():
        return "missing_signature"
    stamp = str(timestamp).strip()
    if not stamp.isascii() or not stamp.isdigit() or len(stamp) > 12:
        return "malformed_timestamp"
    if abs(_epoch(now) - int(stamp)) > tolerance:
        return "stale_timestamp"
    expected = sign(secret, stamp, body)
    if not hmac.compare_digest(expected.encode("ascii"),
                               signature.strip().encode("ascii", "replace")):
        return "bad_signature"
    return None


def verify(secret, timestamp, body, signature, now=None, tolerance=DEFAULT_TOLERANCE_SECONDS):
    """True only if ``check`` finds nothing wrong."""
    return check(secret, timestamp, body, signature, now, tolerance) is None
