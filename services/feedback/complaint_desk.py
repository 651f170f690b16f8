"""Complaints, suggestions and input from filing to closing: file (with its response deadline
on the MPP calendar), show, list, move on, and export for SP4N-LAPOR!.

Statuses, transitions and the export's columns are rules in ``complaints``. Each status
change is a step document ``<complaint>:<seq>`` whose unique insert decides between two
officers acting at once; the complaint document is brought up to its steps on every read.
"""
import hashlib
import secrets

from services.common import calendar
from services.common import clock as clk
from services.common.errors import Conflict, NotFound, ValidationFailed
from services.common.schemas import shared
from services.common.workdays import add_working_days
from services.contracts import events, messages
from services.feedback import complaints as cp
from services.feedback import schemas as sc
from services.feedback import settings, spreadsheet, store
from services.feedback.periods import when

COMPLAINT_NOT_FOUND = "Pengaduan tidak ditemukan / Complaint not found"


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


def complaint_id(idempotency_key=None):
    """``PGD-`` and 16 hex digits: derived from the key a client retries with, else random."""
    if idempotency_key:
        return "PGD-" + hashlib.sha256(("complaint:" + idempotency_key).encode(
            "utf-8")).hexdigest()[:16].upper()
    return "PGD-" + secrets.token_hex(8).upper()


class ComplaintDesk:
    """``emit(event_type, payload)``: the service's event dispatcher; ``permits``: its RPC
    proxy, asked for the MPP calendar only while no copy is kept (``common.calendar``)."""

    def __init__(self, db, config, clock, emit=None, permits=None):
        self.db, self.config, self.clock = db, config, clock
        self.emit, self.permits = emit, permits
        self.tz = settings.tz(config)

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

    def file(self, data, known_agencies=None, idempotency_key=None):
        body = sc.load(sc.ComplaintSchema, data or {})
        agency, service_id, service_name = body["agency"], body["service_id"], None
        if body["reference"]:
            about = self._about(body["reference"])
            if about is None and not agency:
                raise ValidationFailed(messages.INVALID_DATA, {"fields": {
                    "reference": ["Nomor tiket atau kode lacak tidak dikenal / Unknown ticket "
                                  "or tracking code."]}})
            if about is not None:
                agency, service_id, service_name = about
        if not agency:
            raise ValidationFailed(messages.INVALID_DATA, {"fields": {
                "agency": ["Pilih instansi atau isi nomor tiket / Choose an agency or give a "
                           "ticket number."]}})
        if known_agencies is not None and agency not in known_agencies:
            raise ValidationFailed(messages.INVALID_DATA, {"fields": {
                "agency": ["Instansi tidak dikenal / Unknown agency."]}})
        now = self.clock.now()
        due = add_working_days(now, cp.RESPONSE_WORKING_DAYS, calendar.current(
            store.calendar_copies(self.db), self.permits, self.tz))
        doc = dict(when(now, self.tz), _id=complaint_id(idempotency_key),
                   kind=body["kind"], text=body["text"].strip(), agency=agency,
                   service_id=service_id, service_name=service_name,
                   reference=body["reference"],
                   occurred_on=body["occurred_on"].isoformat() if body["occurred_on"] else None,
                   language=body["language"], status=cp.RECEIVED, seq=1, received_at=now,
                   due_at=due, response=None,
                   history=[{"status": cp.RECEIVED, "at": now, "by": None}])
        doc, created = store.create_complaint(self.db, doc)
        if not created:
            return {"id": doc["_id"], "status": doc["status"], "agency": doc["agency"],
                    "due_at": clk.iso(doc["due_at"]), "received_at": clk.iso(doc["received_at"])}
        store.put(self.db, "complaint_steps", {"_id": "{}:1".format(doc["_id"]),
                                               "status": cp.RECEIVED, "at": now})
        self.emit(events.COMPLAINT_RECEIVED, {"complaint_id": doc["_id"], "agency": agency,
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

    def _in_scope(self, complaint_id, agency):
        """The complaint, or ``NotFound`` when it is another agency's than ``agency``."""
        doc = self._complaint(complaint_id)
        if agency and doc["agency"] != agency:
            raise NotFound(COMPLAINT_NOT_FOUND, {"id": complaint_id})
        return doc

    def get(self, complaint_id, agency=None):
        return public_complaint(self._in_scope(complaint_id, agency), self.clock.now())

    def status(self, complaint_id):
        doc = public_complaint(self._complaint(complaint_id), self.clock.now())
        return {k: doc[k] for k in ("id", "kind", "status", "status_label", "received_at",
                                    "due_at", "response")}

    def _query(self, agency, status, month):
        return sc.load(sc.ComplaintQuerySchema, {"agency": agency, "status": status,
                                                 "month": month})

    def list(self, agency=None, status=None, month=None):
        query = self._query(agency, status, month)
        now = self.clock.now()
        return {"items": [public_complaint(self._complaint(d["_id"]), now) for d in
                          store.complaints(self.db, **query)]}

    def update(self, complaint_id, data, agency=None):
        body = sc.load(sc.ComplaintUpdateSchema, data or {})
        doc = self._in_scope(complaint_id, agency)
        cp.transition(doc["status"], body["status"])
        if body["status"] == cp.ANSWERED and not body["response"]:
            raise ValidationFailed(messages.INVALID_DATA, {"fields": {"response": [
                "Tulis tanggapan / Write the response."]}})
        now = self.clock.now()
        step = {"_id": "{}:{}".format(doc["_id"], doc["seq"] + 1), "status": body["status"],
                "at": now, "by": body["officer"], "response": body["response"]}
        if not store.put(self.db, "complaint_steps", step):
            raise Conflict("Pengaduan baru saja diubah petugas lain; muat ulang / The complaint "
                           "was just changed by someone else; reload", {"id": complaint_id})
        doc = self._apply(doc, step)
        self.emit(events.COMPLAINT_STATUS_CHANGED, {"complaint_id": doc["_id"],
                                                    "agency": doc["agency"],
                                                    "status": doc["status"]})
        return public_complaint(doc, now)

    def lapor_export(self, agency=None, status=None, month=None, format="json"):
        query = self._query(agency, status, month)
        location = settings.mpp_name(self.config)
        rows = [cp.lapor_row(self._complaint(d["_id"]), location)
                for d in store.complaints(self.db, **query)]
        if format == "csv":
            return spreadsheet.to_csv(rows, cp.LAPOR_FIELDS)
        return {"fields": list(cp.LAPOR_FIELDS), "items": rows}
