"""A standard from draft to adoption: draft, change the draft, open the consultation, adopt
(superseding the subject's older adopted version), and the lists people read.

Adoption announces ``standard_adopted`` (its ``event_id`` derived from the standard, so a
repeat is recognisable) after marking it owed (``store.mark_unannounced``): a process that dies
between the adoption and the announcement leaves the mark, and ``announce_stranded`` (a timer)
publishes it. Permits and ticketing turn the event into the running configuration.
"""
import logging
from datetime import timedelta

from services.common import clock as clk
from services.common.errors import Conflict, NotFound, ValidationFailed
from services.common.schemas import load
from services.contracts import events
from services.contracts import standards as sc
from services.contracts.messages import INVALID_DATA
from services.standards import rules, store
from services.standards.ledger import NOT_FOUND

log = logging.getLogger(__name__)

UNKNOWN_SUBJECT = ("Jenis izin atau layanan tidak dikenal untuk instansi ini / Unknown permit "
                   "type or service for this agency.")
ANNOUNCE_AFTER = timedelta(seconds=5)


def _iso_dates(data, *names):
    return dict(data, **{n: data[n].isoformat() for n in names if data.get(n) is not None})


def prefilled(components, running, kind):
    """A new draft's components: what was given, else what runs now (requirements, time,
    fee), so a standard starts from the service as it is."""
    out = dict(components)
    if kind == "permit_type":
        out.setdefault("requirements", [dict(kind=r["kind"], name=r["name"],
                                             name_en=r.get("name_en"),
                                             required=bool(r.get("required", True)))
                                        for r in running.get("requirements") or []])
        if running.get("sla_working_days"):
            out.setdefault("time", {"working_days": running["sla_working_days"]})
        if running.get("fee") is not None:
            out.setdefault("cost", {"fee": running["fee"], "legal_basis": ""})
    elif running.get("default_service_minutes"):
        out.setdefault("time", {"minutes": running["default_service_minutes"]})
        out.setdefault("cost", {"fee": 0, "legal_basis": ""})
    return out


