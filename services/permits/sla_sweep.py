"""The SLA sweep: reads the checks that fell due (``sla_schedule`` wrote them into hour
buckets), sends each warning once (a unique claim per application and threshold) and takes
deemed approval (``workflow.DEEMED_APPROVED_LEGAL_BASIS``) when the SLA is breached.

The sweep resumes from a cursor hour, so its cost is the number of things due, not the number
of applications on file.
"""
import logging
import time
from datetime import timedelta

from services.common import clock as clk
from services.common import settings
from services.common.errors import Conflict, DomainError
from services.common.metrics import gauges_text
from services.contracts import events
from services.permits import acting, applications, sla, sla_schedule, store, workflow

log = logging.getLogger(__name__)

DEFAULT_SWEEP_SECONDS = 60
SWEEP_LOOKBACK = timedelta(hours=48)  # where a first sweep (no cursor yet) starts

_last_sweep = {}  # database name -> monotonic time of its last sweep in this process


def tick(ctx):
    """The timer's tick: sweep when ``PERMITS_SLA_SWEEP_SECONDS`` passed since this process
    last swept this database (0 or less: never; tests sweep through ``sweep_at``)."""
    every = settings.get(ctx.config, "PERMITS_SLA_SWEEP_SECONDS")
    key = ctx.db.name
    if every <= 0 or time.monotonic() - _last_sweep.get(key, -1e9) < every:
        return
    _last_sweep[key] = time.monotonic()
    try:
        sweep(ctx, ctx.now())
    except Exception:  # noqa: BLE001 - the next tick tries again
        log.exception("SLA sweep failed")


def sweep_at(ctx, at=None):
    """Run the sweep now, or as of ``at`` (ISO-8601: tests and operators)."""
    now = ctx.now() if at is None else clk.to_utc(sla.instant(at))
    return sweep(ctx, now)


def sweep(ctx, now):
    cursor = store.get_setting(ctx.db, "sla_cursor")
    hour = store.hour_of(cursor["log"]) if cursor else \
        store.hour_of(store.schedule_log(min(now, ctx.now()) - SWEEP_LOOKBACK))
    warnings, deemed, checked = 0, 0, set()
    while hour <= now:
        log_name = store.schedule_log(hour)
        for n in range(1, store.log_head(ctx.db, log_name) + 1):
            slot = store.get_slot(ctx.db, log_name, n)
            if slot is None or slot["application_id"] in checked or \
                    clk.to_utc(sla.instant(slot["at"])) > now:
                continue
            checked.add(slot["application_id"])
            w, d = _check(ctx, slot["application_id"], now)
            warnings, deemed = warnings + w, deemed + d
        if hour + timedelta(hours=1) <= now:
            store.put_setting(ctx.db, "sla_cursor", {
                "log": store.schedule_log(hour + timedelta(hours=1))})
        hour += timedelta(hours=1)
    return {"checked": len(checked), "warnings": warnings, "deemed_approved": deemed}


def _check(ctx, application_id, now):
    """``(warnings sent, 1 if deemed approved else 0)`` for one application."""
    app = store.get_application_raw(ctx.db, application_id)
    if app is None:
        return 0, 0
    app = applications.synced(ctx, app)
    if workflow.clock_mode(app["state"]) == "stopped":
        return 0, 0
    status = sla_schedule.status(ctx, app, now)
    sent = 0
    for threshold in sla.new_warnings(status, store.warnings_sent(ctx.db, app["_id"])):
        if store.claim_warning(ctx.db, app["_id"], threshold, clk.iso(now)):
            sent += 1
            ctx.emit(events.APPLICATION_SLA_WARNING, {
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
    if status.breached and settings.get(ctx.config, "PERMITS_DEEMED_APPROVAL") and \
            "deem_approve" in workflow.available_actions(app["state"], "system"):
        try:
            acting.transition(ctx, app, "deem_approve", "system", "system:sla-timer",
                              sla_overdue=True)
            deemed = 1
        except (Conflict, DomainError) as exc:
            log.info("deemed approval not taken: %s", exc.__class__.__name__,
                     extra={"entity": app["_id"]})
    return sent, deemed


def metrics(ctx):
    """Exposition text of the SLA warnings sent, by threshold."""
    return gauges_text({("mpp_sla_warnings", "SLA warnings sent, by threshold "
                         "(100: the SLA was breached)", ("threshold",)):
                        {(t,): store.warnings_at(ctx.db, t) for t in sla.WARNING_THRESHOLDS}})
