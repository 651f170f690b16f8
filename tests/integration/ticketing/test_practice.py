"""Promise against practice, the queues' part, on the real broker and database: the waits
and service minutes of tickets really served, per service and month."""
import pytest

from services.common.errors import ValidationFailed


def _serve(rpc, clock, counter, wait_minutes, service_minutes):
    clock.advance(minutes=wait_minutes)
    ticket = rpc.call_next(counter, "budi")
    rpc.start(ticket["id"], counter, "budi")
    clock.advance(minutes=service_minutes)
    rpc.complete(ticket["id"], counter, "budi")
    return ticket


def test_a_months_waits_and_service_minutes_are_measured_from_tickets_served(harness, clock):
    rpc = harness.start()
    rpc.open_counter("c1", "budi")
    for _ in range(3):
        rpc.issue_ticket("ktp")          # three citizens at 09:00 WIB on 30 November
    rpc.issue_ticket("pkb")              # Samsat's citizen, never called
    _serve(rpc, clock, "c1", 10, 4)      # waited 10 minutes, served in 4
    _serve(rpc, clock, "c1", 6, 12)      # called at 09:20: waited 20, served in 12

    november = rpc.practice(month="2026-11")
    rows = {row["service_id"]: row for row in november["services"]}
    ktp = rows["ktp"]
    assert (ktp["name"], ktp["agency"], ktp["issued"], ktp["served"]) == \
        ("KTP-el", "capil", 3, 2)
    assert ktp["wait"] == {"count": 2, "median": 15.0, "p90": 19.0}
    assert ktp["service"] == {"count": 2, "median": 8.0, "p90": 11.2}
    assert rows["pkb"]["wait"]["count"] == 0 and rows["pkb"]["issued"] == 1

    # one agency's figures only; another month has none
    only = rpc.practice(agency="samsat", month="2026-11")["services"]
    assert [row["service_id"] for row in only] == ["pkb"]
    assert rpc.practice(month="2026-12")["services"] == []
    assert rpc.practice()["month"] == "2026-11"  # this month by the MPP's clock


@pytest.mark.parametrize("query", [{"month": "2026-13"}, {"month": "November"},
                                   {"agency": {"$gt": ""}}])
def test_a_bad_period_or_agency_is_refused_with_its_field(harness, query):
    rpc = harness.start()
    with pytest.raises(ValidationFailed) as refused:
        rpc.practice(**query)
    assert set(refused.value.fields) == set(query)
