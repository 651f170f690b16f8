"""Two ticketing instances and many concurrent kiosks: every number once, no gaps.

Holds on FerretDB, whose find_one_and_update is not atomic, because a ticket *is* its
number's claim on a unique (service, day, seq) index.
"""
from nameko.standalone.rpc import ClusterRpcProxy

from services.ticketing.service import TicketingService

CATALOGUE = {"agencies": [{
    "code": "disdukcapil", "name": "Disdukcapil",
    "services": [{"id": "ktp", "prefix": "A", "name": "KTP-el"},
                 {"id": "kk", "prefix": "B", "name": "KK"}],
    "counters": [],
}]}


def test_two_instances_many_kiosks_unique_gapless_numbers(runner_factory, service_config):
    config = dict(service_config, max_workers=25)
    runner = runner_factory(config, TicketingService)
    runner.start()
    # a second, independent instance of the same service on the same broker and database
    second = runner_factory(config, TicketingService)
    second.start()

    kiosks = 120
    with ClusterRpcProxy(config, timeout=120) as cluster:
        cluster.ticketing.load_catalogue(CATALOGUE)
        pending = [cluster.ticketing.issue_ticket.call_async("ktp" if i % 3 else "kk")
                   for i in range(kiosks)]
        tickets = [p.result() for p in pending]

    by_service = {}
    for ticket in tickets:
        by_service.setdefault(ticket["service_id"], []).append(ticket["number"])
    for service_id, prefix in (("ktp", "A"), ("kk", "B")):
        numbers = sorted(by_service[service_id])
        expected = ["{}-{:03d}".format(prefix, n) for n in range(1, len(numbers) + 1)]
        assert numbers == expected, "numbers for {} are not unique and gapless".format(service_id)
    assert len({t["id"] for t in tickets}) == kiosks
