"""``connector_service(MyConnector)``: a nameko service running a connector.

It gives, for free:

- a durable subscription to ``application_forwarded.<name>`` from ``permits`` (a
  ``SERVICE_POOL`` queue shared by every instance: scale with more processes; a connector
  that is down finds its applications waiting in the queue when it comes back);
- each event handled once (by ``event_id``) and each result reported once (``decision_id``);
- the retries, polling, parking and suspension of ``mpp_connector.engine``;
- RPCs: ``health`` (``degraded`` while suspended), ``status`` and ``resume`` (``agency``:
  one agency's suspension, for a connector that suspends per agency);
- reports to the suite: every ``CONNECTOR_REPORT_SECONDS`` (default 15) and at once when it
  suspends or resumes, the connector tells permits its state (``connector_report``): the admin
  page, ``/readyz`` and ``/metrics`` show it, and a catalogue entry naming a connector that
  never reported is flagged;
- ``connector_suspended`` (on the exchange ``connector_<name>``) when it suspends itself;
- its queues of the type the suite's are (``AMQP_QUORUM_QUEUES``, ``mpp_connector.queues``).

The service is named ``connector_<name>`` and keeps its jobs in its own database
(``<MONGO_DB_PREFIX>_connector_<name>``). Configuration: ``AMQP_URI``, ``MONGO_URI``,
``MONGO_DB_PREFIX`` (default ``mpp``), the ``CONNECTOR_*`` settings of ``engine`` and the
connector's own section ``<NAME>_CONNECTOR``.

Run: ``nameko run mymodule:MyConnectorService --config connector.yaml``.
"""
import logging
import socket
import uuid

import eventlet
from nameko.dependency_providers import Config
from nameko.events import SERVICE_POOL, EventDispatcher, event_handler
from nameko.extensions import DependencyProvider
from nameko.rpc import RpcProxy, rpc
from nameko.timer import timer
from pymongo import MongoClient
from pymongo.errors import DuplicateKeyError, PyMongoError

from mpp_connector.engine import Engine
from mpp_connector import queues
from mpp_connector.jobs import MongoJobs
from mpp_connector.vocabulary import iso

log = logging.getLogger(__name__)

PERMITS = "permits"
CONNECTOR_SUSPENDED = "connector_suspended"


def subscription(connector_name):
    """``(event_type, service_name, handler)`` of a connector's forwarded-applications queue:
    permits declares that queue before it forwards, so nothing waits on the connector having
    run once."""
    return ("application_forwarded.{}".format(connector_name),
            "connector_{}".format(connector_name), "on_forwarded")


class ConnectorDatabase(DependencyProvider):
    """The connector's own database (a pymongo ``Database``)."""

    def __init__(self, service_name):
        self.service_name = service_name
        self.client = None

    def setup(self):
        config = self.container.config
        uri = config["MONGO_URI"]
        # retryable writes as the URI says (retryWrites=false on FerretDB v1)
        self.client = MongoClient(uri, tz_aware=True, serverSelectionTimeoutMS=5000,
                                  connectTimeoutMS=3000, socketTimeoutMS=30000)
        self.db = self.client["{}_{}".format(config.get("MONGO_DB_PREFIX", "mpp"),
                                             self.service_name)]

    def stop(self):
        if self.client is not None:
            self.client.close()
            self.client = None

    kill = stop

    def get_dependency(self, worker_ctx):
        return self.db


class Alerts(EventDispatcher):
    """``self.alerts(payload)``: dispatch ``connector_suspended`` in the suite's envelope."""

    def get_dependency(self, worker_ctx):
        dispatch = super().get_dependency(worker_ctx)

        def alert(payload):
            from datetime import datetime, timezone

            dispatch(CONNECTOR_SUSPENDED, dict(payload, event_id=uuid.uuid4().hex,
                                               occurred_at=iso(datetime.now(timezone.utc)),
                                               version=1))

        return alert


class ConnectorRuntime:
    """What ``connector_service`` mixes in."""

    connector_class = None
    connector_name = None

    config = Config()
    permits = RpcProxy(PERMITS)
    alerts = Alerts()

    def _engine(self):
        def alert(payload):
            self.alerts(payload)
            self._report()

        return Engine(self.connector_class(self.config), self.permits, MongoJobs(self.db),
                      alert, sleep=eventlet.sleep)

    def _handle_once(self, event):
        key = "on_forwarded:{}".format(event["event_id"])
        if self.db.processed_events.find_one({"_id": key}, {"_id": 1}):
            return
        self._engine().forwarded(event)
        try:
            self.db.processed_events.insert_one({"_id": key, "at": event.get("occurred_at")})
        except DuplicateKeyError:
            pass

    def _report(self):
        """Tell permits this connector's state (best effort: the next tick tries again)."""
        try:
            self.permits.connector_report(dict(
                self._engine().status(), instance=socket.gethostname()))
        except Exception:  # noqa: BLE001 - permits away: reported on the next tick
            log.info("connector %s could not report to permits", self.connector_name)

    def _health(self):
        try:
            self.db.command("ping")
            database = True
        except PyMongoError:
            database = False
        suspended = database and self._engine().status()["state"] == "suspended"
        return {"service": self.name, "connector": self.connector_name,
                "status": "ok" if database and not suspended else "degraded",
                "database": database, "suspended": bool(suspended)}


def connector_service(connector_class, service_name=None, retry_interval=1.0,
                      report_interval=None, bases=()):
    """A nameko service class running ``connector_class`` (a ``Connector`` subclass).
    ``bases``: extra mixins (the suite adds its health and metrics mixin)."""
    cname = connector_class.name
    if not cname or not cname.replace("_", "").isalnum() or cname != cname.lower():
        raise ValueError("a connector needs a simple lowercase name (letters, digits, _)")
    event_type, default_name, _ = subscription(cname)
    name = service_name or default_name
    queues.install()  # quorum queues as AMQP_QUORUM_QUEUES says, as the suite declares them

    @event_handler(PERMITS, event_type, handler_type=SERVICE_POOL, reliable_delivery=True,
                   requeue_on_error=True)
    def on_forwarded(self, event):
        try:
            self._handle_once(event)
        except Exception:  # only our own database failing gets here: requeued
            log.exception("connector %s failed on %s", cname, event.get("application_id"))
            raise

    @timer(interval=retry_interval)
    def retry_due(self):
        try:
            self._engine().retry_due()
        except Exception:  # noqa: BLE001 - the next tick tries again
            log.exception("connector %s retry sweep failed", cname)

    @timer(interval=report_interval or 15)
    def report(self):
        self._report()

    @rpc
    def health(self):
        return self._health()

    @rpc
    def status(self):
        return self._engine().status()

    @rpc
    def resume(self, agency=None):
        """Lift a suspension (``agency``: only that agency's): parked work is tried again
        now."""
        result = self._engine().resume(agency)
        self._report()
        return dict(self._engine().status(), **result)

    attrs = {
        "name": name, "connector_class": connector_class, "connector_name": cname,
        "db": ConnectorDatabase(name), "on_forwarded": on_forwarded, "retry_due": retry_due,
        "report": report, "health": health, "status": status, "resume": resume,
        "__module__": connector_class.__module__,
        "__doc__": "nameko service running the {!r} connector.".format(cname),
    }
    return type("{}Service".format(connector_class.__name__), tuple(bases) +
                (ConnectorRuntime,), attrs)
