from datetime import datetime, timedelta, timezone

import pytest

from services.ticketing import closeout, stats

UTC = timezone.utc
WIB = timedelta(hours=7)


def w(hhmm):
    """30 November 2026 at a WIB wall-clock time, as UTC."""
    hh, mm = map(int, hhmm.split(":"))
    return datetime(2026, 11, 30, hh, mm, tzinfo=UTC) - WIB


def tk(id_, status, issued, service="ktp", agency="dukcapil", **times):
    doc = {"_id": id_, "service_id": service, "agency": agency, "status": status,
           "issued_at": w(issued), "day": "2026-11-30",
           "contact": {"phone": "+6281100000001", "email": None}}
    doc.update({k: w(v) for k, v in times.items()})
    return doc


TICKETS = [
    tk("a", "completed", "07:50", called_at="07:52", started_at="07:52", completed_at="07:57"),
    tk("b", "completed", "07:55", called_at="08:03", started_at="08:04", completed_at="08:14"),
    tk("c", "completed", "08:00", called_at="08:04", started_at="08:05", completed_at="08:08"),
    tk("d", "skipped", "08:10", called_at="08:20", skipped_at="08:22"),
    tk("e", "transferred", "08:15", called_at="08:16", transferred_at="08:20"),
    tk("f", "not_served", "08:20", closed_out_at="16:00"),
    tk("g", "not_served", "08:30", called_at="08:36", skipped_at="08:38",
       requeued_at="08:40", closed_out_at="16:00"),
    tk("h", "cancelled", "08:40", cancelled_at="08:45"),
    tk("i", "completed", "08:21", service="bank", agency="bank", called_at="08:23",
       started_at="08:23", completed_at="08:30"),
]


@pytest.mark.parametrize("values,p,expected", [
    ([1, 2, 4, 6, 8, 10], 90, 10),          # rank ceil(5.4) = 6
    (list(range(1, 11)), 90, 9),            # rank 9
    (list(range(1, 21)), 90, 18),           # rank 18
    ([5], 90, 5),
    ([3, 1, 2], 0, 1),
    ([3, 1, 2], 50, 2),
    ([], 90, None),
])
def test_percentile_nearest_rank(values, p, expected):
    assert stats.percentile(values, p) == expected


def test_service_statistics():
    ktp = stats.day_statistics(TICKETS)["services"]["ktp"]
    counts = {k: ktp[k] for k in ("issued", "called", "served", "no_show", "transferred",
                                  "cancelled", "not_served")}
    assert counts == {"issued": 8, "called": 6, "served": 3, "no_show": 2, "transferred": 1,
                      "cancelled": 1, "not_served": 1}
    # waits 2 8 4 10 1 6: avg 31/6, p90 = 6th of 6 sorted = 10
    assert ktp["wait"] == {"count": 6, "avg_minutes": 5.17, "p90_minutes": 10}
    # service 5 10 3: avg 6, p90 = 3rd of 3 = 10
    assert ktp["service_time"] == {"count": 3, "avg_minutes": 6.0, "p90_minutes": 10}


def test_per_local_hour():
    by_hour = stats.day_statistics(TICKETS)["services"]["ktp"]["by_hour"]
    assert sorted(by_hour) == ["07", "08", "16"]
    h7, h8, h16 = by_hour["07"], by_hour["08"], by_hour["16"]
    assert (h7["issued"], h7["called"], h7["served"]) == (2, 1, 1)
    assert h7["wait"] == {"count": 1, "avg_minutes": 2.0, "p90_minutes": 2}
    assert (h8["issued"], h8["called"], h8["served"], h8["no_show"], h8["transferred"],
            h8["cancelled"]) == (6, 5, 2, 1, 1, 1)
    # waits called in 08: 8 4 10 1 6 -> sorted 1 4 6 8 10, p90 rank ceil(4.5) = 5 -> 10
    assert h8["wait"] == {"count": 5, "avg_minutes": 5.8, "p90_minutes": 10}
    assert (h16["no_show"], h16["not_served"], h16["issued"]) == (1, 1, 0)


def test_agency_and_total():
    result = stats.day_statistics(TICKETS)
    assert set(result["agencies"]) == {"dukcapil", "bank"}
    assert result["agencies"]["bank"]["served"] == 1
    assert result["agencies"]["dukcapil"]["issued"] == 8
    total = result["total"]
    assert total["issued"] == 9 and total["served"] == 4
    # waits 1 2 2 4 6 8 10: avg 33/7 = 4.714..., p90 rank ceil(6.3) = 7 -> 10
    assert total["wait"] == {"count": 7, "avg_minutes": 4.71, "p90_minutes": 10}
    # service 3 5 7 10: p90 rank ceil(3.6) = 4 -> 10
    assert total["service_time"] == {"count": 4, "avg_minutes": 6.25, "p90_minutes": 10}


def test_hours_in_another_zone():
    # 07:50 WIB is 08:50 WITA
    result = stats.day_statistics(TICKETS[:1], "Asia/Makassar")
    assert list(result["services"]["ktp"]["by_hour"]) == ["08"]


def test_empty_day():
    result = stats.day_statistics([])
    assert result["total"]["issued"] == 0 and result["total"]["wait"]["p90_minutes"] is None
    assert result["services"] == {} and result["agencies"] == {}


# -- close-out ----------------------------------------------------------------------------

CLOSE = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)   # 17:00 WIB


def test_ticket_close_out():
    docs = [dict(t, status=s, version=1) for t, s in zip(
        TICKETS, ["waiting", "called", "serving", "skipped", "completed", "transferred",
                  "cancelled", "not_served", "completed"])]
    docs[8]["contact"] = None
    docs.append(dict(TICKETS[0], _id="tomorrow", day="2026-12-01", status="waiting"))
    plan = {p["_id"]: p for p in closeout.ticket_close_out(docs, "2026-11-30", CLOSE)}
    assert sorted(plan) == ["a", "b", "c", "d", "e", "f", "g", "h"]
    for id_ in "abcd":
        assert plan[id_]["set"]["status"] == "not_served"
        assert plan[id_]["set"]["closed_out_at"] == CLOSE
    for id_ in "efgh":
        assert plan[id_]["set"] == {}
    assert all(p["unset"] == ["contact"] for p in plan.values())


def test_close_out_keeps_statistics_fields():
    plan = closeout.ticket_close_out([dict(TICKETS[0], status="completed")], "2026-11-30", CLOSE)
    assert plan == [{"_id": "a", "set": {}, "unset": ["contact"]}]


def test_booking_close_out():
    docs = [
        {"_id": "B1", "day": "2026-11-30", "status": "booked", "name": "Siti",
         "phone": "+6281100000001", "nik_key": "k", "version": 0},
        {"_id": "B2", "day": "2026-11-29", "status": "checked_in", "name": "Budi",
         "phone": "+6281100000002", "nik_key": None},
        {"_id": "B3", "day": "2026-12-01", "status": "booked", "name": "Ani", "phone": "+62811"},
    ]
    plan = closeout.booking_close_out(docs, "2026-11-30", CLOSE)
    assert plan == [
        {"_id": "B1", "set": {"status": "missed", "version": 1, "missed_at": CLOSE},
         "unset": ["name", "phone", "nik_key"]},
        {"_id": "B2", "set": {}, "unset": ["name", "phone"]},
    ]
