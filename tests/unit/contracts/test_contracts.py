"""The contracts package: every event named has a payload schema that reads what its emitter
sends; the vocabulary it states matches the rules the services apply."""
import pytest
from marshmallow import ValidationError

from services.contracts import events, feedback, permits, roles, ticketing
from services.contracts.messages import INVALID_DATA

ENVELOPE = {"event_id": "e1", "occurred_at": "2026-12-07T00:30:00Z", "version": 1}


def _names():
    return {value for name, value in vars(events).items()
            if name.isupper() and isinstance(value, str)
            and name not in ("TICKETING", "PERMITS", "FEEDBACK", "STANDARDS")}


def test_every_event_name_has_a_payload_schema_and_a_source():
    assert _names() == set(events.PAYLOADS)
    assert _names() - {events.CONNECTOR_SUSPENDED} == set(events.SOURCES)


@pytest.mark.parametrize("name, payload", [
    ("ticket_called", {"ticket_id": "t1", "number": "B-014", "service_id": "ktp",
                       "agency": "disdukcapil", "counter_id": "c1", "counter_name": "Loket 1",
                       "call_seq": 3, "override": True}),
    ("ticket_skipped", {"ticket_id": "t1", "number": "B-014", "service_id": "ktp",
                        "agency": "disdukcapil", "counter_id": "c1", "returned_to_queue": False}),
    ("application_status_changed", {
        "application_id": "a1", "tracking_code": "PTSP-1", "agency": "dpmptsp",
        "permit_type_id": "sip", "language": "id", "from": "submitted", "to": "accepted",
        "seq": 2, "action": "accept"}),
    ("application_forwarded.manual", {
        "application_id": "a1", "tracking_code": "PTSP-1", "agency": "dpmptsp",
        "permit_type_id": "sip", "permit_type_version": 1, "connector": "manual", "seq": 3}),
    ("calendar_changed", {"timezone": "Asia/Jakarta", "days_off": ["2026-12-24"],
                          "working_days": [], "joint_holidays": False,
                          "suggested_days_off": {"2026-12-24": "Cuti bersama Natal"}}),
])
def test_payload_schemas_read_what_the_emitters_send(name, payload):
    loaded = events.payload_schema(name)().load(dict(ENVELOPE, **payload))
    assert loaded["event_id"] == "e1"


def test_a_payload_without_its_fields_does_not_read():
    with pytest.raises(ValidationError) as caught:
        events.payload_schema("ticket_issued")().load(ENVELOPE)
    assert "ticket_id" in caught.value.messages


def test_forwarded_event_names_its_connector():
    assert events.forwarded_to("manual") == "application_forwarded.manual"


def test_the_vocabulary_is_the_rules_the_services_apply():
    from services.feedback import complaints
    from services.permits import documents, permit_types, workflow
    from services.permits.connectors import vocabulary
    from services.ticketing import calling, hours

    assert ticketing.PRIORITY_GROUPS == calling.PRIORITY_GROUPS
    assert ticketing.WEEKDAYS == hours.WEEKDAYS
    assert permits.DEFAULT_MAX_DOCUMENT_BYTES == documents.DEFAULT_MAX_BYTES
    assert permits.FIELD_TYPES == permit_types.FIELD_TYPES
    assert permits.MAX_APPROVAL_LEVELS == workflow.MAX_APPROVAL_LEVELS
    assert permits.CANONICAL_STATUSES == vocabulary.CANONICAL_STATUSES
    assert feedback.KINDS == complaints.KINDS
    assert feedback.STATUSES == complaints.STATUSES


def test_roles():
    assert roles.STAFF == ("officer", "supervisor", "admin")
    assert roles.SUPERVISORS == ("supervisor", "admin")
    assert roles.ADMIN not in roles.KEY_ROLES
    assert INVALID_DATA == "Data tidak valid / Invalid data"
