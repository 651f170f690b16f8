"""Acting on an application: staff and applicant actions, the transition, its events.

A transition, in order (``transition``): build the next history entry (``workflow.step``);
mark its events as owed (``store.mark_unannounced``, the outbox); insert the entry (the unique
``_id`` decides between concurrent actors: the loser gets ``Conflict``); write what follows the
step (``applications.persist_step``: work lists, permit, application, SLA schedule); dispatch
the events (``announce``); clear the mark. Only the winner of the insert does any of this.

Roles: ``act`` is for staff (officer, supervisor, admin), scoped to their agency (admin with
``agency=None`` is MPP-wide); ``applicant_act`` for the applicant (tracking code + PIN); the
connector desk and the SLA sweep call ``transition`` with the roles ``connector`` and
``system``. For applications whose connector is ``manual`` the officers are the agency's back
office: their ``agency_approve`` / ``agency_return`` / ``agency_reject`` are taken with the
workflow role ``connector`` and the officer named as the actor.
"""
from services.common import clock as clk
from services.common.errors import Conflict, Forbidden, ValidationFailed
from services.contracts import events, messages, roles
from services.permits import applications, issuing, schemas, sla_schedule, store, workflow
from services.permits.connectors.sdk import subscription
from services.contracts.permits import APPLICANT_ACTIONS

SLA_DECIDED = workflow.SLA_DECIDED
RETURN_ACTIONS = ("return", "agency_return")


def act(ctx, application_id, action, actor, role, agency, note=None, corrections=None,
        expected_seq=None):
    """A staff action. Refused (nothing changes): not possible from the state (409), not
    for this role or agency (403), stale ``expected_seq`` or a concurrent winner (409)."""
    transition_data = schemas.load(schemas.TransitionSchema, {
        "action": action, "note": note, "corrections": list(corrections or []),
        "expected_seq": expected_seq})
    if role not in roles.STAFF:
        raise Forbidden("Peran tidak dapat bertindak lewat konsol / Role may not act here",
                        {"role": str(role)})
    if not isinstance(actor, str) or not actor:
        raise ValidationFailed(messages.INVALID_DATA,
                               {"fields": {"actor": ["Wajib diisi / Required."]}})
    app = applications.get(ctx, application_id)
    if agency != app["agency"] and not (role == roles.ADMIN and agency is None):
        raise Forbidden("Permohonan instansi lain / Application of another agency",
                        {"application_id": application_id})
    if transition_data["expected_seq"] is not None and \
            transition_data["expected_seq"] != app["history_seq"]:
        raise Conflict("Permohonan telah berubah; muat ulang / The application changed; "
                       "reload", {"expected_seq": transition_data["expected_seq"],
                                  "history_seq": app["history_seq"]})
    details = {}
    if transition_data["corrections"]:
        details["corrections"] = transition_data["corrections"]
    # the same rule the console's offered actions come from (workflow.allowed_actions),
    # separation of duties included
    workflow_role, _ = workflow.check_action(app, action, role, note=transition_data["note"],
                                             actor=actor,
                                             entries=applications.history_of(ctx, app))
    if workflow_role != role:
        details["officer_role"] = role
    new = transition(ctx, app, action, workflow_role, actor, transition_data["note"], details)
    return result(new)


def applicant_act(ctx, tracking_code, pin, action, note=None):
    """The applicant's own actions: ``resubmit`` (after correcting documents) and
    ``withdraw``."""
    if action not in APPLICANT_ACTIONS:
        raise ValidationFailed(messages.INVALID_DATA, {"fields": {"action": [
            "Pilih salah satu: {} / Choose one of: {}".format(
                ", ".join(APPLICANT_ACTIONS), ", ".join(APPLICANT_ACTIONS))]}})
    app = applications.by_tracking(ctx, tracking_code, pin)
    transition_data = schemas.load(schemas.TransitionSchema, {"action": action, "note": note})
    new = transition(ctx, app, action, "applicant", "applicant", transition_data["note"])
    return result(new)


