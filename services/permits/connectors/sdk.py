"""The connector SDK: write one class, get a nameko service.

An integrator writes::

    from services.permits.connectors.sdk import Connector, connector_service
    from services.permits.connectors.vocabulary import Decision, Pending

    class Dinkes(Connector):
        name = "dinkes"                      # permit types name it as their ``connector``

        # application: the dict PermitsService.get_application_for_connector returns
        def process(self, application):
            case = my_backoffice.lookup(application["tracking_code"])
            if case is None:
                my_backoffice.create(application)
                return Pending("received", retry_after_seconds=600)   # ask again in 10 min
            if case.status == "SELESAI":
                return Decision("approved", reference=case.number)
            return Pending("in_review", retry_after_seconds=600)

    DinkesConnector = connector_service(Dinkes)   # run: nameko run mymodule:DinkesConnector

and ``connector_service`` gives, for free:

- a durable subscription to ``application_forwarded.<name>`` from ``permits`` (a
  ``SERVICE_POOL`` queue shared by every instance: scale with more processes; a connector
  that is down finds its applications waiting in the queue when it comes back);
- idempotency: each event is handled once (``events.once``) and each decision is reported
  with ``decision_id = <name>:<application id>:<seq of the forwarding>``, which the permits
  service applies once however often it arrives;
- retries: an exception in ``process`` (or from permits) is retried in the handler with
  exponential backoff (``CONNECTOR_INLINE_ATTEMPTS``, ``CONNECTOR_BACKOFF_SECONDS``), then
  parked as a job retried by a timer with growing delays; after
  ``CONNECTOR_MAX_ATTEMPTS`` the connector **suspends** itself (new work is parked, not
  attempted), dispatches ``connector_suspended`` and reports ``degraded`` in ``health`` until
  an operator calls ``resume``. A ``DomainError`` from permits (the application moved on, was
  withdrawn…) is final and not retried;
- ``Pending(retry_after_seconds=n)`` polls again after n seconds; a ``Pending`` without it
  waits for the agency's callback (the webhook pattern);
- ``health`` (with the connector's pending and suspended work) and ``status`` RPCs.

The service is named ``connector_<name>`` and keeps its jobs in its own database
(``<prefix>_connector_<name>``). Jobs that are done are deleted, so the timer's read of the
jobs collection (a scan on FerretDB) only ever sees work that is waiting or suspended.
"""
import logging
import traceback

import eventlet
from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy, rpc
from nameko.timer import timer

from services.common import clock as clk
from services.common import settings
from services.common.errors import DomainError
from services.common.events import Events, handles, once
from services.common.mongo import Mongo, ping
from services.contracts import events as event_names
from services.permits.connectors import jobs
from services.permits.connectors.vocabulary import Decision, Pending

log = logging.getLogger(__name__)



class Connector:
    """Subclass and implement ``process``. ``self.config`` is the nameko config dict."""

    name = None

    def __init__(self, config):
        self.config = config

    def setting(self, key, default=None):
        """``config[<NAME>_CONNECTOR][key]`` (e.g. ``WEBHOOK_CONNECTOR: {agencies: …}``)."""
        section = settings.section(self.config, "{}_CONNECTOR".format(self.name.upper()))
        return section.get(key, default)

    def process(self, application):
        """Return ``Decision(outcome, note=…, reference=…)`` or ``Pending(status, …)``."""
        raise NotImplementedError


def _setting(config, key):
    return settings.get(config, key)