class Drafting:
    """``ledger``: ``ledger.Ledger``; ``running``: ``running.Running``; ``emit(event_type,
    payload)``: the event dispatcher."""

    def __init__(self, ledger, running, emit):
        self.ledger, self.running, self.emit = ledger, running, emit
        self.db = ledger.db

    # -- reading ------------------------------------------------------------------------------

    def get(self, standard_id):
        return self.ledger.view(self.ledger.raw(standard_id))

    def list(self, agency=None, status=None):
        query = load(sc.ListQuerySchema, {"agency": agency, "status": status})
        return [self.ledger.view(doc)
                for doc in self.ledger.every(query["agency"], query["status"])]

    def public(self, agency=None):
        """Adopted standards and those in consultation (no drafts, no names)."""
        query = load(sc.ListQuerySchema, {"agency": agency})
        return [self.ledger.public_view(doc) for doc in self.ledger.every(query["agency"])
                if doc["status"] in (sc.CONSULTATION, sc.ADOPTED)]

    def public_one(self, standard_id):
        doc = self.ledger.raw(standard_id)
        if doc["status"] == sc.DRAFT:  # a draft is not public yet
            raise NotFound(NOT_FOUND, {"id": standard_id})
        return self.ledger.public_view(doc)

    def verify(self, standard_id):
        doc = self.ledger.raw(standard_id)
        entries = store.entries(self.db, standard_id)
        intact, bad = rules.verify(entries, doc.get("head"))
        return {"intact": intact, "bad_seq": bad, "entries": len(entries)}

    def due_for_review(self, agency=None):
        today = self.ledger.today()
        agency = load(sc.ListQuerySchema, {"agency": agency})["agency"]
        return [self.ledger.view(doc) for doc in self.ledger.every(agency, sc.ADOPTED)
                if rules.review_overdue(doc, today)]

    # -- drafting -----------------------------------------------------------------------------

    def create(self, actor, data):
        body = load(sc.DraftSchema, data or {})
        agency = rules.manager_agency(actor, body["agency"])
        subject = body["subject"]
        running = self.running.of(agency, subject)
        if running is None:
            raise ValidationFailed(INVALID_DATA, {"fields": {"subject": {"id": [
                UNKNOWN_SUBJECT]}}})
        version = store.claim_version(self.db, subject["kind"], subject["id"])
        now = self.ledger.now()
        components = prefilled(body["components"], running, subject["kind"])
        hours = body["opening_hours"]
        if subject["kind"] == "queue_service" and hours is None:
            hours = rules.hours(running.get("opening_hours"))
        agency_name, agency_name_en = self.running.agency_names(agency)
        doc = {"_id": rules.standard_id(subject["kind"], subject["id"], version),
               "agency": agency, "subject": subject, "version": version, "status": None,
               "agency_name": agency_name, "agency_name_en": agency_name_en,
               "subject_name": running.get("name") or subject["id"],
               "subject_name_en": running.get("name_en") or running.get("name")
               or subject["id"],
               "seq": 0, "title": body["title"], "title_en": body["title_en"] or body["title"],
               "components": {}, "opening_hours": None, "effective_from": None,
               "review_due": None, "consultation": None, "created_at": clk.iso(now)}
        store.insert_standard(self.db, doc)
        doc = self.ledger.step(doc, actor, "created", {
            "title": doc["title"], "title_en": doc["title_en"], "components": components,
            "opening_hours": hours if subject["kind"] == "queue_service" else None})
        return self.ledger.view(doc)

    def update(self, actor, standard_id, data):
        body = load(sc.DraftUpdateSchema, data or {})
        doc = self.ledger.raw(standard_id)
        rules.check_manager(actor, doc)
        if "opening_hours" in body and doc["subject"]["kind"] != "queue_service":
            raise ValidationFailed(INVALID_DATA, {"fields": {"opening_hours": [
                "Hanya untuk layanan antrean / Only for a queue service."]}})
        if not body:
            return self.ledger.view(doc)
        return self.ledger.view(self.ledger.step(doc, actor, "updated", body))

    def open_consultation(self, actor, standard_id, data):
        body = load(sc.ConsultationSchema, data or {})
        doc = self.ledger.raw(standard_id)
        rules.check_manager(actor, doc)
        rules.check_step(doc["status"], "consultation_opened")
        self._complete(doc)
        if body["closes_on"] < self.ledger.today():
            raise ValidationFailed(INVALID_DATA, {"fields": {"closes_on": [
                "Tidak boleh sebelum hari ini / Not before today."]}})
        consultation = dict(_iso_dates(body, "opens_on", "closes_on"), closed_at=None,
                            forum=None)
        return self.ledger.view(self.ledger.step(doc, actor, "consultation_opened",
                                                 {"consultation": consultation}))

    @staticmethod
    def _complete(doc):
        missing = rules.missing_components(doc)
        if missing:
            raise ValidationFailed(
                "Lengkapi ke-14 komponen standar / Complete the standard's fourteen components",
                {"fields": {"components": missing}})

    # -- adoption -----------------------------------------------------------------------------

    def adopt(self, actor, standard_id, data, unanswered):
        """``unanswered(doc)``: how many of its comments have no answer yet."""
        body = load(sc.AdoptSchema, data or {})
        doc = self.ledger.raw(standard_id)
        rules.check_manager(actor, doc)
        rules.check_adoption(doc, unanswered(doc), body["effective_from"], self.ledger.today(),
                             self._newer_adopted(doc))
        self._complete(doc)  # a revision during the consultation may have emptied one
        effective = body["effective_from"].isoformat()
        token = store.mark_unannounced(self.db, doc["_id"], clk.iso(self.ledger.now()))
        try:
            doc = self.ledger.step(doc, actor, "adopted", {
                "effective_from": effective,
                "review_due": rules.review_due(effective, self.ledger.settings.review_months)})
        except Conflict:
            if token:
                store.mark_announced(self.db, standard_id, token)
            raise
        self._supersede_others(doc, actor)
        self._announce(doc)
        return self.ledger.view(doc)

    def _newer_adopted(self, doc):
        """The id of a newer version of the subject already adopted (or since superseded)."""
        for other in store.standards_of_subject(self.db, doc["subject"]["kind"],
                                                doc["subject"]["id"]):
            if other["version"] > doc["version"] and other["status"] in (sc.ADOPTED,
                                                                         sc.SUPERSEDED):
                return other["_id"]
        return None

    def _supersede_others(self, doc, actor):
        for other in store.standards_of_subject(self.db, doc["subject"]["kind"],
                                                doc["subject"]["id"]):
            if other["_id"] == doc["_id"]:
                continue
            other = self.ledger.raw(other["_id"])
            if other["status"] != sc.ADOPTED or other["version"] > doc["version"]:
                continue
            try:
                self.ledger.step(other, actor, "superseded", {"superseded_by": doc["_id"]})
            except Conflict:  # someone superseded it first
                continue
            self.emit(events.STANDARD_SUPERSEDED, {
                "event_id": "{}:{}".format(events.STANDARD_SUPERSEDED, other["_id"]),
                "standard_id": other["_id"], "version": other["version"],
                "agency": other["agency"], "subject": other["subject"],
                "superseded_by": doc["_id"]})

    def _announce(self, doc):
        self.emit(events.STANDARD_ADOPTED, {
            "event_id": "{}:{}".format(events.STANDARD_ADOPTED, doc["_id"]),
            "standard_id": doc["_id"], "version": doc["version"], "agency": doc["agency"],
            "subject": doc["subject"], "effective_from": doc["effective_from"],
            "operative": rules.operative(doc)})
        store.mark_announced(self.db, doc["_id"])

    def announce_stranded(self):
        """Announce adoptions a dead process left owed (a mark older than a few seconds)."""
        cutoff = clk.iso(self.ledger.now() - ANNOUNCE_AFTER)
        for mark in store.unannounced_before(self.db, cutoff):
            doc = self.ledger.raw(mark["_id"])
            if doc["status"] == sc.ADOPTED:
                log.warning("announcing an adoption a dead process left",
                            extra={"entity": mark["_id"]})
                self._supersede_others(doc, {"username": "system", "role": "system"})
                self._announce(doc)
            else:
                store.mark_announced(self.db, mark["_id"])
