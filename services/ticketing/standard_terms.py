"""An adopted service standard becomes a queue service's running terms: the event
``standard_adopted`` (from the standards service) about a queue service sets that service's
``opening_hours`` and ``default_service_minutes`` (the promised service time) from the
standard's operative part.

Idempotent and safe with several ticketing instances: the standard is recorded by a unique
insert (``standards_applied``, one per service and standard version) and the fields it sets
are the same whoever sets them and however often; a late delivery of an older standard
version than one already applied changes nothing.
"""
import logging

from services.ticketing import store

log = logging.getLogger(__name__)


def adopt(ctx, event):
    """Apply ``standard_adopted`` (other subjects are permits')."""
    subject = event.get("subject") or {}
    if subject.get("kind") != "queue_service":
        return None
    service = store.get_service(ctx.db, subject.get("id"))
    if service is None or service["agency"] != event.get("agency"):
        log.warning("adopted standard names no queue service of its agency",
                    extra={"entity": event.get("standard_id")})
        return None
    store.record_standard_applied(ctx.db, service["_id"], event["version"],
                                  event["standard_id"], event["effective_from"])
    if store.newest_standard_version(ctx.db, service["_id"]) > event["version"]:
        return None  # a newer standard of this service was applied already
    operative = event["operative"]
    fields = {"opening_hours": operative["opening_hours"],
              "default_service_minutes": operative["default_service_minutes"],
              "standard_id": event["standard_id"]}
    store.set_service_terms(ctx.db, service["_id"], fields)
    ctx.cache.clear()
    return fields
