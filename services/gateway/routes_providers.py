"""Delivery providers' doors: the WhatsApp Cloud API webhook and the SMS gateway's reports.

- ``GET /api/v1/providers/whatsapp/webhook``: Meta's verification handshake; answers
  ``hub.challenge`` as text when ``hub.verify_token`` is ``WHATSAPP_VERIFY_TOKEN``.
- ``POST /api/v1/providers/whatsapp/webhook``: status and message notifications, signed by
  Meta with the app secret (``X-Hub-Signature-256: sha256=<HMAC-SHA256(body)>``,
  ``WHATSAPP_APP_SECRET``). ``statuses`` become delivery receipts of our messages (by the
  ``biz_opaque_callback_data`` we sent, else the ``wamid``); a text message "STOP" or
  "BERHENTI" opts the sender's number out of WhatsApp.
- ``POST /api/v1/providers/sms/reports``: the SMS gateway's delivery reports (and replies),
  signed with the MPP's scheme (``X-MPP-Timestamp``, ``X-MPP-Signature``,
  ``SMS_WEBHOOK_SECRET``; a timestamp more than 5 minutes away is refused)::

      {"reports": [{"reference": "<our message id>", "id": "<theirs>", "status": "delivered"}],
       "replies": [{"from": "+6281100000001", "text": "BERHENTI"}]}

Forged (bad or missing signature) -> 401 and nothing changes; the size is checked before the
body is read. A report is applied once (the notifications service keys it by the body's
digest): a provider's retry or a replay answers 200 ``duplicate`` and changes nothing; a
receipt for a message we do not know answers 200 and changes nothing. Nothing personal is
logged or answered: counts only.
"""
import hashlib
import hmac
import json
import logging

from werkzeug.wrappers import Response

from services.common import settings, signing
from services.common.errors import Forbidden, Unauthorized
from services.contracts import api as rs
from services.gateway import requests as req
from services.gateway.http import route

log = logging.getLogger(__name__)

TAG = "providers"
MAX_REPORT_BYTES = req.MAX_JSON_BYTES
BAD_SIGNATURE = "Tanda tangan tidak valid / Invalid signature"
NOT_CONFIGURED = "Penyedia belum dikonfigurasi / Provider not configured"


def _raw(request):
    """The body, refused by its declared size before it is read (413)."""
    if request.content_length is None or request.content_length > MAX_REPORT_BYTES:
        raise req.PayloadTooLarge("Isi permintaan terlalu besar / Request body too large",
                                  {"max_bytes": MAX_REPORT_BYTES})
    raw = request.get_data(cache=True)
    if len(raw) > MAX_REPORT_BYTES:
        raise req.PayloadTooLarge("Isi permintaan terlalu besar / Request body too large",
                                  {"max_bytes": MAX_REPORT_BYTES})
    return raw


def whatsapp_signature_ok(secret, raw, header):
    if not secret or not isinstance(header, str) or not header.startswith("sha256="):
        return False
    expected = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), header.strip().encode("ascii", "replace"))


def whatsapp_items(payload):
    """``(statuses, replies)`` of a Cloud API notification (``entry[].changes[].value``)."""
    statuses, replies = [], []
    for entry in payload.get("entry") or []:
        for change in (entry or {}).get("changes") or []:
            value = (change or {}).get("value") or {}
            for status in value.get("statuses") or []:
                if isinstance(status, dict):
                    statuses.append({"message_id": status.get("biz_opaque_callback_data"),
                                     "provider_id": status.get("id"),
                                     "status": status.get("status"),
                                     "raw": {"status": status.get("status"),
                                             "timestamp": status.get("timestamp"),
                                             "errors": status.get("errors")}})
            for message in value.get("messages") or []:
                if isinstance(message, dict) and message.get("type") == "text":
                    replies.append({"from": message.get("from"),
                                    "text": (message.get("text") or {}).get("body")})
    return statuses, replies


def sms_items(payload):
    reports = payload.get("reports")
    if reports is None and payload.get("status"):
        reports = [payload]
    statuses = [{"message_id": r.get("reference"), "provider_id": r.get("id"),
                 "status": r.get("status"), "raw": {"status": r.get("status")}}
                for r in reports or [] if isinstance(r, dict)]
    replies = [{"from": r.get("from"), "text": r.get("text")}
               for r in payload.get("replies") or [] if isinstance(r, dict)]
    return statuses, replies


def _object(raw):
    try:
        data = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise req.MalformedJson("JSON tidak valid / Malformed JSON") from None
    if not isinstance(data, dict):
        raise req.MalformedJson("JSON tidak valid / Malformed JSON")
    return data


class ProviderRoutes:
    def _report(self, channel, raw, statuses, replies):
        key = "{}:{}".format(channel, hashlib.sha256(raw).hexdigest())
        done = self._call(self.notifications.provider_report, channel, key, statuses, replies)
        log.info("%s report: %s applied, %s unknown, %s opt-outs%s", channel, done["applied"],
                 done["unknown"], done["opted_out"], " (duplicate)" if done["duplicate"] else "")
        return req.json_response(dict(done, received=len(statuses)))

    @route("GET", "/api/v1/providers/whatsapp/webhook", operation_id="verifyWhatsappWebhook",
           tags=[TAG], auth="hmac", produces="text/plain",
           problems=(403,), summary="WhatsApp Cloud API webhook verification (hub.challenge)")
    def whatsapp_handshake(self, request):
        token = settings.get(self.config, "WHATSAPP_VERIFY_TOKEN")
        given = request.args.get("hub.verify_token", "")
        if request.args.get("hub.mode") != "subscribe" or not token or not hmac.compare_digest(
                token.encode(), given.encode("utf-8", "replace")):
            raise Forbidden("Token verifikasi salah / Wrong verify token")
        challenge = request.args.get("hub.challenge", "")[:200]
        return Response(challenge, status=200, mimetype="text/plain")

    @route("POST", "/api/v1/providers/whatsapp/webhook", operation_id="receiveWhatsappWebhook",
           response=rs.ProviderReport,
           tags=[TAG], auth="hmac",
           problems=(400, 401, 413),
           summary="WhatsApp Cloud API notifications: delivery statuses and replies "
                   "(X-Hub-Signature-256)")
    def whatsapp_webhook(self, request):
        secret = settings.get(self.config, "WHATSAPP_APP_SECRET")
        raw = _raw(request)
        if not whatsapp_signature_ok(secret, raw, request.headers.get("X-Hub-Signature-256")):
            log.warning("whatsapp webhook with a bad signature")
            raise Unauthorized(BAD_SIGNATURE, {"reason": "signature"})
        statuses, replies = whatsapp_items(_object(raw))
        return self._report("whatsapp", raw, statuses, replies)

    @route("POST", "/api/v1/providers/sms/reports", operation_id="receiveSmsReport",
           response=rs.ProviderReport,
           tags=[TAG], auth="hmac",
           problems=(400, 401, 413),
           summary="SMS gateway delivery reports and replies (X-MPP-Timestamp, X-MPP-Signature)")
    def sms_reports(self, request):
        secret = settings.get(self.config, "SMS_WEBHOOK_SECRET")
        raw = _raw(request)
        if not signing.verify(secret, request.headers.get(signing.TIMESTAMP_HEADER), raw,
                              request.headers.get(signing.SIGNATURE_HEADER)):
            log.warning("sms report with a bad or stale signature")
            raise Unauthorized(BAD_SIGNATURE, {"reason": "signature"})
        statuses, replies = sms_items(_object(raw))
        return self._report("sms", raw, statuses, replies)
