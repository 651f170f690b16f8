"""A phone number given on the portal (a booking, a filing) gets the booking's or filing's
first message only, carrying its confirmation code, until the citizen confirms the number:
the code typed on the portal (five wrong ones a day, then refused) or a ``YA`` reply. A kiosk
ticket's number is not asked (typed in the hall; that day's ticket only; the daily cap)."""
from datetime import datetime, timedelta, timezone

import pytest

from services.common.errors import TooManyAttempts, ValidationFailed
from services.notifications import confirmation
from tests.integration.notifications.conftest import (rpc, ticket_called, ticket_issued,
                                                      wait_status)

KEY = "phone-key-for-tests-0123456789abcdef"
DONE = ("delivered", "permanent_failure")


def booking(code, phone):
    slot = (datetime.now(timezone.utc) + timedelta(days=2)).replace(microsecond=0)
    return {"booking_code": code, "service_id": "dpmptsp-nib", "service_name": "NIB",
            "agency": "dpmptsp", "slot_start": slot.isoformat(), "language": "id",
            "contact": {"phone": phone}}


def _sent_text(messages_db, message_id):
    return messages_db.messages.find_one({"_id": message_id})["content"]["text"]


def _failure_detail(messages_db, message_id):
    return messages_db.messages.find_one({"_id": message_id})["history"][-1].get("detail")


@pytest.fixture
def started(notify_config, start_notifications):
    notify_config["NOTIFY_PHONE_KEY"] = KEY
    start_notifications(notify_config)
    return notify_config


def test_a_portal_number_gets_its_first_message_only_until_confirmed(started, events,
                                                                     messages_db):
    phone, e164 = "0811-5200-0011", "+6281152000011"
    events.send("ticketing", "booking_created", booking("BK-1", phone))
    assert wait_status(started, "booking_created:BK-1", DONE)["status"] == "delivered"
    code = confirmation.code_for(KEY, e164)
    assert code in _sent_text(messages_db, "booking_created:BK-1")
    # a second message to the unconfirmed number is not sent (staff see why)
    events.send("ticketing", "booking_cancelled", booking("BK-1", phone))
    assert wait_status(started, "booking_cancelled:BK-1", DONE)["status"] == "permanent_failure"
    assert _failure_detail(messages_db, "booking_cancelled:BK-1") == "phone_unconfirmed"

    with rpc(started) as notifications:
        wrong = "{:06d}".format((int(code) + 1) % 10 ** 6)
        with pytest.raises(ValidationFailed) as refused:
            notifications.confirm_phone(phone, wrong)
        assert "code" in refused.value.fields
        assert notifications.confirm_phone(phone, code) == {"confirmed": True}
    # confirmed: the next booking's messages all go, without a code
    events.send("ticketing", "booking_created", booking("BK-2", phone))
    assert wait_status(started, "booking_created:BK-2", DONE)["status"] == "delivered"
    assert code not in _sent_text(messages_db, "booking_created:BK-2")
    events.send("ticketing", "booking_cancelled", booking("BK-2", phone))
    assert wait_status(started, "booking_cancelled:BK-2", DONE)["status"] == "delivered"
    assert e164 not in repr(list(messages_db.confirmed_numbers.find({})))


def test_a_yes_reply_confirms_the_number(started, events):
    phone = "+6281152000012"
    with rpc(started) as notifications:
        answer = notifications.provider_report("sms", "report-yes-1", [],
                                               [{"from": phone, "text": " ya "}])
    assert answer["confirmed"] == 1
    events.send("ticketing", "booking_created", booking("BK-3", phone))
    events.send("ticketing", "booking_cancelled", booking("BK-3", phone))
    assert wait_status(started, "booking_cancelled:BK-3", DONE)["status"] == "delivered"


def test_guessing_the_code_stops_after_five_wrong_ones(started):
    phone = "0811-5200-0013"
    code = confirmation.code_for(KEY, "+6281152000013")
    wrong = "{:06d}".format((int(code) + 7) % 10 ** 6)
    with rpc(started) as notifications:
        for _ in range(5):
            with pytest.raises(ValidationFailed):
                notifications.confirm_phone(phone, wrong)
        with pytest.raises(TooManyAttempts):
            notifications.confirm_phone(phone, code)  # even the right one, today


def test_a_kiosk_tickets_number_is_not_asked_to_confirm(started, events):
    events.send("ticketing", "ticket_contact_given", ticket_issued("T-9", phone="0811-5200-0014"))
    assert wait_status(started, "ticket_issued:T-9", DONE)["status"] == "delivered"
    events.send("ticketing", "ticket_called", ticket_called("T-9"))
    assert wait_status(started, "ticket_called:T-9:1", DONE)["status"] == "delivered"
