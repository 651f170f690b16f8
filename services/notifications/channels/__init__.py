"""Delivery channels: ``send(message, config) -> SendResult`` for whatsapp, sms, email, webhook.

Library choice. The design prefers apprise; we evaluated it (2.3.0) and use it nowhere on the
send path, because ``Apprise.notify()`` answers only ``True``/``False``: it cannot tell a
provider's 500 (retry) from a 400 (fail over) from a refused connection, it returns no provider
message id nor the provider's answer (both kept on every message), and its e-mail plugin logs
the recipient address at INFO ("Sent Email to …"), which our no-personal-data-in-logs rule
forbids. So WhatsApp/SMS/webhooks use ``requests`` (JSON POST, status mapped below) and e-mail
uses the standard library's ``smtplib`` (reply codes mapped below).

``message`` (what the service hands a channel)::

    {"id": "ticket_called:T-1:1",   # the dedup key; sent as Idempotency-Key where possible
     "kind": "ticket_called", "channel": "sms", "attempt": 1,   # 1-based, per channel
     "to": "+6281100000001" | "a@b.id" | "https://agency/hook",
     "language": "id", "content": {...}}   # templates.render(...)["content"]

``config`` (built by the service from its nameko config; never hard-coded)::

    {"test_mode": False, "timeout": 10,
     "whatsapp": {"url": ..., "token": ...},
     "sms": {"url": ..., "token": ..., "sender": "MPP"},
     "email": {"host": ..., "port": 25, "security": "none"|"starttls"|"ssl",
               "username": None, "password": None, "from": "MPP <noreply@...>"},
     "webhook": {"secret": ...}}

HTTP answer -> status (whatsapp, sms, webhook): 2xx -> ``delivered`` (webhook; or a provider
saying so) / ``sending`` (provider accepted, receipt to come); 408, 425, 429, 5xx ->
``temporary_failure``; 401, 403 -> ``technical_failure`` (our credentials); other 4xx ->
``permanent_failure``; no answer (refused, DNS, timeout, TLS) -> ``technical_failure``.

No channel logs a phone number, an address or a body: only the message id and the outcome.
"""
from services.notifications.channels import email, sms, webhook, whatsapp
from services.notifications.channels.base import SendResult  # noqa: F401  (the result type)

MODULES = {"whatsapp": whatsapp, "sms": sms, "email": email, "webhook": webhook}


def send(message, config):
    """Send through ``message["channel"]``. Never raises for a delivery problem (it is in the
    result); ``ValueError`` for an unknown channel."""
    module = MODULES.get(message.get("channel"))
    if module is None:
        raise ValueError("unknown channel {!r}".format(message.get("channel")))
    return module.send(message, config)
