"""Ticketing figures, as ratios to the baseline echo measured in the same run.

- tickets issued per second through RPC with 50 in flight (target: ≥ 0.5× the echo).
"""
import time
import uuid

from bench.baseline import rpc_in_flight

CATALOGUE = {"agencies": [{
    "code": "bench", "name": "Bench agency",
    "services": [{"id": "bench-a", "prefix": "A", "name": "Bench A", "daily_quota": 10 ** 7}],
    "counters": [{"id": "bench-1", "name": "Loket 1", "services": ["bench-a"]}],
}]}


def measure(env, calls=2000, in_flight=50):
    from nameko.standalone.rpc import ClusterRpcProxy

    from scripts.suite import Suite

    env = dict(env, MONGO_DB_PREFIX="bench{}".format(uuid.uuid4().hex[:6]),
               MPP_IGNORE_OPENING_HOURS="1")
    with Suite(env=env, services=("ticketing",)) as suite:
        with ClusterRpcProxy(suite.config(), timeout=60) as rpc:
            rpc.ticketing.load_catalogue(CATALOGUE)
            rpc_in_flight(rpc, 100, in_flight, method=rpc.ticketing.issue_ticket,
                          make_args=lambda i: ("bench-a",))  # warm-up
            issued = rpc_in_flight(rpc, calls, in_flight, method=rpc.ticketing.issue_ticket,
                                   make_args=lambda i: ("bench-a",))
    return {"issue_ticket_in_flight": issued, "database_prefix": env["MONGO_DB_PREFIX"],
            "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
