"""Filing an application, and the applicant's documents.

A filing checks everything (applicant, form, documents, requirements) before it stores
anything, then: the uploaded files, the outbox mark, the application document (its unique
``_id``, derived from applicant, permit type and idempotency key, is the arbiter: a retried
filing finds the first one). Everything after that insert is ``finish_filing``: idempotent,
so a retry, or the outbox sweep after a crash, completes a filing that stopped half-way.
"""
import uuid

from services.common import clock as clk
from services.common.errors import Conflict, IllegalTransition, NotFound, ValidationFailed
from services.contracts import events, messages
from services.contracts import practice as pr
from services.permits import (applications, catalogue, documents, history, permit_types, schemas,
                              sla, sla_schedule, store, tracking, workflow)

#: states in which the applicant may still add or replace documents
DOCUMENT_STATES = (workflow.SUBMITTED, workflow.RETURNED)


def file_application(ctx, data, idempotency_key=None):
    """File an application; ``{application_id, tracking_code, pin, state, created}``.

    The same applicant filing the same permit type with the same idempotency key files once;
    the retry's answer (``_replayed``) carries neither the tracking code nor the PIN. Every check
    (applicant, form, documents, requirements) passes before anything is stored.
    """
    data = dict(data) if isinstance(data, dict) else data
    if isinstance(data, dict):
        if idempotency_key is not None:
            data["idempotency_key"] = idempotency_key
        data.setdefault("idempotency_key", "auto-" + uuid.uuid4().hex)
    loaded = schemas.load(schemas.FileApplicationSchema, data)
    now = ctx.now()
    type_doc = store.get_permit_type(ctx.db, loaded["permit_type_id"])
    if type_doc is None:
        raise NotFound("Jenis izin tidak ditemukan / Permit type not found",
                       {"permit_type_id": loaded["permit_type_id"]})
    version = permit_types.version_in_force(type_doc["versions"], now, ctx.tz,
                                            type_doc.get("retired_from"))
    _refuse_unless_live(ctx, version)
    form = permit_types.validate_form(version["form"], loaded["form"])
    secrets = ctx.keys
    applicant = loaded["applicant"]
    applicant_key = documents.applicant_key(applicant["nik"], secrets.applicant_salt)
    application_id = store.application_id_for(applicant_key, version["permit_type_id"],
                                               loaded["idempotency_key"])
    existing = store.get_application_raw(ctx.db, application_id)
    if existing is not None:
        return _replayed(finish_filing(ctx, existing))

    docs, uploads = _inspect_documents(ctx, loaded["documents"], applicant_key)
    documents.check_requirements(version["requirements"], docs)

    code = tracking.new_code()
    pin = secrets.pin_for(application_id)
    # the NIK is kept encrypted (its HMAC, ``applicant_key``, is what lookups use)
    applicant = dict(applicant, nik=secrets.seal_nik(applicant["nik"]))
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
        store.put_file(ctx.db, key, meta, content)
    store.mark_unannounced(ctx.db, application_id, 1, clk.iso(now))
    stored, created = store.insert_application(ctx.db, application)
    return _filed(ctx, finish_filing(ctx, stored), created=created)


#: what a replayed filing says instead of the code and PIN
REPLAYED = ("Permohonan ini sudah diajukan; kode pelacakan dan PIN telah dikirim ke nomor "
            "atau e-mail yang Anda berikan / This application was already filed; its tracking "
            "code and PIN were sent to the phone or e-mail you gave")


def _refuse_unless_live(ctx, version):
    """An agency being onboarded takes no application yet (409, nothing stored)."""
    if (store.agency_state(ctx.db, version["agency"]) or pr.LIVE) != pr.LIVE:
        raise Conflict(pr.NOT_LIVE, {"agency": version["agency"],
                                     "permit_type_id": version["permit_type_id"]})


def _replayed(application):
    """A retry of a filing (same applicant, type and Idempotency-Key): it says the filing
    exists and nothing that opens it. Keys can be guessed (a timestamp, a reused key); the
    tracking code and PIN reach the applicant once in the answer that created it and by the
    filing notification."""
    return {"created": False, "message": REPLAYED}


def _filed(ctx, application, created):
    return {"application_id": application["_id"],
            "tracking_code": application["tracking_code"],
            "pin": ctx.keys.pin_for(application["_id"]),
            "state": application["state"], "created": created}


