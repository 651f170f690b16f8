"""Counter operations on the real broker and database: calling under concurrency, the
calling rule, every illegal change refused, transfer, multi-step visits, near-front notices."""
import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from services.common.errors import (Conflict, Forbidden, IllegalTransition, NotFound,
                                    ValidationFailed)


def issue(rpc, clock, service_id, n=1, **kwargs):
    out = []
    for _ in range(n):
        clock.advance(seconds=1)
        out.append(rpc.issue_ticket(service_id, **kwargs))
    return out


def test_two_instances_many_concurrent_calls_each_ticket_called_once(harness, clock):
    rpc = harness.start(instances=2)
    tickets = issue(rpc, clock, "ktp", 30)
    rpc.open_counter("c1", "budi")
    rpc.open_counter("c2", "sari")
    with ClusterRpcProxy(harness.config, timeout=60) as cluster:
        pending = [cluster.ticketing.call_next.call_async(c, o)
                   for c, o in [("c1", "budi"), ("c2", "sari")] * 20]
        called, empty = [], 0
        for reply in pending:
            try:
                called.append(reply.result())
            except NotFound as err:
                assert "No one is waiting" in err.message
                empty += 1
    ids = [t["id"] for t in called]
    assert len(ids) == len(set(ids)) == 30, "a ticket was called twice or not at all"
    assert empty == 10
    assert set(ids) == {t["id"] for t in tickets}
    assert harness.db.transitions.count_documents({"action": "call"}) == 30
    events = harness.wait_events("ticket_called", 30)
    assert sorted(e["ticket_id"] for e in events) == sorted(ids)
    assert len({e["call_seq"] for e in events}) == 30


def test_priority_first_but_at_most_n_priority_calls_in_a_row(harness, clock):
    rpc = harness.start()          # max_priority_in_row: 2
    regular = issue(rpc, clock, "ktp", 4)
    priority = issue(rpc, clock, "ktp", 4, priority_group="lansia")
    rpc.open_counter("c1", "budi")
    order = [rpc.call_next("c1", "budi")["number"] for _ in range(8)]
    r = [t["number"] for t in regular]
    p = [t["number"] for t in priority]
    assert order == [p[0], p[1], r[0], p[2], p[3], r[1], r[2], r[3]]
    with pytest.raises(NotFound):
        rpc.call_next("c1", "budi")


def test_illegal_changes_are_refused_and_change_nothing(harness, clock):
    rpc = harness.start()
    waiting, called = issue(rpc, clock, "ktp", 2)
    with pytest.raises(IllegalTransition):
        rpc.call_next("c1", "budi")                       # counter closed
    rpc.open_counter("c1", "budi")
    rpc.open_counter("c3", "rudi")
    assert rpc.call_next("c1", "budi")["id"] == waiting["id"]
    called, waiting = waiting, called
    before = {d["_id"]: d for d in harness.db.tickets.find()}
    claims = harness.db.transitions.count_documents({})
    attempts = [
        lambda: rpc.complete(waiting["id"], "c1", "budi"),   # never called
        lambda: rpc.start(waiting["id"], "c1", "budi"),
        lambda: rpc.recall(waiting["id"], "c1", "budi"),
        lambda: rpc.complete(called["id"], "c1", "budi"),    # called, not started
        lambda: rpc.call_ticket("c1", called["id"], "budi", "sudah dipanggil"),
    ]
    for attempt in attempts:
        with pytest.raises(IllegalTransition):
            attempt()
    with pytest.raises(Forbidden):
        rpc.start(called["id"], "c1", "mallory")              # not the counter's officer
    with pytest.raises(Forbidden):
        rpc.start(called["id"], "c3", "rudi")                 # another agency's counter
    with pytest.raises(IllegalTransition):
        rpc.open_counter("c1", "mallory")                     # open by another officer
    assert {d["_id"]: d for d in harness.db.tickets.find()} == before
    assert harness.db.transitions.count_documents({}) == claims
    # and the legal path still works
    rpc.start(called["id"], "c1", "budi")
    done = rpc.complete(called["id"], "c1", "budi")
    assert done["status"] == "completed"
    with pytest.raises(IllegalTransition):
        rpc.complete(called["id"], "c1", "budi")


