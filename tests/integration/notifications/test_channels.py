"""Channels against real local receivers: an SMTP server (aiosmtpd) and HTTP endpoints
(pytest-httpserver) on loopback. Nothing is mocked: the channel code opens real sockets.

aiosmtpd runs asyncio; tests/conftest.py monkey-patches the standard library with eventlet,
under which an asyncio loop in a thread does not work reliably. So the SMTP server runs in a
subprocess (its own, unpatched interpreter) and writes each message it accepts as a JSON line
to a file the test reads.

HTTP endpoints come from the ``httpserver`` fixture of this folder's ``conftest.py`` (a real
pytest-httpserver on loopback, started with a green selector: see its docstring).
"""
import base64
import json
import logging
import socket
import subprocess
import sys
import time
from email import message_from_bytes, policy

import pytest
from werkzeug import Response

from services.notifications import channels, templates
from services.notifications.channels import email as email_channel
from services.notifications.channels import sms, webhook, whatsapp

SMTP_SERVER = r'''
import base64, json, sys, time
from aiosmtpd.controller import Controller

port, out = int(sys.argv[1]), sys.argv[2]

class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("busy@"):
            return "451 4.2.1 Mailbox busy, try later"
        if address.startswith("nobody@"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with open(out, "a") as f:
            f.write(json.dumps({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                                "data": base64.b64encode(envelope.original_content).decode()})
                    + "\n")
        return "250 2.0.0 Ok: queued as Q42"

controller = Controller(Handler(), hostname="127.0.0.1", port=port)
controller.start()
print("ready", flush=True)
while True:
    time.sleep(3600)
'''

