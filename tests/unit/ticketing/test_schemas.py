import datetime as dt

import pytest

from services.common.errors import ValidationFailed
from services.ticketing import schemas as s

INJECTION = {"$gt": ""}
SERVICE = {"id": "disdukcapil-ktp", "agency": "disdukcapil", "prefix": "A",
           "name": "Perekaman KTP-el"}
BOOKING = {"service_id": "disdukcapil-ktp", "date": "2026-11-30", "slot_start": "08:00",
           "name": " Siti Aminah ", "phone": "0811-0000-0001"}


def refused(schema, data):
    with pytest.raises(ValidationFailed) as err:
        s.load(schema, data)
    return err.value.fields


def test_issue_ticket_defaults_and_e164():
    data = s.load(s.IssueTicketSchema(), {"service_id": "disdukcapil-ktp",
                                          "contact": {"phone": "+62 811-0000-0002"}})
    assert data == {"service_id": "disdukcapil-ktp", "priority_group": None,
                    "contact": {"phone": "+6281100000002", "email": None}, "language": "id",
                    "idempotency_key": None}


@pytest.mark.parametrize("schema,base,field", [
    (s.IssueTicketSchema, {"service_id": "x"}, "service_id"),
    (s.IssueTicketSchema, {"service_id": "x"}, "priority_group"),
    (s.IssueTicketSchema, {"service_id": "x"}, "language"),
    (s.IssueTicketSchema, {"service_id": "x"}, "idempotency_key"),
    (s.BookingSchema, BOOKING, "name"),
    (s.BookingSchema, BOOKING, "phone"),
    (s.BookingSchema, BOOKING, "nik"),
    (s.BookingSchema, BOOKING, "slot_start"),
    (s.BookingSchema, BOOKING, "date"),
    (s.BookingCodeSchema, {"code": "K7M4QX"}, "code"),
    (s.OpenCounterSchema, {"counter_id": "c1", "officer": "budi"}, "officer"),
    (s.TicketActionSchema, {"counter_id": "c1", "ticket_id": "t"}, "ticket_id"),
    (s.TransferSchema, {"counter_id": "c1", "ticket_id": "t", "target_service_id": "b"},
     "target_service_id"),
    (s.OverrideCallSchema, {"counter_id": "c1", "ticket_id": "t", "officer": "budi",
                            "reason": "alasan"}, "reason"),
    (s.ServiceSchema, SERVICE, "prefix"),
    (s.ServiceSchema, SERVICE, "name"),
    (s.AgencySchema, {"code": "a", "name": "A"}, "code"),
])
def test_injected_operator_is_refused_with_a_field_message(schema, base, field):
    fields = refused(schema(), dict(base, **{field: INJECTION}))
    assert field in fields and fields[field]


def test_injection_inside_nested_contact():
    fields = refused(s.IssueTicketSchema(), {"service_id": "x", "contact": {"phone": INJECTION}})
    assert "phone" in fields["contact"]


@pytest.mark.parametrize("phone", ["12", "0811", "+1 202 555", "hello", "+62 21 00"])
def test_malformed_phone(phone):
    assert "phone" in refused(s.BookingSchema(), dict(BOOKING, phone=phone))


@pytest.mark.parametrize("nik", ["620301234567000", "62030123456700011", "620301234567000A",
                                 6203012345670001])
def test_nik_must_be_16_digits(nik):
    assert "nik" in refused(s.BookingSchema(), dict(BOOKING, nik=nik))


def test_booking_loads():
    data = s.load(s.BookingSchema(), dict(BOOKING, nik="6203012345670001", language="en"))
    assert data["date"] == dt.date(2026, 11, 30) and data["name"] == "Siti Aminah"
    assert data["phone"] == "+6281100000001" and data["nik"] == "6203012345670001"


@pytest.mark.parametrize("schema,data", [
    (s.IssueTicketSchema, {"service_id": "x", "nik": "6203012345670001"}),
    (s.IssueTicketSchema, {"service_id": "x", "contact": {"phone": "0811-0000-0001", "x": 1}}),
    (s.BookingSchema, dict(BOOKING, status="checked_in")),
    (s.ServiceSchema, dict(SERVICE, colour="red")),
    (s.SkipSchema, {"counter_id": "c", "ticket_id": "t", "force": True}),
])
def test_unknown_fields_are_refused(schema, data):
    assert "Unknown field." in str(refused(schema(), data))


@pytest.mark.parametrize("data,field", [
    ({"service_id": "x", "priority_group": "vip"}, "priority_group"),
    ({"service_id": "x", "language": "fr"}, "language"),
    ({"service_id": "has space"}, "service_id"),
    ({"service_id": "$where"}, "service_id"),
    ({}, "service_id"),
    ({"service_id": "x", "contact": {"email": "not-an-email"}}, "contact"),
])
def test_issue_ticket_refusals(data, field):
    assert field in refused(s.IssueTicketSchema(), data)


@pytest.mark.parametrize("group", ["lansia", "disabilitas", "ibu_hamil", "appointment", None])
def test_priority_groups(group):
    assert s.load(s.IssueTicketSchema(), {"service_id": "x", "priority_group": group}
                  )["priority_group"] == group


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_booking_name_refusals(name):
    assert "name" in refused(s.BookingSchema(), dict(BOOKING, name=name))


@pytest.mark.parametrize("slot", ["8:00", "24:00", "08:60", "0800"])
def test_booking_slot_format(slot):
    assert "slot_start" in refused(s.BookingSchema(), dict(BOOKING, slot_start=slot))