def test_skip_with_return_and_override_are_recorded(harness, clock):
    rpc = harness.start()
    first, second = issue(rpc, clock, "ktp", 2)
    rpc.open_counter("c1", "budi")
    rpc.call_next("c1", "budi")
    skipped = rpc.skip(first["id"], "c1", "budi", return_to_queue=True)
    assert skipped["status"] == "waiting"
    # back in the queue keeping its arrival: called before the later ticket
    assert rpc.call_next("c1", "budi")["id"] == first["id"]
    rpc.skip(first["id"], "c1", "budi")
    with pytest.raises(ValidationFailed) as err:
        rpc.call_ticket("c1", second["id"], "budi", " ")
    assert "reason" in err.value.fields
    override = rpc.call_ticket("c1", second["id"], "budi", "petugas lansia mendampingi")
    assert override["status"] == "called"
    record = harness.db.transitions.find_one({"_id": second["id"] + ":v1"})
    assert record["officer"] == "budi"
    assert record["override"]["reason"] == "petugas lansia mendampingi"
    skips = harness.wait_events("ticket_skipped", 2, ticket_id=first["id"])
    assert [e["returned_to_queue"] for e in skips] == [True, False]


def test_transfer_keeps_arrival_and_goes_before_later_arrivals(harness, clock):
    rpc = harness.start()
    early = issue(rpc, clock, "ktp")[0]
    later_kk = issue(rpc, clock, "kk")[0]
    rpc.open_counter("c1", "budi")
    rpc.call_next("c1", "budi")
    moved = rpc.transfer(early["id"], "c1", "budi", "kk", reason="perlu KK dulu")
    assert moved["status"] == "transferred"
    new = moved["next_ticket"]
    assert new["number"].startswith("B-") and new["service_id"] == "kk"
    assert new["arrived_at"] == early["arrived_at"]
    rpc.open_counter("c2", "sari")
    # c2 serves ktp and kk: the transferred ticket arrived first, so it is next
    assert rpc.call_next("c2", "sari")["id"] == new["id"]
    assert rpc.call_next("c2", "sari")["id"] == later_kk["id"]
    # the holder's token follows the citizen
    seen = rpc.get_ticket(new["id"], early["access_token"])
    assert seen["status"] == "called"
    old = rpc.get_ticket(early["id"], early["access_token"])
    assert old["next_ticket"]["id"] == new["id"]
    event = harness.wait_events("ticket_transferred", 1)[0]
    assert event["new_ticket_id"] == new["id"] and event["to_service_id"] == "kk"
    with pytest.raises(NotFound):
        rpc.transfer(later_kk["id"], "c2", "sari", "no-such-service")


def test_visit_flows_to_the_next_step_on_complete(harness, clock):
    rpc = harness.start()
    first = rpc.issue_visit(["pkb", "bayar"], contact={"phone": "0811-0000-0001"})
    assert first["visit"]["steps"] == ["pkb", "bayar"] and first["number"] == "H-001"
    rpc.open_counter("c3", "rudi")
    rpc.open_counter("c4", "wati")
    with pytest.raises(NotFound):
        rpc.call_next("c4", "wati")
    rpc.call_next("c3", "rudi")
    rpc.start(first["id"], "c3", "rudi")
    clock.advance(minutes=6)
    done = rpc.complete(first["id"], "c3", "rudi")
    step2 = done["next_ticket"]
    assert step2["service_id"] == "bayar" and step2["number"] == "J-001"
    assert step2["visit"]["step"] == 1
    assert rpc.call_next("c4", "wati")["id"] == step2["id"]
    # the next step announces the contact again (notifications' recipient)
    given = harness.wait_events("ticket_contact_given", 1, ticket_id=step2["id"])[0]
    assert given["contact"]["phone"] == "+6281100000001" and given["number"] == "J-001"
    completed = harness.wait_events("ticket_completed", 1)[0]
    assert completed["service_seconds"] == 360


