from datetime import datetime

from services.ticketing import practice


def _at(hour, minute):
    return datetime(2026, 12, 7, hour, minute)  # naive UTC, as pymongo returns them


def _ticket(service, issued, called=None, started=None, completed=None, status="completed"):
    return {"service_id": service, "agency": "disdukcapil", "issued_at": issued,
            "called_at": called, "started_at": started, "completed_at": completed,
            "status": status}


def test_waits_and_service_minutes_per_service_as_median_and_p90():
    tickets = [
        _ticket("ktp", _at(1, 0), _at(1, 10), _at(1, 11),
                _at(1, 16)),
        _ticket("ktp", _at(1, 0), _at(1, 30), _at(1, 31),
                _at(1, 46)),
        _ticket("ktp", _at(1, 5), status="waiting"),
    ]
    [row] = practice.summarise(tickets, {"ktp": "Perekaman KTP-el"})
    assert row["name"] == "Perekaman KTP-el"
    assert (row["issued"], row["served"]) == (3, 2)
    assert row["wait"] == {"count": 2, "median": 20.0, "p90": 28.0}
    assert row["service"] == {"count": 2, "median": 10.0, "p90": 14.0}
