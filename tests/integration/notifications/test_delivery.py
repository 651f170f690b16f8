"""The delivery pipeline on the real broker and database: exactly once, retries through TTL
queues, failover, expiry tied to the ticket, parking and replay, receipts, restart."""
import json

import eventlet
from eventlet.event import Event
from werkzeug import Response

from services.notifications import simulator
from tests.integration.notifications.conftest import (near_front, providers, rpc, sent_to,
                                                      ticket_called, ticket_issued, wait_status)

PHONE = "+6281234567890"  # not a simulator number: really sent to the loopback provider


def wa_ok(request):
    return Response(json.dumps({"messages": [{"id": "wamid.{}".format(len(request.data))}],
                                "status": "delivered"}), status=200,
                    content_type="application/json")


def test_ticket_issued_in_test_mode_is_delivered_by_the_simulator(
        notify_config, start_notifications, events):
    start_notifications(notify_config)
    events.send("ticketing", "ticket_contact_given", ticket_issued("T-1", phone="0811-0000-0001"))
    message = wait_status(notify_config, "ticket_issued:T-1", "delivered")
    assert message["channel"] == "whatsapp" and message["attempt"] == 1
    assert message["template"] == "id/ticket_issued.whatsapp"
    assert message["provider_id"].startswith("sim-")
    assert [h["status"] for h in message["history"]] == ["created", "sending", "delivered"]


def test_the_same_event_three_times_sends_one_message(
        notify_config, start_notifications, events, httpserver, caplog):
    caplog.set_level("INFO")  # what production logs (pymongo at WARNING: config/nameko.yaml)
    httpserver.expect_request("/wa").respond_with_handler(wa_ok)
    config = dict(notify_config, **providers(httpserver))
    start_notifications(config)
    event = events.send("ticketing", "ticket_contact_given",
                        ticket_issued("T-2", phone=PHONE, email="warga@example.id"))
    events.send("ticketing", "ticket_contact_given", event)           # redelivered as is
    events.send("ticketing", "ticket_contact_given", dict(event, event_id="another-delivery"))
    wait_status(config, "ticket_issued:T-2", "delivered")
    eventlet.sleep(0.5)  # room for a wrong second send to arrive
    [sent] = sent_to(httpserver, "/wa")
    assert sent["to"] == PHONE.lstrip("+")
    assert sent["template"]["name"] == "mpp_ticket_issued"
    with rpc(config) as notifications:
        [message] = notifications.messages_for("T-2")
    assert message["id"] == "ticket_issued:T-2" and message["status"] == "delivered"
    # nothing personal in any log line
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "ticket_issued:T-2" in text
    for personal in (PHONE, PHONE.lstrip("+"), "warga@example.id", "81234567890"):
        assert personal not in text


def test_provider_failing_twice_then_succeeding_ends_delivered_after_retries(
        notify_config, start_notifications, events, httpserver):
    answers = iter([500, 503])

    def flaky(request):
        code = next(answers, 200)
        if code != 200:
            return Response('{"error": "busy"}', status=code, content_type="application/json")
        return wa_ok(request)

    httpserver.expect_request("/wa").respond_with_handler(flaky)
    config = dict(notify_config, **providers(httpserver))
    start_notifications(config)
    events.send("ticketing", "booking_created", {
        "booking_code": "BK-7", "service_id": "samsat-pkb", "service_name": "Pajak Kendaraan",
        "agency": "samsat", "slot_start": "2099-03-04T02:00:00Z", "slot_local": "09:00",
        "date": "2099-03-04", "contact": {"phone": PHONE}, "language": "en"})
    message = wait_status(config, "booking_created:BK-7", "delivered")
    assert (message["channel"], message["attempt"]) == ("whatsapp", 3)
    assert message["provider_id"].startswith("wamid.")
    assert [(h["status"], h.get("attempt")) for h in message["history"]] == [
        ("created", None), ("sending", 1), ("temporary_failure", 1), ("sending", 2),
        ("temporary_failure", 2), ("sending", 3), ("delivered", 3)]
    assert len(sent_to(httpserver, "/wa")) == 3
    assert sent_to(httpserver, "/sms") == []
    assert sent_to(httpserver, "/wa")[0]["template"]["language"] == {"code": "en"}


def test_a_permanently_failing_channel_fails_over_to_the_next(
        notify_config, start_notifications, events, httpserver):
    httpserver.expect_request("/wa").respond_with_json({"error": "not a WhatsApp user"},
                                                       status=400)
    httpserver.expect_request("/sms").respond_with_json({"id": "sms-1", "status": "delivered"})
    config = dict(notify_config, **providers(httpserver))
    start_notifications(config)
    events.send("ticketing", "ticket_contact_given", ticket_issued("T-3", phone=PHONE))
    events.send("ticketing", "ticket_called", ticket_called("T-3", counter="Loket 5"))
    message = wait_status(config, "ticket_called:T-3:1", "delivered")
    assert (message["channel"], message["provider_id"]) == ("sms", "sms-1")
    assert [(h["status"], h.get("channel")) for h in message["history"]][1:] == [
        ("sending", "whatsapp"), ("permanent_failure", "whatsapp"),
        ("sending", "sms"), ("delivered", "sms")]
    texts = [s["text"] for s in sent_to(httpserver, "/sms")]
    assert "MPP: Nomor antrean A-001, silakan ke loket Loket 5." in texts


