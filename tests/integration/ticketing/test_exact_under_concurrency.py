"""Counts that concurrent requests on two ticketing instances must not bend: the walk-in
quota (only walk-ins use it up) and the observed service times behind the wait estimate."""
from nameko.standalone.rpc import ClusterRpcProxy

from services.common.errors import Conflict
from services.ticketing import store


def test_the_walk_in_quota_is_exact_and_counts_only_walk_ins(harness, clock):
    rpc = harness.start(instances=2)              # kk: daily_quota 2, served at c2
    rpc.open_counter("c2", "sari")
    moved = rpc.issue_ticket("ktp")
    rpc.call_next("c2", "sari")
    rpc.transfer(moved["id"], "c2", "sari", "kk")  # a transfer in: not a walk-in
    with ClusterRpcProxy(harness.config, timeout=60) as cluster:
        pending = [cluster.ticketing.issue_ticket.call_async("kk") for _ in range(12)]
        issued, refused = 0, 0
        for reply in pending:
            try:
                reply.result()
                issued += 1
            except Conflict as err:
                assert err.details["reason"] == "quota"
                refused += 1
    assert (issued, refused) == (2, 10)
    assert harness.db.tickets.count_documents({"service_id": "kk"}) == 3


def test_no_service_time_is_lost_when_counters_complete_at_once(harness, clock):
    rpc = harness.start(instances=2)
    tickets = [rpc.issue_ticket("ktp") for _ in range(10)]
    counters = [("c1", "budi"), ("c2", "sari")]
    for counter, officer in counters:
        rpc.open_counter(counter, officer)
    serving = []
    for i in range(10):          # each counter calls and starts, then all complete at once
        counter, officer = counters[i % 2]
        if i >= 2:
            done = serving[i - 2]
            rpc.complete(done[0]["id"], counter, officer)
        called = rpc.call_next(counter, officer)
        rpc.start(called["id"], counter, officer)
        serving.append((called, counter, officer))
    clock.advance(minutes=7)
    with ClusterRpcProxy(harness.config, timeout=60) as cluster:
        pending = [cluster.ticketing.complete.call_async(t["id"], c, o)
                   for t, c, o in serving[-2:]]
        for reply in pending:
            reply.result()
    samples = store.durations(harness.db, "ktp")
    assert len(samples) == len(tickets)
    assert samples.count(420) == 2
