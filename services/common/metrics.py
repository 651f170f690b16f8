"""Prometheus metrics (prometheus_client) for every service process.

``Metrics`` counts and times every entrypoint (RPC, event handler, HTTP route, timer) by
service, entrypoint and outcome. Each process keeps its own registry; the ``metrics`` RPC
of a service returns its exposition text, and the gateway serves its own at ``/metrics``.
Set ``METRICS_PORT`` to also expose a process directly (one port per process).
"""
import time

from nameko.extensions import DependencyProvider
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest, start_http_server

CALLS = Counter("mpp_entrypoint_calls_total", "Entrypoint calls handled",
                ["service", "entrypoint", "outcome"])
LATENCY = Histogram("mpp_entrypoint_seconds", "Entrypoint handling time",
                    ["service", "entrypoint"],
                    buckets=(.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))
IN_FLIGHT = Gauge("mpp_entrypoint_in_flight", "Workers running now", ["service"])

_exposed = []


def exposition():
    """``(content_type, body)`` of this process's metrics."""
    return CONTENT_TYPE_LATEST, generate_latest()


class Metrics(DependencyProvider):
    """Add to a service class (``metrics = Metrics()``)."""

    def __init__(self):
        self._started = {}

    def setup(self):
        from services.common import settings

        port = settings.get(self.container.config, "METRICS_PORT")
        if port and not _exposed:
            start_http_server(int(port), addr=settings.get(self.container.config, "METRICS_ADDRESS"))
            _exposed.append(port)

    def worker_setup(self, worker_ctx):
        self._started[worker_ctx] = time.perf_counter()
        IN_FLIGHT.labels(worker_ctx.service_name).inc()

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        started = self._started.pop(worker_ctx, None)
        name = worker_ctx.entrypoint.method_name
        service = worker_ctx.service_name
        if started is not None:
            LATENCY.labels(service, name).observe(time.perf_counter() - started)
        outcome = "ok"
        if exc_info is not None:
            # a domain error is the caller's mistake (refused); anything else is ours (error)
            from services.common.errors import DomainError

            outcome = "refused" if issubclass(exc_info[0], DomainError) else "error"
        CALLS.labels(service, name, outcome).inc()
        IN_FLIGHT.labels(service).dec()

    def get_dependency(self, worker_ctx):
        return None


def gauges_text(families):
    """Exposition text of gauges computed now: ``{(name, help, (label, ...)): {(value, ...):
    number}}`` (a service's domain figures: queue depths, notification statuses...)."""
    from prometheus_client import CollectorRegistry
    from prometheus_client.core import GaugeMetricFamily

    class Now:
        def collect(self):
            for (name, doc, labels), values in families.items():
                family = GaugeMetricFamily(name, doc, labels=list(labels))
                for key, number in sorted(values.items()):
                    family.add_metric([str(k) for k in key], number)
                yield family

    registry = CollectorRegistry()
    registry.register(Now())
    return generate_latest(registry).decode()


def merge_expositions(texts):
    """One valid exposition from several processes' (the gateway's ``/metrics``): families
    with the same name are joined (their samples differ by their ``service`` label), each
    family's HELP/TYPE written once."""
    from prometheus_client import CollectorRegistry
    from prometheus_client.parser import text_string_to_metric_families

    merged = {}
    for text in texts:
        for family in text_string_to_metric_families(text):
            known = merged.get(family.name)
            if known is None:
                merged[family.name] = family
                continue
            seen = {(s.name, tuple(sorted(s.labels.items()))) for s in known.samples}
            known.samples.extend(s for s in family.samples
                                 if (s.name, tuple(sorted(s.labels.items()))) not in seen)

    class Merged:
        def collect(self):
            return list(merged.values())

    registry = CollectorRegistry()
    registry.register(Merged())
    return generate_latest(registry)
