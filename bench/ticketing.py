"""Ticketing figures, as ratios to the baseline echo measured in the same run.

- tickets issued per second through RPC with 50 in flight (target: >= 0.5x the echo);
  ``issue_against_echo``: the same load in slices, each after a slice of the bare nameko echo
  (started beside ticketing on its virtual host), so that both see the machine's swings
  (``bench.gateway.against_echo`` explains why); ``run.py`` reports both ratios;
- ``call_next`` latency (sequential RPC) with 10 and with 100,000 tickets waiting (target: the
  100k p50 within 1.2x of the 10 p50). Each queue is seeded with ``queue.bulk_waiting`` (the
  store's own document shapes, ``insert_many`` in batches) plus the calls to be measured, so
  the queue goes from N + calls down to N while measured. The two counters are called in
  turn, so both queues are measured under the same conditions;
- ``availability`` latency (sequential RPC) of a day with 100 seats and of a day with 10,000
  (100 five-minute slots of 1 and of 100 seats; target: the 10,000 p50 within 1.5x of the
  100 p50), asked in turn.
"""
import time
from datetime import date, timedelta

from bench.baseline import rpc_in_flight, start_echo, stop_echo, wait_echo
from bench.harness import database_prefix, measured_at, service_alone
from bench.stats import latency_summary, ratio

