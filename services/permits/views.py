"""What people see of applications: the applicant's status page, the staff view, the work
lists and the history.

The applicant's view has no actor names, NIK, name, phone or form; the staff view masks the
NIK. A work-list page reads by ``_id`` only (``store`` docstring: append-only slot logs), so
it costs the same with 100 or 100,000 applications on file.
"""
import base64

from services.common.errors import NotFound, ValidationFailed
from services.common.schemas import shared
from services.contracts import messages, roles
from services.permits import (applications, catalogue, history, issuance, issuing, schemas,
                              sla_schedule, store, workflow)

MAX_LIST = 200
FINAL_STATES = frozenset({workflow.ISSUED}) | workflow.TERMINAL_STATES
#: the SLA fields a work-list row shows
ROW_SLA = ("mode", "due_at", "percent_used", "breached")


def public_status(ctx, tracking_code, pin):
    """Status for the applicant: no actor names, no NIK, name, phone or form."""
    app = applications.by_tracking(ctx, tracking_code, pin)
    status = sla_schedule.status(ctx, app)
    view = shared(schemas.PublicStatusSchema).dump(dict(
        app, sla=status.to_dict(), history=applications.history_of(ctx, app)))
    view["sla_due_at"] = view["sla"]["due_at"]
    view["head_hash"] = app["head_hash"]
    terms = app.get("terms") or {}
    view["remaining"] = workflow.remaining_steps(app["state"], terms.get("approval_levels", 0),
                                                 terms.get("fee", 0))
    view["documents"] = [{k: d[k] for k in ("kind", "filename", "size", "sha256")}
                         for d in store.app_documents(ctx.db, app["_id"],
                                                      app["requirement_kinds"])]
    view["available_actions"] = [a for a in workflow.available_actions(app["state"],
                                                                       "applicant")]
    permit = issuing.permit_summary(ctx, app.get("permit_number"))
    if permit is not None:
        view["permit"] = permit
    return view


def applicant_permit_pdf(ctx, tracking_code, pin):
    """The issued permit's PDF (base64) for its applicant, by tracking code and PIN."""
    app = applications.by_tracking(ctx, tracking_code, pin)
    if not app.get("permit_number"):
        raise NotFound("Izin belum terbit / The permit has not been issued",
                       {"tracking_code": tracking_code})
    return issuing.permit_pdf(ctx, app["permit_number"])


def staff_application(ctx, application_id, agency, role=None, actor=None):
    """The staff view (applicant name, NIK masked). ``agency=None`` only for MPP admins;
    ``role`` and ``actor``: the viewer's, for the actions the workflow allows them now."""
    return staff_view(ctx, applications.get_for_agency(ctx, application_id, agency), role,
                      actor)


def staff_view(ctx, app, role=None, actor=None):
    status = sla_schedule.status(ctx, app)
    history = applications.history_of(ctx, app)
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
                      "nik_masked": issuance.mask_nik(
                          ctx.keys.open_nik(app["applicant"]["nik"])),
                      "language": app["applicant"].get("language", "id")},
        "form": app["form"],
        "documents": store.app_documents(ctx.db, app["_id"], app["requirement_kinds"]),
        "sla": status.to_dict(),
        "permit_number": app.get("permit_number"),
        "connector_status": store.get_connector_status(ctx.db, app["_id"]),
        "available_actions": {r: list(workflow.available_actions(app["state"], r))
                              for r in roles.STAFF},
        "actions": workflow.allowed_actions(app, role, actor, history)
        if role in roles.STAFF else [],
        "history": [dict(h, to_label=workflow.label(h["to"])) for h in history],
        "form_fields": [{k: f.get(k) for k in ("name", "label", "label_en")}
                        for f in app["permit_type"].get("form", [])],
        "requirements": [{k: r.get(k) for k in ("kind", "name", "name_en")}
                         for r in app["permit_type"].get("requirements", [])],
    }


def staff_document(ctx, application_id, agency, kind):
    """One document of an application for the owning agency's staff (``agency=None``: MPP
    admin): ``{"filename", "media_type", "content_b64"}``; another agency's gets NotFound."""
    app = applications.get_for_agency(ctx, application_id, agency)
    document = next((d for d in store.app_documents(ctx.db, app["_id"],
                                                    app["requirement_kinds"])
                     if d["kind"] == kind), None)
    stored = store.get_file(ctx.db, document["reuse_key"]) if document else None
    if stored is None:
        raise NotFound("Dokumen tidak ditemukan / Document not found",
                       {"application_id": application_id, "kind": str(kind)})
    return {"filename": document["filename"], "media_type": document["media_type"],
            "content_b64": base64.b64encode(bytes(stored["content"])).decode("ascii")}


def _check_list_request(agency, state, limit, after):
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
        raise ValidationFailed(messages.INVALID_DATA, {"fields": problems})


def work_list(ctx, agency, state=None, limit=50, after=None):
    """A page of an agency's work list: ``{"items": [...], "next": cursor | None}``.

    ``state=None``: every application of the agency, newest filing first. A state where
    work waits: oldest arrival in that state first. A final state: newest first.
    """
    _check_list_request(agency, state, limit, after)
    log_name = store.worklist_log(agency, state)
    now, calendar = ctx.now(), catalogue.working_calendar(ctx)
    items, seen, probes = [], set(), 0

    def row(n):
        slot = store.get_slot(ctx.db, log_name, n)
        if slot is None or slot.get("gone") or slot["application_id"] in seen:
            return slot
        app = store.get_application_raw(ctx.db, slot["application_id"])
        if app is None:
            return slot
        app = applications.synced(ctx, app)
        if state is not None and (app["state"] != state or
                                  app["history_seq"] != slot["seq"]):
            return slot
        seen.add(app["_id"])
        status = sla_schedule.status(ctx, app, now, calendar)
        items.append({
            "application_id": app["_id"], "tracking_code": app["tracking_code"],
            "permit_type_id": app["permit_type_id"],
            "permit_type_name": (app.get("permit_type") or {}).get("name"),
            "permit_type_name_en": (app.get("permit_type") or {}).get("name_en"),
            "applicant_masked": issuance.mask_name(app["applicant"].get("name")),
            "state": app["state"],
            "state_label": workflow.label(app["state"]), "filed_at": app["filed_at"],
            "state_since": app["state_since"], "history_seq": app["history_seq"],
            "sla": {k: status.to_dict()[k] for k in ROW_SLA},
        })
        return slot

    if state is None or state in FINAL_STATES:
        n = int(after) - 1 if after else store.log_head(ctx.db, log_name)
        while n >= 1 and len(items) < limit and probes < store.MAX_PROBES:
            row(n)
            probes += 1
            n -= 1
        return {"items": items, "next": str(n + 1) if n >= 1 else None}
    low = store.log_low(ctx.db, log_name)
    head = store.log_head(ctx.db, log_name)
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
        store.raise_low(ctx.db, log_name, last_gone)
    return {"items": items, "next": str(n - 1) if n <= head else None}


def full_history(ctx, application_id, agency=None):
    """The full history (staff: with actors)."""
    app = applications.get_for_agency(ctx, application_id, agency, details={})
    return applications.history_of(ctx, app)


def verify_history(ctx, application_id):
    app = applications.get(ctx, application_id)
    entries = applications.history_of(ctx, app)
    ok, bad = history.verify(entries, app["head_hash"])
    return {"ok": ok, "first_bad_seq": bad, "application_id": app["_id"],
            "entries": len(entries), "head_hash": app["head_hash"]}
