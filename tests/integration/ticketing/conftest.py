"""Ticketing on the real broker and database: the service under a clock the test moves, and a
small service that records every ticketing event it receives."""
from datetime import datetime, timezone

import pytest
from nameko.events import event_handler
from nameko.standalone.rpc import ClusterRpcProxy

from services.common.clock import FixedClock
from services.common.config import database_name
from services.common.sequences import Tails
from services.ticketing.catalogue_reads import Cache
from services.ticketing.counter_desk import CallLocks
from services.ticketing.outbox import Issuer
from services.ticketing.service import TicketingService
from tests.support import wait_for

EVENT_TYPES = (
    "ticket_issued", "ticket_contact_given", "ticket_called", "ticket_recalled", "ticket_skipped",
    "ticket_service_started", "ticket_completed", "ticket_transferred", "ticket_cancelled",
    "ticket_near_front", "booking_created", "booking_cancelled", "counter_opened",
    "counter_closed")

HOURS = {"mon": ["07:30", "16:00"], "tue": ["07:30", "16:00"], "wed": ["07:30", "16:00"],
         "thu": ["07:30", "16:00"], "fri": ["07:30", "16:00"]}

CATALOGUE = {
    "mpp": {"timezone": "Asia/Jakarta"},
    "defaults": {"opening_hours": HOURS,
                 "calling_rule": {"priority_groups": ["lansia", "disabilitas", "ibu_hamil",
                                                      "appointment"],
                                  "max_priority_in_row": 2},
                 "near_front_position": 2,
                 "booking": {"slot_minutes": 30, "capacity_per_slot": 2}},
    "agencies": [
        {"code": "capil", "name": "Disdukcapil",
         "services": [{"id": "ktp", "prefix": "A", "name": "KTP-el"},
                      {"id": "kk", "prefix": "B", "name": "KK", "daily_quota": 2}],
         "counters": [{"id": "c1", "name": "Loket 1", "services": ["ktp"]},
                      {"id": "c2", "name": "Loket 2", "services": ["ktp", "kk"]}]},
        {"code": "samsat", "name": "Samsat",
         "services": [{"id": "pkb", "prefix": "H", "name": "Pajak Kendaraan"}],
         "counters": [{"id": "c3", "name": "Loket 3", "services": ["pkb"]}]},
        {"code": "bank", "name": "Bank Kalteng",
         "services": [{"id": "bayar", "prefix": "J", "name": "Pembayaran"}],
         "counters": [{"id": "c4", "name": "Loket 4", "services": ["bayar"]}]},
    ],
}

# Monday 30 November 2026, 09:00 WIB
MONDAY_0900 = datetime(2026, 11, 30, 2, 0, tzinfo=timezone.utc)


def make_collector(received):
    def handler(event_type):
        def on_event(self, payload):
            received.append((event_type, payload))
        return event_handler("ticketing", event_type)(on_event)

    attrs = {"name": "ticketing_event_collector"}
    attrs.update({"on_" + et: handler(et) for et in EVENT_TYPES})
    return type("Collector", (), attrs)


class Harness:
    def __init__(self, runner_factory, config, mongo_client, clock):
        self.config = config
        self.clock = clock
        self.received = []
        self.db = mongo_client[database_name(config, "ticketing")]
        self.runner_factory = runner_factory

    def start(self, instances=1, catalogue=CATALOGUE, service_class=TicketingService):
        clock = self.clock

        for i in range(instances):
            # each instance with its own per-process memory (allocators, locks, cache), as
            # two separate processes would have: they really race each other
            clocked = type("ClockedTicketing", (service_class,), {
                "clock": clock, "tails": Tails(), "cache": Cache(),
                "call_locks": CallLocks(), "issuer": Issuer()})
            services = [clocked] + ([make_collector(self.received)] if i == 0 else [])
            self.runner_factory(self.config, *services).start()
        self.proxy = ClusterRpcProxy(self.config, timeout=60)
        self.rpc = self.proxy.start().ticketing
        self.rpc.load_catalogue(catalogue)
        return self.rpc

    def events(self, event_type, **match):
        return [p for et, p in self.received if et == event_type
                and all(p.get(k) == v for k, v in match.items())]

    def wait_events(self, event_type, count, **match):
        return wait_for(lambda: len(self.events(event_type, **match)) >= count
                        and self.events(event_type, **match),
                        message="{} x{}".format(event_type, count))

    def stop(self):
        self.proxy.stop()


@pytest.fixture
def clock():
    return FixedClock(MONDAY_0900)


@pytest.fixture
def harness(runner_factory, service_config, mongo_client, clock):
    h = Harness(runner_factory, dict(service_config, max_workers=20), mongo_client, clock)
    yield h
    if hasattr(h, "proxy"):
        h.stop()
