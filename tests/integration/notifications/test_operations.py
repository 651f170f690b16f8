"""Operator-facing behaviour on the real broker and database: parking and replay, receipt
deadlines, status and counts, preferences, permits messages, retention of personal data."""
import pytest

from services.common.errors import NotFound, ValidationFailed
from services.notifications import simulator
from tests.integration.notifications.conftest import rpc, ticket_called, ticket_issued, wait_status
from tests.support import wait_for


def test_exhausted_retries_park_the_message_until_an_operator_replays_it(
        notify_config, start_notifications, events):
    start_notifications(notify_config)
    events.send("ticketing", "ticket_contact_given",
                ticket_issued("P-1", phone=simulator.PHONE_TECHNICAL))
    wait_for(lambda: _parked(notify_config, "ticket_issued:P-1"), message="the welcome to park")
    events.send("ticketing", "ticket_called", ticket_called("P-1"))
    mid = "ticket_called:P-1:1"
    message = wait_for(lambda: _parked(notify_config, mid), message="the message to park")
    # realtime: whatsapp once, then sms with the two realtime retry tiers
    tried = [(h["channel"], h["attempt"]) for h in message["history"] if h["status"] == "sending"]
    assert tried == [("whatsapp", 1), ("sms", 1), ("sms", 2), ("sms", 3)]
    assert message["status"] == "technical_failure"
    with rpc(notify_config) as notifications:
        counts = notifications.counts()
        assert {"channel": "sms", "status": "technical_failure", "count": 2} in counts["items"]
        # the citizen gives a working number; the operator replays the parking queue
        notifications.set_preferences("P-1", {"phone": "0811-0000-0001", "channels": ["sms"]})
        # the parked flag is written just before the item reaches the parking queue: replay
        # until both items came back, then nothing is left
        replayed = []
        wait_for(lambda: replayed.append(notifications.replay_parked()["replayed"]) or
                 sum(replayed) == 2, message="both parked items replayed")
        assert sum(replayed) == 2
        assert notifications.replay_parked() == {"taken": 0, "replayed": 0}
    message = wait_status(notify_config, mid, "delivered")
    assert (message["channel"], message["attempt"]) == ("sms", 1)
    assert "replayed" in [h.get("detail") for h in message["history"]]
    # the welcome went stale when the ticket was called: replayed, it expires unsent
    assert wait_status(notify_config, "ticket_issued:P-1", "expired")["history"][-1][
        "detail"] == "ticket_called"


def _parked(config, mid):
    with rpc(config) as notifications:
        try:
            message = notifications.get_message(mid)
        except NotFound:  # its event is not handled yet
            return None
    parked = [h for h in message["history"] if h.get("channel") == "sms" and h.get("attempt") == 3
              and h["status"] == "technical_failure"]
    return message if parked else None


def test_no_receipt_in_time_fails_over_then_gives_up(notify_config, start_notifications,
                                                     events):
    config = dict(notify_config, NOTIFY_RECEIPT_TIMEOUTS="whatsapp=0.3,sms=0.3")
    start_notifications(config)
    events.send("ticketing", "ticket_contact_given",
                ticket_issued("N-1", phone=simulator.PHONE_NO_RECEIPT))
    message = wait_status(config, "ticket_issued:N-1", "temporary_failure")
    assert [(h["status"], h.get("channel"), h.get("detail")) for h in message["history"]] == [
        ("created", None, None), ("sending", "whatsapp", None),
        ("sending", "whatsapp", "outcome no_receipt"), ("sending", "whatsapp", "no_receipt"),
        ("sending", "sms", None), ("sending", "sms", "outcome no_receipt"),
        ("temporary_failure", "sms", "no_receipt")]


def test_a_receipt_from_the_provider_completes_the_message(notify_config, start_notifications,
                                                           events):
    start_notifications(notify_config)
    events.send("ticketing", "ticket_contact_given",
                ticket_issued("N-2", phone=simulator.PHONE_NO_RECEIPT))
    wait_status(notify_config, "ticket_issued:N-2", "sending")
    with rpc(notify_config) as notifications:
        wait_for(lambda: notifications.get_message("ticket_issued:N-2")["provider_id"])
        answer = notifications.receipt("ticket_issued:N-2", "read", {"status": "read"})
        assert answer == {"id": "ticket_issued:N-2", "status": "delivered"}
        with pytest.raises(NotFound):
            notifications.receipt("ticket_issued:nope", "read")


