"""The contract test kit: test a connector in milliseconds, without RabbitMQ or a database.

It runs your connector in the kit's own engine (the code the real service runs) against
``FakePermits``, a recording fake of the suite's permits service that checks every report the
way the suite does, on a clock that only moves when the engine waits (nothing sleeps)::

    from mpp_connector.testing import assert_approves, sample_application

    def test_paid_connection_is_approved(agency):          # your fake agency server
        agency.status["MPP-TEST-0001"] = "SELESAI"
        decision = assert_approves(Pdam, sample_application(), settings=SETTINGS)
        assert decision["reference"] == "PDAM-42"

``assert_approves / assert_rejects / assert_returns`` run the application until the connector
decides (polling as often as it asks, at most ``max_polls`` times) and return the decision as
permits received it; ``assert_keeps_polling`` checks the connector reported a pending status
and asked to be called again; ``assert_parks`` checks the work was retried, then parked with
an alert (``connector_suspended``) and nothing decided or dropped.

``sample_application(**overrides)`` has the shape of what permits gives a connector
(``get_application_for_connector``): see its docstring.

The pytest plugin (``mpp_connector.testing.plugin``, registered by installing the package)
adds the fixtures ``fake_permits``, ``connector_harness`` and ``mpp_suite`` (the integration
fixture that runs the connector against a real suite).
"""
import copy
import hashlib
from datetime import datetime, timedelta, timezone

from mpp_connector.engine import Engine
from mpp_connector.jobs import MemoryJobs
from mpp_connector.vocabulary import (ACTION_FOR_OUTCOME, CANONICAL_STATUSES,
                                      DECISION_OUTCOMES, iso)

__all__ = ["FakePermits", "Harness", "sample_application", "assert_approves",
           "assert_rejects", "assert_returns", "assert_keeps_polling", "assert_parks"]

START = datetime(2026, 12, 7, 1, 0, tzinfo=timezone.utc)  # Monday 08.00 WIB


def sample_application(**overrides):
    """An application as permits gives it to a connector (``get_application_for_connector``)::

        application_id       str   the suite's id (stable; use it as your idempotency key)
        tracking_code        str   what the citizen quotes, e.g. "MPP-TEST-0001"
        agency               str   agency code, e.g. "pdam"
        permit_type_id       str   e.g. "sambungan-baru"
        permit_type_version  int
        state                str   "in_process" while the agency decides
        seq                  int   the forwarding's step in the application's history
        filed_at             str   UTC ISO-8601
        applicant            dict  nik (16 digits), name, phone (+62...), email (or None)
        form                 dict  the permit type's form fields, by name
        documents            list  {kind, filename, media_type, size, sha256} (no content)

    The applicant's personal data is for your agency's own processing only: never log it."""
    pdf = b"%PDF-1.4 sample\n"
    application = {
        "application_id": "app-0001", "tracking_code": "MPP-TEST-0001", "agency": "pdam",
        "permit_type_id": "sambungan-baru", "permit_type_version": 1, "state": "in_process",
        "seq": 4, "filed_at": "2026-12-07T01:00:00Z",
        "applicant": {"nik": "6203010101900001", "name": "Siti Aminah",
                      "phone": "+6281234567890", "email": "siti@example.id"},
        "form": {"address": "Jl. Tambun Bungai 1, Kuala Kapuas", "diameter_inch": 0.5},
        "documents": [{"kind": "ktp", "filename": "ktp.pdf", "media_type": "application/pdf",
                       "size": len(pdf), "sha256": hashlib.sha256(pdf).hexdigest()}],
    }
    for key, value in overrides.items():
        if key in ("applicant", "form") and isinstance(value, dict):
            application[key] = dict(application[key], **value)
        else:
            application[key] = value
    return application


class ValidationFailed(Exception):
    """What permits answers to a report it refuses (the real one is a 422)."""


class Forbidden(Exception):
    """An application of another connector or agency."""


class Conflict(Exception):
    """The application moved on (the real permits' ``Conflict``)."""


