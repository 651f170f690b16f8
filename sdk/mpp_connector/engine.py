"""What happens to a forwarded application, without nameko or a database: the contract test
kit runs this very code with fakes, the nameko service (``service.py``) with RPC and MongoDB.

For each forwarding the engine asks permits for the application, calls the connector's
``process`` and reports the result to permits (``record_decision``), once per
``decision_id = <connector>:<application id>:<seq>`` however often it is delivered:

- ``Decision``: reported; the job is done.
- ``Pending(retry_after_seconds=n)``: reported (staff see the agency's status); asked again
  after n seconds. ``Pending(callback=True)``: reported; the decision arrives another way.
  A ``Pending`` with neither is asked again after the connector's poll interval.
- the application moved on meanwhile (decided by officers, withdrawn; permits answers
  ``Conflict``/``NotFound`` or the seq changed): the job is done, nothing is reported.
- an exception (the agency's server is down, an unmapped agency word): retried inline with
  exponential backoff (``CONNECTOR_INLINE_ATTEMPTS``, ``CONNECTOR_BACKOFF_SECONDS``), then
  waits with growing delays (``CONNECTOR_MAX_BACKOFF_SECONDS``); after
  ``CONNECTOR_MAX_ATTEMPTS`` it is **parked** and the connector **suspends** itself: new work
  is parked too, an alert (``connector_suspended``) names the reason, until an operator
  resumes it (after fixing the mapping or the agency's server). Permits refusing the report
  (a bad decision) parks at once. Nothing is ever dropped silently.

A connector serving several agencies with separate systems (``suspend_per_agency = True``,
the webhook connector) suspends per agency: one agency's failing server parks that agency's
work only, and ``status()["agencies"]`` gives each agency's own state.
"""
import logging
import time
from datetime import datetime, timedelta, timezone

from mpp_connector.vocabulary import Decision, Pending, UnknownAgencyStatus, iso

log = logging.getLogger(__name__)

DEFAULTS = {
    "CONNECTOR_INLINE_ATTEMPTS": 3,
    "CONNECTOR_BACKOFF_SECONDS": 0.5,
    "CONNECTOR_MAX_ATTEMPTS": 8,
    "CONNECTOR_MAX_BACKOFF_SECONDS": 900,
}

#: errors from permits meaning "the application moved on": the job is simply done
MOVED_ON = ("Conflict", "IllegalTransition", "NotFound")
#: errors from permits refusing the report itself: parked at once (retrying cannot help)
REFUSED = ("ValidationFailed", "Forbidden", "Unauthorized")


def error_name(exc):
    """The domain error's class name, whether it arrived as the suite's own class or as
    nameko's ``RemoteError`` (a connector process that does not know the class)."""
    return getattr(exc, "exc_type", None) or type(exc).__name__


def describe(exc):
    if isinstance(exc, UnknownAgencyStatus):
        return str(exc)
    return "{}: {}".format(error_name(exc), exc)[:500]


def _utc_now():
    return datetime.now(timezone.utc)


