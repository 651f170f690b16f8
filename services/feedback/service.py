"""Feedback service: satisfaction surveys (IKM), complaints, and the public statistics.

It keeps its own figures from other services' events (durable ``handles`` handlers, each
write a unique insert keyed by the ticket or application, so a redelivered event changes
nothing):

- ticketing ``ticket_issued`` / ``ticket_called`` / ``ticket_completed``: visitors, the wait
  from issue to first call, the service time; a completed ticket invites its citizen;
- permits ``application_submitted`` / ``application_status_changed`` / ``permit_issued``:
  applications and whether each was decided within its SLA; an issued permit invites.

An invitation is the event ``survey_invited`` (``reference`` = ticket or application id,
``survey_url``): notifications knows the citizen's contact by that reference and sends it.
Entrypoints stay thin; the rules are in ``ikm``, ``surveys``, ``complaints`` and ``stats``.
"""
import csv
import hashlib
import io
import logging
import secrets

import eventlet
from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy, rpc

from services.common import boot
from services.common import clock as clk
from services.common.config import timezone_name
from services.common.errors import Conflict, NotFound, ValidationFailed
from services.common.events import Events, handles
from services.common.health import HealthMixin
from services.common.mongo import Mongo, insert_or_get, insert_unique
from services.common.schemas import shared
from services.common.workdays import WorkingCalendar, add_working_days
from services.feedback import complaints as cp
from services.feedback import ikm, stats, store, surveys
from services.feedback import schemas as sc

boot.install()

log = logging.getLogger(__name__)

COMPLAINT_NOT_FOUND = "Pengaduan tidak ditemukan / Complaint not found"
DECIDED = {"issued": "issued", "rejected": "rejected", "deemed_approved": "deemed_approved"}
ELEMENT_FIELDS = ("code", "name", "name_en")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _at(event):
    return clk.parse(event["occurred_at"])


def public_complaint(doc, now):
    return shared(sc.ComplaintOutSchema).dump({
        "id": doc["_id"], "kind": doc["kind"], "text": doc["text"], "agency": doc["agency"],
        "service_id": doc.get("service_id"), "service_name": doc.get("service_name"),
        "reference": doc.get("reference"), "occurred_on": doc.get("occurred_on"),
        "status": doc["status"], "status_label": cp.STATUS_LABELS[doc["status"]],
        "received_at": clk.iso(doc["received_at"]), "due_at": clk.iso(doc["due_at"]),
        "overdue": doc["status"] in (cp.RECEIVED, cp.IN_PROGRESS)
        and clk.to_utc(now) > clk.to_utc(doc["due_at"]),
        "response": doc.get("response"),
        "history": [{"status": h["status"], "at": clk.iso(h["at"]), "by": h.get("by")}
                    for h in doc.get("history", [])]})