class ConnectorRuntime:
    """What ``connector_service`` mixes in: the event handler, jobs, retries, suspension."""

    connector_class = None
    connector_name = None

    config = Config()
    permits = RpcProxy("permits")
    events = Events()
    clock = clk.Clock()

    # -- entrypoints are added by connector_service (they need the name) ----------------

    def _on_forwarded(self, event):
        job = {"_id": "{}:{}".format(event["application_id"], event["seq"]),
               "application_id": event["application_id"], "seq": event["seq"],
               "agency": event["agency"], "attempts": 0, "status": "waiting",
               "next_at": clk.iso(self.clock.now()), "event_id": event["event_id"]}
        if self._suspended():
            job["status"] = "suspended"
            jobs.put_job(self.db, job)
            return
        self._run(job)

    def _retry_due(self):
        now = clk.iso(self.clock.now())
        if self._suspended():
            return
        for job in jobs.all_jobs(self.db):
            if job["status"] == "waiting" and job["next_at"] <= now:
                self._run(job)

    def _run(self, job):
        adapter = self.connector_class(self.config)
        inline = _setting(self.config, "CONNECTOR_INLINE_ATTEMPTS")
        backoff = _setting(self.config, "CONNECTOR_BACKOFF_SECONDS")
        error = None
        for attempt in range(inline):
            try:
                self._attempt(adapter, job)
                return
            except DomainError as exc:  # final: the application moved on, or bad data
                log.warning("connector %s: %s refused (%s)", self.connector_name,
                            job["_id"], exc.__class__.__name__)
                jobs.drop_job(self.db, job["_id"])
                return
            except Exception as exc:  # noqa: BLE001 - retried with backoff
                error = "{}: {}".format(exc.__class__.__name__, exc)[:500]
                log.info("connector %s attempt failed for %s: %s", self.connector_name,
                         job["_id"], error)
                if attempt + 1 < inline:
                    eventlet.sleep(backoff * 2 ** attempt)
        self._park(job, inline, error)

    def _attempt(self, adapter, job):
        application = self.permits.get_application_for_connector(job["application_id"],
                                                                 self.connector_name)
        if application["state"] != "in_process" or application["seq"] != job["seq"]:
            jobs.drop_job(self.db, job["_id"])  # decided or withdrawn meanwhile
            return
        result = adapter.process(application)
        decision_id = "{}:{}:{}".format(self.connector_name, job["application_id"], job["seq"])
        if isinstance(result, Decision):
            self.permits.record_decision(job["agency"], {
                "application_id": job["application_id"], "decision_id": decision_id,
                "status": result.outcome, "note": result.note, "reference": result.reference,
                "corrections": list(result.fields)})
            jobs.drop_job(self.db, job["_id"])
            return
        if not isinstance(result, Pending):
            raise TypeError("process() must return a Decision or a Pending")
        self.permits.record_decision(job["agency"], {
            "application_id": job["application_id"],
            "decision_id": "{}:{}".format(decision_id, result.status),
            "status": result.status, "note": result.note, "reference": result.reference})
        if result.retry_after_seconds:
            later = self.clock.now().timestamp() + result.retry_after_seconds
            next_at = clk.iso(clk.datetime.fromtimestamp(later, clk.UTC))
            jobs.put_job(self.db, dict(job, status="waiting", next_at=next_at))
        else:
            jobs.drop_job(self.db, job["_id"])  # the agency answers by callback

    def _park(self, job, attempts, error):
        job = dict(job, attempts=job.get("attempts", 0) + attempts, last_error=error)
        if job["attempts"] >= _setting(self.config, "CONNECTOR_MAX_ATTEMPTS"):
            job["status"] = "suspended"
            jobs.put_job(self.db, job)
            jobs.suspend(self.db, clk.iso(self.clock.now()), error)
            self.events(event_names.CONNECTOR_SUSPENDED, {
                "connector": self.connector_name, "application_id": job["application_id"],
                "agency": job["agency"], "attempts": job["attempts"], "error": error})
            log.error("connector %s suspended after %d attempts", self.connector_name,
                      job["attempts"])
            return
        delay = min(_setting(self.config, "CONNECTOR_BACKOFF_SECONDS") * 2 ** job["attempts"],
                    _setting(self.config, "CONNECTOR_MAX_BACKOFF_SECONDS"))
        later = self.clock.now().timestamp() + delay
        job.update(status="waiting",
                   next_at=clk.iso(clk.datetime.fromtimestamp(later, clk.UTC)))
        jobs.put_job(self.db, job)

    def _suspended(self):
        return jobs.is_suspended(self.db)

    def _health(self):
        database = ping(self.db)
        suspended = database and self._suspended()
        return {"service": self.name, "connector": self.connector_name,
                "status": "ok" if database and not suspended else "degraded",
                "database": database, "suspended": bool(suspended)}

    def _status(self):
        on_file = jobs.all_jobs(self.db)
        return {"connector": self.connector_name, "suspended": self._suspended(),
                "waiting": sum(j["status"] == "waiting" for j in on_file),
                "parked_while_suspended": sum(j["status"] == "suspended" for j in on_file)}

    def _resume(self):
        jobs.lift_suspension(self.db)
        now = clk.iso(self.clock.now())
        resumed = 0
        for job in jobs.all_jobs(self.db):
            if job["status"] == "suspended":
                jobs.put_job(self.db, dict(job, status="waiting", attempts=0, next_at=now),
                             upsert=False)
                resumed += 1
        return {"resumed": resumed}


def subscription(connector_name):
    """``(event_type, service_name, handler)`` of a connector's forwarded-applications queue:
    permits declares that queue before it forwards, so nothing waits on the connector having
    run once."""
    return ("application_forwarded.{}".format(connector_name),
            "connector_{}".format(connector_name), "on_forwarded")


def connector_service(connector_class, service_name=None, retry_interval=1.0):
    """A nameko service class running ``connector_class`` (a ``Connector`` subclass)."""
    cname = connector_class.name
    if not cname or not cname.replace("_", "").replace("-", "").isalnum():
        raise ValueError("a connector needs a simple name")
    event_type, default_name, _ = subscription(cname)
    name = service_name or default_name

    @handles(event_names.PERMITS, event_type)
    @once()
    def on_forwarded(self, event):
        try:
            self._on_forwarded(event)
        except Exception:  # noqa: BLE001 - only our own database failing gets here: requeue
            log.error("connector %s failed on %s:\n%s", cname, event.get("application_id"),
                      traceback.format_exc())
            raise

    @timer(interval=retry_interval)
    def retry_due(self):
        try:
            self._retry_due()
        except Exception:  # noqa: BLE001 - the next tick tries again
            log.exception("connector %s retry sweep failed", cname)

    @rpc
    def health(self):
        return self._health()

    @rpc
    def status(self):
        return self._status()

    @rpc
    def resume(self):
        """Lift a suspension: parked work is tried again now."""
        return self._resume()

    attrs = {
        "name": name, "connector_class": connector_class, "connector_name": cname,
        "db": Mongo(name), "on_forwarded": on_forwarded, "retry_due": retry_due,
        "health": health, "status": status, "resume": resume,
        "__module__": connector_class.__module__,
        "__doc__": "nameko service running the {!r} connector.".format(cname),
    }
    return type("{}Service".format(connector_class.__name__), (ConnectorRuntime,), attrs)
