"""What every service has besides its own work: the ``health`` RPC (the gateway's /readyz,
compose healthchecks), a ``metrics`` RPC (Prometheus exposition of its process), entrypoint
metrics and the correlation id that ties its log lines to the request that caused them."""
from nameko.rpc import rpc

from services.common.metrics import Metrics, exposition
from services.common.mongo import ping
from services.common.tracing import Correlation


class HealthMixin:
    """Mix into a service class that has ``name`` and a ``db`` (Mongo) dependency."""

    correlation = Correlation()
    entrypoint_metrics = Metrics()

    @rpc
    def health(self):
        database = ping(self.db)
        return {"service": self.name, "status": "ok" if database else "degraded", "database": database}

    @rpc
    def metrics(self):
        """This process's entrypoint metrics and the service's own figures, computed now."""
        return exposition()[1].decode() + self.domain_metrics()

    def domain_metrics(self):
        """Exposition text of the service's domain gauges (``metrics.gauges_text``)."""
        return ""
