"""What a waiting citizen is told is what happens: each waiting ticket's ``ahead`` equals the
number of tickets the following call-nexts call before it, and a service's ``waiting`` is how
many are left to call, with cancelled, skipped, transferred and by-name-called tickets, every
lane, and two ticketing instances answering in turn (real broker and database)."""
import pytest

from services.common.errors import NotFound


def issue(rpc, clock, service_id, **kwargs):
    clock.advance(seconds=1)
    return rpc.issue_ticket(service_id, **kwargs)


def told(rpc, tickets):
    """``{number: ahead}`` of every ticket still waiting, as its holder's view says."""
    out = {}
    for t in tickets:
        view = rpc.get_ticket(t["id"], t["access_token"])
        if view["status"] == "waiting":
            out[view["number"]] = view["ahead"]
    return out


def calls_until_empty(rpc, counter, officer):
    order = []
    while True:
        try:
            order.append(rpc.call_next(counter, officer)["number"])
        except NotFound:
            return order


def assert_told_is_what_happens(rpc, service_id, tickets, counter, officer):
    promised = told(rpc, tickets)
    assert rpc.queue_status(service_id)["waiting"] == len(promised)
    order = calls_until_empty(rpc, counter, officer)
    assert {number: order.index(number) for number in promised} == promised
    assert rpc.queue_status(service_id)["waiting"] == 0


def test_waiting_counts_follow_every_issue_and_cancel(harness, clock):
    rpc = harness.start(instances=2)
    tickets = []
    for i in range(3):
        tickets.append(issue(rpc, clock, "ktp"))
        assert rpc.queue_status("ktp")["waiting"] == i + 1
        assert [rpc.get_ticket(t["id"], t["access_token"])["ahead"] for t in tickets] == \
            list(range(i + 1))
    assert rpc.board("capil")["waiting"]["ktp"] == 3
    for i, t in enumerate(tickets):
        rpc.cancel_ticket(t["id"], t["access_token"])
        assert rpc.queue_status("ktp")["waiting"] == 2 - i
    assert rpc.board("capil")["waiting"]["ktp"] == 0


def test_a_visits_next_step_waits_behind_an_earlier_walk_in(harness, clock):
    rpc = harness.start(instances=2)
    walk_in = issue(rpc, clock, "bayar")
    clock.advance(seconds=1)
    visit = rpc.issue_visit(["pkb", "bayar"])
    rpc.open_counter("c3", "rudi")
    rpc.open_counter("c4", "wati")
    rpc.call_next("c3", "rudi")
    rpc.start(visit["id"], "c3", "rudi")
    clock.advance(minutes=5)
    step = rpc.complete(visit["id"], "c3", "rudi")["next_ticket"]
    view = rpc.get_ticket(visit["id"], visit["access_token"])["next_ticket"]
    assert view["number"] == step["number"]
    # the step keeps the visit's arrival, later than the walk-in's: it is second
    promised = told(rpc, [walk_in, dict(step, access_token=visit["access_token"])])
    assert promised == {walk_in["number"]: 0, step["number"]: 1}
    assert calls_until_empty(rpc, "c4", "wati") == [walk_in["number"], step["number"]]


def test_positions_skip_cancelled_and_by_name_called_tickets(harness, clock):
    rpc = harness.start(instances=2)
    tickets = [issue(rpc, clock, "ktp") for _ in range(8)]
    rpc.open_counter("c1", "budi")
    rpc.cancel_ticket(tickets[2]["id"], tickets[2]["access_token"])
    rpc.call_ticket("c1", tickets[5]["id"], "budi", "Dipanggil lebih dulu")
    rpc.skip(tickets[5]["id"], "c1", "budi")
    assert told(rpc, tickets) == {tickets[i]["number"]: a
                                  for a, i in enumerate([0, 1, 3, 4, 6, 7])}
    assert_told_is_what_happens(rpc, "ktp", tickets, "c1", "budi")


def test_every_lane_and_the_fairness_rule(harness, clock):
    """Priority, returned (a skipped ticket requeued, a transfer in) and new tickets with
    max_priority_in_row 2: positions equal the calls, across two instances."""
    rpc = harness.start(instances=2)
    rpc.open_counter("c1", "budi")
    rpc.open_counter("c3", "rudi")
    tickets = [issue(rpc, clock, "ktp") for _ in range(3)]
    moved = issue(rpc, clock, "pkb")
    tickets += [issue(rpc, clock, "ktp", priority_group="lansia") for _ in range(3)]
    for _ in range(3):   # two priority tickets, then (two in a row) a regular one
        called = rpc.call_next("c1", "budi")
        rpc.skip(called["id"], "c1", "budi", return_to_queue=True)   # back in the queue
    clock.advance(seconds=1)
    rpc.call_next("c3", "rudi")
    transferred = rpc.transfer(moved["id"], "c3", "rudi", "ktp")["next_ticket"]
    tickets += [dict(transferred, access_token=moved["access_token"]),
                issue(rpc, clock, "ktp"), issue(rpc, clock, "ktp", priority_group="ibu_hamil")]
    promised = told(rpc, [t for t in tickets if t["id"] != transferred["id"]])
    assert rpc.queue_status("ktp")["waiting"] == len(promised) + 1
    order = calls_until_empty(rpc, "c1", "budi")
    assert {number: order.index(number) for number in promised} == promised
    assert transferred["number"] in order
    groups = {t["number"]: t.get("priority_group") for t in tickets}
    run = 0
    for number in order:   # never more than two priority calls in a row while others wait
        run = run + 1 if groups.get(number) else 0
        assert run <= 2 or all(groups.get(n) for n in order[order.index(number):])


@pytest.mark.parametrize("instances", [1, 2])
def test_near_front_tells_exactly_the_next_ones(harness, clock, instances):
    rpc = harness.start(instances=instances)      # near_front_position: 2
    tickets = [issue(rpc, clock, "ktp") for _ in range(6)]
    rpc.cancel_ticket(tickets[3]["id"], tickets[3]["access_token"])
    rpc.open_counter("c1", "budi")
    rpc.call_next("c1", "budi")
    near = harness.wait_events("ticket_near_front", 1)
    # issued 0..2 ahead were told at issue; after one call, ticket 4 is 2 ahead (3 cancelled)
    assert [(e["number"], e["people_ahead"]) for e in near] == [(tickets[4]["number"], 2)]


def test_the_counter_waiting_list_says_what_the_holders_are_told(harness, clock):
    rpc = harness.start(instances=2)
    tickets = [issue(rpc, clock, "ktp", priority_group=g)
               for g in (None, "lansia", None, "ibu_hamil", None, "lansia", None)]
    rpc.cancel_ticket(tickets[2]["id"], tickets[2]["access_token"])
    rows = rpc.counter_waiting("c1")["waiting"]
    assert {r["number"]: r["ahead"] for r in rows} == told(rpc, tickets)
    assert [r["ahead"] for r in rows] == list(range(len(rows)))
