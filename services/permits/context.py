"""What a feature module needs from the worker running it.

The entrypoints (``service.py``) build one ``Context`` per call from their nameko
dependencies; feature modules (``filing``, ``acting``, ``sla_sweep`` ...) take it as their first
argument, so they never import nameko and are called the same way from an RPC, a timer or a
roll-forward.
"""
from services.common import settings
from services.common.config import timezone_name
from services.permits import documents, keys


class Context:
    """``db`` (the permits database), ``config``, ``clock``; ``emit(event_type, payload)``
    dispatches an enveloped event; ``subscriber_queues.ensure(...)`` declares a consumer's
    queue before the first event for it goes out."""

    def __init__(self, db, config, clock, emit, subscriber_queues):
        self.db = db
        self.config = config
        self.clock = clock
        self.emit = emit
        self.subscriber_queues = subscriber_queues

    def now(self):
        return self.clock.now()

    @property
    def tz(self):
        """The MPP's zone (local days: permit years, validity, SLA working days)."""
        return timezone_name(self.config)

    @property
    def keys(self):
        """This database's secrets (``keys.load``: cached per process)."""
        return keys.load(self.db, self.config)

    def max_bytes(self):
        return settings.get(self.config, "PERMITS_MAX_DOCUMENT_BYTES")

    def verify_base_url(self):
        return settings.get(self.config, "PERMITS_VERIFY_URL")
