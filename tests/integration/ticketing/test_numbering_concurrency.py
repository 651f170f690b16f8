"""Two ticketing instances as separate processes and many concurrent kiosks: every number
once, no gaps.

Each instance is its own ``nameko run`` process (``scripts.suite``), so nothing of a
process's memory (number tails, locks, caches) is shared: they really race. Holds on
FerretDB, whose find_one_and_update is not atomic, because a ticket *is* its number's claim
on a unique (service, day, seq) index.
"""
import os

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from scripts.suite import Suite

CATALOGUE = {"agencies": [{
    "code": "disdukcapil", "name": "Disdukcapil",
    "services": [{"id": "ktp", "prefix": "A", "name": "KTP-el"},
                 {"id": "kk", "prefix": "B", "name": "KK"}],
    "counters": [],
}]}


@pytest.fixture
def two_ticketing_processes(service_config, tmp_path):
    env = dict(os.environ, AMQP_URI=service_config["AMQP_URI"],
               MONGO_URI=service_config["MONGO_URI"],
               MONGO_DB_PREFIX=service_config["MONGO_DB_PREFIX"],
               MPP_IGNORE_OPENING_HOURS="1", MAX_WORKERS="25")
    suite = Suite(env=env, services=("ticketing",), scale={"ticketing": 2},
                  log_dir=tmp_path / "logs")
    suite.start()
    try:
        yield suite
    finally:
        suite.stop()


def test_two_processes_many_kiosks_unique_gapless_numbers(two_ticketing_processes):
    suite = two_ticketing_processes
    kiosks = 120
    with ClusterRpcProxy(suite.config(), timeout=120) as cluster:
        cluster.ticketing.load_catalogue(CATALOGUE)
        pending = [cluster.ticketing.issue_ticket.call_async("ktp" if i % 3 else "kk")
                   for i in range(kiosks)]
        tickets = [p.result() for p in pending]
    suite.check_alive()

    by_service = {}
    for ticket in tickets:
        by_service.setdefault(ticket["service_id"], []).append(ticket["number"])
    for service_id, prefix in (("ktp", "A"), ("kk", "B")):
        numbers = sorted(by_service[service_id])
        expected = ["{}-{:03d}".format(prefix, n) for n in range(1, len(numbers) + 1)]
        assert numbers == expected, "numbers for {} are not unique and gapless".format(service_id)
    assert len({t["id"] for t in tickets}) == kiosks
