"""What leaves the service: public views carry no contact; event ids are the ticket's."""
from datetime import datetime, timezone

from services.ticketing import views

AT = datetime(2026, 11, 30, 2, 0, tzinfo=timezone.utc)
TICKET = {"_id": "ktp:2026-11-30:000001", "number": "A-001", "service_id": "ktp",
          "agency": "capil", "status": "waiting", "issued_at": AT, "day": "2026-11-30",
          "contact": {"phone": "+6281100000003"}, "issued_ahead": 2}


def test_public_ticket_has_no_contact():
    out = views.public_ticket(TICKET)
    assert "contact" not in out and out["id"] == TICKET["_id"]
    assert out["issued_at"] == "2026-11-30T02:00:00Z"


def test_issued_event_names_the_service_and_carries_no_contact():
    event = views.issued_event(TICKET, {"name": "KTP-el", "name_en": "ID card"})
    assert event["event_id"] == views.issued_event_id(TICKET["_id"])
    assert event["event_id"] != views.contact_event_id(TICKET["_id"])
    assert (event["service_name"], event["people_ahead"]) == ("KTP-el", 2)
    assert "contact" not in event


def test_jsonable_keys_become_strings():
    assert views.jsonable({1: [{2: "x"}]}) == {"1": [{"2": "x"}]}
