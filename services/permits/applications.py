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
from services.common.errors import NotFound, TooManyAttempts, ValidationFailed
from services.contracts import events
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
    missing = NotFound("Kode pelacakan atau PIN salah / Wrong tracking code or PIN", {})
    if tracking.names_nothing(tracking_code):
        raise missing
    lookup = schemas.load(schemas.StatusLookupSchema,
                          {"tracking_code": tracking_code, "pin": pin})
    app_id = store.find_by_tracking(ctx.db, lookup["tracking_code"])
    if app_id is None:
        raise missing
    app = store.get_application_raw(ctx.db, app_id)
    if app is None:
        raise missing
    generation = app.get("pin_generation", 0)
    failures, last = store.pin_failures(ctx.db, app_id, generation)
    now = ctx.now()
    locked, wait = tracking.pin_wait(failures, clk.parse(last) if last else None, now)
    if locked or wait:
        raise TooManyAttempts(PIN_LOCKED if locked else PIN_WAIT,
                              {"retry_after": wait, "locked": locked})
    if not tracking.check_secret(app["secret_digest"], app["tracking_code"], lookup["pin"],
                                 ctx.keys.tracking):
        store.record_pin_failure(ctx.db, app_id, generation, clk.iso(now))
        raise missing
    if failures:
        store.clear_pin_failures(ctx.db, app_id)
    return synced(ctx, app)


PIN_WAIT = ("Terlalu banyak PIN salah; tunggu sebentar lalu coba lagi / Too many wrong PINs; "
            "wait a moment and try again")
PIN_LOCKED = ("Terlalu banyak PIN salah; minta PIN baru, yang dikirim ke nomor atau e-mail "
              "Anda / Too many wrong PINs; ask for a new PIN, sent to your phone or e-mail")
NEW_PIN_SENT = ("Jika kode pelacakan ini terdaftar, PIN baru dikirim ke nomor atau e-mail "
                "pemohon / If this tracking code exists, a new PIN was sent to the applicant's "
                "phone or e-mail")
#: new PINs an application may get per day (each is a message to the citizen)
MAX_PIN_RENEWALS_PER_DAY = 3


def request_new_pin(ctx, tracking_code):
    """A new PIN for the application, sent to the contact given at filing (the event
    ``application_pin_reissued``); the old PIN stops working and the guess count starts
    again. The answer is the same whether the code exists or not, and never has the PIN."""
    answer = {"sent": True, "message": NEW_PIN_SENT}
    if tracking.names_nothing(tracking_code):
        return answer
    code = schemas.load(schemas.StatusLookupSchema,
                        {"tracking_code": tracking_code, "pin": "000000"})["tracking_code"]
    app_id = store.find_by_tracking(ctx.db, code)
    app = store.get_application_raw(ctx.db, app_id) if app_id else None
    if app is None:
        return answer
    now = ctx.now()
    day = clk.iso(now)[:10]
    if store.pin_renewals_on(ctx.db, app_id, day) >= MAX_PIN_RENEWALS_PER_DAY:
        return answer
    generation = app.get("pin_generation", 0) + 1
    if not store.claim_pin_generation(ctx.db, app_id, generation, day):
        return answer  # a concurrent request renewed it
    pin = ctx.keys.pin_for(app_id, generation)
    store.write_application(ctx.db, app_id, {
        "pin_generation": generation,
        "secret_digest": tracking.secret_digest(app["tracking_code"], pin, ctx.keys.tracking)})
    store.clear_pin_failures(ctx.db, app_id)
    applicant = app["applicant"]
    ctx.emit(events.APPLICATION_PIN_REISSUED, {
        "event_id": "{}:pin:{}".format(app_id, generation),
        "application_id": app_id, "tracking_code": app["tracking_code"], "pin": pin,
        "pin_generation": generation, "agency": app["agency"],
        "contact": {"phone": applicant.get("phone"), "email": applicant.get("email")},
        "language": applicant.get("language", "id")})
    return answer


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
