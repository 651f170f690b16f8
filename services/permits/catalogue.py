"""The catalogue: agencies, permit types with their effective-dated versions, and the MPP's
working-day calendar (days off by decree, extra working days, *cuti bersama*).

Permits owns the calendar: ``set_calendar`` stores it and announces it (``calendar_changed``,
the payload exactly what ``get_calendar`` returns), so other services keep their own copy
instead of asking on every request.
"""
from services.common import clock as clk
from services.common.errors import Conflict, NotFound, ValidationFailed
from services.contracts import events
from services.contracts.permits import CalendarSchema
from services.permits import permit_types, schemas, sla, store

CALENDAR = "calendar"  # the settings document holding it


# -- permit types ----------------------------------------------------------------------------

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
                                        "connector", "effective_from", "effective_to",
                                        "standard_id")}
    view["id"] = version["permit_type_id"]
    return view


def current_version(type_doc, now, tz):
    """The version in force, else the newest one (a type with only future versions still
    lists), else ``None``."""
    versions = type_doc.get("versions") or []
    try:
        return permit_types.version_in_force(versions, now, tz)
    except NotFound:
        return max(versions, key=lambda v: v["version"]) if versions else None


def load_catalogue(ctx, data):
    """Seed permit types (as version 1 unless the entry says otherwise) and agency names
    from catalogue data; reloading replaces the seeded versions."""
    count = 0
    for agency in (data or {}).get("agencies", []):
        store.upsert_agency(ctx.db, agency["code"], agency.get("name", agency["code"]),
                            agency.get("name_en") or agency.get("name", agency["code"]))
        for entry in agency.get("permit_types", []):
            version = catalogue_version(agency["code"], entry)
            store.replace_version(ctx.db, version)
            put_version(ctx, version, replace=True)
            count += 1
    return {"permit_types": count}


def put_version(ctx, version, replace=False):
    doc = store.get_permit_type(ctx.db, version["permit_type_id"])
    if doc and doc["agency"] != version["agency"]:
        raise Conflict("Jenis izin milik instansi lain / Permit type belongs to another "
                       "agency", {"permit_type_id": version["permit_type_id"]})
    versions = [v for v in (doc or {}).get("versions", [])
                if not (replace and v["version"] == version["version"])]
    versions.append(version)
    store.put_permit_type(ctx.db, version["permit_type_id"], version["agency"], versions)


def upsert_permit_type(ctx, data):
    """A new effective-dated version (versions are immutable: an existing number is 409).
    Applications keep the version in force when they were filed."""
    version = schemas.load(schemas.PermitTypeVersionSchema, data)
    if not store.claim_version(ctx.db, version):
        raise Conflict("Versi ini sudah ada; buat versi baru / This version exists; create "
                       "a new one", {"permit_type_id": version["permit_type_id"],
                                     "version": version["version"]})
    put_version(ctx, version)
    return public_permit_type(version)


def list_permit_types(ctx, agency=None):
    now = ctx.now()
    out = []
    for doc in store.list_permit_types(ctx.db, agency):
        version = current_version(doc, now, ctx.tz)
        if version:
            out.append(public_permit_type(version))
    return out


# -- the calendar ----------------------------------------------------------------------------

def working_calendar(ctx):
    """The stored calendar as ``sla.WorkingCalendar`` (national holidays only when unset)."""
    doc = store.get_setting(ctx.db, CALENDAR) or {}
    return sla.WorkingCalendar.from_dict(dict(doc, timezone=ctx.tz))


def _view(ctx, calendar):
    """The calendar as ``get_calendar`` shows it, with this year's suggested days off."""
    year = clk.local_day(ctx.now(), ctx.tz).year
    view = calendar.to_dict()
    view["suggested_days_off"] = {d.isoformat(): name for d, name in
                                  sorted(sla.suggested_days_off(year).items())}
    return view


def get_calendar(ctx):
    return _view(ctx, working_calendar(ctx))


def set_calendar(ctx, data):
    """Store the admin's calendar and announce it (``calendar_changed``)."""
    loaded = schemas.load(CalendarSchema, data)
    try:
        calendar = sla.WorkingCalendar(days_off=frozenset(loaded["days_off"]),
                                       working_days=frozenset(loaded["working_days"]),
                                       tz=ctx.tz, joint_holidays=loaded["joint_holidays"])
    except ValueError as exc:
        raise ValidationFailed("Kalender tidak valid / Invalid calendar",
                               {"fields": {"working_days": [str(exc)]}})
    stored = calendar.to_dict()
    stored.pop("timezone")
    store.put_setting(ctx.db, CALENDAR, stored)
    ctx.emit(events.CALENDAR_CHANGED, _view(ctx, calendar))
    return calendar.to_dict()
