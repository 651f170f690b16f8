"""Ticketing service entrypoints: parse, call the rules, persist, dispatch events."""
import secrets

from nameko.dependency_providers import Config
from nameko.rpc import rpc

from services.common import clock as clk
from services.common.config import timezone_name
from services.common.errors import NotFound, ValidationFailed
from services.common.events import Events
from services.common.health import HealthMixin
from services.common.mongo import Mongo
from services.ticketing import catalogue, store


def format_number(prefix, seq):
    return "{}-{:03d}".format(prefix, seq)


def public_ticket(ticket):
    """What a ticket holder (or a board) may see: no contact details."""
    return {
        "id": ticket["_id"],
        "number": ticket["number"],
        "service_id": ticket["service_id"],
        "status": ticket["status"],
        "priority_group": ticket.get("priority_group"),
        "issued_at": clk.iso(ticket["issued_at"]),
        "day": ticket["day"],
    }


class TicketingService(HealthMixin):
    name = "ticketing"

    db = Mongo("ticketing", store.ensure_indexes)
    events = Events()
    config = Config()
    clock = clk.Clock()
    numbers = store.NumberAllocator()  # shared by this process's workers

    @rpc
    def load_catalogue(self, data):
        """Create or update agencies, services and counters from catalogue data."""
        counts = {}
        for collection, document in catalogue.documents(data):
            on_insert = catalogue.COUNTER_ON_INSERT if collection == "counters" else None
            store.upsert_catalogue_item(self.db, collection, document, on_insert)
            counts[collection] = counts.get(collection, 0) + 1
        store.put_settings(self.db, {"mpp": data.get("mpp", {}), "defaults": data.get("defaults", {})})
        return counts

    @rpc
    def list_agencies(self):
        services = store.list_services(self.db)
        agencies = []
        for agency in store.list_agencies(self.db):
            agencies.append({
                "code": agency["_id"],
                "name": agency["name"],
                "name_en": agency["name_en"],
                "services": [
                    {"id": s["_id"], "prefix": s["prefix"], "name": s["name"], "name_en": s["name_en"]}
                    for s in services if s["agency"] == agency["_id"]
                ],
            })
        return agencies

    @rpc
    def issue_ticket(self, service_id, priority_group=None, contact=None, language="id",
                     idempotency_key=None):
        if not isinstance(service_id, str):
            raise ValidationFailed("Data tidak valid / Invalid data",
                                   {"fields": {"service_id": ["Not a valid string."]}})
        service = store.get_service(self.db, service_id)
        if service is None:
            raise NotFound("Layanan tidak ditemukan / Service not found", {"service_id": service_id})
        now = self.clock.now()
        ticket = {
            "idem": store.idem_hash(service_id, idempotency_key),
            "service_id": service_id,
            "agency": service["agency"],
            "day": clk.local_day(now, timezone_name(self.config)).isoformat(),
            "status": "waiting",
            "priority_group": priority_group,
            "language": language,
            "contact": contact,
            "issued_at": now,
            "arrived_at": now,
            "access_token": secrets.token_urlsafe(16),
        }
        ticket, created = self.numbers.issue(
            self.db, ticket, lambda seq: format_number(service["prefix"], seq))
        if created:
            self.events("ticket_issued", {
                "ticket_id": ticket["_id"],
                "number": ticket["number"],
                "service_id": service_id,
                "agency": service["agency"],
                "priority_group": priority_group,
                "language": language,
                # Only this event carries the contact: notifications keeps it as the
                # ticket's recipient; every later ticket event names the ticket alone.
                "contact": contact or None,
            })
        return dict(public_ticket(ticket), access_token=ticket["access_token"])

    @rpc
    def get_ticket(self, ticket_id, access_token):
        ticket = store.get_ticket(self.db, ticket_id) if isinstance(ticket_id, str) else None
        if ticket is None or not isinstance(access_token, str) or not secrets.compare_digest(
                ticket["access_token"], access_token):
            raise NotFound("Tiket tidak ditemukan / Ticket not found")
        return public_ticket(ticket)
