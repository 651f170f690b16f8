"""Gateway entrypoints: HTTP in, RPC to the services, JSON (or problem+json) out.

Routes stay thin: read and validate the request, call a service, shape the response.
"""
import logging
from pathlib import Path

from marshmallow import Schema, fields, validate, RAISE
from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy
from werkzeug.wrappers import Response

from services.common.health import HealthMixin
from services.common.mongo import Mongo, ping
from services.gateway import requests as req
from services.gateway.calls import call
from services.gateway.http import api

log = logging.getLogger(__name__)

WEB_ROOT = Path(__file__).parent / "web"
SERVICES = ("ticketing", "permits", "notifications")


class IssueTicketRequest(Schema):
    class Meta:
        unknown = RAISE

    service_id = fields.String(required=True, validate=validate.Length(1, 64))
    priority_group = fields.String(load_default=None, allow_none=True)
    language = fields.String(load_default="id", validate=validate.OneOf(["id", "en"]))


def ensure_indexes(db):
    pass


class GatewayService(HealthMixin):
    name = "gateway"

    db = Mongo("gateway", ensure_indexes)
    config = Config()
    ticketing = RpcProxy("ticketing")
    permits = RpcProxy("permits")
    notifications = RpcProxy("notifications")

    def _call(self, method, *args, **kwargs):
        return call(method, *args, timeout=float(self.config.get("RPC_TIMEOUT", 10)), **kwargs)

    # -- health ---------------------------------------------------------------------------

    @api("GET", "/healthz")
    def healthz(self, request):
        return req.json_response({"status": "ok"})

    @api("GET", "/readyz")
    def readyz(self, request):
        checks = {"database": ping(self.db)}
        for name in SERVICES:
            try:
                answer = call(getattr(self, name).health, timeout=3)
                checks[name] = answer.get("status") == "ok"
            except Exception:
                checks[name] = False
        ready = all(checks.values())
        return req.json_response({"status": "ready" if ready else "not ready", "checks": checks},
                                 status=200 if ready else 503,
                                 headers=None if ready else {"Retry-After": "5"})

    # -- public API -----------------------------------------------------------------------

    @api("GET", "/api/v1/agencies")
    def agencies(self, request):
        agencies = self._call(self.ticketing.list_agencies)
        permit_types = self._call(self.permits.list_permit_types)
        for agency in agencies:
            agency["permit_types"] = [p for p in permit_types if p["agency"] == agency["code"]]
        return req.json_response({"agencies": agencies})

    @api("POST", "/api/v1/tickets")
    def issue_ticket(self, request):
        body = req.load(IssueTicketRequest(), req.read_json(request))
        ticket = self._call(self.ticketing.issue_ticket, idempotency_key=req.idempotency_key(request),
                            **body)
        return req.json_response(ticket, status=201,
                                 headers={"Location": "/api/v1/tickets/{}".format(ticket["id"])})

    @api("GET", "/api/v1/tickets/<string:ticket_id>")
    def get_ticket(self, request, ticket_id):
        token = request.args.get("token") or request.headers.get("X-Ticket-Token") or ""
        return req.json_response(self._call(self.ticketing.get_ticket, ticket_id, token))

    # -- web client -----------------------------------------------------------------------

    @api("GET", "/")
    def index(self, request):
        return Response((WEB_ROOT / "index.html").read_bytes(), mimetype="text/html")
