"""Notifications service entrypoints: react to other services' events, keep message status."""
import logging

from nameko.rpc import rpc

from services.common import clock as clk
from services.common.events import handles, once
from services.common.health import HealthMixin
from services.common.mongo import Mongo
from services.notifications import store

log = logging.getLogger(__name__)


def public_message(doc):
    """Message status without the recipient's details or the body."""
    return {
        "id": doc["_id"],
        "reference": doc["reference"],
        "kind": doc["kind"],
        "status": doc["status"],
        "created_at": clk.iso(doc["created_at"]),
    }


class NotificationsService(HealthMixin):
    name = "notifications"

    db = Mongo("notifications", store.ensure_indexes)
    clock = clk.Clock()

    @handles("ticketing", "ticket_issued")
    @once()
    def on_ticket_issued(self, event):
        message, created = store.create_message(self.db, {
            "_id": "ticket_issued:{}".format(event["ticket_id"]),
            "reference": event["ticket_id"],
            "kind": "ticket_issued",
            "event_id": event["event_id"],
            "status": "created" if event.get("contact") else "no_recipient",
            "created_at": self.clock.now(),
        })
        log.info("message %s for %s", "created" if created else "already exists", message["_id"])

    @rpc
    def messages_for(self, reference):
        return [public_message(m) for m in store.messages_for(self.db, reference)]
