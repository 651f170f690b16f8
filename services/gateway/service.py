"""Gateway entrypoints: HTTP in, RPC to the services, JSON (or problem+json) out.

Routes stay thin (read and validate the request, check who asks, call a service, shape the
response) and are grouped by resource in mixins composed here:

- ``routes_public``: catalogue, tickets, queues, board, bookings (rate-limited, no PII);
- ``routes_auth``: sign-in, refresh, accounts, API keys, the demo-account RPC;
- ``routes_counters``: counter console actions (role + agency scope);
- ``routes_permits``: applications, permits, connector callbacks (HMAC);
- ``routes_connectors``: agency connectors' state and resuming one (admin, supervisors);
- ``routes_admin``: catalogue administration, statistics, notification status;
- ``routes_practice``: promise against practice, broken promises, agency onboarding;
- ``routes_feedback``: surveys, complaints, public statistics, supervisors' feedback views;
- ``routes_providers``: WhatsApp and SMS providers' receipts and replies (signed);
- ``routes_live``: the board snapshots of the SSE hub (``hub``, fed by ``live_feed``);
- ``routes_standards``: service standards, their public consultation and the maklumat.

Pages, static assets, the OpenAPI document and the SSE streams are answered by
``http.GatewayWsgiApp`` without a worker.
"""
import logging

from services.common import boot
from services.common.health import HealthMixin
from services.common.mongo import ping
from services.gateway import requests as req
from services.gateway.backends import SERVICES
from services.gateway.base import GatewayBase
from services.gateway.calls import call
from services.contracts import api as rs
from services.gateway.http import route
from services.gateway.routes_admin import AdminRoutes
from services.gateway.routes_auth import AuthRoutes
from services.gateway.routes_connectors import ConnectorRoutes
from services.gateway.routes_counters import CounterRoutes
from services.gateway.routes_feedback import FeedbackRoutes
from services.gateway.routes_live import LiveRoutes
from services.gateway.routes_permits import PermitRoutes
from services.gateway.routes_practice import PracticeRoutes
from services.gateway.routes_providers import ProviderRoutes
from services.gateway.routes_public import PublicRoutes
from services.gateway.routes_standards import StandardRoutes
from services.gateway.schemas import IssueTicketRequest  # noqa: F401 - kept importable

boot.install()

log = logging.getLogger(__name__)



class GatewayService(HealthMixin, GatewayBase, AuthRoutes, PublicRoutes, CounterRoutes,
                     PermitRoutes, AdminRoutes, FeedbackRoutes, LiveRoutes, ProviderRoutes,
                     ConnectorRoutes, StandardRoutes, PracticeRoutes):
    name = "gateway"

    # -- health ---------------------------------------------------------------------------

    @route("GET", "/healthz", operation_id="getHealth", response=rs.Health,
           tags=["health"], summary="The gateway process is up")
    def healthz(self, request):
        return req.json_response({"status": "ok"})

    @route("GET", "/readyz", operation_id="getReadiness", response=rs.Readiness, tags=["health"],
           summary="The database and every service answer (503 otherwise); each agency "
                   "connector's state is listed (a suspended agency does not make the MPP "
                   "unready)",
           responses={"503": {"description": "Not ready: which checks failed (Retry-After)",
                              "content": {"application/json": {}}}})
    def readyz(self, request):
        checks = {"database": ping(self.db)}
        for name in SERVICES:
            try:
                answer = call(getattr(self, name).health, timeout=3)
                checks[name] = answer.get("status") == "ok"
            except Exception:
                checks[name] = False
        ready = all(checks.values())
        try:
            connectors = {c["name"]: c["state"]
                          for c in call(self.permits.list_connectors, timeout=3)}
        except Exception:  # permits away: already a failed check above
            connectors = {}
        return req.json_response({"status": "ready" if ready else "not ready", "checks": checks,
                                  "connectors": connectors},
                                 status=200 if ready else 503,
                                 headers=None if ready else {"Retry-After": "5"})
