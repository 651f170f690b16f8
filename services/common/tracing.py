"""A correlation id that follows one request from the gateway through RPC calls and events.

The gateway puts ``correlation_id`` in the worker's context data (from the client's
``X-Request-Id`` or a new one). nameko carries context data along with every RPC call and
event it dispatches, so every worker downstream finds the same id. ``Correlation`` keeps it
in greenthread-local state for the duration of a worker, where the JSON log formatter
(services.common.logs) picks it up: grep one id and see the whole journey.
"""
import uuid
from contextlib import contextmanager

from eventlet.corolocal import local
from nameko.extensions import DependencyProvider

CONTEXT_KEY = "correlation_id"
_state = local()


def current():
    """The correlation id of the worker running in this greenthread, or None."""
    return getattr(_state, "correlation_id", None)


def new_id():
    return uuid.uuid4().hex[:16]


@contextmanager
def correlated(cid):
    """Log records made inside carry ``cid`` (for what is logged outside a worker, such as
    the gateway's access line)."""
    before = current()
    _state.correlation_id = cid
    try:
        yield
    finally:
        _state.correlation_id = before


class Correlation(DependencyProvider):
    """Add to a service class (``correlation = Correlation()``)."""

    def worker_setup(self, worker_ctx):
        cid = worker_ctx.data.get(CONTEXT_KEY)
        if not cid:
            cid = new_id()
            worker_ctx.data[CONTEXT_KEY] = cid  # propagated to outgoing RPC and events
        _state.correlation_id = cid

    def worker_teardown(self, worker_ctx):
        _state.correlation_id = None

    def get_dependency(self, worker_ctx):
        return worker_ctx.data.get(CONTEXT_KEY)


def _install_record_factory():
    """Stamp every log record with the correlation id when it is *created* (a handler may
    format it later, outside the worker)."""
    import logging

    previous = logging.getLogRecordFactory()
    if getattr(previous, "_mpp_correlation", False):
        return

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        record.correlation_id = current()
        return record

    factory._mpp_correlation = True
    logging.setLogRecordFactory(factory)


_install_record_factory()