class FakePermits:
    """A recording fake of the permits service's two connector RPCs.

    ``applications``: id -> application (``add`` one); ``decisions``: every report accepted,
    in order; ``reads``: every application read. A decision moves the application on (its
    ``state`` becomes the workflow's next, its ``seq`` grows), so a stale job is seen as done,
    as in the suite."""

    NEXT_STATE = {"approved": "approval_1", "rejected": "rejected",
                  "needs_correction": "returned"}

    def __init__(self):
        self.applications = {}
        self.decisions = []
        self.reads = []
        self.connector_status = {}

    def add(self, application, connector):
        self.applications[application["application_id"]] = (copy.deepcopy(application),
                                                             connector)
        return application

    def get_application_for_connector(self, application_id, connector):
        self.reads.append(application_id)
        if application_id not in self.applications:
            raise Conflict("no such application")
        application, owner = self.applications[application_id]
        if owner != connector:
            raise Forbidden("not this application's connector")
        return copy.deepcopy(application)

    def record_decision(self, agency, decision):
        """Checked as the suite's ``ConnectorDecisionSchema`` checks it."""
        problems = []
        for key in ("application_id", "decision_id"):
            if not isinstance(decision.get(key), str) or not decision[key]:
                problems.append(key)
        status = decision.get("status")
        if status not in CANONICAL_STATUSES:
            problems.append("status")
        if status in ("rejected", "needs_correction") and not (decision.get("note") or "").strip():
            problems.append("note")
        for key, limit in (("note", 2000), ("reference", 100), ("agency_status", 100)):
            if decision.get(key) is not None and (not isinstance(decision[key], str)
                                                  or len(decision[key]) > limit):
                problems.append(key)
        if problems:
            raise ValidationFailed("refused fields: {}".format(", ".join(problems)))
        application, _ = self.applications[decision["application_id"]]
        if application["agency"] != agency:
            raise Forbidden("application of another agency")
        if any(d["decision_id"] == decision["decision_id"] for d in self.decisions):
            return {"applied": False, "duplicate": True}
        self.decisions.append(dict(decision, agency=agency))
        if status in DECISION_OUTCOMES:
            application["state"] = self.NEXT_STATE[status]
            application["seq"] += 1
            return {"applied": True, "status": status, "action": ACTION_FOR_OUTCOME[status]}
        self.connector_status[decision["application_id"]] = decision
        return {"applied": False, "status": status}

    def final_decision(self, application_id):
        for decision in reversed(self.decisions):
            if decision["application_id"] == application_id and \
                    decision["status"] in DECISION_OUTCOMES:
                return decision
        return None


class Harness:
    """Your connector in the kit's engine, with ``FakePermits``, in-memory jobs and a clock
    that moves only when the engine waits. ``settings``: the connector's own section
    (``<NAME>_CONNECTOR``); ``config``: other top-level configuration (``CONNECTOR_*``)."""

    def __init__(self, connector_class, settings=None, config=None, permits=None):
        self.connector_class = connector_class
        self.permits = permits or FakePermits()
        self.jobs = MemoryJobs()
        self.alerts = []
        self.at = START
        self.config = dict(config or {})
        self.config["{}_CONNECTOR".format(connector_class.name.upper())] = dict(settings or {})
        self.engine = self._engine()

    def _engine(self):
        return Engine(self.connector_class(self.config), self.permits, self.jobs,
                      self.alerts.append, now=lambda: self.at, sleep=self.advance)

    @property
    def settings(self):
        """The connector's own settings (change them, e.g. fix a mapping, then ``resume``)."""
        return self.config["{}_CONNECTOR".format(self.connector_class.name.upper())]

    def advance(self, seconds):
        self.at += timedelta(seconds=seconds)

    def forward(self, application=None):
        """Forward ``application`` (default ``sample_application()``) as permits would."""
        application = application or sample_application()
        self.permits.add(application, self.connector_class.name)
        self.engine.forwarded({"application_id": application["application_id"],
                               "seq": application["seq"], "agency": application["agency"],
                               "event_id": "evt-" + application["application_id"]})
        return application

    def job(self, application):
        return next((j for j in self.jobs.all()
                     if j["application_id"] == application["application_id"]), None)

    def next_due(self):
        """Move the clock to the next waiting job's time and run what is due then."""
        held = self.jobs.suspensions()
        waiting = [j["next_at"] for j in self.jobs.all() if j["status"] == "waiting"
                   and not self.engine._held(j, held)]
        if not waiting or None in self.jobs.suspensions():
            return False
        due = min(waiting)
        if due > iso(self.at):
            self.at = datetime.fromisoformat(due.replace("Z", "+00:00"))
        self.engine.retry_due()
        return True

    def run(self, application=None, max_polls=50):
        """Forward, then keep running due work until the application is decided, parked or
        nothing is waiting (at most ``max_polls`` rounds)."""
        application = self.forward(application)
        for _ in range(max_polls):
            if self.permits.final_decision(application["application_id"]) or \
                    self.jobs.suspensions() or not self.next_due():
                break
        return application

    def resume(self, agency=None):
        """An operator resumes the connector (``POST /api/v1/admin/connectors/<name>/resume``),
        with the connector's settings as they are now."""
        self.engine = self._engine()
        result = self.engine.resume(agency)
        for _ in range(50):
            if self.jobs.suspensions() or not self.next_due():
                break
        return result


