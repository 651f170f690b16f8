"""SMS through an HTTP SMS gateway taking JSON.

Request (``POST config["sms"]["url"]``, ``Authorization: Bearer <token>``,
``Idempotency-Key: <message id>``)::

    {"to": "+6281100000001", "from": "MPP", "text": "...", "reference": "<message id>"}

Answer: ``{"id" | "message_id" | "messageId": ..., "status": ...}``; a ``status`` word known to
``lifecycle.receipt_status`` wins (``"delivered"`` -> delivered, ``"failed"`` -> permanent),
otherwise a 2xx is ``sending`` (receipt to come).
Config keys: ``url``, ``token``, optional ``sender`` (default ``"MPP"``), ``timeout``.
"""
from services.notifications.channels.base import (SendResult, channel_config, channel_send,
                                                  dumps, post_json)

CHANNEL = "sms"


def build_request(message, sender="MPP"):
    return {"to": message["to"], "from": sender, "text": message["content"]["text"],
            "reference": message["id"]}


@channel_send(CHANNEL)
def send(message, config):
    cfg = channel_config(config, CHANNEL)
    if not cfg.get("url") or not cfg.get("token"):
        return SendResult("technical_failure", None, {"error": "sms not configured"})
    headers = {"Authorization": "Bearer {}".format(cfg["token"]),
               "Idempotency-Key": message["id"]}
    body = build_request(message, cfg.get("sender") or "MPP")
    return post_json(cfg["url"], dumps(body), headers, cfg["timeout"])