def result(app):
    return {"application_id": app["_id"], "state": app["state"],
            "state_label": workflow.label(app["state"]), "seq": app["history_seq"],
            "permit_number": app.get("permit_number")}


def transition(ctx, app, action, role, actor, note=None, details=None, sla_overdue=False):
    """Take ``action`` on ``app`` (synced); the application after the step, or ``Conflict``
    when another writer took this step first."""
    now = ctx.now()
    step_app = dict(app, id=app["_id"])
    _, entry = workflow.step(step_app, action, role, actor, now, note=note, details=details,
                             sla_overdue=sla_overdue)
    token = store.mark_unannounced(ctx.db, app["_id"], entry["seq"], clk.iso(now))
    if not store.insert_history(ctx.db, entry):
        if token:  # a mark this loser placed; the winner's stays until it announced
            store.mark_announced(ctx.db, app["_id"], entry["seq"], token)
        raise Conflict("Permohonan sudah ditindaklanjuti orang lain / Someone else acted on "
                       "this application first; reload",
                       {"application_id": app["_id"], "seq": entry["seq"]})
    new = applications.persist_step(ctx, app, applications.advanced(app, entry), entry)
    announce(ctx, app, new, entry)
    store.mark_announced(ctx.db, app["_id"], entry["seq"])
    return new


def _sla_outcome(ctx, app, entry):
    """Whether a decided application kept its SLA (no personal data: the feedback
    service's public statistics count these)."""
    at = entry["at"]
    if isinstance(at, str):
        at = clk.parse(at)
    try:
        status = sla_schedule.status(ctx, app, at)
    except ValueError:  # no history to measure: say nothing rather than guess
        return {}
    return {"sla_working_days": status.sla_working_days,
            "sla_working_days_used": round(status.working_days_used, 2),
            "within_sla": not status.breached}


def announce(ctx, old, new, entry):
    """The step's events. Their ids derive from the step, so announcing it again (the
    outbox sweep after a crash) is skipped by every ``once`` handler."""
    def emit(event_type, payload):
        ctx.emit(event_type, dict(payload, event_id="{}:{}:{}".format(
            new["_id"], entry["seq"], event_type)))

    base = {"application_id": new["_id"], "tracking_code": new["tracking_code"]}
    decided = _sla_outcome(ctx, new, entry) if new["state"] in SLA_DECIDED else {}
    emit(events.APPLICATION_STATUS_CHANGED, dict(
        base, agency=new["agency"], permit_type_id=new["permit_type_id"],
        language=new["applicant"].get("language", "id"), **{"from": old["state"]},
        to=new["state"], seq=entry["seq"], action=entry["action"], **decided))
    if entry["action"] in RETURN_ACTIONS:
        emit(events.APPLICATION_RETURNED, dict(
            base, seq=entry["seq"], reason=entry["note"],
            corrections=entry["details"].get("corrections", [])))
    if new["state"] == workflow.IN_PROCESS:
        connector = new["terms"]["connector"]
        forwarded, consumer, handler = subscription(connector)
        ctx.subscriber_queues.ensure(forwarded, consumer, handler)
        emit(forwarded, dict(
            base, agency=new["agency"], permit_type_id=new["permit_type_id"],
            permit_type_version=new["permit_type_version"], connector=connector,
            seq=entry["seq"]))
    if new["state"] == workflow.ISSUED:
        emit(events.PERMIT_ISSUED, dict(base, agency=new["agency"],
                                        permit_type_id=new["permit_type_id"],
                                        permit_type_name=(new.get("permit_type") or {}).get(
                                            "name"),
                                        permit_number=new["permit_number"],
                                        verify_url=issuing.verify_url(ctx,
                                                                      new["permit_number"]),
                                        language=new["applicant"].get("language", "id"),
                                        **decided))
    if new["state"] == workflow.REVOKED:
        emit(events.PERMIT_REVOKED, dict(base, permit_number=new.get("permit_number"),
                                         reason=entry["note"]))
