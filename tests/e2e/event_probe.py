"""A consumer of ``ticket_issued`` for the restart tests, run as its own process like any
service (``nameko run tests.e2e.event_probe:EventProbe``).

It subscribes the way every real consumer does (``handles``: durable SERVICE_POOL queue,
ack after the handler, requeue on error) and writes down every delivery it gets, repeats
included, so the test can tell a lost event (a ticket nobody heard of) from a repeat (the same
``event_id`` twice, which ``once`` handlers skip) from a real duplicate (one ticket announced
under two ids).
"""
from services.common import boot
from services.common.events import handles
from services.common.health import HealthMixin
from services.common.mongo import Mongo

boot.install()

NAME = "restart_probe"
CLASS = "tests.e2e.event_probe:EventProbe"


class EventProbe(HealthMixin):
    name = NAME
    db = Mongo(NAME)

    @handles("ticketing", "ticket_issued")
    def on_ticket_issued(self, event):
        self.db.deliveries.insert_one({"ticket_id": event["ticket_id"],
                                       "event_id": event["event_id"]})
