import re
from datetime import date, datetime, timezone

import pytest
from jinja2 import DictLoader

from services.notifications import templates

UTC = timezone.utc

CONTEXT = dict(
    number="A-012", service_name="KTP-el", mpp_name="MPP Kabupaten Kapuas", people_ahead=3,
    issued_at=datetime(2025, 3, 4, 1, 5, tzinfo=UTC), counter="5", booking_code="BK-7Q2",
    slot_start=datetime(2025, 3, 5, 2, 30, tzinfo=UTC), tracking_code="MPP-25-00042", pin="482913",
    permit_name="PBG", submitted_at="2025-03-04T01:00:00Z", due_date=date(2025, 3, 18),
    reason="Foto KTP buram", status="verified", permit_number="503/PBG/2025/0012",
    verify_url="https://mpp.example/v/abc", application_id="app1", agency_id="dpmptsp",
    due_at=datetime(2025, 3, 18, 9, 0, tzinfo=UTC), working_days_left=2, threshold=80,
    survey_url="http://127.0.0.1:8000/survey#t=" + "x" * 43,
    connector="webhook", agency_name="DPMPTSP Kabupaten Kapuas",
    suspended_at="2025-03-04T01:05:00Z")

ALL = [(event, channel, lang) for event, channels in templates.EVENTS.items()
       for channel in channels for lang in templates.LANGUAGES]


@pytest.mark.parametrize("event,channel,lang", ALL)
def test_every_template_exists_in_both_languages_and_renders(event, channel, lang):
    out = templates.render(event, channel, lang, CONTEXT)
    assert out["language"] == lang
    assert out["template"] == "{}/{}.{}".format(lang, event, channel)
    source = (templates.TEMPLATE_DIR / lang / "{}.{}.j2".format(event, channel)).read_text()
    assert out["template_version"] == re.match(r"\{# version: (\S+) #\}", source).group(1)
    assert templates.template_version(event, channel, lang) == (out["template"],
                                                                out["template_version"])
    content = out["content"]
    if channel == "whatsapp":
        assert content["name"] == "mpp_" + event and content["language"] == lang
        params = content["parameters"]
        assert params and all(isinstance(p, str) and p for p in params)
    elif channel == "email":
        assert content["subject"] and content["text"]
    elif channel == "sms":
        assert content["text"].startswith("MPP: ") and len(content["text"]) <= 160
    else:
        assert content["payload"]["type"] == event
    flat = repr(content)
    assert "\\u202f" not in flat and "\\xa0" not in flat and "{{" not in flat


def test_wording_of_queue_messages_in_indonesian_and_english():
    near = templates.render("ticket_near_front", "sms", "id", CONTEXT)["content"]["text"]
    assert "3 orang lagi sebelum Anda" in near
    called = templates.render("ticket_called", "sms", "id", CONTEXT)["content"]["text"]
    assert called == "MPP: Nomor antrean A-012, silakan ke loket 5."
    called_en = templates.render("ticket_called", "whatsapp", "en", CONTEXT)["content"]
    assert called_en["parameters"] == ["A-012", "5"]
    assert called_en["text"] == "Queue number A-012, please go to counter 5."


def test_times_are_shown_in_the_mpp_zone_formatted_by_locale():
    # 01:05 UTC is 08:05 in Jakarta (WIB), 09:05 in Makassar (WITA)
    text_id = templates.render("ticket_issued", "email", "id", CONTEXT)["content"]["text"]
    assert "Diambil: 4 Mar 2025 08.05" in text_id
    text_en = templates.render("ticket_issued", "email", "en", CONTEXT)["content"]["text"]
    assert "Taken: Mar 4, 2025 8:05 AM" in text_en
    wita = templates.render("ticket_issued", "email", "id", CONTEXT, zone_name="Asia/Makassar")
    assert "09.05" in wita["content"]["text"]
    booking = templates.render("booking_created", "whatsapp", "id", CONTEXT)["content"]
    assert booking["parameters"][2:] == ["Rabu, 05 Maret 2025", "09.30"]
    booking_en = templates.render("booking_created", "whatsapp", "en", CONTEXT)["content"]
    assert booking_en["parameters"][2:] == ["Wednesday, March 5, 2025", "9:30 AM"]


def test_a_date_near_midnight_uses_the_local_day():
    ctx = dict(CONTEXT, slot_start=datetime(2025, 3, 4, 17, 30, tzinfo=UTC))  # 00:30 WIB 5 Mar
    text = templates.render("booking_cancelled", "sms", "id", ctx)["content"]["text"]
    assert "5 Mar 2025 pukul 00.30" in text


def test_status_labels_are_translated():
    assert templates.render("application_status_changed", "sms", "id", CONTEXT)["content"][
        "text"] == "MPP: Status permohonan MPP-25-00042: terverifikasi."
    assert "status: verified" in templates.render(
        "application_status_changed", "sms", "en", CONTEXT)["content"]["text"]
    odd = dict(CONTEXT, status="something_new")
    assert "something_new" in templates.render(
        "application_status_changed", "sms", "id", odd)["content"]["text"]


def test_missing_variable_is_an_error_not_a_blank():
    ctx = dict(CONTEXT)
    del ctx["counter"]
    with pytest.raises(templates.TemplateError, match="counter"):
        templates.render("ticket_called", "sms", "id", ctx)


def test_unknown_language_falls_back_to_indonesian():
    out = templates.render("ticket_called", "sms", "jv", CONTEXT)
    assert out["language"] == "id" and out["template"] == "id/ticket_called.sms"
    assert "silakan ke loket 5" in out["content"]["text"]


def test_a_template_missing_in_english_falls_back_to_the_indonesian_file(monkeypatch):
    loader = DictLoader({
        "id/ticket_called.sms.j2":
            "{# version: 7 #}\n{% block text %}Loket {{ counter }}{% endblock %}",
    })
    monkeypatch.setattr(templates, "environment", lambda: templates.make_environment(loader))
    out = templates.render("ticket_called", "sms", "en", CONTEXT)
    assert out["language"] == "id" and out["template_version"] == "7"
    assert out["content"]["text"] == "Loket 5"


def test_a_template_without_version_is_refused(monkeypatch):
    loader = DictLoader({"id/ticket_called.sms.j2": "{% block text %}x{% endblock %}"})
    monkeypatch.setattr(templates, "environment", lambda: templates.make_environment(loader))
    with pytest.raises(templates.TemplateError, match="version"):
        templates.render("ticket_called", "sms", "id", CONTEXT)


def test_unknown_event_or_channel_is_an_error():
    with pytest.raises(templates.TemplateError):
        templates.render("ticket_teleported", "sms", "id", CONTEXT)
    with pytest.raises(templates.TemplateError):
        templates.render("ticket_called", "webhook", "id", CONTEXT)


def test_webhook_payload_is_json_with_utc_timestamps():
    payload = templates.render("application_sla_warning", "webhook", "en", CONTEXT)["content"][
        "payload"]
    assert payload["due_at"] == "2025-03-18T09:00:00Z"
    assert payload["working_days_left"] == 2 and payload["language"] == "en"
    assert "16:00" in payload["summary"] or "4:00 PM" in payload["summary"]
