"""An adopted service standard becomes the permit type's running terms: the event
``standard_adopted`` (from the standards service) about a permit type makes a new version of
that type with the standard's requirements, SLA (working days) and fee, in force from the
standard's ``effective_from``; the form, connector, approval levels and names are kept from
the version it starts from.

Exactly one version per standard, however many permits instances handle the event and however
often it is delivered: the version number is fixed by the unique insert of
``standard_versions`` (``_id`` = the standard id), and the version itself is claimed by its
number (``store.claim_version``); a number an admin took in between is given up for the next.
"""
import logging

from services.common.errors import NotFound
from services.permits import catalogue, schemas, store

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 50
_VERSION_FIELDS = tuple(schemas.PermitTypeVersionSchema().fields)


def adopt(ctx, event):
    """Apply ``standard_adopted`` (other subjects are ticketing's)."""
    subject = event.get("subject") or {}
    if subject.get("kind") != "permit_type":
        return None
    type_doc = store.get_permit_type(ctx.db, subject.get("id"))
    if type_doc is None or type_doc["agency"] != event.get("agency"):
        log.warning("adopted standard names no permit type of its agency",
                    extra={"entity": event.get("standard_id")})
        return None
    standard_id = event["standard_id"]
    for _ in range(MAX_ATTEMPTS):
        number = store.standard_version_number(
            ctx.db, standard_id, 1 + max(v["version"] for v in type_doc["versions"]))
        version = _version(ctx, type_doc, event, number)
        if store.claim_version(ctx.db, version):
            catalogue.put_version(ctx, version)
            return version
        taken = store.get_version(ctx.db, subject["id"], number)
        if taken is not None and taken.get("standard_id") == standard_id:
            catalogue.put_version(ctx, version, replace=True)  # a redelivery finishes the work
            return version
        store.give_up_version_number(ctx.db, standard_id, number)
        type_doc = store.get_permit_type(ctx.db, subject["id"])
    raise RuntimeError("no free version number for {}".format(subject["id"]))


def _version(ctx, type_doc, event, number):
    try:
        base = catalogue.current_version(type_doc, ctx.now(), ctx.tz)
    except NotFound:
        base = None
    base = base or max(type_doc["versions"], key=lambda v: v["version"])
    operative = event["operative"]
    data = {k: base[k] for k in _VERSION_FIELDS if k in base and base[k] is not None}
    data.update(version=number, effective_from=event["effective_from"], effective_to=None,
                requirements=[{k: r.get(k) for k in ("kind", "name", "name_en", "required")}
                              for r in operative["requirements"]],
                sla_working_days=operative["sla_working_days"], fee=operative["fee"])
    version = schemas.load(schemas.PermitTypeVersionSchema, data)
    version.update(standard_id=event["standard_id"], standard_version=event["version"])
    return version