def cell(value):
    """A CSV cell. Text a citizen wrote that starts like a formula (``=HYPERLINK(…)``) is
    prefixed with ``'`` so a spreadsheet shows it instead of running it (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def to_csv(rows, fields):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fields), extrasaction="ignore",
                            lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: cell(row.get(k)) for k in fields})
    return out.getvalue()


class FeedbackService(HealthMixin):
    name = "feedback"

    db = Mongo("feedback", store.ensure_indexes)
    config = Config()
    events = Events()
    permits = RpcProxy("permits")
    clock = clk.Clock()
    _generated_secrets = {}  # database name -> the development secret stored there

    # -- settings ---------------------------------------------------------------------------

    @property
    def _tz(self):
        return timezone_name(self.config)

    def _secret(self):
        """``FEEDBACK_SECRET`` or, in development, one generated once and kept in the DB
        (the first instance to insert it wins; every instance then reads the same)."""
        configured = self.config.get("FEEDBACK_SECRET")
        if configured:
            return str(configured)
        known = self._generated_secrets.get(self.db.name)
        if known is None:  # once per process: it never changes once stored
            insert_unique(self.db.settings, {"_id": "secret",
                                             "value": secrets.token_urlsafe(32)})
            known = self._generated_secrets[self.db.name] = store.setting(self.db, "secret")
        return known

    def _survey_base(self):
        return self.config.get("FEEDBACK_SURVEY_URL") or "http://{}/survey".format(
            self.config.get("WEB_SERVER_ADDRESS", "127.0.0.1:8000"))

    def _elements(self):
        return ikm.elements_from(store.setting(self.db, "elements"))

    def _calendar(self):
        """The permits service's working-day calendar (its *cuti bersama* list), so a
        complaint's deadline and a permit's SLA count the same days; the plain national
        calendar when permits does not answer within 3 s."""
        try:
            with eventlet.Timeout(3):
                return WorkingCalendar.from_dict(dict(self.permits.get_calendar(),
                                                      timezone=self._tz))
        except (Exception, eventlet.Timeout):  # noqa: BLE001 - a deadline must still be set
            log.warning("permits calendar unavailable; national holidays only")
            return WorkingCalendar(tz=self._tz)

    def _when(self, moment):
        day = clk.local_day(moment, self._tz)
        return {"day": day.isoformat(), "month": day.isoformat()[:7]}

    # -- what happened at the counters -------------------------------------------------------

    @handles("ticketing", "ticket_issued")
    def on_ticket_issued(self, event):
        at = _at(event)
        store.put(self.db, "visits", dict(
            self._when(at), _id=event["ticket_id"], agency=event["agency"],
            service_id=event["service_id"],
            service_name=event.get("service_name") or event["service_id"], issued_at=at))
        self._wait(event["ticket_id"])

    @handles("ticketing", "ticket_called")
    def on_ticket_called(self, event):
        store.put(self.db, "calls", {"_id": event["ticket_id"], "called_at": _at(event)})
        self._wait(event["ticket_id"])

    def _wait(self, ticket_id):
        """The wait, once both the issue and the first call are known (their events travel
        on separate queues, so either may come first)."""
        visit, call = store.get(self.db, "visits", ticket_id), store.get(self.db, "calls",
                                                                         ticket_id)
        if visit and call:
            seconds = (clk.to_utc(call["called_at"]) - clk.to_utc(visit["issued_at"]))
            store.put(self.db, "waits", dict(
                _id=ticket_id, agency=visit["agency"], service_id=visit["service_id"],
                day=visit["day"], month=visit["month"],
                seconds=max(0.0, seconds.total_seconds())))

    @handles("ticketing", "ticket_completed")
    def on_ticket_completed(self, event):
        at = _at(event)
        visit = store.get(self.db, "visits", event["ticket_id"]) or {}
        name = visit.get("service_name") or event["service_id"]
        if event.get("service_seconds") is not None:
            store.put(self.db, "served", dict(
                self._when(at), _id=event["ticket_id"], agency=event["agency"],
                service_id=event["service_id"], seconds=float(event["service_seconds"])))
        self._invite("ticket", event["ticket_id"], event["agency"], event["service_id"], name,
                     at, event.get("language") or visit.get("language"))

    # -- what happened to applications -----------------------------------------------------

    @handles("permits", "application_submitted")
    def on_application_submitted(self, event):
        store.put(self.db, "applications", {
            "_id": event["application_id"], "agency": event["agency"],
            "service_id": event["permit_type_id"],
            "service_name": event.get("permit_type_name") or event["permit_type_id"],
            "tracking_code": event.get("tracking_code"), "submitted_at": _at(event)})

    @handles("permits", "application_status_changed")
    def on_application_status_changed(self, event):
        if event.get("to") in DECIDED and event.get("to") != "issued":  # issued: permit_issued
            self._decided(event, DECIDED[event["to"]])

    @handles("permits", "permit_issued")
    def on_permit_issued(self, event):
        self._decided(event, "issued")
        app = store.get(self.db, "applications", event["application_id"]) or {}
        self._invite("application", event["application_id"], event["agency"],
                     event["permit_type_id"],
                     event.get("permit_type_name") or app.get("service_name")
                     or event["permit_type_id"], _at(event), event.get("language"))

    def _decided(self, event, outcome):
        store.put(self.db, "decisions", dict(
            self._when(_at(event)), _id=event["application_id"], agency=event["agency"],
            service_id=event["permit_type_id"], outcome=outcome,
            within_sla=event.get("within_sla"),
            working_days_used=event.get("sla_working_days_used"),
            sla_working_days=event.get("sla_working_days")))

    # -- surveys ----------------------------------------------------------------------------

    def _invite(self, kind, reference, agency, service_id, service_name, at, language=None):
        token = surveys.token_for(self._secret(), reference)
        store.put(self.db, "invitations", dict(
            self._when(at), _id=surveys.token_hash(token), reference=reference, kind=kind,
            agency=agency, service_id=service_id, service_name=service_name, invited_at=at))
        # announced every time (a crash between the insert and here must not lose it): the
        # notification's dedup key is the reference, so the citizen hears of it once
        self.events("survey_invited", {
            "event_id": "survey_invited:{}".format(reference), "reference": reference,
            "reference_kind": kind, "agency": agency, "service_id": service_id,
            "service_name": service_name, "survey_url": surveys.survey_url(
                self._survey_base(), token), "language": language})

    @rpc
    def survey_link(self, reference):
        """The survey link of a ticket or application once it was invited (for the kiosk or
        counter screen after completion); ``NotFound`` before."""
        sc.load(sc.ReferenceSchema, {"reference": reference})
        token = surveys.token_for(self._secret(), reference)
        invitation = store.get(self.db, "invitations", surveys.token_hash(token))
        if invitation is None:
            raise NotFound("Belum ada survei untuk ini / No survey for this yet")
        return {"reference": reference, "agency": invitation["agency"],
                "survey_url": surveys.survey_url(self._survey_base(), token)}

    def _invitation(self, token):
        invitation = store.get(self.db, "invitations", surveys.check_token(token))
        if invitation is None:
            raise NotFound(surveys.UNKNOWN)
        return invitation

    @rpc
    def get_survey(self, token):
        invitation = self._invitation(token)
        answered = store.get(self.db, "responses", invitation["_id"]) is not None
        return {"kind": invitation["kind"], "agency": invitation["agency"],
                "service_id": invitation["service_id"],
                "service_name": invitation["service_name"], "answered": answered,
                "scale": [{"value": 1, "label": "Tidak baik", "label_en": "Poor"},
                          {"value": 2, "label": "Kurang baik", "label_en": "Fair"},
                          {"value": 3, "label": "Baik", "label_en": "Good"},
                          {"value": 4, "label": "Sangat baik", "label_en": "Very good"}],
                "elements": [{f: getattr(e, f) for f in ELEMENT_FIELDS}
                             for e in self._elements()]}

    @rpc
    def submit_survey(self, token, data):
        invitation = self._invitation(token)
        body = sc.load(sc.SurveyAnswerSchema, data or {})
        codes = {e.code for e in self._elements()}
        unknown = sorted(set(body["answers"]) - codes)
        if unknown:
            raise ValidationFailed("Data tidak valid / Invalid data", {"fields": {"answers": [
                "Unsur tidak dikenal / Unknown element: {}".format(", ".join(unknown))]}})
        if not body["answers"]:
            raise ValidationFailed("Data tidak valid / Invalid data", {"fields": {"answers": [
                "Nilai minimal satu unsur / Rate at least one element."]}})
        now = self.clock.now()
        text = (body.get("text") or "").strip() or None
        doc = dict(self._when(now), _id=invitation["_id"], reference=invitation["reference"],
                   kind=invitation["kind"], agency=invitation["agency"],
                   service_id=invitation["service_id"],
                   service_name=invitation["service_name"], answers=body["answers"],
                   text=text, language=body["language"], submitted_at=now)
        if not insert_unique(self.db.responses, doc):
            raise Conflict(surveys.ANSWERED)
        return {"accepted": True, "submitted_at": clk.iso(now)}

    @rpc
    def get_elements(self):
        return {"elements": ikm.elements_to_config(self._elements())}

    @rpc
    def set_elements(self, data):
        body = sc.load(sc.ElementsSchema, data or {})
        elements = ikm.elements_from(body["elements"])
        store.put_setting(self.db, "elements", ikm.elements_to_config(elements),
                          self.clock.now())
        return {"elements": ikm.elements_to_config(elements)}

    @rpc
    def survey_comments(self, agency=None, month=None):
        """Free text of a month's answers (staff): returned as data, shown as text."""
        query = sc.load(sc.PeriodQuerySchema, {"agency": agency, "month": month})
        month = query["month"] or self._when(self.clock.now())["month"]
        docs = [d for d in store.month_docs(self.db, "responses", month, query["agency"])
                if d.get("text")]
        docs.sort(key=lambda d: d["submitted_at"], reverse=True)
        return {"month": month, "items": [
            {"agency": d["agency"], "service_id": d["service_id"],
             "service_name": d["service_name"], "text": d["text"],
             "submitted_at": clk.iso(d["submitted_at"])} for d in docs]}

    # -- complaints -------------------------------------------------------------------------

    def _about(self, reference):
        """``(agency, service_id, service_name)`` of a ticket id or a tracking code."""
        visit = store.get(self.db, "visits", reference)
        if visit:
            return visit["agency"], visit["service_id"], visit.get("service_name")
        app = store.application_by_tracking(self.db, reference) or store.get(
            self.db, "applications", reference)
        if app:
            return app["agency"], app["service_id"], app.get("service_name")
        return None

    @rpc
    def file_complaint(self, data, known_agencies=None, idempotency_key=None):
        """A complaint, suggestion or input. ``known_agencies``: the codes the caller knows
        (the gateway passes ticketing's), so a typo is a 422 instead of a lost complaint.
        A retry with the same ``idempotency_key`` gets the first complaint back."""
        body = sc.load(sc.ComplaintSchema, data or {})
        agency, service_id, service_name = body["agency"], body["service_id"], None
        if body["reference"]:
            about = self._about(body["reference"])
            if about is None and not agency:
                raise ValidationFailed("Data tidak valid / Invalid data", {"fields": {
                    "reference": ["Nomor tiket atau kode lacak tidak dikenal / Unknown ticket "
                                  "or tracking code."]}})
            if about is not None:
                agency, service_id, service_name = about
        if not agency:
            raise ValidationFailed("Data tidak valid / Invalid data", {"fields": {
                "agency": ["Pilih instansi atau isi nomor tiket / Choose an agency or give a "
                           "ticket number."]}})
        if known_agencies is not None and agency not in known_agencies:
            raise ValidationFailed("Data tidak valid / Invalid data", {"fields": {
                "agency": ["Instansi tidak dikenal / Unknown agency."]}})
        now = self.clock.now()
        due = add_working_days(now, cp.RESPONSE_WORKING_DAYS, self._calendar())
        cid = "PGD-" + (hashlib.sha256(("complaint:" + idempotency_key).encode("utf-8"))
                        .hexdigest()[:16].upper() if idempotency_key
                        else secrets.token_hex(8).upper())
        doc = dict(self._when(now), _id=cid,
                   kind=body["kind"], text=body["text"].strip(), agency=agency,
                   service_id=service_id, service_name=service_name,
                   reference=body["reference"],
                   occurred_on=body["occurred_on"].isoformat() if body["occurred_on"] else None,
                   language=body["language"], status=cp.RECEIVED, seq=1, received_at=now,
                   due_at=due, response=None,
                   history=[{"status": cp.RECEIVED, "at": now, "by": None}])
        doc, created = insert_or_get(self.db.complaints, doc)
        if not created:
            return {"id": doc["_id"], "status": doc["status"], "agency": doc["agency"],
                    "due_at": clk.iso(doc["due_at"]), "received_at": clk.iso(doc["received_at"])}
        store.put(self.db, "complaint_steps", {"_id": "{}:1".format(doc["_id"]),
                                               "status": cp.RECEIVED, "at": now})
        self.events("complaint_received", {"complaint_id": doc["_id"], "agency": agency,
                                           "kind": doc["kind"], "due_at": clk.iso(due)})
        return {"id": doc["_id"], "status": cp.RECEIVED, "agency": agency,
                "due_at": clk.iso(due), "received_at": clk.iso(now)}

    def _complaint(self, complaint_id):
        sc.load(sc.ReferenceSchema, {"reference": complaint_id})  # a well-formed key
        doc = store.get(self.db, "complaints", complaint_id)
        if doc is None:
            raise NotFound(COMPLAINT_NOT_FOUND, {"id": complaint_id})
        # roll forward a step whose claim was won by a writer that died before writing it
        while True:
            step = store.get(self.db, "complaint_steps", "{}:{}".format(doc["_id"],
                                                                      doc["seq"] + 1))
            if step is None:
                return doc
            doc = self._apply(doc, step)

    def _apply(self, doc, step):
        fields = {"status": step["status"], "seq": doc["seq"] + 1,
                  "history": doc.get("history", []) + [
                      {"status": step["status"], "at": step["at"], "by": step.get("by")}]}
        if step.get("response"):
            fields["response"] = step["response"]
            fields["answered_at"] = step["at"]
        store.write_complaint(self.db, doc["_id"], fields)
        return dict(doc, **fields)

    @rpc
    def get_complaint(self, complaint_id, agency=None):
        """Staff view; ``agency``: the caller's scope (another agency's is not found)."""
        doc = self._complaint(complaint_id)
        if agency and doc["agency"] != agency:
            raise NotFound(COMPLAINT_NOT_FOUND, {"id": complaint_id})
        return public_complaint(doc, self.clock.now())

    @rpc
    def complaint_status(self, complaint_id):
        """What the citizen who filed it sees (its id is the secret: 64 random bits)."""
        doc = public_complaint(self._complaint(complaint_id), self.clock.now())
        return {k: doc[k] for k in ("id", "kind", "status", "status_label", "received_at",
                                    "due_at", "response")}

    @rpc
    def list_complaints(self, agency=None, status=None, month=None):
        query = sc.load(sc.ComplaintQuerySchema, {"agency": agency, "status": status,
                                                    "month": month})
        now = self.clock.now()
        return {"items": [public_complaint(self._complaint(d["_id"]), now) for d in
                          store.complaints(self.db, **query)]}

    @rpc
    def update_complaint(self, complaint_id, data, agency=None):
        """Move a complaint on (``in_progress``, ``answered`` with a response, ``closed``).
        The insert of step ``seq + 1`` decides between two officers acting at once."""
        body = sc.load(sc.ComplaintUpdateSchema, data or {})
        doc = self._complaint(complaint_id)
        if agency and doc["agency"] != agency:
            raise NotFound(COMPLAINT_NOT_FOUND, {"id": complaint_id})
        cp.transition(doc["status"], body["status"])
        if body["status"] == cp.ANSWERED and not body["response"]:
            raise ValidationFailed("Data tidak valid / Invalid data", {"fields": {"response": [
                "Tulis tanggapan / Write the response."]}})
        now = self.clock.now()
        step = {"_id": "{}:{}".format(doc["_id"], doc["seq"] + 1), "status": body["status"],
                "at": now, "by": body["officer"], "response": body["response"]}
        if not store.put(self.db, "complaint_steps", step):
            raise Conflict("Pengaduan baru saja diubah petugas lain; muat ulang / The complaint "
                           "was just changed by someone else; reload", {"id": complaint_id})
        doc = self._apply(doc, step)
        self.events("complaint_status_changed", {"complaint_id": doc["_id"],
                                                 "agency": doc["agency"],
                                                 "status": doc["status"]})
        return public_complaint(doc, now)

    @rpc
    def lapor_export(self, agency=None, status=None, month=None, format="json"):
        """Complaints as SP4N-LAPOR! takes them (``complaints.LAPOR_FIELDS``), JSON or CSV;
        no NIK, name, phone or e-mail (we never keep a NIK; contacts stay here)."""
        query = sc.load(sc.ComplaintQuerySchema, {"agency": agency, "status": status,
                                                    "month": month})
        location = self.config.get("MPP_NAME") or "MPP Kabupaten Kapuas"
        rows = [cp.lapor_row(self._complaint(d["_id"]), location)
                for d in store.complaints(self.db, **query)]
        if format == "csv":
            return to_csv(rows, cp.LAPOR_FIELDS)
        return {"fields": list(cp.LAPOR_FIELDS), "items": rows}

    # -- statistics -------------------------------------------------------------------------

    def _period(self, month):
        now = self.clock.now()
        when = self._when(now)
        return now, when["day"], month or when["month"]

    def _figures(self, month, agency=None):
        names = {}
        visits = store.month_docs(self.db, "visits", month, agency)
        for doc in visits + store.month_docs(self.db, "responses", month, agency):
            names[(doc["agency"], doc["service_id"])] = doc.get("service_name")
        for doc in self.db.applications.find(
                {"agency": agency} if agency else {}, {"agency": 1, "service_id": 1,
                                                       "service_name": 1}):
            names.setdefault((doc["agency"], doc["service_id"]), doc.get("service_name"))
        return {"names": names, "visits": visits,
                "waits": store.month_docs(self.db, "waits", month, agency),
                "served": store.month_docs(self.db, "served", month, agency),
                "decisions": store.month_docs(self.db, "decisions", month, agency),
                "responses": store.month_docs(self.db, "responses", month, agency)}

    def _block(self, figures, today, elements, with_elements=False):
        decided = [d for d in figures["decisions"] if d.get("within_sla") is not None]
        within = sum(1 for d in decided if d["within_sla"])
        summary = ikm.summarise([r["answers"] for r in figures["responses"]], elements)
        if not with_elements:
            summary.pop("elements")
        return {
            "visitors_today": sum(1 for v in figures["visits"] if v["day"] == today),
            "visitors_month": len(figures["visits"]),
            "wait_today": stats.durations([w["seconds"] for w in figures["waits"]
                                           if w["day"] == today]),
            "wait_month": stats.durations([w["seconds"] for w in figures["waits"]]),
            "service_time_month": stats.durations([s["seconds"] for s in figures["served"]]),
            "sla": {"decided": len(decided), "within": within,
                    "percent": stats.percent(within, len(decided)),
                    "average_working_days": None if not decided else round(stats.mean(
                        [float(d.get("working_days_used") or 0) for d in decided]), 2)},
            "ikm": summary,
        }

    def _split(self, figures, key):
        parts = {}
        for name in ("visits", "waits", "served", "decisions", "responses"):
            for k, docs in stats.group(figures[name], key).items():
                parts.setdefault(k, {n: [] for n in ("visits", "waits", "served", "decisions",
                                                     "responses")})[name] = docs
        return parts

    @rpc
    def statistics(self, month=None):
        """Public figures (no personal data) per agency and service, for a month (default
        this one) and today: visitors, waits (average, 90th percentile), SLA compliance of
        permits decided, IKM and grade; and the same for the whole MPP."""
        query = sc.load(sc.PeriodQuerySchema, {"month": month})
        now, today, month = self._period(query["month"])
        figures = self._figures(month)
        elements = self._elements()
        agencies = []
        by_agency = self._split(figures, lambda d: d["agency"])
        by_service = self._split(figures, lambda d: (d["agency"], d["service_id"]))
        for agency in sorted(by_agency):
            services = []
            for (a, service_id) in sorted(k for k in by_service if k[0] == agency):
                services.append(dict(
                    self._block(by_service[(a, service_id)], today, elements),
                    service_id=service_id,
                    service_name=figures["names"].get((a, service_id)) or service_id))
            agencies.append(dict(self._block(by_agency[agency], today, elements),
                                 agency=agency, services=services))
        return {"generated_at": clk.iso(now), "today": today, "month": month,
                "timezone": self._tz,
                "mpp": self._block(figures, today, elements, with_elements=True),
                "agencies": agencies}

    @rpc
    def statistics_csv(self, month=None):
        data = self.statistics(month)
        rows = [stats.csv_row("mpp", None, None, data["mpp"])]
        for agency in data["agencies"]:
            rows.append(stats.csv_row("agency", agency["agency"], None, agency))
            for service in agency["services"]:
                rows.append(stats.csv_row("service", agency["agency"], service, service))
        return to_csv(rows, stats.CSV_FIELDS)

    @rpc
    def perception(self, agency=None, month=None):
        """For supervisors: each service's element scores beside what was measured
        ("waktu penyelesaian" beside the measured wait, service time and SLA)."""
        query = sc.load(sc.PeriodQuerySchema, {"agency": agency, "month": month})
        now, today, month = self._period(query["month"])
        figures = self._figures(month, query["agency"])
        elements = self._elements()
        items = []
        for (a, service_id), part in sorted(self._split(
                figures, lambda d: (d["agency"], d["service_id"])).items()):
            block = self._block(part, today, elements, with_elements=True)
            items.append({
                "agency": a, "service_id": service_id,
                "service_name": figures["names"].get((a, service_id)) or service_id,
                "respondents": block["ikm"]["respondents"],
                "elements": block["ikm"]["elements"],
                "ikm": {k: block["ikm"][k] for k in ("ikm", "score", "grade", "grade_label",
                                                     "grade_label_en")},
                "measured": {"wait": block["wait_month"],
                             "service_time": block["service_time_month"],
                             "sla": block["sla"], "visitors": block["visitors_month"]}})
        return {"month": month, "agency": query["agency"], "items": items}
