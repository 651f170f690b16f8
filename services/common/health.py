"""The ``health`` RPC every service answers (used by the gateway's /readyz and compose)."""
from nameko.rpc import rpc

from services.common.mongo import ping


class HealthMixin:
    """Mix into a service class that has ``name`` and a ``db`` (Mongo) dependency."""

    @rpc
    def health(self):
        database = ping(self.db)
        return {"service": self.name, "status": "ok" if database else "degraded", "database": database}
