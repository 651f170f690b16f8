"""Agency connectors for the people who run them: which connectors exist and in what state
(as each connector service reports itself to permits, joined with the connectors the
catalogue names), and resuming one that suspended itself.

An admin sees and resumes every connector; an agency's supervisor those serving their agency.
"""
import re

from nameko.exceptions import UnknownService
from nameko.standalone.rpc import ClusterRpcProxy

from services.common.errors import Conflict, Forbidden, NotFound
from services.gateway import auth
from services.gateway import requests as req
from services.gateway.http import route

TAG = "connectors"
NAME = re.compile(r"^[a-z0-9_]{1,60}$")
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

    @route("GET", "/api/v1/admin/connectors", tags=[TAG], auth="supervisor",
           query={"agency": "agency (admin only; a supervisor sees their own)"},
           summary="Agency connectors and their state (running, suspended, unknown: never or "
                   "no longer reporting); a supervisor sees their agency's")
    def list_connectors(self, request):
        principal = self._staff(request, auth.SUPERVISORS)
        agency = auth.scope_agency(principal, request.args.get("agency"))
        return req.json_response({"connectors": self._call(self.permits.list_connectors,
                                                           agency)})

    @route("POST", "/api/v1/admin/connectors/<string:name>/resume", tags=[TAG],
           auth="supervisor", problems=(404, 409),
           summary="Resume a suspended connector: its parked work is tried again now")
    def resume_connector(self, request, name):
        principal = self._staff(request, auth.SUPERVISORS)
        self._connector_in_scope(principal, name)
        timeout = float(self.config.get("RPC_TIMEOUT", 10))
        try:
            with ClusterRpcProxy(self.config, timeout=timeout) as cluster:
                result = getattr(cluster, "connector_" + name).resume()
        except UnknownService:
            raise Conflict(NOT_RUNNING, {"connector": name}) from None
        except Exception as exc:  # noqa: BLE001 - no instance answered in time: a 409
            if type(exc).__name__ in ("RpcTimeout", "Timeout"):
                raise Conflict(NOT_RUNNING, {"connector": name}) from None
            raise
        connector = self._call(self.permits.get_connector, name)
        return req.json_response(dict(connector, resumed=result.get("resumed", 0)))