def test_service_with_defaults_and_split_hours():
    data = s.load(s.ServiceSchema(), dict(SERVICE, opening_hours={
        "mon": ["07:30", "16:00"], "fri": [["13:00", "16:00"], ["07:30", "11:30"]],
        "sun": None}, daily_quota=120))
    assert data["opening_hours"] == {"mon": ["07:30", "16:00"],
                                     "fri": [["07:30", "11:30"], ["13:00", "16:00"]],
                                     "sun": None}
    assert data["booking"] == {"slot_minutes": 30, "capacity_per_slot": 3,
                               "checkin_early_minutes": 30, "checkin_late_minutes": 15,
                               "max_days_ahead": 30}
    assert data["default_service_minutes"] == 10 and data["daily_quota"] == 120


@pytest.mark.parametrize("hours", [
    {"mon": ["16:00", "07:30"]}, {"mon": ["7:30", "16:00"]}, {"mon": ["07:30"]},
    {"mon": [["07:30", "12:00"], ["11:00", "16:00"]]}, {"mon": "07:30-16:00"},
    {"mon": [INJECTION, "16:00"]}, {"monday": ["07:30", "16:00"]}, {"mon": []},
])
def test_opening_hours_refusals(hours):
    assert "opening_hours" in refused(s.ServiceSchema(), dict(SERVICE, opening_hours=hours))


@pytest.mark.parametrize("field,value", [
    ("prefix", "a"), ("prefix", "ABC"), ("daily_quota", 0), ("daily_quota", "100"),
    ("daily_quota", True), ("default_service_minutes", 2.5),
    ("booking", {"slot_minutes": 0}), ("booking", {"capacity_per_slot": "3"}),
])
def test_service_refusals(field, value):
    assert field in refused(s.ServiceSchema(), dict(SERVICE, **{field: value}))


def test_counter_schema():
    data = s.load(s.CounterSchema(), {"id": "disdukcapil-2", "agency": "disdukcapil",
                                      "name": "Loket 2", "services": ["ktp", "kk"]})
    assert data["services"] == ["ktp", "kk"]
    for bad in ([], ["ktp", "ktp"], [INJECTION], "ktp"):
        assert "services" in refused(s.CounterSchema(), {"id": "c", "agency": "a",
                                                          "name": "L", "services": bad})


def test_settings_and_calling_rule():
    data = s.load(s.SettingsSchema(), {"calling_rule": {"max_priority_in_row": None}})
    assert data == {"timezone": "Asia/Jakarta", "near_front_position": 3,
                    "calling_rule": {"priority_groups": ["lansia", "disabilitas", "ibu_hamil",
                                                         "appointment"],
                                     "max_priority_in_row": None}}
    assert "timezone" in refused(s.SettingsSchema(), {"timezone": "Mars/Olympus"})
    assert "calling_rule" in refused(s.SettingsSchema(), {"calling_rule": {
        "priority_groups": ["lansia", "lansia"]}})
    assert "calling_rule" in refused(s.SettingsSchema(), {"calling_rule": {
        "max_priority_in_row": -1}})


def test_counter_actions():
    assert s.load(s.SkipSchema(), {"counter_id": "c", "ticket_id": "t"})["return_to_queue"] \
        is False
    assert s.load(s.SkipSchema(), {"counter_id": "c", "ticket_id": "t",
                                   "return_to_queue": True})["return_to_queue"] is True
    assert "return_to_queue" in refused(s.SkipSchema(), {"counter_id": "c", "ticket_id": "t",
                                                         "return_to_queue": "yes"})
    assert "reason" in refused(s.OverrideCallSchema(), {"counter_id": "c", "ticket_id": "t",
                                                        "officer": "o", "reason": "   "})
    assert s.load(s.TransferSchema(), {"counter_id": "c", "ticket_id": "t",
                                       "target_service_id": "bank"})["reason"] is None


def test_visit_schema():
    data = s.load(s.IssueVisitSchema(), {"steps": ["samsat-pkb", "bank-setoran"]})
    assert data["steps"] == ["samsat-pkb", "bank-setoran"] and "service_id" not in data
    assert "steps" in refused(s.IssueVisitSchema(), {"steps": ["a"]})
    assert "steps" in refused(s.IssueVisitSchema(), {"steps": ["a", "a"]})
    assert "service_id" in refused(s.IssueVisitSchema(), {"steps": ["a", "b"], "service_id": "a"})


def test_booking_code_normalised():
    assert s.load(s.BookingCodeSchema(), {"code": "k7m-4qx"}) == {"code": "K7M4QX"}
    assert "code" in refused(s.BookingCodeSchema(), {"code": "OOO111"})


def test_public_ticket_dump_has_no_contact():
    ticket = {"_id": "ktp:2026-11-30:000001", "number": "A-001", "service_id": "ktp",
              "status": "waiting", "priority_group": None, "day": "2026-11-30",
              "issued_at": dt.datetime(2026, 11, 30, 1, 0),   # naive, as pymongo gives it
              "contact": {"phone": "+6281100000001"}, "counter_id": None}
    out = s.PublicTicketSchema().dump(ticket)
    assert out == {"id": "ktp:2026-11-30:000001", "number": "A-001", "service_id": "ktp",
                   "status": "waiting", "priority_group": None, "day": "2026-11-30",
                   "issued_at": "2026-11-30T01:00:00Z", "counter_id": None}
