"""Agency webhooks: JSON POST signed with HMAC-SHA256 (``services.common.signing``).

Request (``POST message["to"]``)::

    X-MPP-Timestamp: 1741050300                   # unix seconds
    X-MPP-Signature: sha256=<hex HMAC-SHA256(secret, f"{timestamp}.{body}")>
    X-MPP-Event: application_sla_warning
    X-MPP-Delivery: <message id>                  # same on every retry: the receiver dedups
    {"id": "<message id>", "event": "<kind>", "data": {...rendered payload...}}

``body`` is the exact bytes sent (compact JSON, sorted keys, UTF-8). A 2xx is ``delivered``
(the agency's system has it); other answers map as in ``channels``. The receiver verifies with
``verify_signature`` (``signing.verify``: constant-time compare; timestamps older or newer
than ``tolerance`` seconds are refused, so a captured request cannot be replayed later).
Config keys: ``secret`` (the default key), ``secrets`` (``{agency: key}``: a message with an
``agency`` is signed with that agency's own key when it has one), optional ``timeout``; ``config["clock"]`` (a
``services.common.clock.Clock``) stamps the time, default the system clock.
"""
from services.common import signing
from services.notifications.channels.base import (SendResult, channel_config, channel_send,
                                                  dumps, post_json)

CHANNEL = "webhook"
# the scheme lives in services.common.signing (the permits connector and the gateway use it too)
TIMESTAMP_HEADER = signing.TIMESTAMP_HEADER
SIGNATURE_HEADER = signing.SIGNATURE_HEADER
PREFIX = signing.PREFIX
sign = signing.sign
signature_headers = signing.signature_headers
verify_signature = signing.verify


def build_body(message):
    return dumps({"id": message["id"], "event": message.get("kind"),
                  "data": message["content"]["payload"]})


@channel_send(CHANNEL)
def send(message, config):
    cfg = channel_config(config, CHANNEL)
    secret = (cfg.get("secrets") or {}).get(message.get("agency")) or cfg.get("secret")
    if not secret or not message.get("to"):
        return SendResult("technical_failure", None, {"error": "webhook not configured"})
    clock = (config or {}).get("clock")
    body = build_body(message)
    headers = signature_headers(secret, body, clock.now() if clock else None)
    headers.update({"X-MPP-Event": str(message.get("kind")), "X-MPP-Delivery": message["id"]})
    return post_json(message["to"], body, headers, cfg["timeout"], accepted_status="delivered",
                     read_status=False)
