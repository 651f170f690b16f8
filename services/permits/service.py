"""Permits service entrypoints: parse, call the rules, persist, dispatch events.

The rules live in the pure modules (``workflow``, ``sla``, ``history``, ``tracking``,
``documents``, ``permit_types``, ``issuance``); persistence and the concurrency design in
``store`` (read its docstring first). This module wires them together.

A transition, in order (``_transition``): build the next history entry (``workflow.step``);
insert it (the unique ``_id`` decides between concurrent actors: the loser gets ``Conflict``);
append the application to the work list of its new state; issue the permit when the new state
is ``issued``; write the application's new state; tombstone its old work-list slot; schedule
its SLA checks; dispatch the events. Only the winner of the insert does any of this.

Roles through RPC: ``act`` is for staff (``officer``, ``supervisor``, ``admin``), scoped to
their agency (``admin`` with ``agency=None`` is MPP-wide); ``applicant_act`` for the applicant
(tracking code + PIN); ``record_decision`` for connectors; the role ``system`` only acts from
the SLA timer. For applications whose connector is ``manual`` the officers are the agency's
back office: their ``agency_approve`` / ``agency_return`` / ``agency_reject`` are taken with the
workflow role ``connector`` and the officer named as the actor.
"""
import base64
import binascii
import logging
import time
import uuid
from datetime import date, timedelta

from marshmallow import fields, validate
from nameko.dependency_providers import Config
from nameko.rpc import rpc
from nameko.timer import timer

from services.common import boot
from services.common import clock as clk
from services.common.config import timezone_name
from services.common.errors import (Conflict, DomainError, Forbidden, IllegalTransition,
                                    NotFound, ValidationFailed)
from services.common.events import Events, SubscriberQueues
from services.common.health import HealthMixin
from services.common.metrics import gauges_text
from services.common.mongo import Mongo
from services.common.schemas import shared
from services.permits import (documents, history, issuance, keys, permit_types, schemas, sla,
                              store, tracking, workflow)
from services.permits.connectors import vocabulary
from services.permits.connectors.sdk import subscription

boot.install()

log = logging.getLogger(__name__)

STAFF_ROLES = ("officer", "supervisor", "admin")
APPLICANT_ACTIONS = ("withdraw", "resubmit")
AGENCY_ACTIONS = ("agency_approve", "agency_return", "agency_reject")
DOCUMENT_STATES = (workflow.SUBMITTED, workflow.RETURNED)
FINAL_STATES = frozenset({workflow.ISSUED}) | workflow.TERMINAL_STATES
MAX_LIST = 200
#: decisions whose events say whether the SLA was kept (issued, rejected, deemed approved)
SLA_DECIDED = frozenset({workflow.ISSUED, workflow.REJECTED, workflow.DEEMED_APPROVED})
SWEEP_TIMER_SECONDS = 5  # the timer ticks often; PERMITS_SLA_SWEEP_SECONDS spaces the sweeps
DEFAULT_SWEEP_SECONDS = 60
OUTBOX_TIMER_SECONDS = 2  # how often steps a dead process left unannounced are looked for

_last_sweep = {}


# -- documents as the catalogue and the admin give them -----------------------------------

def catalogue_version(agency_code, permit_type):
    """A catalogue entry (``id``, no ``version``, agency from the enclosing agency) as a
    ``PermitTypeVersionSchema`` version."""
    data = {k: v for k, v in permit_type.items() if k != "id"}
    data["permit_type_id"] = permit_type.get("id")
    data.setdefault("version", 1)
    data["agency"] = agency_code
    return schemas.load(schemas.PermitTypeVersionSchema, data)


def public_permit_type(version):
    view = {k: version.get(k) for k in ("agency", "name", "name_en", "sla_working_days", "fee",
                                        "requirements", "form", "version", "approval_levels",
                                        "connector", "effective_from", "effective_to")}
    view["id"] = version["permit_type_id"]
    return view


def _current_version(type_doc, now, tz):
    versions = type_doc.get("versions") or []
    try:
        return permit_types.version_in_force(versions, now, tz)
    except NotFound:
        return max(versions, key=lambda v: v["version"]) if versions else None


def _add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _changes(app):
    """``[(at, state)]`` for ``sla.clock`` (stored as objects: FerretDB has no nested arrays)."""
    return [(c["at"], c["state"]) for c in app["changes"]]


class _CalendarSchema(schemas.StrictSchema):
    days_off = fields.List(fields.Date(), load_default=list, validate=validate.Length(max=400))
    working_days = fields.List(fields.Date(), load_default=list,
                               validate=validate.Length(max=400))
    joint_holidays = fields.Boolean(load_default=False)


