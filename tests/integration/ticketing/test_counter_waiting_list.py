"""The counter console's list of who waits, and the ticket a counter serves now, read through
the ticketing RPC on the real broker and database."""
from services.common.errors import NotFound

import pytest

PHONE = "0811-0000-0003"


def test_the_list_shows_who_waits_in_calling_order_without_personal_data(harness, clock):
    rpc = harness.start()
    clock.advance(minutes=40)                          # 09:40: a 10:00 booking may check in
    walk_in = rpc.issue_ticket("ktp", contact={"phone": PHONE})
    clock.advance(seconds=5)
    elder = rpc.issue_ticket("ktp", priority_group="lansia")
    clock.advance(seconds=5)
    other = rpc.issue_ticket("kk")                     # counter c1 does not serve kk
    booking = rpc.book("ktp", "2026-11-30", "10:00", "Siti Aminah", PHONE)
    booked = rpc.check_in(booking["code"])

    seen = rpc.counter_waiting("c1")
    assert seen["counter"]["status"] == "closed" and seen["current"] is None
    rows = seen["waiting"]
    assert [r["number"] for r in rows] == [elder["number"], booked["number"], walk_in["number"]]
    assert other["number"] not in [r["number"] for r in rows]
    first = rows[0]
    assert first["service_name"] == "KTP-el" and first["priority_group"] == "lansia"
    assert [r["booked"] for r in rows] == [False, True, False]
    assert first["waiting_since"].endswith("Z")
    assert "Siti" not in repr(seen) and "0811" not in repr(seen) and "+62" not in repr(seen)
    assert "access_token" not in repr(seen)

    # counter c2 serves both services: kk is listed there
    assert other["number"] in [r["number"] for r in rpc.counter_waiting("c2")["waiting"]]


def test_the_current_ticket_is_found_again_until_it_is_done(harness, clock):
    rpc = harness.start()
    ticket = rpc.issue_ticket("ktp")
    rpc.issue_ticket("ktp")
    rpc.open_counter("c1", "budi")
    called = rpc.call_next("c1", "budi")
    seen = rpc.counter_waiting("c1")
    assert seen["current"]["id"] == ticket["id"] == called["id"]
    assert seen["current"]["status"] == "called" and seen["current"]["service_name"] == "KTP-el"
    assert ticket["id"] not in [r["id"] for r in seen["waiting"]]
    assert len(seen["waiting"]) == 1
    rpc.start(ticket["id"], "c1", "budi")
    assert rpc.counter_waiting("c1")["current"]["status"] == "serving"
    rpc.complete(ticket["id"], "c1", "budi")
    assert rpc.counter_waiting("c1")["current"] is None
    # a skipped ticket returned to the queue is listed again, marked returned
    again = rpc.call_next("c1", "budi")
    rpc.skip(again["id"], "c1", "budi", return_to_queue=True)
    rows = rpc.counter_waiting("c1")["waiting"]
    assert [(r["id"], r["returned"]) for r in rows] == [(again["id"], True)]
    # so is a priority ticket returned (it goes back to the priority lane)
    elder = rpc.issue_ticket("ktp", priority_group="lansia")
    assert rpc.call_next("c1", "budi")["id"] == elder["id"]
    rpc.skip(elder["id"], "c1", "budi", return_to_queue=True)
    rows = rpc.counter_waiting("c1")["waiting"]
    assert [(r["id"], r["returned"]) for r in rows] == [(elder["id"], True), (again["id"], True)]


def test_an_unknown_counter_is_not_found(harness):
    rpc = harness.start()
    with pytest.raises(NotFound):
        rpc.counter_waiting("no-such-counter")


def test_every_waiting_ticket_is_listed_past_entries_of_other_lanes(harness, clock):
    rpc = harness.start()
    issued = []
    for group in (None, "lansia", None, None, "disabilitas", None, None):
        clock.advance(seconds=3)
        issued.append(rpc.issue_ticket("ktp", priority_group=group))
    listed = [r["number"] for r in rpc.counter_waiting("c1")["waiting"]]
    priority = [t["number"] for t in issued if t["priority_group"]]
    regular = [t["number"] for t in issued if not t["priority_group"]]
    assert listed == priority + regular