def test_a_near_front_message_whose_ticket_was_called_before_it_went_out_expires_unsent(
        notify_config, start_notifications, events, httpserver):
    def provider(request):
        body = json.loads(request.get_data())
        near = (body.get("template", {}).get("name") == "mpp_ticket_near_front"
                or "orang lagi" in body.get("text", ""))
        if near:  # the provider is down for this one: it waits in a retry queue
            return Response('{"error": "busy"}', status=503, content_type="application/json")
        return wa_ok(request)

    httpserver.expect_request("/wa").respond_with_handler(provider)
    httpserver.expect_request("/sms").respond_with_handler(provider)
    config = dict(notify_config, NOTIFY_RETRY_DELAYS="1,2", **providers(httpserver))
    start_notifications(config)
    events.send("ticketing", "ticket_contact_given", ticket_issued("T-4", phone=PHONE))
    events.send("ticketing", "ticket_near_front", near_front("T-4"))
    wait_status(config, "ticket_near_front:T-4", "temporary_failure")
    events.send("ticketing", "ticket_called", ticket_called("T-4"))
    wait_status(config, "ticket_called:T-4:1", "delivered")
    message = wait_status(config, "ticket_near_front:T-4", "expired")
    assert message["history"][-1]["detail"] == "ticket_called"
    attempts = [h for h in message["history"] if h["status"] == "sending"]
    assert [(h["channel"], h["attempt"]) for h in attempts] == [("whatsapp", 1), ("sms", 1)]
    # and a near-front message arriving after the call is never even tried
    events.send("ticketing", "ticket_near_front", dict(near_front("T-4"), people_ahead=1,
                                                       ticket_id="T-4"))
    events.send("ticketing", "ticket_contact_given", ticket_issued("T-5", phone=PHONE))
    events.send("ticketing", "ticket_called", ticket_called("T-5"))
    wait_status(config, "ticket_called:T-5:1", "delivered")
    events.send("ticketing", "ticket_near_front", near_front("T-5"))
    late = wait_status(config, "ticket_near_front:T-5", "expired")
    assert [h["status"] for h in late["history"]] == ["created", "expired"]


def test_stopped_service_sends_every_message_once_when_it_starts_again(
        notify_config, start_notifications, events, httpserver):
    httpserver.expect_request("/wa").respond_with_handler(wa_ok)
    config = dict(notify_config, **providers(httpserver))
    first = start_notifications(config)  # declares its durable queues
    first.stop()
    tickets = ["R-{}".format(i) for i in range(10)]
    called = tickets[:5]
    for tid in tickets:
        events.send("ticketing", "ticket_contact_given", ticket_issued(tid, phone=PHONE))
    for tid in called:
        events.send("ticketing", "ticket_called", ticket_called(tid))
    eventlet.sleep(0.3)
    assert sent_to(httpserver, "/wa") == []
    start_notifications(config)
    for tid in tickets:
        # the welcome of a ticket called meanwhile is stale: it may expire instead
        wait_status(config, "ticket_issued:{}".format(tid),
                    ("delivered", "expired") if tid in called else "delivered")
    for tid in called:
        wait_status(config, "ticket_called:{}:1".format(tid), "delivered")
    eventlet.sleep(0.5)
    sent = [s["biz_opaque_callback_data"] for s in sent_to(httpserver, "/wa")]
    assert len(sent) == len(set(sent))
    assert set(sent) >= {"ticket_issued:{}".format(t) for t in tickets[5:]} | {
        "ticket_called:{}:1".format(t) for t in called}


def test_a_first_attempt_cut_off_by_a_dying_handler_is_taken_over_once(
        notify_config, start_notifications, events, httpserver):
    """The first attempt is made by the event handler itself. A handler killed while the
    provider holds its request leaves the message ``created`` with its step claimed; the
    event comes back (unacked), and after the takeover delay the work queue sends it again,
    once, under the same message id (the provider's idempotency key)."""
    arrived, release = Event(), Event()
    answers = []

    def slow_then_ok(request):
        answers.append(request)
        if len(answers) == 1:
            arrived.send()
            release.wait()  # the first handler dies while its request is held here
        return wa_ok(request)

    httpserver.expect_request("/wa").respond_with_handler(slow_then_ok)
    # takeover after 3 s (the first delay longer than the 2 s provider timeout)
    config = dict(notify_config, NOTIFY_TIMEOUT="2", NOTIFY_RETRY_DELAYS="0.2,3",
                  NOTIFY_RECEIPT_TIMEOUTS="", **providers(httpserver))
    first = start_notifications(config)
    events.send("ticketing", "ticket_contact_given", ticket_issued("K-1", phone=PHONE))
    arrived.wait()
    first.kill()
    release.send()
    start_notifications(config)
    message = wait_status(config, "ticket_issued:K-1", "delivered")
    eventlet.sleep(0.5)  # room for a wrong third send
    sent = [s["biz_opaque_callback_data"] for s in sent_to(httpserver, "/wa")]
    assert sent == ["ticket_issued:K-1", "ticket_issued:K-1"]
    assert [h["status"] for h in message["history"]] == ["created", "sending", "delivered"]