def test_near_front_is_emitted_once_per_ticket(harness, clock):
    rpc = harness.start()          # near_front_position: 2
    tickets = issue(rpc, clock, "ktp", 6)
    assert [t["ahead"] for t in tickets] == [0, 1, 2, 3, 4, 5]
    rpc.open_counter("c1", "budi")
    for _ in range(3):
        rpc.call_next("c1", "budi")
    harness.wait_events("ticket_called", 3)
    near = harness.wait_events("ticket_near_front", 3)
    # tickets 0..2 were within 2 of the front when issued: never notified
    assert sorted(e["ticket_id"] for e in near) == [t["id"] for t in tickets[3:6]]
    assert all(e["people_ahead"] == 2 for e in near)
    rpc.call_next("c1", "budi")
    harness.wait_events("ticket_called", 4)
    assert len(harness.events("ticket_near_front")) == 3
    position = rpc.get_ticket(tickets[5]["id"], tickets[5]["access_token"])
    assert position["ahead"] == 1 and position["position"] == 2
    assert position["eta_min_minutes"] is not None


def test_a_ticket_issued_right_after_calls_counts_only_those_still_waiting(harness, clock):
    """Issuing reads this process's recent copy of the queue hints: the calls it just made
    must already be in it (written through), or the new ticket would count them as ahead."""
    rpc = harness.start()
    first = issue(rpc, clock, "ktp", 3)
    assert [t["ahead"] for t in first] == [0, 1, 2]
    rpc.open_counter("c1", "budi")
    rpc.call_next("c1", "budi")
    rpc.call_next("c1", "budi")
    fourth = issue(rpc, clock, "ktp")[0]
    assert fourth["ahead"] == 1 and fourth["position"] == 2
    issued = harness.wait_events("ticket_issued", 1, ticket_id=fourth["id"])[0]
    assert issued["people_ahead"] == 1


def test_events_carry_no_contact_except_ticket_contact_given(harness, clock):
    rpc = harness.start()
    ticket = issue(rpc, clock, "ktp", contact={"phone": "0811-0000-0002"})[0]
    rpc.open_counter("c1", "budi")
    rpc.call_next("c1", "budi")
    rpc.start(ticket["id"], "c1", "budi")
    rpc.complete(ticket["id"], "c1", "budi")
    rpc.close_counter("c1", "budi")
    harness.wait_events("counter_closed", 1)
    kinds = {et for et, _ in harness.received}
    assert kinds >= {"ticket_issued", "ticket_called", "ticket_service_started",
                     "ticket_completed", "counter_opened", "counter_closed"}
    called = harness.events("ticket_called")[0]
    assert set(called) >= {"ticket_id", "number", "service_id", "agency", "counter_id",
                           "counter_name", "call_seq", "event_id", "occurred_at"}
    given = harness.wait_events("ticket_contact_given", 1)
    assert [e["contact"]["phone"] for e in given] == ["+6281100000002"]
    assert given[0]["number"] == ticket["number"] and given[0]["people_ahead"] == 0
    for event_type, payload in harness.received:
        if event_type != "ticket_contact_given":
            assert "+6281100000002" not in repr(payload), event_type
    assert "contact" not in rpc.get_ticket(ticket["id"], ticket["access_token"])
    board = rpc.board()
    assert board["last_called"][0]["number"] == ticket["number"]
    assert {c["id"]: c["status"] for c in board["counters"]}["c1"] == "closed"
    # the live boards' snapshots, every audience from one call, are the same boards
    agency = board["counters"][0]["agency"]
    assert rpc.boards([None, agency, "nobody"]) == [
        [None, board], [agency, rpc.board(agency)], ["nobody", rpc.board("nobody")]]
    assert rpc.board("nobody") == {"counters": [], "last_called": [], "waiting": {}}


def test_board_and_queue_status_show_each_counter_as_it_is(harness, clock):
    """The board and the queue status read every counter's state and whom it serves at
    once: each counter still shows its own."""
    rpc = harness.start()
    issue(rpc, clock, "ktp", 2)
    rpc.open_counter("c1", "budi")
    rpc.open_counter("c2", "sari")
    called = rpc.call_next("c2", "sari")
    rpc.close_counter("c1", "budi")
    rows = {c["id"]: (c["status"], c["now_serving"]) for c in rpc.board()["counters"]}
    assert rows.pop("c1") == ("closed", None)
    assert rows.pop("c2") == ("open", called["number"])
    assert rows and set(rows.values()) == {("closed", None)}  # never opened
    status = rpc.queue_status("ktp")
    assert [(s["counter_id"], s["number"]) for s in status["serving"]] == [
        ("c2", called["number"])]
