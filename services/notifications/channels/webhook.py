"""Agency webhooks: JSON POST signed with HMAC-SHA256, and the check the gateway reuses.

Request (``POST message["to"]``)::

    X-MPP-Timestamp: 1741050300                   # unix seconds
    X-MPP-Signature: sha256=<hex HMAC-SHA256(secret, f"{timestamp}.{body}")>
    X-MPP-Event: application_sla_warning
    X-MPP-Delivery: <message id>                  # same on every retry: the receiver dedups
    {"id": "<message id>", "event": "<kind>", "data": {...rendered payload...}}

``body`` is the exact bytes sent (compact JSON, sorted keys, UTF-8). A 2xx is ``delivered``
(the agency's system has it); other answers map as in ``channels``. The receiver verifies with
``verify_signature`` (constant-time compare; timestamps older or newer than ``tolerance``
seconds are refused, so a captured request cannot be replayed later).
Config keys: ``secret`` (required), optional ``timeout``; ``config["clock"]`` (a
``services.common.clock.Clock``) stamps the time, default the system clock.
"""
import hashlib
import hmac
import time
from datetime import datetime

from services.notifications.channels import (SendResult, channel_config, channel_send, dumps,
                                             post_json)

CHANNEL = "webhook"
TIMESTAMP_HEADER = "X-MPP-Timestamp"
SIGNATURE_HEADER = "X-MPP-Signature"
PREFIX = "sha256="


def _bytes(value):
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


def _epoch(now):
    if now is None:
        return time.time()
    if isinstance(now, datetime):
        return now.timestamp()
    return float(now)


def sign(secret, timestamp, body):
    """``"sha256=<hex>"`` over ``f"{timestamp}.{body}"`` (``body``: bytes or str)."""
    digest = hmac.new(_bytes(secret), _bytes(timestamp) + b"." + _bytes(body), hashlib.sha256)
    return PREFIX + digest.hexdigest()


def signature_headers(secret, body, now=None):
    timestamp = str(int(_epoch(now)))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: sign(secret, timestamp, body)}


def verify_signature(secret, timestamp, body, signature, now, tolerance=300):
    """True only if ``signature`` (``"sha256=<hex>"``) is the HMAC of ``f"{timestamp}.{body}"``
    under ``secret`` and ``timestamp`` (unix seconds) is within ``tolerance`` seconds of ``now``
    (aware datetime or unix seconds). Never raises on malformed input: it is just refused."""
    if not secret or not isinstance(signature, str) or not signature.startswith(PREFIX):
        return False
    try:
        stamp = int(str(timestamp).strip())
    except (TypeError, ValueError):
        return False
    if abs(_epoch(now) - stamp) > tolerance:
        return False
    expected = sign(secret, str(timestamp).strip(), body)
    return hmac.compare_digest(expected.encode("ascii"),
                               signature.strip().encode("ascii", "replace"))


def build_body(message):
    return dumps({"id": message["id"], "event": message.get("kind"),
                  "data": message["content"]["payload"]})


@channel_send(CHANNEL)
def send(message, config):
    cfg = channel_config(config, CHANNEL)
    if not cfg.get("secret") or not message.get("to"):
        return SendResult("technical_failure", None, {"error": "webhook not configured"})
    clock = (config or {}).get("clock")
    body = build_body(message)
    headers = signature_headers(cfg["secret"], body, clock.now() if clock else None)
    headers.update({"X-MPP-Event": str(message.get("kind")), "X-MPP-Delivery": message["id"]})
    return post_json(message["to"], body, headers, cfg["timeout"], accepted_status="delivered",
                     read_status=False)
