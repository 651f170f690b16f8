"""An application as of its newest step, and the writes that follow a step.

The history entry is the arbiter and a redo log (``store`` docstring): a reader applies every
entry already on file past the application's ``history_seq`` (``synced``) and, once the entry
is a few seconds old, writes it back (``persist_step``), so a writer that died between winning
a step and writing the application never wedges it. ``persist_step`` is also what the winner
of a step runs (``acting.transition``): the only writes an application document ever gets
after its filing.
"""
import logging

from services.common import clock as clk
from services.common.errors import NotFound, ValidationFailed
from services.permits import issuing, schemas, sla, sla_schedule, store, tracking, workflow

log = logging.getLogger(__name__)


def agency_of(ctx, application_id):
    """The agency an application belongs to, or None: no personal data leaves."""
    if not isinstance(application_id, str) or len(application_id) > 200:
        return None
    app = store.get_application_raw(ctx.db, application_id)
    return app["agency"] if app else None


def id_of_tracking(ctx, tracking_code):
    """The id of the application a tracking code names, or None (staff look-ups only: the
    applicant's own look-up needs the PIN too)."""
    try:
        code = tracking.normalise(tracking_code)
    except ValidationFailed:
        return None
    return store.find_by_tracking(ctx.db, code)


def get(ctx, application_id):
    """The application by id, synced (``NotFound`` when there is none)."""
    if not isinstance(application_id, str):
        raise NotFound("Permohonan tidak ditemukan / Application not found", {})
    app = store.get_application_raw(ctx.db, application_id)
    if app is None:
        raise NotFound("Permohonan tidak ditemukan / Application not found",
                       {"application_id": application_id})
    return synced(ctx, app)


def get_for_agency(ctx, application_id, agency, details=None):
    """``get``, as ``NotFound`` for another agency's staff (``agency=None``: MPP-wide)."""
    app = get(ctx, application_id)
    if agency is not None and app["agency"] != agency:
        raise NotFound("Permohonan tidak ditemukan / Application not found",
                       {"application_id": application_id} if details is None else details)
    return app


def by_tracking(ctx, tracking_code, pin):
    """The applicant's application by tracking code and PIN (one answer for a wrong code and a
    wrong PIN, so neither can be probed alone)."""
    lookup = schemas.load(schemas.StatusLookupSchema,
                          {"tracking_code": tracking_code, "pin": pin})
    missing = NotFound("Kode pelacakan atau PIN salah / Wrong tracking code or PIN", {})
    app_id = store.find_by_tracking(ctx.db, lookup["tracking_code"])
    if app_id is None:
        raise missing
    app = store.get_application_raw(ctx.db, app_id)
    if app is None or not tracking.check_secret(app["secret_digest"], app["tracking_code"],
                                                lookup["pin"], ctx.keys.tracking):
        raise missing
    return synced(ctx, app)


def history_of(ctx, app):
    return store.history(ctx.db, app["_id"], app["history_seq"])


def synced(ctx, app):
    """The application with every history entry already on file applied (redo log)."""
    now = ctx.now()
    while True:
        entry = store.get_history_entry(ctx.db, app["_id"], app["history_seq"] + 1)
        if entry is None:
            return app
        next_app = advanced(app, entry)
        at = clk.to_utc(sla.instant(entry["at"]))
        if now - at > store.ROLL_FORWARD_AFTER:
            log.warning("rolling application forward", extra={"entity": app["_id"]})
            next_app = persist_step(ctx, app, next_app, entry)
        app = next_app


def advanced(app, entry):
    """``app`` with history ``entry`` applied, in memory."""
    return dict(app, state=entry["to"], state_since=entry["at"], updated_at=entry["at"],
                history_seq=entry["seq"], head_hash=entry["hash"],
                changes=list(app.get("changes", [])) + [{"at": entry["at"],
                                                              "state": entry["to"]}])


def persist_step(ctx, old, new, entry):
    """The winner's (or a roll-forward's) writes after history entry ``entry``: the new
    state's work-list slot, the permit when issued (or its revocation), the application's new
    fields, the old slot's tombstone, and the SLA checks when the clock starts running."""
    fields = {k: new[k] for k in ("state", "state_since", "updated_at", "history_seq",
                                  "head_hash", "changes")}
    fields["wl_slot"] = store.log_append(
        ctx.db, store.worklist_log(new["agency"], new["state"]),
        {"application_id": new["_id"], "seq": new["history_seq"]})
    if new["state"] == workflow.ISSUED:
        fields["permit_number"] = issuing.issue(ctx, new)
    if new["state"] == workflow.REVOKED and new.get("permit_number"):
        issuing.revoke(ctx, new["permit_number"])
    store.write_application(ctx.db, new["_id"], fields)
    if old.get("wl_slot") and old["wl_slot"] != fields["wl_slot"]:
        store.tombstone(ctx.db, old["wl_slot"])
    new = dict(new, **fields)
    if workflow.clock_mode(new["state"]) == "running" and \
            workflow.clock_mode(old["state"]) != "running":
        sla_schedule.schedule(ctx, new, ctx.now())
    return new
