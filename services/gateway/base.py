"""What every route mixin shares: dependencies, bounded RPC calls, the caller's principal."""
from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy

from services.common.mongo import Mongo
from services.gateway import auth
from services.gateway import requests as req
from services.gateway.calls import call
from services.gateway.hub import LiveHub
from services.gateway.settings import int_setting


def ensure_indexes(db):
    auth.ensure_indexes(db)


class GatewayBase:
    db = Mongo("gateway", ensure_indexes)
    config = Config()
    tokens = auth.Tokens()
    live = LiveHub()
    ticketing = RpcProxy("ticketing")
    permits = RpcProxy("permits")
    notifications = RpcProxy("notifications")
    feedback = RpcProxy("feedback")

    def _call(self, method, *args, **kwargs):
        return call(method, *args, timeout=float(self.config.get("RPC_TIMEOUT", 10)), **kwargs)

    def _principal(self, request):
        return auth.authenticate(self.db, self.tokens, request)

    def _staff(self, request, roles=auth.STAFF, agency=None):
        return auth.require(self._principal(request), roles, agency)

    def _body(self, request, schema=None, max_bytes=req.MAX_JSON_BYTES):
        data = req.read_json(request, max_bytes=max_bytes)
        if schema is not None:
            req.load(schema, data)  # a 422 with field messages before any service is asked
        return data

    def _upload_limit(self):
        return int_setting(self.config, "GATEWAY_MAX_UPLOAD_BYTES", 8 * 1024 * 1024)

    def _counter_in_scope(self, principal, counter_id):
        """The counter (from ticketing) if the principal's agency runs it, else 403."""
        counter = self._call(self.ticketing.get_counter, counter_id)
        auth.require(principal, auth.STAFF, counter["agency"])
        return counter