def _inspect_documents(ctx, inputs, applicant_key):
    docs, uploads, kinds = [], [], set()
    for index, item in enumerate(inputs):
        if item["kind"] in kinds:
            raise ValidationFailed("Dokumen ganda / Duplicate document", {"fields": {
                "documents": {str(index): {"kind": ["Jenis dokumen ganda / Duplicate "
                                                    "document kind."]}}}})
        kinds.add(item["kind"])
        meta, upload = _one_document(ctx, item, applicant_key, "documents.{}".format(index))
        docs.append(meta)
        if upload:
            uploads.append(upload)
    return docs, uploads


def _one_document(ctx, item, applicant_key, field):
    """``(metadata with kind, (key, meta, content) to store or None)``."""
    if "content" in item:
        try:
            meta = documents.inspect_upload(item["filename"], item["media_type"],
                                            item["content"], ctx.max_bytes())
        except ValidationFailed as exc:
            raise ValidationFailed(exc.message, {"fields": {field: exc.fields}})
        key = documents.reuse_key(applicant_key, meta["sha256"])
        return dict(meta, kind=item["kind"], reuse_key=key), (key, meta, item["content"])
    key = documents.reuse_key(applicant_key, item["reuse_sha256"])
    meta = store.get_file_meta(ctx.db, key)
    if meta is None:
        raise ValidationFailed("Dokumen tidak ditemukan / Document not on file", {"fields": {
            field: {"reuse_sha256": ["Tidak ada berkas ini atas nama pemohon / No such file "
                                     "on file for this applicant."]}}})
    meta = {k: meta[k] for k in ("filename", "media_type", "size", "sha256")}
    return dict(meta, kind=item["kind"], reuse_key=key), None


def finish_filing(ctx, application):
    """Everything after the application's insert, idempotent: a retried or crashed filing
    completes here (tracking code, documents, work lists, SLA schedule, the event)."""
    if application.get("filing_done"):
        return application
    app_id = application["_id"]
    # the first entry is a function of the application: rebuild it (a no-op when the
    # filing that inserted the application got as far as inserting it too)
    first = history.new_entry(None, app_id, sla.instant(application["filed_at"]),
                              "applicant", "applicant", None, workflow.INITIAL_STATE,
                              workflow.SUBMIT_ACTION)
    store.insert_history(ctx.db, first)
    store.put_tracking(ctx.db, application["tracking_code"], app_id)
    for doc in application.get("documents", []):
        store.use_file(ctx.db, app_id, doc["reuse_key"])
        store.put_app_document(ctx.db, app_id, doc)
    fields = {"filing_done": True}
    if not application.get("all_slot"):
        fields["all_slot"] = store.log_append(
            ctx.db, store.worklist_log(application["agency"], None),
            {"application_id": app_id, "seq": 1})
    if not application.get("wl_slot") and application["history_seq"] == 1:
        fields["wl_slot"] = store.log_append(
            ctx.db, store.worklist_log(application["agency"], application["state"]),
            {"application_id": app_id, "seq": 1})
    sla_schedule.schedule(ctx, dict(application, **fields), ctx.now())
    version = application["permit_type"]
    due = sla.clock(sla_schedule.changes(application),
                    application["terms"]["sla_working_days"], ctx.now(),
                    catalogue.working_calendar(ctx)).due_at
    ctx.emit(events.APPLICATION_SUBMITTED, {
        "event_id": "{}:1:{}".format(app_id, events.APPLICATION_SUBMITTED),  # the same if redone
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
    store.write_application(ctx.db, app_id, fields)
    store.mark_announced(ctx.db, app_id, 1)
    return dict(application, **fields)


def add_document(ctx, tracking_code, pin, kind, filename=None, media_type=None,
                 content_b64=None, reuse_sha256=None):
    """Add or replace the applicant's document of ``kind`` (while submitted or returned
    for correction); ``reuse_sha256`` reuses a file already on file for this applicant."""
    app = applications.by_tracking(ctx, tracking_code, pin)
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
        raise ValidationFailed(messages.INVALID_DATA, {"fields": {"kind": [
            "Jenis dokumen tidak dikenal untuk izin ini / Document kind not used by this "
            "permit type."]}})
    meta, upload = _one_document(ctx, loaded, app["applicant_key"], "document")
    store.use_file(ctx.db, app["_id"], meta["reuse_key"])
    if upload:
        store.put_file(ctx.db, *upload)
    meta["added_at"] = clk.iso(ctx.now())
    store.put_app_document(ctx.db, app["_id"], meta)
    return {k: meta[k] for k in ("kind", "filename", "media_type", "size", "sha256")}
