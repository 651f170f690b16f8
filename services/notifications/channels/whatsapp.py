"""WhatsApp template messages over an HTTP provider (WhatsApp Business Cloud API shape).

Request (``POST config["whatsapp"]["url"]``, ``Authorization: Bearer <token>``)::

    {"messaging_product": "whatsapp", "recipient_type": "individual",
     "to": "6281100000001",                       # E.164 without "+", as the Cloud API wants
     "type": "template",
     "template": {"name": "mpp_ticket_called", "language": {"code": "id"},
                  "components": [{"type": "body",
                                  "parameters": [{"type": "text", "text": "A-012"}, ...]}]},
     "biz_opaque_callback_data": "<message id>"}  # echoed in receipts: maps them back

Answer ``{"messages": [{"id": "wamid..."}]}`` -> ``provider_id``. A 2xx means accepted:
``sending`` until the delivery receipt (``lifecycle.receipt_status``) or its timeout.
Config keys: ``url``, ``token``, optional ``timeout`` (seconds).
"""
from services.notifications.channels.base import (SendResult, channel_config, channel_send,
                                                  dumps, post_json)

CHANNEL = "whatsapp"


def build_request(message):
    content = message["content"]
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": message["to"].lstrip("+"),
        "type": "template",
        "template": {
            "name": content["name"],
            "language": {"code": content.get("language") or message.get("language") or "id"},
            "components": [{
                "type": "body",
                "parameters": [{"type": "text", "text": str(p)} for p in content["parameters"]],
            }],
        },
        "biz_opaque_callback_data": message["id"],
    }


@channel_send(CHANNEL)
def send(message, config):
    cfg = channel_config(config, CHANNEL)
    if not cfg.get("url") or not cfg.get("token"):
        return SendResult("technical_failure", None, {"error": "whatsapp not configured"})
    headers = {"Authorization": "Bearer {}".format(cfg["token"]),
               "Idempotency-Key": message["id"]}
    return post_json(cfg["url"], dumps(build_request(message)), headers, cfg["timeout"])
