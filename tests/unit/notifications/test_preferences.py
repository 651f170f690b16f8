from datetime import datetime, timezone

import pytest

from services.common.errors import ValidationFailed
from services.notifications import preferences as prefs
from services.notifications.preferences import plan_delivery

UTC = timezone.utc
QUIET = {"start": "21:00", "end": "06:00"}
# Jakarta is UTC+7: 15:00Z = 22:00 WIB (quiet), 05:00Z = 12:00 WIB (not quiet)
NIGHT = datetime(2025, 3, 4, 15, 0, tzinfo=UTC)
NOON = datetime(2025, 3, 4, 5, 0, tzinfo=UTC)
CITIZEN = {"phone": "0811-0000-0001", "email": "warga@example.id", "quiet_hours": QUIET}


@pytest.mark.parametrize("raw,e164", [
    ("0811-0000-0001", "+6281100000001"),
    ("+62 811-0000-0001", "+6281100000001"),
    ("6281234567890", "+6281234567890"),
    ("(0813) 1234 5678", "+6281312345678"),
    ("+1 650 555 1234", "+16505551234"),
])
def test_phone_numbers_are_normalised_to_e164(raw, e164):
    assert prefs.normalise_phone(raw) == e164


@pytest.mark.parametrize("raw", ["12", "not a phone", "", "+62 811", {"$gt": ""}, None])
def test_bad_phone_numbers_are_refused(raw):
    with pytest.raises(ValidationFailed) as err:
        prefs.normalise_phone(raw)
    assert "phone" in err.value.fields


def test_default_order_is_whatsapp_sms_email():
    plan = plan_delivery("booking_created", {"phone": "0811-0000-0001", "email": "a@b.id"}, NOON)
    assert plan.channels == ["whatsapp", "sms", "email"] and plan.send_now
    assert plan.as_dict() == {"channels": ["whatsapp", "sms", "email"], "defer_until": None,
                              "reason": None}


def test_the_citizens_order_and_contact_points_decide():
    plan = plan_delivery("booking_created", {"phone": "0811-0000-0001", "email": "a@b.id",
                                             "channels": ["email", "sms"]}, NOON)
    assert plan.channels == ["email", "sms"]
    assert plan_delivery("booking_created", {"email": "a@b.id"}, NOON).channels == ["email"]


def test_opt_out_is_honoured_even_for_critical_messages():
    p = dict(CITIZEN, opt_out=["whatsapp", "email"])
    assert plan_delivery("permit_issued", p, NIGHT).channels == ["sms"]
    assert plan_delivery("ticket_called", p, NOON).channels == ["sms"]
    everything = dict(CITIZEN, opt_out=["whatsapp", "sms", "email"])
    plan = plan_delivery("permit_issued", everything, NOON)
    assert plan.channels == [] and plan.reason == "opted_out" and not plan.send_now


def test_nobody_to_tell():
    plan = plan_delivery("ticket_called", {}, NOON)
    assert plan.channels == [] and plan.reason == "no_contact"


def test_optional_message_in_quiet_hours_waits_until_they_end():
    plan = plan_delivery("booking_created", CITIZEN, NIGHT)
    assert plan.channels == ["whatsapp", "sms", "email"]
    assert plan.reason == "quiet_hours" and not plan.send_now
    assert plan.defer_until == datetime(2025, 3, 4, 23, 0, tzinfo=UTC)  # 06:00 WIB next day


def test_after_midnight_quiet_hours_end_the_same_morning():
    at = datetime(2025, 3, 4, 19, 30, tzinfo=UTC)  # 02:30 WIB on 5 March
    plan = plan_delivery("application_status_changed", CITIZEN, at)
    assert plan.defer_until == datetime(2025, 3, 4, 23, 0, tzinfo=UTC)


def test_quiet_hours_are_read_in_the_mpp_zone():
    # 13:30Z is 20:30 in Jakarta (not quiet) but 21:30 in Makassar (quiet, ends 06:00 WITA)
    at = datetime(2025, 3, 4, 13, 30, tzinfo=UTC)
    assert plan_delivery("booking_created", CITIZEN, at).send_now
    plan = plan_delivery("booking_created", CITIZEN, at, zone_name="Asia/Makassar")
    assert plan.defer_until == datetime(2025, 3, 4, 22, 0, tzinfo=UTC)