TOKEN = "test-token-not-a-secret"
SECRET = "webhook-secret-for-tests"
PHONE = "+6281234567890"  # not a simulator number: must really be sent
ADDRESS = "warga@example.id"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(tmp_path):
    port, out = free_port(), tmp_path / "mail.jsonl"
    out.touch()
    proc = subprocess.Popen([sys.executable, "-c", SMTP_SERVER, str(port), str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("SMTP server did not start: {}".format(
                        proc.stderr.read().decode() if proc.poll() is not None else "timeout"))
                time.sleep(0.05)

        def received():
            lines = out.read_text().splitlines()
            return [json.loads(line) for line in lines]

        yield {"port": port, "received": received}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def email_config(port):
    return {"email": {"host": "127.0.0.1", "port": port, "security": "none",
                      "from": "MPP Kapuas <noreply@mpp-kapuas.example>", "timeout": 5}}


def rendered(event, channel, lang="id", **extra):
    ctx = dict(number="A-012", counter="5", people_ahead=3, service_name="KTP-el",
               tracking_code="MPP-25-00042", permit_name="PBG", permit_number="503/PBG/2025/12",
               verify_url="https://mpp.example/v/abc", issued_at="2025-03-04T01:05:00Z",
               application_id="app1", agency_id="dpmptsp", status="verified",
               due_at="2025-03-18T09:00:00Z", working_days_left=2, threshold=80)
    ctx.update(extra)
    return templates.render(event, channel, lang, ctx)["content"]


def message(channel, to, content, kind="ticket_called", mid="ticket_called:T-1:1"):
    return {"id": mid, "kind": kind, "channel": channel, "attempt": 1, "to": to,
            "language": "id", "content": content}


# --- e-mail -----------------------------------------------------------------------------------

def test_email_is_delivered_to_a_real_smtp_server(smtp_server):
    content = rendered("permit_issued", "email")
    msg = message("email", ADDRESS, content, "permit_issued", "permit_issued:app1")
    result = channels.send(msg, email_config(smtp_server["port"]))
    assert result.status == "delivered"
    assert result.raw["smtp_code"] == 250 and "Q42" in result.raw["smtp_reply"]
    [mail] = smtp_server["received"]()
    assert mail["rcpt_tos"] == [ADDRESS]
    assert mail["mail_from"] == "noreply@mpp-kapuas.example"
    parsed = message_from_bytes(base64.b64decode(mail["data"]), policy=policy.default)
    assert parsed["Subject"] == "PENTING: Izin 503/PBG/2025/12 telah terbit"
    assert parsed["To"] == ADDRESS
    assert parsed["Message-ID"] == result.provider_id
    assert parsed["X-MPP-Message"] == "permit_issued:app1"
    body = parsed.get_body(("plain",)).get_content()
    assert "Nomor izin: 503/PBG/2025/12" in body
    assert "Cek keaslian: https://mpp.example/v/abc" in body


def test_email_with_non_ascii_text_arrives_intact(smtp_server):
    content = {"subject": "Pemberitahuan – nomor A-012 ✓", "text": "Señor, giliran Anda — loket 5."}
    result = email_channel.send(message("email", ADDRESS, content),
                                email_config(smtp_server["port"]))
    assert result.status == "delivered"
    [mail] = smtp_server["received"]()
    parsed = message_from_bytes(base64.b64decode(mail["data"]), policy=policy.default)
    assert parsed["Subject"] == content["subject"]
    assert parsed.get_body(("plain",)).get_content().strip() == content["text"]


@pytest.mark.parametrize("to,status,code", [
    ("busy@example.id", "temporary_failure", 451),
    ("nobody@example.id", "permanent_failure", 550),
])
def test_email_refusals_map_to_failure_classes(smtp_server, to, status, code):
    result = email_channel.send(message("email", to, rendered("ticket_called", "email")),
                                email_config(smtp_server["port"]))
    assert (result.status, result.raw["smtp_code"], result.raw["smtp_stage"]) == (status, code,
                                                                                   "rcpt")
    assert smtp_server["received"]() == []


def test_email_without_a_server_is_a_technical_failure():
    result = email_channel.send(message("email", ADDRESS, rendered("ticket_called", "email")),
                                email_config(free_port()))
    assert result.status == "technical_failure"
    assert result.raw == {"error": "ConnectionRefusedError"}


# --- WhatsApp and SMS -------------------------------------------------------------------------

def test_whatsapp_template_message_with_bearer_token(httpserver):
    httpserver.expect_oneshot_request(
        "/v20.0/123/messages", method="POST",
        headers={"Authorization": "Bearer " + TOKEN, "Idempotency-Key": "ticket_called:T-1:1"},
    ).respond_with_json({"messaging_product": "whatsapp", "messages": [{"id": "wamid.HBg1"}]})
    config = {"whatsapp": {"url": httpserver.url_for("/v20.0/123/messages"), "token": TOKEN}}
    result = whatsapp.send(message("whatsapp", PHONE, rendered("ticket_called", "whatsapp")),
                           config)
    httpserver.check_assertions()
    assert (result.status, result.provider_id) == ("sending", "wamid.HBg1")
    assert result.raw["http_status"] == 200
    [(request, _)] = httpserver.log
    sent = json.loads(request.get_data())
    assert sent["to"] == "6281234567890" and sent["type"] == "template"
    assert sent["template"]["name"] == "mpp_ticket_called"
    assert sent["template"]["language"] == {"code": "id"}
    assert sent["template"]["components"][0]["parameters"] == [
        {"type": "text", "text": "A-012"}, {"type": "text", "text": "5"}]
    assert sent["biz_opaque_callback_data"] == "ticket_called:T-1:1"


def test_sms_sent_as_json_and_provider_answer_kept(httpserver):
    httpserver.expect_oneshot_request(
        "/sms", method="POST", headers={"Authorization": "Bearer " + TOKEN},
    ).respond_with_json({"message_id": "sms-77", "status": "delivered"})
    config = {"sms": {"url": httpserver.url_for("/sms"), "token": TOKEN, "sender": "MPPKAPUAS"}}
    result = sms.send(message("sms", PHONE, rendered("ticket_called", "sms")), config)
    httpserver.check_assertions()
    assert (result.status, result.provider_id) == ("delivered", "sms-77")
    assert result.raw == {"http_status": 200, "body": {"message_id": "sms-77",
                                                       "status": "delivered"}}
    [(request, _)] = httpserver.log
    assert json.loads(request.get_data()) == {
        "to": PHONE, "from": "MPPKAPUAS", "text": "MPP: Nomor antrean A-012, silakan ke loket 5.",
        "reference": "ticket_called:T-1:1"}


def test_a_wrong_token_is_refused_by_the_provider(httpserver):
    def provider(request):
        ok = request.headers.get("Authorization") == "Bearer " + TOKEN
        return Response('{"id": "1"}' if ok else '{"error": "unauthorized"}',
                        status=202 if ok else 401, content_type="application/json")

    httpserver.expect_request("/sms").respond_with_handler(provider)
    url = httpserver.url_for("/sms")
    good = sms.send(message("sms", PHONE, {"text": "x"}), {"sms": {"url": url, "token": TOKEN}})
    bad = sms.send(message("sms", PHONE, {"text": "x"}), {"sms": {"url": url, "token": "nope"}})
    assert (good.status, good.provider_id) == ("sending", "1")
    assert bad.status == "technical_failure" and bad.raw["http_status"] == 401


@pytest.mark.parametrize("code,status", [
    (500, "temporary_failure"), (503, "temporary_failure"), (429, "temporary_failure"),
    (400, "permanent_failure"), (404, "permanent_failure"), (422, "permanent_failure"),
    (403, "technical_failure"),
])
@pytest.mark.parametrize("module", [sms, whatsapp])
def test_provider_http_status_maps_to_failure_class(httpserver, module, code, status):
    httpserver.expect_request("/p").respond_with_json({"error": "nope"}, status=code)
    config = {module.CHANNEL: {"url": httpserver.url_for("/p"), "token": TOKEN}}
    content = rendered("ticket_called", module.CHANNEL)
    result = module.send(message(module.CHANNEL, PHONE, content), config)
    assert result.status == status
    assert result.provider_id is None
    assert result.raw == {"http_status": code, "body": {"error": "nope"}}


@pytest.mark.parametrize("module", [sms, whatsapp])
def test_connection_refused_is_a_technical_failure(module):
    config = {module.CHANNEL: {"url": "http://127.0.0.1:{}/p".format(free_port()),
                               "token": TOKEN, "timeout": 5}}
    result = module.send(message(module.CHANNEL, PHONE, rendered("ticket_called", module.CHANNEL)),
                         config)
    assert (result.status, result.raw) == ("technical_failure", {"error": "ConnectionError"})


def test_simulator_numbers_never_reach_the_provider(httpserver):
    httpserver.expect_request("/sms").respond_with_json({"id": "real"})
    config = {"sms": {"url": httpserver.url_for("/sms"), "token": TOKEN}}
    result = channels.send(message("sms", "+6281100000003", {"text": "x"}), config)
    assert result.status == "permanent_failure" and result.raw["simulated"]
    assert httpserver.log == []
    real = channels.send(message("sms", PHONE, {"text": "x"}), config)
    assert real.provider_id == "real" and len(httpserver.log) == 1


# --- webhooks ---------------------------------------------------------------------------------

def test_webhook_is_signed_and_the_signature_verifies(httpserver):
    httpserver.expect_oneshot_request("/hooks/mpp", method="POST").respond_with_data("", status=204)
    content = rendered("application_sla_warning", "webhook")
    msg = message("webhook", httpserver.url_for("/hooks/mpp"), content,
                  "application_sla_warning", "application_sla_warning:app1:3")
    result = webhook.send(msg, {"webhook": {"secret": SECRET}})
    httpserver.check_assertions()
    assert result.status == "delivered" and result.raw["http_status"] == 204
    [(request, _)] = httpserver.log
    body = request.get_data()
    ts, sig = request.headers["X-MPP-Timestamp"], request.headers["X-MPP-Signature"]
    assert sig.startswith("sha256=")
    assert webhook.verify_signature(SECRET, ts, body, sig, time.time())
    assert not webhook.verify_signature("another-secret", ts, body, sig, time.time())
    assert not webhook.verify_signature(SECRET, ts, body.replace(b"app1", b"app2"), sig,
                                        time.time())
    assert not webhook.verify_signature(SECRET, ts, body, sig, time.time() + 3600)
    assert request.headers["X-MPP-Event"] == "application_sla_warning"
    assert request.headers["X-MPP-Delivery"] == "application_sla_warning:app1:3"
    sent = json.loads(body)
    assert sent["id"] == "application_sla_warning:app1:3"
    assert sent["data"]["tracking_code"] == "MPP-25-00042"
    assert sent["data"]["due_at"] == "2025-03-18T09:00:00Z"


@pytest.mark.parametrize("code,status", [(500, "temporary_failure"), (400, "permanent_failure"),
                                         (410, "permanent_failure")])
def test_webhook_failures(httpserver, code, status):
    httpserver.expect_request("/hook").respond_with_data("no", status=code)
    msg = message("webhook", httpserver.url_for("/hook"), {"payload": {"a": 1}})
    assert webhook.send(msg, {"webhook": {"secret": SECRET}}).status == status


def test_webhook_answer_with_a_status_word_is_still_delivered(httpserver):
    # an agency's 2xx means it has the message, whatever its body says
    httpserver.expect_request("/hook").respond_with_json({"status": "queued"})
    msg = message("webhook", httpserver.url_for("/hook"), {"payload": {"a": 1}})
    assert webhook.send(msg, {"webhook": {"secret": SECRET}}).status == "delivered"


def test_webhook_connection_refused_and_missing_secret(httpserver):
    msg = message("webhook", "http://127.0.0.1:{}/hook".format(free_port()), {"payload": {}})
    assert webhook.send(msg, {"webhook": {"secret": SECRET, "timeout": 5}}).status == \
        "technical_failure"
    msg = message("webhook", httpserver.url_for("/hook"), {"payload": {}})
    result = webhook.send(msg, {"webhook": {}})
    assert result.status == "technical_failure" and httpserver.log == []


# --- personal data ----------------------------------------------------------------------------

def test_no_phone_address_or_body_in_logs(httpserver, smtp_server, caplog):
    caplog.set_level(logging.DEBUG)
    httpserver.expect_request("/sms").respond_with_json({"id": "1"})
    httpserver.expect_request("/wa").respond_with_json({"messages": [{"id": "2"}]})
    httpserver.expect_request("/fail").respond_with_json({"to": PHONE}, status=400)
    config = dict(email_config(smtp_server["port"]),
                  sms={"url": httpserver.url_for("/sms"), "token": TOKEN},
                  whatsapp={"url": httpserver.url_for("/wa"), "token": TOKEN})
    results = [
        channels.send(message("sms", PHONE, rendered("ticket_called", "sms")), config),
        channels.send(message("whatsapp", PHONE, rendered("ticket_called", "whatsapp")), config),
        channels.send(message("email", ADDRESS, rendered("ticket_called", "email")), config),
        channels.send(message("sms", PHONE, {"text": "x"}),
                      {"sms": {"url": httpserver.url_for("/fail"), "token": TOKEN}}),
    ]
    assert [r.status for r in results] == ["sending", "sending", "delivered",
                                           "permanent_failure"]
    text = caplog.text
    assert "ticket_called:T-1:1" in text  # the log line is there, with the id only
    for secret in (PHONE, PHONE.lstrip("+"), ADDRESS, "silakan ke loket", TOKEN):
        assert secret not in text
