from datetime import datetime, timezone

import pytest
from marshmallow import ValidationError

from services.common.errors import ValidationFailed
from services.notifications import schemas

INJECTION = {"$gt": ""}


def test_preferences_load_with_defaults_and_e164_phone():
    data = schemas.load(schemas.PreferencesSchema(), {"phone": "0811-0000-0001"})
    assert data == {"phone": "+6281100000001", "email": None, "webhook_url": None,
                    "language": "id", "channels": ["whatsapp", "sms", "email"], "opt_out": [],
                    "quiet_hours": None}


def test_full_preferences():
    data = schemas.PreferencesSchema().load({
        "phone": "+62 811-0000-0002", "email": "warga@example.id", "language": "en",
        "channels": ["sms", "email"], "opt_out": ["whatsapp", "whatsapp"],
        "quiet_hours": {"start": "21:00", "end": "06:00"}})
    assert data["channels"] == ["sms", "email"] and data["opt_out"] == ["whatsapp"]
    assert data["quiet_hours"] == {"start": "21:00", "end": "06:00"}


@pytest.mark.parametrize("field", ["phone", "email", "language", "webhook_url"])
def test_operator_objects_are_not_strings(field):
    with pytest.raises(ValidationFailed) as err:
        schemas.load(schemas.PreferencesSchema(), {"phone": "0811-0000-0001", field: INJECTION})
    assert field in err.value.fields


@pytest.mark.parametrize("payload,field", [
    ({"phone": "0811-0000-0001", "nik": "3201234567890001"}, "nik"),
    ({"phone": "12"}, "phone"),
    ({"email": "not-an-email"}, "email"),
    ({"phone": "0811-0000-0001", "language": "fr"}, "language"),
    ({"phone": "0811-0000-0001", "channels": ["sms", "sms"]}, "channels"),
    ({"phone": "0811-0000-0001", "channels": ["pigeon"]}, "channels"),
    ({"phone": "0811-0000-0001", "channels": []}, "channels"),
    ({"phone": "0811-0000-0001", "opt_out": ["fax"]}, "opt_out"),
    ({"phone": "0811-0000-0001", "quiet_hours": {"start": "25:00", "end": "06:00"}},
     "quiet_hours"),
    ({"phone": "0811-0000-0001", "quiet_hours": {"start": "21:00", "end": "06:00", "x": 1}},
     "quiet_hours"),
    ({}, "_schema"),
])
def test_bad_preferences_are_refused_with_the_field(payload, field):
    with pytest.raises(ValidationFailed) as err:
        schemas.load(schemas.PreferencesSchema(), payload)
    assert field in err.value.fields
    assert err.value.status == 422


@pytest.mark.parametrize("payload", [{"id": "ticket_called:T-1:1"},
                                     {"reference": "T-20250304-A-012"}])
def test_status_query_by_id_or_reference(payload):
    assert schemas.load(schemas.StatusQuerySchema(), payload) == payload


@pytest.mark.parametrize("payload", [
    {}, {"id": "a", "reference": "b"}, {"id": INJECTION}, {"reference": INJECTION},
    {"id": "$where"}, {"id": "a b"}, {"reference": ""}, {"id": "x" * 201}, {"id": "a", "x": 1},
    {"reference": ["a"]},
])
def test_bad_status_queries(payload):
    with pytest.raises(ValidationError):
        schemas.StatusQuerySchema().load(payload)


def test_counts_query():
    q = schemas.load(schemas.CountsQuerySchema(), {"since": "2025-03-04T00:00:00Z",
                                                   "channel": "sms"})
    assert q["since"] == datetime(2025, 3, 4, tzinfo=timezone.utc) and q["until"] is None
    for bad in ({"since": "2025-03-04T00:00:00"}, {"channel": INJECTION}, {"status": "x"}):
        with pytest.raises(ValidationFailed):
            schemas.load(schemas.CountsQuerySchema(), bad)


def test_message_status_output_has_no_personal_data_and_utc_times():
    doc = {"_id": "x", "id": "ticket_called:T-1:1", "reference": "T-1", "kind": "ticket_called",
           "status": "delivered", "channel": "sms", "channels": ["whatsapp", "sms"], "attempt": 1,
           "language": "id", "template": "id/ticket_called.sms", "template_version": "1",
           "provider_id": "p-1", "critical": False,
           "created_at": datetime(2025, 3, 4, 3, 0),  # naive, as pymongo returns it
           "updated_at": datetime(2025, 3, 4, 3, 0, 1, tzinfo=timezone.utc),
           "to": "+6281100000001", "content": {"text": "secret"}, "raw": {"body": "x"},
           "history": [{"status": "sending", "at": datetime(2025, 3, 4, 3, 0),
                        "channel": "sms", "attempt": 1, "detail": None, "to": "+62811"}]}
    out = schemas.MessageStatusSchema().dump(doc)
    assert "to" not in out and "content" not in out and "raw" not in out and "_id" not in out
    assert "to" not in out["history"][0]
    assert out["created_at"] == "2025-03-04T03:00:00Z"
    assert out["updated_at"] == "2025-03-04T03:00:01Z"
    assert out["template_version"] == "1"


def test_counts_output():
    out = schemas.CountsSchema().dump({"items": [{"channel": "sms", "status": "delivered",
                                                  "count": 3}], "total": 3})
    assert out == {"items": [{"channel": "sms", "status": "delivered", "count": 3}], "total": 3}