def test_status_api_shows_no_personal_data_and_refuses_operators_in_ids(
        notify_config, start_notifications, events):
    start_notifications(notify_config)
    events.send("ticketing", "ticket_contact_given", ticket_issued(
        "S-1", phone=simulator.PHONE_DELIVERED, email="delivered@simulator.mpp.test"))
    message = wait_status(notify_config, "ticket_issued:S-1", "delivered")
    text = repr(message)
    assert simulator.PHONE_DELIVERED not in text and "simulator.mpp.test" not in text
    assert "content" not in message and "to" not in message
    with rpc(notify_config) as notifications:
        with pytest.raises(ValidationFailed):
            notifications.messages_for({"$gt": ""})
        with pytest.raises(NotFound):
            notifications.get_message("ticket_issued:none")
        assert notifications.counts("whatsapp") == {
            "items": [{"channel": "whatsapp", "status": "delivered", "count": 1}], "total": 1}
        with pytest.raises(ValidationFailed):
            notifications.set_preferences("S-1", {"phone": "12"})


def test_a_ticket_without_contact_records_why_nothing_was_sent(
        notify_config, start_notifications, events):
    start_notifications(notify_config)
    events.send("ticketing", "ticket_contact_given", ticket_issued("W-1"))
    message = wait_status(notify_config, "ticket_issued:W-1", "permanent_failure")
    assert message["history"][-1]["detail"] == "no_contact"


def test_permit_messages_use_what_the_submission_said(
        notify_config, start_notifications, events):
    start_notifications(notify_config)
    events.send("permits", "application_submitted", {
        "application_id": "APP-1", "tracking_code": "MPP-26-00042", "agency": "dpmptsp",
        "permit_type_id": "pbg", "permit_type_name": "Persetujuan Bangunan Gedung",
        "due_date": "2026-03-18", "language": "id",
        "contact": {"phone": "+6281100000003", "email": "delivered@simulator.mpp.test"}})
    submitted = wait_status(notify_config, "application_submitted:APP-1", "delivered")
    # the phone fails permanently on whatsapp and sms: e-mail is last in the order
    assert submitted["channel"] == "email"
    events.send("permits", "permit_issued", {
        "application_id": "APP-1", "tracking_code": "MPP-26-00042",
        "permit_number": "503/PBG/2026/1", "verify_url": "https://mpp.example/v/x"})
    issued = wait_status(notify_config, "permit_issued:APP-1", "delivered")
    assert issued["critical"] is True and issued["template"] == "id/permit_issued.email"
    events.send("permits", "application_status_changed", {
        "application_id": "APP-1", "tracking_code": "MPP-26-00042", "from": "approved",
        "to": "issued", "seq": 7, "action": "issue"})
    events.send("permits", "application_status_changed", {
        "application_id": "APP-1", "tracking_code": "MPP-26-00042", "from": "submitted",
        "to": "verifying", "seq": 2, "action": "verify"})
    wait_status(notify_config, "application_status_changed:APP-1:2", "delivered")
    with rpc(notify_config) as notifications:
        kinds = [m["kind"] for m in notifications.messages_for("APP-1")]
    assert sorted(kinds) == ["application_status_changed", "application_submitted",
                             "permit_issued"]  # "issued" is told by permit_issued alone


def test_retention_removes_recipients_and_bodies_and_keeps_status(
        notify_config, start_notifications, events, messages_db):
    config = dict(notify_config, MESSAGE_RETENTION_DAYS="0")
    start_notifications(config)
    events.send("ticketing", "ticket_contact_given",
                ticket_issued("D-1", phone=simulator.PHONE_DELIVERED))
    wait_status(config, "ticket_issued:D-1", "delivered")
    stored = messages_db.messages.find_one({"_id": "ticket_issued:D-1"})
    assert stored["to"] == simulator.PHONE_DELIVERED and stored["content"]["text"]
    with rpc(config) as notifications:
        assert notifications.purge_personal_data() == {"messages": 1, "recipients": 1}
        assert notifications.get_message("ticket_issued:D-1")["status"] == "delivered"
        assert notifications.counts()["total"] == 1
    stored = messages_db.messages.find_one({"_id": "ticket_issued:D-1"})
    assert not {"to", "content", "context", "provider_raw"} & set(stored)
    assert stored["status"] == "delivered" and stored["history"]
    assert "prefs" not in messages_db.recipients.find_one({"_id": "D-1"})
