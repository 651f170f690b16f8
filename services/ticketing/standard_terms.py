"""An adopted service standard becomes a queue service's running terms: the event
``standard_adopted`` (from the standards service) about a queue service sets that service's
``opening_hours`` and ``default_service_minutes`` (the promised service time) from the
standard's operative part, from its ``effective_from`` (a local date) on.

The event is recorded by a unique insert (``standards_applied``, one per service and standard
version, with the terms); what a service runs is then decided from those records alone: the
newest version already in force. So a redelivery, a second ticketing instance or an older
version arriving late changes nothing, and a standard adopted for a later day is applied by
the timer (``apply_due``) once that day comes.
"""
import logging

from services.common import clock as clk
from services.ticketing import catalogue_reads, store

log = logging.getLogger(__name__)


def adopt(ctx, event):
    """Record ``standard_adopted`` (other subjects are permits') and apply what is due."""
    subject = event.get("subject") or {}
    if subject.get("kind") != "queue_service":
        return None
    service = store.get_service(ctx.db, subject.get("id"))
    if service is None or service["agency"] != event.get("agency"):
        log.warning("adopted standard names no queue service of its agency",
                    extra={"entity": event.get("standard_id")})
        return None
    operative = event["operative"]
    store.record_standard_applied(ctx.db, service["_id"], event["version"], {
        "standard_id": event["standard_id"], "effective_from": event["effective_from"],
        "opening_hours": operative["opening_hours"],
        "default_service_minutes": operative["default_service_minutes"]})
    return apply_due(ctx, service["_id"])


def in_force(records, today):
    """The record of the newest standard version in force on ``today`` (ISO date), or None."""
    due = [r for r in records if r["effective_from"] <= today]
    return max(due, key=lambda r: r["version"]) if due else None


def apply_due(ctx, service_id=None):
    """Set each service's terms from its standard in force (all services: the timer)."""
    today = clk.local_day(ctx.clock.now(), catalogue_reads.tz(ctx)).isoformat()
    applied = None
    for sid, records in store.standards_applied(ctx.db, service_id).items():
        record = in_force(records, today)
        service = store.get_service(ctx.db, sid)
        if record is None or service is None or service.get("standard_id") == \
                record["standard_id"]:
            continue
        applied = {"opening_hours": record["opening_hours"],
                   "default_service_minutes": record["default_service_minutes"],
                   "standard_id": record["standard_id"]}
        store.set_service_terms(ctx.db, sid, applied)
        ctx.cache.clear()
    return applied


def tick(ctx):
    try:
        apply_due(ctx)
    except Exception:  # noqa: BLE001 - the next tick tries again
        log.exception("applying due service standards failed")