# 07:00-15:20: 100 slots of 5 minutes
EVERY_DAY = {day: ["07:00", "15:20"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
CATALOGUE = {"agencies": [{
    "code": "bench", "name": "Bench agency",
    "services": [{"id": "bench-a", "prefix": "A", "name": "Bench A", "daily_quota": 10 ** 7},
                 {"id": "bench-small", "prefix": "B", "name": "Bench 10 waiting"},
                 {"id": "bench-large", "prefix": "C", "name": "Bench 100k waiting"},
                 {"id": "bench-seats-100", "prefix": "D", "name": "Bench 100 seats a day",
                  "opening_hours": EVERY_DAY,
                  "booking": {"slot_minutes": 5, "capacity_per_slot": 1}},
                 {"id": "bench-seats-10k", "prefix": "E", "name": "Bench 10,000 seats a day",
                  "opening_hours": EVERY_DAY,
                  "booking": {"slot_minutes": 5, "capacity_per_slot": 100}}],
    "counters": [{"id": "bench-1", "name": "Loket 1", "services": ["bench-a"]},
                 {"id": "bench-small-1", "name": "Loket 2", "services": ["bench-small"]},
                 {"id": "bench-large-1", "name": "Loket 3", "services": ["bench-large"]}],
}]}


def seed(config, service_id, prefix, count):
    from services.common import clock as clk
    from services.common.config import database_name, timezone_name
    from services.common.mongo import make_client
    from services.ticketing import numbering, store

    client = make_client(config["MONGO_URI"])
    try:
        db = client[database_name(config, "ticketing")]
        now = clk.Clock().now()
        day = numbering.service_day(now, timezone_name(config))
        service = db.services.find_one({"_id": service_id})
        started = time.perf_counter()
        store.bulk_waiting(db, service, day, count, now)
        return round(time.perf_counter() - started, 1)
    finally:
        client.close()


def call_latencies(rpc, counter_ids, calls):
    """``calls`` sequential ``call_next`` at each counter, taken in turn (one here, one there),
    so both queues are measured under the same conditions: measured one after the other, the
    second also paid for whatever the machine was still doing after the seeding (the
    database's checkpoint of 100,000 inserts)."""
    latencies = {counter_id: [] for counter_id in counter_ids}
    for _ in range(calls):
        for counter_id in counter_ids:
            t0 = time.perf_counter()
            rpc.ticketing.call_next(counter_id, "bench-officer")
            latencies[counter_id].append(time.perf_counter() - t0)
    return [latency_summary(latencies[counter_id]) for counter_id in counter_ids]


def availability_latencies(rpc, service_ids, day, asks):
    """``asks`` sequential ``availability`` of ``day`` for each service, in turn."""
    latencies = {service_id: [] for service_id in service_ids}
    for _ in range(asks):
        for service_id in service_ids:
            t0 = time.perf_counter()
            slots = rpc.ticketing.availability(service_id, day)["slots"]
            latencies[service_id].append(time.perf_counter() - t0)
            assert len(slots) == 100
    return [latency_summary(latencies[service_id]) for service_id in service_ids]


def issue_against_echo(rpc, in_flight=50, slices=5, issue_calls=600, echo_calls=1500):
    """``issue_ticket`` and the bare echo (both 50 in flight) measured in turn ``slices``
    times; each rate is its total over its summed time."""
    issue_s = echo_s = 0.0
    for _ in range(slices):
        started = time.perf_counter()
        rpc_in_flight(rpc, echo_calls, in_flight)
        echo_s += time.perf_counter() - started
        started = time.perf_counter()
        rpc_in_flight(rpc, issue_calls, in_flight, method=rpc.ticketing.issue_ticket,
                      make_args=lambda i: ("bench-a",))
        issue_s += time.perf_counter() - started
    issued, echo = (round(slices * issue_calls / issue_s, 1),
                    round(slices * echo_calls / echo_s, 1))
    return {"tickets_per_s": issued, "echo_calls_per_s": echo, "ratio": ratio(issued, echo),
            "slices": slices}


def measure(env, calls=2000, in_flight=50, call_calls=200, large=100000, small=10,
            issue_only=False):
    env = dict(env, MONGO_DB_PREFIX=database_prefix(), MPP_IGNORE_OPENING_HOURS="1")
    with service_alone(env, "ticketing") as config:
        echo = start_echo(config)
        try:
            result = _run(config, calls, in_flight, call_calls, large, small, issue_only)
        finally:
            stop_echo(echo)
    return dict(result, database_prefix=env["MONGO_DB_PREFIX"], measured_at=measured_at())


def _run(config, calls, in_flight, call_calls, large, small, issue_only=False):
    from nameko.standalone.rpc import ClusterRpcProxy

    with ClusterRpcProxy(config, timeout=60) as rpc:
        rpc.ticketing.load_catalogue(CATALOGUE)
        wait_echo(rpc)
        rpc_in_flight(rpc, 100, in_flight, method=rpc.ticketing.issue_ticket,
                      make_args=lambda i: ("bench-a",))  # warm-up
        issued = rpc_in_flight(rpc, calls, in_flight, method=rpc.ticketing.issue_ticket,
                               make_args=lambda i: ("bench-a",))
        in_turn = issue_against_echo(rpc, in_flight)
        if issue_only:
            return {"issue_ticket_in_flight": issued, "issue_against_echo": in_turn}
        seeded = {"small_s": seed(config, "bench-small", "B", small + call_calls),
                  "large_s": seed(config, "bench-large", "C", large + call_calls)}
        for counter in ("bench-small-1", "bench-large-1"):
            rpc.ticketing.open_counter(counter, "bench-officer")
        counters = ["bench-small-1", "bench-large-1"]
        call_latencies(rpc, counters, 5)  # warm-up (same queues: 5 fewer to call)
        small_lat, large_lat = call_latencies(rpc, counters, call_calls - 5)
        tomorrow = (date.today() + timedelta(days=1)).isoformat()
        services = ["bench-seats-100", "bench-seats-10k"]
        availability_latencies(rpc, services, tomorrow, 5)  # warm-up
        seats_100, seats_10k = availability_latencies(rpc, services, tomorrow, 100)
    return {"issue_ticket_in_flight": issued, "issue_against_echo": in_turn,
            "availability_100_seats": seats_100, "availability_10000_seats": seats_10k,
            "availability_10000_vs_100_p50": ratio(seats_10k["p50_ms"], seats_100["p50_ms"]),
            "availability_target": 1.5,
            "call_next_10_waiting": small_lat, "call_next_100k_waiting": large_lat,
            "call_next_100k_vs_10_p50": ratio(large_lat["p50_ms"], small_lat["p50_ms"]),
            "call_next_target": 1.2, "seed_seconds": seeded}


if __name__ == "__main__":
    import json
    import os

    from bench import baseline  # noqa: F401 - monkey-patches eventlet first

    import sys

    # ``--issue-only``: the issue rate and its in-turn echo ratio, without the call and
    # availability figures (a minute instead of several)
    print(json.dumps(measure(dict(os.environ), issue_only="--issue-only" in sys.argv),
                     indent=2))