def _decided(outcome, connector_class, application, settings, config, max_polls):
    harness = Harness(connector_class, settings, config)
    application = harness.run(application, max_polls)
    decision = harness.permits.final_decision(application["application_id"])
    assert not harness.alerts, "the connector parked the work: {}".format(
        harness.alerts[0]["error"])
    assert decision is not None, "the connector did not decide (reports: {})".format(
        [d["status"] for d in harness.permits.decisions])
    assert decision["status"] == outcome, "expected {}, the connector said {}".format(
        outcome, decision["status"])
    return decision


def assert_approves(connector_class, application=None, settings=None, config=None,
                    max_polls=50):
    """The connector approves ``application``; returns the decision permits received."""
    return _decided("approved", connector_class, application, settings, config, max_polls)


def assert_rejects(connector_class, application=None, settings=None, config=None,
                   max_polls=50):
    """The connector rejects ``application`` (with a reason)."""
    return _decided("rejected", connector_class, application, settings, config, max_polls)


def assert_returns(connector_class, application=None, settings=None, config=None,
                   max_polls=50):
    """The connector returns ``application`` to the applicant for correction."""
    return _decided("needs_correction", connector_class, application, settings, config,
                    max_polls)


def assert_keeps_polling(connector_class, application=None, settings=None, config=None):
    """The connector reports a pending status and asks to be called again (it does not stop
    polling); returns ``(report, seconds until the next poll)``."""
    harness = Harness(connector_class, settings, config)
    application = harness.forward(application)
    assert not harness.alerts, "the connector parked the work: {}".format(
        harness.alerts[0]["error"])
    reports = [d for d in harness.permits.decisions
               if d["application_id"] == application["application_id"]]
    assert reports, "the connector reported nothing"
    assert reports[-1]["status"] not in DECISION_OUTCOMES, "the connector decided: {}".format(
        reports[-1]["status"])
    job = harness.job(application)
    assert job is not None and job["status"] == "waiting", \
        "the connector will not ask the agency again"
    seconds = (datetime.fromisoformat(job["next_at"].replace("Z", "+00:00"))
               - harness.at).total_seconds()
    assert seconds > 0
    return reports[-1], seconds


def assert_parks(connector_class, application=None, settings=None, config=None,
                 max_polls=50, min_attempts=2):
    """The work is tried at least ``min_attempts`` times, then parked with an alert: nothing
    decided, nothing dropped. Returns the harness (fix the settings and ``resume()`` it to see
    the application move)."""
    harness = Harness(connector_class, settings, config)
    application = harness.run(application, max_polls)
    assert harness.alerts, "no alert: the connector did not park the work"
    assert harness.permits.final_decision(application["application_id"]) is None, \
        "the connector decided"
    job = harness.job(application)
    assert job is not None and job["status"] == "parked", "the work was dropped"
    assert harness.alerts[-1]["attempts"] >= min_attempts, "parked without retrying"
    return harness
