"""Agency connectors for the people who run them: which connectors exist and in what state
(as each connector service reports itself to permits, joined with the connectors the
catalogue names), resuming one that suspended itself, and the agencies the webhook connector
serves, set at runtime (URL, timeout, a shared secret shown once and stored sealed).

An admin sees and resumes every connector; an agency's supervisor those serving their agency.
A connector that suspends per agency is resumed per agency: ``webhook@<agency>``.
"""
import re

from nameko.exceptions import UnknownService
from nameko.standalone.rpc import ClusterRpcProxy

from services.common import secretbox
from services.common.errors import Conflict, Forbidden, NotFound
from services.contracts import permits as pc
from services.gateway import auth
from services.gateway import requests as req
from services.contracts import api as rs
from services.gateway.http import route

TAG = "connectors"
NAME = re.compile(r"^[a-z0-9_]{1,60}(@[A-Za-z0-9][A-Za-z0-9_.:\-]{0,99})?$")
NO_KEY = ("Kunci rahasia konektor (CONNECTOR_SECRETS_KEY) belum diatur / The connector "
          "secrets key (CONNECTOR_SECRETS_KEY) is not set")
NOT_RUNNING = ("Konektor tidak berjalan, jalankan layanannya dulu / The connector is not "
               "running: start its service first")


class ConnectorRoutes:

    def _connector_in_scope(self, principal, name):
        """The connector's entry, if ``principal`` may see it (404 for an unknown name, 403 for
        another agency's)."""
        if not NAME.match(name):
            raise NotFound("Konektor tidak dikenal / Unknown connector", {"connector": name})
        connector = self._call(self.permits.get_connector, name)
        if principal.role != auth.staff_roles.ADMIN and \
                principal.agency not in connector["agencies"]:
            raise Forbidden(auth.OTHER_AGENCY)
        return connector

    @route("GET", "/api/v1/admin/connectors",
           operation_id="listConnectors", response=rs.ConnectorList,
           tags=[TAG], auth="supervisor",
           query={"agency": "agency (admin only; a supervisor sees their own)"},
           summary="Agency connectors and their state (running, suspended, unknown: never or "
                   "no longer reporting); a supervisor sees their agency's")
    def list_connectors(self, request):
        principal = self._staff(request, auth.SUPERVISORS)
        agency = auth.scope_agency(principal, request.args.get("agency"))
        return req.json_response({"connectors": self._call(self.permits.list_connectors,
                                                           agency)})

    @route("POST", "/api/v1/admin/connectors/<string:name>/resume",
           operation_id="resumeConnector", response=rs.Connector,
           tags=[TAG],
           auth="supervisor", problems=(404, 409),
           summary="Resume a suspended connector: its parked work is tried again now")
    def resume_connector(self, request, name):
        principal = self._staff(request, auth.SUPERVISORS)
        self._connector_in_scope(principal, name)
        timeout = float(self.config.get("RPC_TIMEOUT", 10))
        service, _, agency = name.partition("@")
        try:
            with ClusterRpcProxy(self.config, timeout=timeout) as cluster:
                result = getattr(cluster, "connector_" + service).resume(agency or None)
        except UnknownService:
            raise Conflict(NOT_RUNNING, {"connector": name}) from None
        except Exception as exc:  # noqa: BLE001 - no instance answered in time: a 409
            if type(exc).__name__ in ("RpcTimeout", "Timeout"):
                raise Conflict(NOT_RUNNING, {"connector": name}) from None
            raise
        connector = self._call(self.permits.get_connector, name)
        return req.json_response(dict(connector, resumed=result.get("resumed", 0)))

    # -- webhook agencies set at runtime ----------------------------------------------------

    @route("GET", "/api/v1/admin/webhook-agencies",
           operation_id="listWebhookAgencies", response=rs.WebhookAgencyList,
           tags=[TAG], auth="admin",
           summary="Agencies the webhook connector serves (never their secrets)")
    def list_webhook_agencies(self, request):
        self._staff(request, auth.ADMIN)
        return req.json_response({"agencies": self._call(self.permits.list_webhook_agencies)})

    @route("PUT", "/api/v1/admin/webhook-agencies/<string:agency>",
           operation_id="saveWebhookAgency", response=rs.WebhookAgencyView,
           tags=[TAG], auth="admin",
           body=pc.WebhookAgencySchema, problems=(409,),
           summary="Serve an agency through the webhook connector, or change its URL or "
                   "timeout; the first time (or rotate_secret) a new shared secret is "
                   "answered, once: it signs both directions")
    def put_webhook_agency(self, request, agency):
        self._staff(request, auth.ADMIN)
        body = req.load(pc.WebhookAgencySchema, req.read_json(request))
        self._known_agency(agency)
        if not secretbox.configured(self.config):
            raise Conflict(NO_KEY)
        try:
            existing = self._call(self.permits.get_webhook_agency, agency)
        except NotFound:
            existing = None
        data = {"url": body["url"], "timeout_seconds": body["timeout_seconds"],
                "status_mapping": body["status_mapping"]}
        secret = None
        if existing is None or body["rotate_secret"]:
            secret = secretbox.new_secret()
            data.update(secret_sealed=secretbox.seal(self.config, secret),
                        secret_hint="…" + secret[-4:])
        saved = self._call(self.permits.put_webhook_agency, agency, data)
        if secret is not None:
            saved = dict(saved, secret=secret, secret_shown_once=True)
        return req.json_response(saved)

    def _callback_secret(self, agency):
        """The agency's shared secret set at runtime (``None``: not a webhook agency)."""
        try:
            sealed = self._call(self.permits.get_webhook_agency, agency)["secret_sealed"]
        except NotFound:
            return None
        return secretbox.open_(self.config, sealed) if secretbox.configured(self.config) \
            else None