def _b64decode(text, field):
    try:
        return base64.b64decode(text or "", validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise ValidationFailed("Data tidak valid / Invalid data",
                               {"fields": {field: ["Base64 tidak valid / Not valid base64."]}})


class PermitsService(HealthMixin):
    name = "permits"

    db = Mongo("permits", store.ensure_indexes)
    events = Events()
    subscriber_queues = SubscriberQueues()
    config = Config()
    clock = clk.Clock()

    # -- helpers -------------------------------------------------------------------------

    @property
    def _keys(self):
        return keys.load(self.db, self.config)

    @property
    def _tz(self):
        return timezone_name(self.config)

    def _calendar(self):
        doc = store.get_setting(self.db, "calendar") or {}
        return sla.WorkingCalendar.from_dict(dict(doc, timezone=self._tz))

    def _max_bytes(self):
        return int(self.config.get("PERMITS_MAX_DOCUMENT_BYTES", documents.DEFAULT_MAX_BYTES))

    def _verify_base_url(self):
        return self.config.get("PERMITS_VERIFY_URL") or "http://{}/verify".format(
            self.config.get("WEB_SERVER_ADDRESS", "127.0.0.1:8000"))

    def _emit(self, event_type, payload):
        self.events(event_type, payload)

    # -- permit types and calendar -------------------------------------------------------

    @rpc
    def load_catalogue(self, data):
        """Seed permit types (as version 1 unless the entry says otherwise) and agency names
        from catalogue data; reloading replaces the seeded versions."""
        count = 0
        for agency in (data or {}).get("agencies", []):
            store.upsert_agency(self.db, agency["code"], agency.get("name", agency["code"]),
                                agency.get("name_en") or agency.get("name", agency["code"]))
            for entry in agency.get("permit_types", []):
                version = catalogue_version(agency["code"], entry)
                store.replace_version(self.db, version)
                self._put_version(version, replace=True)
                count += 1
        return {"permit_types": count}

    def _put_version(self, version, replace=False):
        doc = store.get_permit_type(self.db, version["permit_type_id"])
        if doc and doc["agency"] != version["agency"]:
            raise Conflict("Jenis izin milik instansi lain / Permit type belongs to another "
                           "agency", {"permit_type_id": version["permit_type_id"]})
        versions = [v for v in (doc or {}).get("versions", [])
                    if not (replace and v["version"] == version["version"])]
        versions.append(version)
        store.put_permit_type(self.db, version["permit_type_id"], version["agency"], versions)

    @rpc
    def upsert_permit_type(self, data):
        """A new effective-dated version (versions are immutable: an existing number is 409).
        Applications keep the version in force when they were filed."""
        version = schemas.load(schemas.PermitTypeVersionSchema, data)
        if not store.claim_version(self.db, version):
            raise Conflict("Versi ini sudah ada; buat versi baru / This version exists; create "
                           "a new one", {"permit_type_id": version["permit_type_id"],
                                         "version": version["version"]})
        self._put_version(version)
        return public_permit_type(version)

    @rpc
    def list_permit_types(self, agency=None):
        now = self.clock.now()
        out = []
        for doc in store.list_permit_types(self.db, agency):
            version = _current_version(doc, now, self._tz)
            if version:
                out.append(public_permit_type(version))
        return out

    @rpc
    def get_calendar(self):
        calendar = self._calendar()
        year = clk.local_day(self.clock.now(), self._tz).year
        view = calendar.to_dict()
        view["suggested_days_off"] = {d.isoformat(): name for d, name in
                                      sorted(sla.suggested_days_off(year).items())}
        return view

    @rpc
    def set_calendar(self, data):
        loaded = schemas.load(_CalendarSchema, data)
        try:
            calendar = sla.WorkingCalendar(days_off=frozenset(loaded["days_off"]),
                                           working_days=frozenset(loaded["working_days"]),
                                           tz=self._tz, joint_holidays=loaded["joint_holidays"])
        except ValueError as exc:
            raise ValidationFailed("Kalender tidak valid / Invalid calendar",
                                   {"fields": {"working_days": [str(exc)]}})
        stored = calendar.to_dict()
        stored.pop("timezone")
        store.put_setting(self.db, "calendar", stored)
        return calendar.to_dict()

    # -- filing ----------------------------------------------------------------------------

    @rpc
    def file_application(self, data, idempotency_key=None):
        """File an application; ``{application_id, tracking_code, pin, state, created}``.

        The same applicant filing the same permit type with the same idempotency key gets the
        same application back (and the same PIN: it is derived, never stored). Every check
        (applicant, form, documents, requirements) passes before anything is stored.
        """
        data = dict(data) if isinstance(data, dict) else data
        if isinstance(data, dict):
            if idempotency_key is not None:
                data["idempotency_key"] = idempotency_key
            data.setdefault("idempotency_key", "auto-" + uuid.uuid4().hex)
        loaded = schemas.load(schemas.FileApplicationSchema, data)
        now = self.clock.now()
        type_doc = store.get_permit_type(self.db, loaded["permit_type_id"])
        if type_doc is None:
            raise NotFound("Jenis izin tidak ditemukan / Permit type not found",
                           {"permit_type_id": loaded["permit_type_id"]})
        version = permit_types.version_in_force(type_doc["versions"], now, self._tz)
        form = permit_types.validate_form(version["form"], loaded["form"])
        secrets = self._keys
        applicant = loaded["applicant"]
        applicant_key = documents.applicant_key(applicant["nik"], secrets.applicant_salt)
        application_id = store.application_id_for(applicant_key, version["permit_type_id"],
                                                   loaded["idempotency_key"])
        existing = store.get_application_raw(self.db, application_id)
        if existing is not None:
            return self._filed(self._finish_filing(existing), created=False)

        docs, uploads = self._inspect_documents(loaded["documents"], applicant_key)
        documents.check_requirements(version["requirements"], docs)

        code = tracking.new_code()
        pin = secrets.pin_for(application_id)
        application, entry = workflow.new_application(
            application_id, version, applicant, form, docs, code,
            tracking.secret_digest(code, pin, secrets.tracking), applicant_key,
            loaded["idempotency_key"], now, "applicant", "applicant")
        application.update({
            "_id": application_id,
            "permit_type": {k: v for k, v in version.items() if k != "_id"},
            "requirement_kinds": [r["kind"] for r in version["requirements"]],
            "changes": [{"at": entry["at"], "state": entry["to"]}],
            "wl_slot": None, "all_slot": None, "filing_done": False,
        })
        for key, meta, content in uploads:
            store.put_file(self.db, key, meta, content)
        store.mark_unannounced(self.db, application_id, 1, clk.iso(now))
        stored, created = store.insert_application(self.db, application)
        return self._filed(self._finish_filing(stored), created=created)

    def _inspect_documents(self, inputs, applicant_key):
        docs, uploads, kinds = [], [], set()
        for index, item in enumerate(inputs):
            if item["kind"] in kinds:
                raise ValidationFailed("Dokumen ganda / Duplicate document", {"fields": {
                    "documents": {str(index): {"kind": ["Jenis dokumen ganda / Duplicate "
                                                        "document kind."]}}}})
            kinds.add(item["kind"])
            meta, upload = self._one_document(item, applicant_key, "documents.{}".format(index))
            docs.append(meta)
            if upload:
                uploads.append(upload)
        return docs, uploads

    def _one_document(self, item, applicant_key, field):
        """``(metadata with kind, (key, meta, content) to store or None)``."""
        if "content" in item:
            try:
                meta = documents.inspect_upload(item["filename"], item["media_type"],
                                                item["content"], self._max_bytes())
            except ValidationFailed as exc:
                raise ValidationFailed(exc.message, {"fields": {field: exc.fields}})
            key = documents.reuse_key(applicant_key, meta["sha256"])
            return dict(meta, kind=item["kind"], reuse_key=key), (key, meta, item["content"])
        key = documents.reuse_key(applicant_key, item["reuse_sha256"])
        meta = store.get_file_meta(self.db, key)
        if meta is None:
            raise ValidationFailed("Dokumen tidak ditemukan / Document not on file", {"fields": {
                field: {"reuse_sha256": ["Tidak ada berkas ini atas nama pemohon / No such file "
                                         "on file for this applicant."]}}})
        meta = {k: meta[k] for k in ("filename", "media_type", "size", "sha256")}
        return dict(meta, kind=item["kind"], reuse_key=key), None

    def _finish_filing(self, application):
        """Everything after the application's insert, idempotent: a retried or crashed filing
        completes here (tracking code, documents, work lists, SLA schedule, the event)."""
        if application.get("filing_done"):
            return application
        app_id = application["_id"]
        # the first entry is a function of the application: rebuild it (a no-op when the
        # filing that inserted the application got as far as inserting it too)
        first = history.new_entry(None, app_id, sla._parse([(application["filed_at"],
                                                             workflow.SUBMITTED)])[0][0],
                                  "applicant", "applicant", None, workflow.INITIAL_STATE,
                                  workflow.SUBMIT_ACTION)
        store.insert_history(self.db, first)
        store.put_tracking(self.db, application["tracking_code"], app_id)
        for doc in application.get("documents", []):
            store.put_app_document(self.db, app_id, doc)
        fields = {"filing_done": True}
        if not application.get("all_slot"):
            fields["all_slot"] = store.log_append(
                self.db, store.worklist_log(application["agency"], None),
                {"application_id": app_id, "seq": 1})
        if not application.get("wl_slot") and application["history_seq"] == 1:
            fields["wl_slot"] = store.log_append(
                self.db, store.worklist_log(application["agency"], application["state"]),
                {"application_id": app_id, "seq": 1})
        self._schedule_sla(dict(application, **fields), self.clock.now())
        version = application["permit_type"]
        due = sla.clock(_changes(application), application["terms"]["sla_working_days"],
                        self.clock.now(), self._calendar()).due_at
        self._emit("application_submitted", {
            "event_id": "{}:1:application_submitted".format(app_id),  # the same if redone
            "application_id": app_id,
            "tracking_code": application["tracking_code"],
            "agency": application["agency"],
            "permit_type_id": application["permit_type_id"],
            "permit_type_name": version.get("name"),
            "contact": {"phone": application["applicant"]["phone"],
                        "email": application["applicant"].get("email")},
            "language": application["applicant"].get("language", "id"),
            # the citizen's first message says by when (SLA in working days)
            "due_at": clk.iso(due) if due else None,
        })
        store.write_application(self.db, app_id, fields)
        store.mark_announced(self.db, app_id, 1)
        return dict(application, **fields)

    def _filed(self, application, created):
        return {"application_id": application["_id"],
                "tracking_code": application["tracking_code"],
                "pin": self._keys.pin_for(application["_id"]),
                "state": application["state"], "created": created}

    # -- reading applications ----------------------------------------------------------

    @rpc
    def application_agency(self, application_id):
        """The agency an application belongs to, or None: no personal data leaves."""
        if not isinstance(application_id, str) or len(application_id) > 200:
            return None
        app = store.get_application_raw(self.db, application_id)
        return app["agency"] if app else None

    def _application(self, application_id):
        if not isinstance(application_id, str):
            raise NotFound("Permohonan tidak ditemukan / Application not found", {})
        app = store.get_application_raw(self.db, application_id)
        if app is None:
            raise NotFound("Permohonan tidak ditemukan / Application not found",
                           {"application_id": application_id})
        return self._synced(app)

    def _synced(self, app):
        """The application with every history entry already on file applied (redo log)."""
        now = self.clock.now()
        while True:
            entry = store.get_history_entry(self.db, app["_id"], app["history_seq"] + 1)
            if entry is None:
                return app
            advanced = self._advanced(app, entry)
            at = clk.to_utc(sla._parse([(entry["at"], entry["to"])])[0][0])
            if now - at > store.ROLL_FORWARD_AFTER:
                log.warning("rolling application forward", extra={"entity": app["_id"]})
                advanced = self._persist_step(app, advanced, entry)
            app = advanced

    @staticmethod
    def _advanced(app, entry):
        return dict(app, state=entry["to"], state_since=entry["at"], updated_at=entry["at"],
                    history_seq=entry["seq"], head_hash=entry["hash"],
                    changes=list(app.get("changes", [])) + [{"at": entry["at"],
                                                                  "state": entry["to"]}])

    def _by_tracking(self, tracking_code, pin):
        lookup = schemas.load(schemas.StatusLookupSchema,
                              {"tracking_code": tracking_code, "pin": pin})
        missing = NotFound("Kode pelacakan atau PIN salah / Wrong tracking code or PIN", {})
        app_id = store.find_by_tracking(self.db, lookup["tracking_code"])
        if app_id is None:
            raise missing
        app = store.get_application_raw(self.db, app_id)
        if app is None or not tracking.check_secret(app["secret_digest"], app["tracking_code"],
                                                    lookup["pin"], self._keys.tracking):
            raise missing
        return self._synced(app)

    def _sla(self, app, now=None, calendar=None):
        return sla.clock(_changes(app), app["terms"]["sla_working_days"],
                         now or self.clock.now(), calendar or self._calendar())

    def _history(self, app):
        return store.history(self.db, app["_id"], app["history_seq"])

    @rpc
    def get_application_public(self, tracking_code, pin):
        """Status for the applicant: no actor names, no NIK, name, phone or form."""
        app = self._by_tracking(tracking_code, pin)
        status = self._sla(app)
        view = shared(schemas.PublicStatusSchema).dump(dict(
            app, sla=status.to_dict(), history=self._history(app)))
        view["sla_due_at"] = view["sla"]["due_at"]
        view["documents"] = [{k: d[k] for k in ("kind", "filename", "size", "sha256")}
                             for d in store.app_documents(self.db, app["_id"],
                                                          app["requirement_kinds"])]
        view["available_actions"] = [a for a in workflow.available_actions(app["state"],
                                                                           "applicant")]
        permit = store.get_permit(self.db, app["permit_number"]) \
            if app.get("permit_number") else None
        if permit is not None:
            record = permit["record"]
            view["permit"] = {"permit_number": app["permit_number"],
                              "verify_url": permit["verify_url"],
                              "valid_from": record.get("valid_from"),
                              "valid_until": record.get("valid_until"),
                              "revoked": bool(permit.get("revoked_at"))}
        return view

    @rpc
    def get_permit_pdf_for_applicant(self, tracking_code, pin):
        """The issued permit's PDF (base64) for its applicant, by tracking code and PIN."""
        app = self._by_tracking(tracking_code, pin)
        if not app.get("permit_number"):
            raise NotFound("Izin belum terbit / The permit has not been issued",
                           {"tracking_code": tracking_code})
        return self.get_permit_pdf(app["permit_number"])

    @rpc
    def get_application(self, application_id, agency):
        """The staff view (applicant name, NIK masked). ``agency=None`` only for MPP admins."""
        app = self._application(application_id)
        if agency is not None and app["agency"] != agency:
            raise NotFound("Permohonan tidak ditemukan / Application not found",
                           {"application_id": application_id})
        return self._staff_view(app)

    def _staff_view(self, app):
        status = self._sla(app)
        return {
            "application_id": app["_id"],
            "tracking_code": app["tracking_code"],
            "agency": app["agency"],
            "permit_type_id": app["permit_type_id"],
            "permit_type_version": app["permit_type_version"],
            "permit_type_name": app["permit_type"].get("name"),
            "terms": app["terms"],
            "state": app["state"],
            "state_label": workflow.label(app["state"]),
            "history_seq": app["history_seq"],
            "filed_at": app["filed_at"],
            "updated_at": app["updated_at"],
            "applicant": {"name": app["applicant"]["name"],
                          "nik_masked": issuance.mask_nik(app["applicant"]["nik"]),
                          "language": app["applicant"].get("language", "id")},
            "form": app["form"],
            "documents": store.app_documents(self.db, app["_id"], app["requirement_kinds"]),
            "sla": status.to_dict(),
            "permit_number": app.get("permit_number"),
            "connector_status": store.get_connector_status(self.db, app["_id"]),
            "available_actions": {role: list(workflow.available_actions(app["state"], role))
                                  for role in ("officer", "supervisor", "admin")},
        }

    @rpc
    def list_applications(self, agency, state=None, limit=50, after=None):
        """A page of an agency's work list: ``{"items": [...], "next": cursor | None}``.

        ``state=None``: every application of the agency, newest filing first. A state where
        work waits: oldest arrival in that state first. A final state: newest first. Reads by
        ``_id`` only (``store`` docstring), so a page costs the same with 100 or 100,000
        applications on file.
        """
        problems = {}
        if not isinstance(agency, str) or not agency:
            problems["agency"] = ["Wajib diisi / Required."]
        if state is not None:
            try:
                workflow.kind(state)
            except (ValueError, TypeError):
                problems["state"] = ["Status tidak dikenal / Unknown state."]
        if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIST:
            problems["limit"] = ["Antara 1 dan {m} / Between 1 and {m}.".format(m=MAX_LIST)]
        if after is not None and not (isinstance(after, str) and after.isdigit()):
            problems["after"] = ["Kursor tidak valid / Invalid cursor."]
        if problems:
            raise ValidationFailed("Data tidak valid / Invalid data", {"fields": problems})
        log_name = store.worklist_log(agency, state)
        now, calendar = self.clock.now(), self._calendar()
        items, seen, probes = [], set(), 0

        def row(n):
            slot = store.get_slot(self.db, log_name, n)
            if slot is None or slot.get("gone") or slot["application_id"] in seen:
                return slot
            app = store.get_application_raw(self.db, slot["application_id"])
            if app is None:
                return slot
            app = self._synced(app)
            if state is not None and (app["state"] != state or
                                      app["history_seq"] != slot["seq"]):
                return slot
            seen.add(app["_id"])
            status = self._sla(app, now, calendar)
            items.append({
                "application_id": app["_id"], "tracking_code": app["tracking_code"],
                "permit_type_id": app["permit_type_id"], "state": app["state"],
                "state_label": workflow.label(app["state"]), "filed_at": app["filed_at"],
                "state_since": app["state_since"], "history_seq": app["history_seq"],
                "sla": {k: status.to_dict()[k] for k in ("mode", "due_at", "percent_used",
                                                         "breached")},
            })
            return slot

        if state is None or state in FINAL_STATES:
            n = int(after) - 1 if after else store.log_head(self.db, log_name)
            while n >= 1 and len(items) < limit and probes < store.MAX_PROBES:
                row(n)
                probes += 1
                n -= 1
            return {"items": items, "next": str(n + 1) if n >= 1 else None}
        low = store.log_low(self.db, log_name)
        head = store.log_head(self.db, log_name)
        n = int(after) + 1 if after else low + 1
        gone_prefix, last_gone = after is None, low
        while n <= head and len(items) < limit and probes < store.MAX_PROBES:
            slot = row(n)
            if gone_prefix:
                if slot is not None and slot.get("gone"):
                    last_gone = n
                else:
                    gone_prefix = False
            probes += 1
            n += 1
        if last_gone > low:
            store.raise_low(self.db, log_name, last_gone)
        return {"items": items, "next": str(n - 1) if n <= head else None}

    @rpc
    def history(self, application_id, agency=None):
        """The full history (staff: with actors)."""
        app = self._application(application_id)
        if agency is not None and app["agency"] != agency:
            raise NotFound("Permohonan tidak ditemukan / Application not found", {})
        return self._history(app)

    @rpc
    def verify_history(self, application_id):
        app = self._application(application_id)
        ok, bad = history.verify(self._history(app), app["head_hash"])
        return {"ok": ok, "first_bad_seq": bad}

    # -- acting ------------------------------------------------------------------------

    @rpc
    def act(self, application_id, action, actor, role, agency, note=None, corrections=None,
            expected_seq=None):
        """A staff action. Refused (nothing changes): not possible from the state (409), not
        for this role or agency (403), stale ``expected_seq`` or a concurrent winner (409)."""
        transition = schemas.load(schemas.TransitionSchema, {
            "action": action, "note": note, "corrections": list(corrections or []),
            "expected_seq": expected_seq})
        if role not in STAFF_ROLES:
            raise Forbidden("Peran tidak dapat bertindak lewat konsol / Role may not act here",
                            {"role": str(role)})
        if not isinstance(actor, str) or not actor:
            raise ValidationFailed("Data tidak valid / Invalid data",
                                   {"fields": {"actor": ["Wajib diisi / Required."]}})
        app = self._application(application_id)
        if agency != app["agency"] and not (role == "admin" and agency is None):
            raise Forbidden("Permohonan instansi lain / Application of another agency",
                            {"application_id": application_id})
        if transition["expected_seq"] is not None and \
                transition["expected_seq"] != app["history_seq"]:
            raise Conflict("Permohonan telah berubah; muat ulang / The application changed; "
                           "reload", {"expected_seq": transition["expected_seq"],
                                      "history_seq": app["history_seq"]})
        workflow_role, details = role, {}
        if transition["corrections"]:
            details["corrections"] = transition["corrections"]
        if action in AGENCY_ACTIONS:
            if app["terms"]["connector"] != "manual" or role not in ("officer", "supervisor"):
                raise Forbidden("Keputusan instansi hanya dari konektor / Agency decisions come "
                                "from the connector", {"action": action})
            workflow.apply(app["state"], action, "connector",
                           {"approval_levels": app["terms"]["approval_levels"],
                            "fee": app["terms"]["fee"], "note": transition["note"]})
            workflow_role, details["officer_role"] = "connector", role
        new = self._transition(app, action, workflow_role, actor, transition["note"], details)
        return self._result(new)

    @rpc
    def applicant_act(self, tracking_code, pin, action, note=None):
        """The applicant's own actions: ``resubmit`` (after correcting documents) and
        ``withdraw``."""
        if action not in APPLICANT_ACTIONS:
            raise ValidationFailed("Data tidak valid / Invalid data", {"fields": {"action": [
                "Pilih salah satu: {} / Choose one of: {}".format(
                    ", ".join(APPLICANT_ACTIONS), ", ".join(APPLICANT_ACTIONS))]}})
        app = self._by_tracking(tracking_code, pin)
        transition = schemas.load(schemas.TransitionSchema, {"action": action, "note": note})
        new = self._transition(app, action, "applicant", "applicant", transition["note"])
        return self._result(new)

    @staticmethod
    def _result(app):
        return {"application_id": app["_id"], "state": app["state"],
                "state_label": workflow.label(app["state"]), "seq": app["history_seq"],
                "permit_number": app.get("permit_number")}

    def _transition(self, app, action, role, actor, note=None, details=None, sla_overdue=False):
        now = self.clock.now()
        step_app = dict(app, id=app["_id"])
        changes, entry = workflow.step(step_app, action, role, actor, now, note=note,
                                       details=details, sla_overdue=sla_overdue)
        token = store.mark_unannounced(self.db, app["_id"], entry["seq"], clk.iso(now))
        if not store.insert_history(self.db, entry):
            if token:  # a mark this loser placed; the winner's stays until it announced
                store.mark_announced(self.db, app["_id"], entry["seq"], token)
            raise Conflict("Permohonan sudah ditindaklanjuti orang lain / Someone else acted on "
                           "this application first; reload",
                           {"application_id": app["_id"], "seq": entry["seq"]})
        new = self._persist_step(app, self._advanced(app, entry), entry)
        self._announce(app, new, entry)
        store.mark_announced(self.db, app["_id"], entry["seq"])
        return new

    def _announce_stranded(self, now):
        """Publish the events of steps whose process died before announcing them: the step
        is rolled forward (``_synced``), then announced as of its own entry."""
        cutoff = now - store.ROLL_FORWARD_AFTER - timedelta(seconds=1)
        for mark in store.unannounced_before(self.db, clk.iso(cutoff)):
            if mark["seq"] == 1:  # a filing: finish it (idempotent), which announces it
                filed = store.get_application_raw(self.db, mark["application_id"])
                if filed is not None:
                    log.warning("finishing a filing a dead process left",
                                extra={"entity": mark["_id"]})
                    self._finish_filing(filed)
                store.mark_announced(self.db, mark["application_id"], 1)
                continue
            entry = store.get_history_entry(self.db, mark["application_id"], mark["seq"])
            if entry is not None:
                app = self._application(mark["application_id"])
                log.warning("announcing a step a dead process left",
                            extra={"entity": mark["_id"]})
                self._announce(dict(app, state=entry["from"]), dict(app, state=entry["to"]),
                               entry)
            store.mark_announced(self.db, mark["application_id"], mark["seq"])

    def _persist_step(self, old, new, entry):
        """The winner's (or a roll-forward's) writes after history entry ``entry``."""
        fields = {k: new[k] for k in ("state", "state_since", "updated_at", "history_seq",
                                      "head_hash", "changes")}
        fields["wl_slot"] = store.log_append(
            self.db, store.worklist_log(new["agency"], new["state"]),
            {"application_id": new["_id"], "seq": new["history_seq"]})
        if new["state"] == workflow.ISSUED:
            fields["permit_number"] = self._issue(new)
        if new["state"] == workflow.REVOKED and new.get("permit_number"):
            store.revoke_permit(self.db, new["permit_number"], clk.to_utc(self.clock.now()))
        store.write_application(self.db, new["_id"], fields)
        if old.get("wl_slot") and old["wl_slot"] != fields["wl_slot"]:
            store.tombstone(self.db, old["wl_slot"])
        new = dict(new, **fields)
        if workflow.clock_mode(new["state"]) == "running" and \
                workflow.clock_mode(old["state"]) != "running":
            self._schedule_sla(new, self.clock.now())
        return new

    def _sla_outcome(self, app, entry):
        """Whether a decided application kept its SLA (no personal data: the feedback
        service's public statistics count these)."""
        at = entry["at"]
        if isinstance(at, str):
            at = clk.parse(at)
        try:
            status = self._sla(app, at)
        except ValueError:  # no history to measure: say nothing rather than guess
            return {}
        return {"sla_working_days": status.sla_working_days,
                "sla_working_days_used": round(status.working_days_used, 2),
                "within_sla": not status.breached}

    def _announce(self, old, new, entry):
        """The step's events. Their ids derive from the step, so announcing it again (the
        outbox sweep after a crash) is skipped by every ``once`` handler."""
        def emit(event_type, payload):
            self._emit(event_type, dict(payload, event_id="{}:{}:{}".format(
                new["_id"], entry["seq"], event_type)))

        base = {"application_id": new["_id"], "tracking_code": new["tracking_code"]}
        decided = self._sla_outcome(new, entry) if new["state"] in SLA_DECIDED else {}
        emit("application_status_changed", dict(
            base, agency=new["agency"], permit_type_id=new["permit_type_id"],
            language=new["applicant"].get("language", "id"), **{"from": old["state"]},
            to=new["state"], seq=entry["seq"], action=entry["action"], **decided))
        if entry["action"] in ("return", "agency_return"):
            emit("application_returned", dict(
                base, seq=entry["seq"], reason=entry["note"],
                corrections=entry["details"].get("corrections", [])))
        if new["state"] == workflow.IN_PROCESS:
            connector = new["terms"]["connector"]
            self.subscriber_queues.ensure(*subscription(connector))
            emit("application_forwarded.{}".format(connector), dict(
                base, agency=new["agency"], permit_type_id=new["permit_type_id"],
                permit_type_version=new["permit_type_version"], connector=connector,
                seq=entry["seq"]))
        if new["state"] == workflow.ISSUED:
            permit = store.get_permit(self.db, new["permit_number"])
            emit("permit_issued", dict(base, agency=new["agency"],
                                       permit_type_id=new["permit_type_id"],
                                       permit_type_name=(new.get("permit_type") or {}).get(
                                           "name"),
                                       permit_number=new["permit_number"],
                                       verify_url=permit["verify_url"],
                                       language=new["applicant"].get("language", "id"),
                                       **decided))
        if new["state"] == workflow.REVOKED:
            emit("permit_revoked", dict(base, permit_number=new.get("permit_number"),
                                              reason=entry["note"]))

    # -- connectors ----------------------------------------------------------------------

    @rpc
    def get_application_for_connector(self, application_id, connector):
        """What an agency back office needs to decide (includes the applicant's NIK: the
        agency is the data's lawful processor). Only for the application's own connector."""
        app = self._application(application_id)
        if app["terms"]["connector"] != connector:
            raise Forbidden("Bukan konektor permohonan ini / Not this application's connector",
                            {"application_id": application_id})
        return {
            "application_id": app["_id"], "tracking_code": app["tracking_code"],
            "agency": app["agency"], "permit_type_id": app["permit_type_id"],
            "permit_type_version": app["permit_type_version"], "state": app["state"],
            "seq": app["history_seq"], "filed_at": app["filed_at"],
            "applicant": {k: app["applicant"].get(k) for k in ("nik", "name", "phone",
                                                               "email")},
            "form": app["form"],
            "documents": [{k: d[k] for k in ("kind", "filename", "media_type", "size",
                                             "sha256")}
                          for d in store.app_documents(self.db, app["_id"],
                                                       app["requirement_kinds"])],
        }

    @rpc
    def record_decision(self, agency, decision):
        """A connector's report (after the gateway verified a webhook callback's signature).
        Applied once per ``decision_id``: a second delivery answers ``duplicate: true``."""
        d = schemas.load(schemas.ConnectorDecisionSchema, decision)
        prior = store.get_decision(self.db, agency, d["decision_id"])
        if prior is not None:
            return dict({k: v for k, v in prior.items() if k != "_id"}, applied=False,
                        duplicate=True)
        status = d.get("status")
        if status is None:
            mapping = (self.config.get("PERMITS_STATUS_MAPPINGS") or {}).get(agency) or {}
            status = vocabulary.map_status(mapping, d["agency_status"])
        app = self._application(d["application_id"])
        if app["agency"] != agency:
            raise Forbidden("Permohonan instansi lain / Application of another agency",
                            {"application_id": d["application_id"]})
        if status in vocabulary.PENDING_STATUSES:
            store.put_connector_status(self.db, app["_id"], {
                "status": status, "label": vocabulary.label(status),
                "agency_status": d.get("agency_status"), "reference": d.get("reference"),
                "at": clk.iso(self.clock.now())})
            result = {"applied": False, "status": status, "state": app["state"],
                      "seq": app["history_seq"]}
            store.put_decision(self.db, agency, d["decision_id"], result)
            return dict(result, duplicate=False)
        details = {"decision_id": d["decision_id"]}
        for key in ("reference", "agency_status"):
            if d.get(key):
                details[key] = d[key]
        if d.get("corrections"):
            details["corrections"] = d["corrections"]
        try:
            new = self._transition(app, vocabulary.ACTION_FOR_OUTCOME[status], "connector",
                                   "connector:{}".format(app["terms"]["connector"]),
                                   d.get("note"), details)
        except Conflict:
            again = self._application(app["_id"])
            if any(e["details"].get("decision_id") == d["decision_id"]
                   for e in self._history(again)):
                return {"applied": False, "status": status, "state": again["state"],
                        "seq": again["history_seq"], "duplicate": True}
            raise
        result = {"applied": True, "status": status, "state": new["state"],
                  "seq": new["history_seq"]}
        store.put_decision(self.db, agency, d["decision_id"], result)
        return dict(result, duplicate=False)

    # -- documents -------------------------------------------------------------------------

    @rpc
    def add_document(self, tracking_code, pin, kind, filename=None, media_type=None,
                     content_b64=None, reuse_sha256=None):
        """Add or replace the applicant's document of ``kind`` (while submitted or returned
        for correction); ``reuse_sha256`` reuses a file already on file for this applicant."""
        app = self._by_tracking(tracking_code, pin)
        if app["state"] not in DOCUMENT_STATES:
            raise IllegalTransition("Dokumen tidak dapat diubah pada status ini / Documents "
                                    "cannot be changed in this state", {"state": app["state"]})
        item = {"kind": kind}
        if reuse_sha256 is not None:
            item["reuse_sha256"] = reuse_sha256
        if content_b64 is not None or reuse_sha256 is None:
            item.update(filename=filename, media_type=media_type, content=content_b64)
        item = {k: v for k, v in item.items() if v is not None}
        loaded = schemas.load(schemas.DocumentInputSchema, item)
        if kind not in app["requirement_kinds"]:
            raise ValidationFailed("Data tidak valid / Invalid data", {"fields": {"kind": [
                "Jenis dokumen tidak dikenal untuk izin ini / Document kind not used by this "
                "permit type."]}})
        meta, upload = self._one_document(loaded, app["applicant_key"], "document")
        if upload:
            store.put_file(self.db, *upload)
        meta["added_at"] = clk.iso(self.clock.now())
        store.put_app_document(self.db, app["_id"], meta)
        return {k: meta[k] for k in ("kind", "filename", "media_type", "size", "sha256")}

    # -- issuance and verification -----------------------------------------------------

    def _issue(self, app):
        """The application's permit number, issuing it (once) if needed."""
        number = store.permit_for_application(self.db, app["_id"])
        now = self.clock.now()
        if number is None:
            year = clk.local_day(now, self._tz).year
            seq = store.claim_permit_number(self.db, app["agency"], year, app["_id"])
            number = store.bind_permit(self.db, app["_id"],
                                       issuance.permit_number(app["agency"], year, seq))
        if store.get_permit(self.db, number) is not None:
            return number
        secrets = self._keys
        version = app["permit_type"]
        agency = store.get_agency(self.db, app["agency"]) or {}
        valid_until = None
        if version.get("validity_months"):
            start = clk.local_day(now, self._tz)
            valid_until = _add_months(start, version["validity_months"]) - timedelta(days=1)
        record = issuance.build_record(number, version, agency.get("name") or app["agency"],
                                       now, valid_until, secrets.signing_key)
        labels = {f["name"]: f.get("label") for f in version.get("form", [])}
        details = [(labels.get(k, k), v) for k, v in app["form"].items()]
        issued = issuance.issue(secrets.signing_key, record,
                                {"name": app["applicant"]["name"],
                                 "nik": app["applicant"]["nik"]},
                                self._verify_base_url(), details)
        pdf = issued.pop("pdf")
        store.put_permit(self.db, number, issued, pdf, app["_id"])
        return number

    @rpc
    def verify_permit(self, number, record_hash=None, pdf_b64=None):
        """``{status: valid|revoked|expired|unknown, ...public view}``; with ``pdf_b64`` the
        PDF must be exactly the one issued (one changed byte: ``unknown``)."""
        permit = store.get_permit(self.db, number) if isinstance(number, str) else None
        public = self._keys.public_keys(self.db)
        status = issuance.public_status(permit, self.clock.now(), public, record_hash,
                                        permit.get("revoked_at") if permit else None, self._tz)
        if status != "unknown" and pdf_b64 is not None:
            pdf = _b64decode(pdf_b64, "pdf")
            if not issuance.verify_permit(public, permit, pdf):
                status = "unknown"
        return issuance.public_view(permit, status)

    @rpc
    def get_permit_pdf(self, number):
        """The permit's PDF, base64 (it names the holder: the gateway decides who may ask)."""
        permit = store.get_permit(self.db, number, with_pdf=True) \
            if isinstance(number, str) else None
        if permit is None:
            raise NotFound("Izin tidak ditemukan / Permit not found", {"permit_number": number})
        return base64.b64encode(bytes(permit["pdf"])).decode("ascii")

    @rpc
    def public_key(self):
        secrets = self._keys
        return {"algorithm": "Ed25519", "key_id": secrets.key_id,
                "pem": issuance.public_key_pem(secrets.signing_key).decode(),
                "keys": store.public_keys(self.db)}

    # -- SLA -----------------------------------------------------------------------------

    def _schedule_sla(self, app, now):
        """Put the instants at which the application will cross each threshold it has not
        crossed yet into the hour buckets the sweep reads (checked again when due)."""
        calendar = self._calendar()
        n = app["terms"]["sla_working_days"]
        status = sla.clock(_changes(app), n, now, calendar)
        if status.mode != "running" or status.due_at is None:
            return
        for threshold in sla.WARNING_THRESHOLDS:
            if threshold in status.thresholds_crossed:
                continue
            at = status.due_at if threshold == 100 else self._crossing(
                _changes(app), n, calendar, threshold, now, status.due_at)
            store.log_append(self.db, store.schedule_log(at), {
                "application_id": app["_id"], "at": clk.iso(at), "threshold": threshold})

    @staticmethod
    def _crossing(changes, n, calendar, threshold, start, end):
        lo, hi = start, end
        while hi - lo > timedelta(minutes=1):
            mid = lo + (hi - lo) / 2
            if sla.clock(changes, n, mid, calendar).percent_used >= threshold:
                hi = mid
            else:
                lo = mid
        return hi

    @timer(interval=OUTBOX_TIMER_SECONDS)
    def outbox_timer(self):
        try:
            self._announce_stranded(self.clock.now())
        except Exception:  # noqa: BLE001 - the next tick tries again
            log.exception("outbox sweep failed")

    @timer(interval=SWEEP_TIMER_SECONDS)
    def sla_timer(self):
        every = float(self.config.get("PERMITS_SLA_SWEEP_SECONDS", DEFAULT_SWEEP_SECONDS))
        key = self.db.name
        if every <= 0 or time.monotonic() - _last_sweep.get(key, -1e9) < every:
            return
        _last_sweep[key] = time.monotonic()
        try:
            self._sweep(self.clock.now())
        except Exception:  # noqa: BLE001 - the next tick tries again
            log.exception("SLA sweep failed")

    @rpc
    def sla_sweep(self, at=None):
        """Run the SLA sweep now (the timer does it every ``PERMITS_SLA_SWEEP_SECONDS``);
        ``at`` (ISO-8601) lets tests and operators sweep as of an instant."""
        now = self.clock.now() if at is None else clk.to_utc(
            sla._parse([(at, workflow.SUBMITTED)])[0][0])
        return self._sweep(now)

    def _sweep(self, now):
        cursor = store.get_setting(self.db, "sla_cursor")
        hour = store.hour_of(cursor["log"]) if cursor else \
            store.hour_of(store.schedule_log(min(now, self.clock.now()) - timedelta(hours=48)))
        warnings, deemed, checked = 0, 0, set()
        while hour <= now:
            log_name = store.schedule_log(hour)
            for n in range(1, store.log_head(self.db, log_name) + 1):
                slot = store.get_slot(self.db, log_name, n)
                if slot is None or slot["application_id"] in checked or \
                        clk.to_utc(sla._parse([(slot["at"], "submitted")])[0][0]) > now:
                    continue
                checked.add(slot["application_id"])
                w, d = self._check_sla(slot["application_id"], now)
                warnings, deemed = warnings + w, deemed + d
            if hour + timedelta(hours=1) <= now:
                store.put_setting(self.db, "sla_cursor", {
                    "log": store.schedule_log(hour + timedelta(hours=1))})
            hour += timedelta(hours=1)
        return {"checked": len(checked), "warnings": warnings, "deemed_approved": deemed}

    def domain_metrics(self):
        return gauges_text({("mpp_sla_warnings", "SLA warnings sent, by threshold "
                             "(100: the SLA was breached)", ("threshold",)):
                            {(t,): store.warnings_at(self.db, t) for t in sla.WARNING_THRESHOLDS}})

    def _check_sla(self, application_id, now):
        app = store.get_application_raw(self.db, application_id)
        if app is None:
            return 0, 0
        app = self._synced(app)
        if workflow.clock_mode(app["state"]) == "stopped":
            return 0, 0
        status = self._sla(app, now)
        sent = 0
        for threshold in sla.new_warnings(status, store.warnings_sent(self.db, app["_id"])):
            if store.claim_warning(self.db, app["_id"], threshold, clk.iso(now)):
                sent += 1
                self._emit("application_sla_warning", {
                    "event_id": "{}:sla:{}".format(app["_id"], threshold),
                    "application_id": app["_id"], "agency": app["agency"],
                    "tracking_code": app["tracking_code"],
                    "permit_type_id": app["permit_type_id"],
                    "permit_type_name": (app.get("permit_type") or {}).get("name"),
                    "state": app["state"], "threshold": threshold,
                    "due_at": clk.iso(status.due_at) if status.due_at else None,
                    "remaining_working_days": status.remaining_working_days,
                    "seq": app["history_seq"]})
        deemed = 0
        if status.breached and self.config.get("PERMITS_DEEMED_APPROVAL", True) and \
                "deem_approve" in workflow.available_actions(app["state"], "system"):
            try:
                self._transition(app, "deem_approve", "system", "system:sla-timer",
                                 sla_overdue=True)
                deemed = 1
            except (Conflict, DomainError) as exc:
                log.info("deemed approval not taken: %s", exc.__class__.__name__,
                         extra={"entity": app["_id"]})
        return sent, deemed