def test_edges_of_the_window():
    start = datetime(2025, 3, 4, 14, 0, tzinfo=UTC)  # 21:00 WIB: quiet
    end = datetime(2025, 3, 4, 23, 0, tzinfo=UTC)  # 06:00 WIB: not quiet any more
    assert plan_delivery("booking_created", CITIZEN, start).reason == "quiet_hours"
    assert plan_delivery("booking_created", CITIZEN, end).send_now


def test_daytime_window_that_does_not_wrap():
    p = dict(CITIZEN, quiet_hours={"start": "12:00", "end": "13:00"})
    at = datetime(2025, 3, 4, 5, 30, tzinfo=UTC)  # 12:30 WIB
    assert plan_delivery("booking_created", p, at).defer_until == datetime(
        2025, 3, 4, 6, 0, tzinfo=UTC)
    assert plan_delivery("booking_created", p, NIGHT).send_now


@pytest.mark.parametrize("kind", ["permit_issued", "application_returned"])
def test_critical_messages_ignore_quiet_hours(kind):
    assert prefs.is_critical(kind)
    assert plan_delivery(kind, CITIZEN, NIGHT).send_now


@pytest.mark.parametrize("kind", ["ticket_called", "ticket_near_front", "ticket_issued"])
def test_queue_messages_are_not_deferred(kind):
    assert plan_delivery(kind, CITIZEN, NIGHT).send_now


def test_sla_warning_goes_to_the_agency_webhook_only():
    agency = {"webhook_url": "https://agency.example/hooks/mpp", "email": "ops@agency.example"}
    assert plan_delivery("application_sla_warning", agency, NIGHT).channels == ["webhook"]
    assert plan_delivery("application_sla_warning", {"email": "x@y.id"}, NOON).reason == \
        "no_contact"


def test_no_quiet_hours_configured():
    p = dict(CITIZEN, quiet_hours=None)
    assert plan_delivery("booking_created", p, NIGHT).send_now


def test_contact_for_channel():
    p = prefs.normalise(CITIZEN)
    assert prefs.contact_for("sms", p) == "+6281100000001"
    assert prefs.contact_for("email", p) == "warga@example.id"


def test_who_hears_of_an_event():
    from services.notifications.preferences import audiences

    hooks = {"dpmptsp": "https://si.dpmptsp.example/hooks"}
    # the citizen always; the agency's system when it has a webhook
    assert audiences("application_submitted", "dpmptsp", hooks) == [None, "dpmptsp"]
    assert audiences("application_submitted", "dinkes", hooks) == [None]
    assert audiences("permit_issued", "dpmptsp", hooks) == [None, "dpmptsp"]
    # the SLA warning is for the agency only; queue messages for the citizen only
    assert audiences("application_sla_warning", "dpmptsp", hooks) == ["dpmptsp"]
    assert audiences("application_sla_warning", "dinkes", hooks) == []
    assert audiences("ticket_called", "dpmptsp", hooks) == [None]


def test_an_agency_system_is_reached_by_its_webhook_only_at_any_hour():
    from services.notifications.preferences import agency_preferences

    prefs = agency_preferences("https://si.dpmptsp.example/hooks")
    assert plan_delivery("application_submitted", prefs, NIGHT, channels=["webhook"]).channels \
        == ["webhook"]
    assert plan_delivery("application_submitted", agency_preferences(None), NOON,
                         channels=["webhook"]).reason == "no_contact"


def test_agency_webhooks_and_their_keys_come_from_settings():
    from services.notifications import settings

    loaded = settings.load({"NOTIFY_AGENCY_WEBHOOKS": "dpmptsp=https://a.example/h, dinkes=",
                            "NOTIFY_AGENCY_WEBHOOK_SECRETS": "dpmptsp=k1",
                            "WEBHOOK_SECRET": "k0"})
    assert loaded.agency_webhooks == {"dpmptsp": "https://a.example/h"}
    assert loaded.channels["webhook"] == {"secret": "k0", "secrets": {"dpmptsp": "k1"}}
