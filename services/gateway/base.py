"""What every route mixin shares: dependencies, bounded RPC calls, the caller's principal."""
from nameko.dependency_providers import Config

from services.common.errors import NotFound, ValidationFailed
from services.common.mongo import Mongo
from services.contracts.messages import INVALID_DATA
from services.gateway import auth
from services.gateway import requests as req
from services.gateway.calls import call, service
from services.gateway.live_feed import LiveFeed
from services.common import settings


def ensure_indexes(db):
    auth.ensure_indexes(db)


class GatewayBase:
    db = Mongo("gateway", ensure_indexes)
    config = Config()
    tokens = auth.Tokens()
    live = LiveFeed()
    ticketing = service("ticketing")
    permits = service("permits")
    notifications = service("notifications")
    feedback = service("feedback")
    standards = service("standards")

    def _call(self, method, *args, **kwargs):
        return call(method, *args, timeout=settings.get(self.config, "RPC_TIMEOUT"), **kwargs)

    def _principal(self, request):
        return auth.authenticate(self.db, self.tokens, request)

    def _staff(self, request, roles=auth.STAFF, agency=None, allow_must_change=False):
        return auth.require(self._principal(request), roles, agency,
                            allow_must_change=allow_must_change)

    def _body(self, request, schema=None, max_bytes=req.MAX_JSON_BYTES):
        data = req.read_json(request, max_bytes=max_bytes)
        if schema is not None:
            req.load(schema, data)  # a 422 with field messages before any service is asked
        return data

    def _upload_limit(self):
        return settings.get(self.config, "GATEWAY_MAX_UPLOAD_BYTES")

    def _require_catalogue_owner(self, principal, agency, get_existing, item_id):
        """Writing a service or a counter: the agency written *and* the agency of what is
        there now (``get_existing``: ``ticketing.get_service`` / ``get_counter``) must be the
        principal's, so a supervisor neither creates things for another agency nor takes one
        of its over. 403 before anything changes."""
        auth.require(principal, auth.SUPERVISORS, agency)  # before any lookup
        try:
            existing = self._call(get_existing, item_id)["agency"]
        except NotFound:  # a new one
            return
        auth.require(principal, auth.SUPERVISORS, existing)

    def _reference_agency(self, reference):
        """Whose ticket, booking or application ``reference`` is (None: nobody's)."""
        return (self._call(self.ticketing.reference_agency, reference)
                or self._call(self.permits.application_agency, reference))

    def _known_agency(self, agency, field="agency"):
        """A 422 on ``field`` unless ``agency`` is one ticketing knows: an account or an API
        key bound to an agency that does not exist could never be used as meant."""
        if agency not in {a["code"] for a in self._call(self.ticketing.list_agencies)}:
            raise ValidationFailed(INVALID_DATA, {
                "fields": {field: ["Instansi tidak dikenal / Unknown agency."]}})

    def _application_in_scope(self, principal, application_id):
        """404 for no such application, 403 for another agency's (as for counters); permits
        checks the agency again."""
        owner = self._call(self.permits.application_agency, application_id)
        if owner is None:
            raise NotFound("Permohonan tidak ditemukan / Application not found",
                           {"application_id": application_id})
        auth.require(principal, auth.STAFF, owner)

    def _ticket_in_scope(self, principal, ticket_id):
        """404 for no such ticket, 403 for another agency's: ticket ids are predictable, so a
        counter of one's own is not enough to act on a ticket (ticketing checks again)."""
        owner = self._call(self.ticketing.reference_agency, ticket_id)
        if owner is None:
            raise NotFound("Tiket tidak ditemukan / Ticket not found", {"ticket_id": ticket_id})
        auth.require(principal, auth.STAFF, owner)

    def _counter_in_scope(self, principal, counter_id):
        """The counter (from ticketing) if the principal's agency runs it, else 403."""
        counter = self._call(self.ticketing.get_counter, counter_id)
        auth.require(principal, auth.STAFF, counter["agency"])
        return counter
