"""Providers' receipts and replies over HTTP, against the running suite with real sends.

Notifications send for real (``NOTIFY_TEST_MODE=0``) to a local WhatsApp and SMS provider
(an HTTP server standing in for Meta's Cloud API and the SMS gateway). The provider's side is
played the way the providers do it: signed requests to the gateway's provider routes.
WhatsApp waits ``RECEIPT_WAIT`` seconds for its receipt before failing over to SMS."""
import hashlib
import hmac
import json
import time

import pytest
from nameko.standalone.rpc import ServiceRpcProxy
from werkzeug.wrappers import Response

from services.common import signing
from services.gateway.openapi import DOCUMENT
from tests.integration.gateway.helpers import CATALOGUE, PASSWORD, bearer, documented
from tests.support import wait_for

APP_SECRET = "meta-app-secret-" + "a" * 16
VERIFY_TOKEN = "verify-token-" + "b" * 16
SMS_SECRET = "sms-gateway-hmac-" + "c" * 32
RECEIPT_WAIT = 2


class Provider:
    """The WhatsApp Cloud API and the SMS gateway, as far as our sends see them."""

    def __init__(self, httpserver):
        self.sent = {"whatsapp": [], "sms": []}
        httpserver.expect_request("/whatsapp/messages", method="POST").respond_with_handler(
            lambda request: self._accept("whatsapp", request))
        httpserver.expect_request("/sms/send", method="POST").respond_with_handler(
            lambda request: self._accept("sms", request))
        self.url = httpserver.url_for

    def _accept(self, channel, request):
        body = json.loads(request.get_data())
        self.sent[channel].append(body)
        n = len(self.sent[channel])
        answer = ({"messages": [{"id": "wamid.{}".format(n)}]} if channel == "whatsapp"
                  else {"id": "sms-{}".format(n), "status": "accepted"})
        return Response(json.dumps(answer), status=200, mimetype="application/json")

    def whatsapp_to(self, phone_digits):
        return [b for b in self.sent["whatsapp"] if b["to"] == phone_digits]

    def sms_to(self, e164):
        return [b for b in self.sent["sms"] if b["to"] == e164]


@pytest.fixture
def provider(httpserver):
    return Provider(httpserver)


@pytest.fixture
def api(start_suite, gateway_config, provider, web_session):
    gateway_config.update(
        NOTIFY_TEST_MODE="0", WHATSAPP_URL=provider.url("/whatsapp/messages"),
        WHATSAPP_TOKEN="wa-token-" + "d" * 20, SMS_URL=provider.url("/sms/send"),
        SMS_TOKEN="sms-token-" + "e" * 16,
        NOTIFY_RECEIPT_TIMEOUTS="whatsapp={},sms=300".format(RECEIPT_WAIT),
        WHATSAPP_APP_SECRET=APP_SECRET, WHATSAPP_VERIFY_TOKEN=VERIFY_TOKEN,
        SMS_WEBHOOK_SECRET=SMS_SECRET)
    start_suite(gateway_config, CATALOGUE)
    with ServiceRpcProxy("gateway", gateway_config) as gateway:
        gateway.ensure_demo_accounts(["samsat"], PASSWORD)
    return web_session


def whatsapp_post(api, payload, secret=APP_SECRET):
    raw = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return api.post("/api/v1/providers/whatsapp/webhook", data=raw, headers={
        "Content-Type": "application/json", "X-Hub-Signature-256": signature})


def whatsapp_status(message_id, status, wamid="wamid.1"):
    return {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{
        "field": "messages", "value": {"messaging_product": "whatsapp", "statuses": [{
            "id": wamid, "status": status, "timestamp": str(int(time.time())),
            "recipient_id": "6281252000001", "biz_opaque_callback_data": message_id}]}}]}]}


def whatsapp_reply(from_digits, text):
    return {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{
        "field": "messages", "value": {"messaging_product": "whatsapp", "messages": [{
            "from": from_digits, "id": "wamid.in", "timestamp": str(int(time.time())),
            "type": "text", "text": {"body": text}}]}}]}]}


def sms_post(api, payload, secret=SMS_SECRET, now=None):
    raw = json.dumps(payload)
    headers = dict(signing.signature_headers(secret, raw, now),
                   **{"Content-Type": "application/json"})
    return api.post("/api/v1/providers/sms/reports", data=raw, headers=headers)


def take_ticket(api, phone):
    answer = api.post("/api/v1/tickets", json={"service_id": "samsat-pkb",
                                               "contact": {"phone": phone}})
    assert answer.status_code == 201, answer.text
    return answer.json()


def messages(api, reference):
    answer = api.get("/api/v1/notifications", params={"reference": reference},
                     headers=bearer(api, "admin"))
    assert answer.status_code == 200, answer.text
    return answer.json()["messages"]