class Engine:
    """``connector``: a ``Connector`` instance. ``permits``: has
    ``get_application_for_connector(application_id, connector)`` and ``record_decision(agency,
    decision)``. ``jobs``: ``MemoryJobs``/``MongoJobs``. ``alert(payload)``: told when the
    connector suspends itself. ``now()``: an aware datetime. ``sleep(seconds)``: the inline
    backoff."""

    def __init__(self, connector, permits, jobs, alert, now=_utc_now, sleep=time.sleep,
                 settings=None):
        self.connector = connector
        self.name = connector.name
        self.permits = permits
        self.jobs = jobs
        self.alert = alert
        self.now = now
        self.sleep = sleep
        self.settings = settings if settings is not None else connector.config
        self.per_agency = bool(getattr(connector, "suspend_per_agency", False))
        connector.permits = permits  # what a connector may ask the suite (its agencies' setup)

    def _scope(self, job):
        return job["agency"] if self.per_agency else None

    def _held(self, job, suspensions):
        return None in suspensions or self._scope(job) in suspensions

    def setting(self, key):
        return type(DEFAULTS[key])(self.settings.get(key, DEFAULTS[key]))

    def _later(self, seconds):
        return iso(self.now() + timedelta(seconds=seconds))

    # -- entry points -----------------------------------------------------------------------

    def forwarded(self, event):
        """An ``application_forwarded.<name>`` event: work on it now (or park it while
        suspended)."""
        job = {"_id": "{}:{}".format(event["application_id"], event["seq"]),
               "application_id": event["application_id"], "seq": event["seq"],
               "agency": event["agency"], "attempts": 0, "status": "waiting",
               "next_at": iso(self.now()), "last_error": None}
        if self._held(job, self.jobs.suspensions()):
            self.jobs.put(dict(job, status="parked", last_error="connector suspended"))
            return job["_id"]
        self.run(job)
        return job["_id"]

    def retry_due(self):
        """Run every waiting job whose time has come (the service's timer)."""
        suspensions = self.jobs.suspensions()
        if None in suspensions:
            return 0
        now = iso(self.now())
        due = [job for job in self.jobs.all() if job["status"] == "waiting"
               and job["next_at"] <= now and not self._held(job, suspensions)]
        for job in due:
            self.run(job)
        return len(due)

    def resume(self, agency=None):
        """Lift a suspension (``agency``: only that agency's, for a connector suspending per
        agency; else every one): parked work is tried again at once."""
        for scope in self.jobs.suspensions():
            if agency is None or scope == agency:
                self.jobs.lift(scope)
        now = iso(self.now())
        resumed = 0
        for job in self.jobs.all():
            if job["status"] == "parked" and (agency is None or job["agency"] == agency):
                self.jobs.put(dict(job, status="waiting", attempts=0, next_at=now),
                              upsert=False)
                resumed += 1
        return {"resumed": resumed}  # the retry timer takes them now, not this caller

    def status(self):
        """The connector's state; ``agencies``: each agency's own, for a connector that
        suspends per agency."""
        on_file = self.jobs.all()
        suspensions = self.jobs.suspensions()

        def state(suspension, jobs):
            return {"state": "suspended" if suspension else "running",
                    "suspended_at": (suspension or {}).get("since"),
                    "reason": (suspension or {}).get("reason"),
                    "waiting": sum(j["status"] == "waiting" for j in jobs),
                    "parked": sum(j["status"] == "parked" for j in jobs)}

        out = dict(state(suspensions.get(None), on_file), connector=self.name)
        if self.per_agency:
            agencies = {s for s in suspensions if s is not None} | {j["agency"] for j in on_file}
            out["agencies"] = {
                agency: state(suspensions.get(agency),
                              [j for j in on_file if j["agency"] == agency])
                for agency in sorted(agencies)}
        return out

    # -- one job ------------------------------------------------------------------------------

    def run(self, job):
        inline = self.setting("CONNECTOR_INLINE_ATTEMPTS")
        backoff = self.setting("CONNECTOR_BACKOFF_SECONDS")
        error = None
        for attempt in range(inline):
            try:
                self._attempt(job)
                return
            except Exception as exc:  # noqa: BLE001 - sorted below: done, parked or retried
                name = error_name(exc)
                if name in MOVED_ON:
                    log.info("connector %s: %s moved on (%s)", self.name, job["_id"], name)
                    self.jobs.drop(job["_id"])
                    return
                error = describe(exc)
                if name in REFUSED:
                    self._suspend(dict(job, attempts=job["attempts"] + attempt + 1), error)
                    return
                log.info("connector %s attempt failed for %s: %s", self.name, job["_id"],
                         error)
                if attempt + 1 < inline:
                    self.sleep(backoff * 2 ** attempt)
        self._failed(job, inline, error)

    def _attempt(self, job):
        application = self.permits.get_application_for_connector(job["application_id"],
                                                                 self.name)
        if application["state"] != "in_process" or application["seq"] != job["seq"]:
            self.jobs.drop(job["_id"])  # decided or withdrawn meanwhile
            return
        result = self.connector.process(application)
        decision_id = "{}:{}:{}".format(self.name, job["application_id"], job["seq"])
        if isinstance(result, Decision):
            self.permits.record_decision(job["agency"], {
                "application_id": job["application_id"], "decision_id": decision_id,
                "status": result.outcome, "note": result.note, "reference": result.reference,
                "corrections": list(result.fields),
                **({"agency_status": result.agency_status} if result.agency_status else {})})
            self.jobs.drop(job["_id"])
            return
        if not isinstance(result, Pending):
            raise TypeError("process() must return a Decision or a Pending")
        self.permits.record_decision(job["agency"], {
            "application_id": job["application_id"],
            "decision_id": "{}:{}".format(decision_id, result.agency_status or result.status),
            "status": result.status, "note": result.note, "reference": result.reference,
            **({"agency_status": result.agency_status} if result.agency_status else {})})
        if result.callback and not result.retry_after_seconds:
            self.jobs.drop(job["_id"])  # the decision arrives by callback or from officers
            return
        seconds = result.retry_after_seconds or float(
            self.connector.setting("poll_seconds", 600))
        self.jobs.put(dict(job, status="waiting", attempts=0, last_error=None,
                           next_at=self._later(seconds)))

    def _failed(self, job, attempts, error):
        job = dict(job, attempts=job.get("attempts", 0) + attempts, last_error=error)
        if job["attempts"] >= self.setting("CONNECTOR_MAX_ATTEMPTS"):
            self._suspend(job, error)
            return
        delay = min(self.setting("CONNECTOR_BACKOFF_SECONDS") * 2 ** job["attempts"],
                    self.setting("CONNECTOR_MAX_BACKOFF_SECONDS"))
        self.jobs.put(dict(job, status="waiting", next_at=self._later(delay)))

    def _suspend(self, job, error):
        self.jobs.put(dict(job, status="parked", last_error=error))
        self.jobs.suspend(iso(self.now()), error, self._scope(job))
        log.error("connector %s suspended after %d attempts: %s", self.name, job["attempts"],
                  error)
        self.alert({"connector": self.name, "application_id": job["application_id"],
                    "agency": job["agency"], "attempts": job["attempts"], "error": error})