def test_the_handshake_answers_the_challenge_to_the_right_token_only(api):
    path = "/api/v1/providers/whatsapp/webhook"
    good = api.get(path, params={"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN,
                                 "hub.challenge": "1158201444"})
    assert good.status_code == 200 and good.text == "1158201444"
    assert good.headers["Content-Type"].startswith("text/plain")  # as the document says
    document = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    assert list(document["paths"][path]["get"]["responses"]["200"]["content"]) == [
        "text/plain"]
    wrong = api.get(path, params={"hub.mode": "subscribe", "hub.verify_token": "guess",
                                  "hub.challenge": "1158201444"})
    assert wrong.status_code == 403 and "1158201444" not in wrong.text


def queued(config, queue):
    """Messages in ``queue`` now, ready or being handled (the broker's own count)."""
    import kombu

    with kombu.Connection(config["AMQP_URI"]) as connection:
        channel = connection.channel()
        ready = channel.queue_declare(queue, passive=True).message_count
    return ready


def test_a_receipt_in_time_means_no_failover_and_no_second_message(api, provider,
                                                                    gateway_config):
    ticket = take_ticket(api, "0812-5200-0001")
    sent = wait_for(lambda: provider.whatsapp_to("6281252000001"), timeout=20,
                    message="the WhatsApp send")
    message_id = sent[0]["biz_opaque_callback_data"]

    forged = whatsapp_post(api, whatsapp_status(message_id, "delivered"), secret="not-meta")
    assert forged.status_code == 401
    assert messages(api, ticket["id"])[0]["status"] == "sending"  # the forgery changed nothing

    delivered = whatsapp_status(message_id, "delivered")
    answer = whatsapp_post(api, delivered)
    assert documented(answer) == {"duplicate": False, "applied": 1, "unknown": 0, "opted_out": 0,
                             "confirmed": 0,
                             "received": 1}
    message = messages(api, ticket["id"])[0]
    assert message["status"] == "delivered" and message["channel"] == "whatsapp"

    replayed = whatsapp_post(api, delivered)  # the same signed request again
    assert documented(replayed)["duplicate"] is True

    # the receipt deadline's timer (a message in the delay queue) has come back and was
    # handled: both queues are empty
    wait_for(lambda: queued(gateway_config, "notifications.retry.{}ms".format(
        RECEIPT_WAIT * 1000)) == 0 and queued(gateway_config, "notifications.work") == 0,
        timeout=30, message="the receipt deadline passed and handled")
    assert provider.sms_to("+6281252000001") == []  # the citizen got the message once
    assert messages(api, ticket["id"])[0]["status"] == "delivered"


def test_without_a_receipt_the_message_fails_over_to_sms_and_its_report_is_applied(
        api, provider):
    ticket = take_ticket(api, "0812-5200-0002")
    wait_for(lambda: provider.whatsapp_to("6281252000002"), timeout=20,
             message="the WhatsApp send")
    sms = wait_for(lambda: provider.sms_to("+6281252000002"), timeout=30,
                   message="the failover to SMS after the receipt deadline")
    reference = sms[0]["reference"]

    stale = sms_post(api, {"reports": [{"reference": reference, "status": "delivered"}]},
                     now=time.time() - 3600)
    assert stale.status_code == 401  # a report captured an hour ago is not taken
    unsigned = api.post("/api/v1/providers/sms/reports", json={
        "reports": [{"reference": reference, "status": "delivered"}]})
    assert unsigned.status_code == 401
    assert messages(api, ticket["id"])[0]["status"] == "sending"

    answer = sms_post(api, {"reports": [{"reference": reference, "id": "sms-1",
                                         "status": "delivered"}]})
    assert documented(answer)["applied"] == 1
    message = messages(api, ticket["id"])[0]
    assert message["status"] == "delivered" and message["channel"] == "sms"


def test_a_receipt_for_an_unknown_message_changes_nothing(api, provider):
    answer = whatsapp_post(api, whatsapp_status("msg-that-never-was", "failed", "wamid.nope"))
    assert answer.status_code == 200
    assert answer.json()["applied"] == 0 and answer.json()["unknown"] == 1
    answer = sms_post(api, {"reports": [{"reference": "nope", "status": "delivered"}]})
    assert answer.status_code == 200 and answer.json()["unknown"] == 1


def test_berhenti_opts_the_number_out_of_whatsapp(api, provider):
    answer = whatsapp_post(api, whatsapp_reply("6281252000003", "  berhenti "))
    assert answer.status_code == 200 and answer.json()["opted_out"] == 1
    ticket = take_ticket(api, "0812-5200-0003")
    wait_for(lambda: provider.sms_to("+6281252000003"), timeout=20,
             message="the message by SMS instead")
    assert provider.whatsapp_to("6281252000003") == []
    assert messages(api, ticket["id"])[0]["channel"] == "sms"


def test_a_body_too_large_is_refused_before_it_is_read(api):
    answer = api.post("/api/v1/providers/sms/reports", data=b"x" * (70 * 1024),
                      headers={"Content-Type": "application/json"})
    assert answer.status_code == 413
