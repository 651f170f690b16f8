"""Which connectors run, as they report themselves (``connector_report``, sent by every
connector service of the kit on a timer and at once when it suspends or resumes), joined with
the connectors the catalogue names: a connector a permit type names that never reported (or
stopped reporting) is ``unknown``, so a misspelt or undeployed connector shows before an
application waits on it. Read by the admin API, ``/readyz`` and ``/metrics``."""
from datetime import timedelta

from services.common import clock as clk
from services.common.errors import NotFound, ValidationFailed
from services.common.metrics import gauges_text
from services.contracts import events as ev
from services.contracts.messages import INVALID_DATA
from services.permits import catalogue, store

#: a connector that has not reported for this long is ``unknown`` (it reports every 15 s)
STALE_SECONDS = 60
STATES = ("running", "suspended", "unknown")
BUILT_IN = ("simulated", "manual", "webhook")
_REPORTED = ("state", "suspended_at", "reason", "waiting", "parked", "instance", "agencies")


def report(ctx, data):
    """A connector service's report of its own state."""
    name = data.get("connector") if isinstance(data, dict) else None
    if not isinstance(name, str) or not name or len(name) > 60 \
            or data.get("state") not in ("running", "suspended"):
        raise ValidationFailed(INVALID_DATA, {"fields": {"connector": ["Laporan tidak sah / "
                                                                       "Invalid report."]}})
    doc = {k: data.get(k) for k in _REPORTED}
    doc["reason"] = (doc["reason"] or None) and str(doc["reason"])[:500]
    store.put_connector_report(ctx.db, name, dict(doc, last_seen_at=clk.iso(ctx.now())))
    _tell_of_suspensions(ctx, name, doc)
    return {"connector": name, "recorded": True}


def _suspensions(name, doc, named):
    """``(connector, agencies, suspended_at, reason)`` of each suspension a report states: the
    connector's own (its catalogue agencies wait) and each agency's of a connector that
    suspends per agency (``webhook@dpmptsp``)."""
    out = []
    if doc.get("state") == "suspended":
        out.append((name, sorted(named.get(name, ())), doc.get("suspended_at"), doc["reason"]))
    for agency, unit in sorted((doc.get("agencies") or {}).items()):
        if isinstance(unit, dict) and unit.get("state") == "suspended":
            out.append(("{}@{}".format(name, agency), [agency], unit.get("suspended_at"),
                        (unit.get("reason") or None) and str(unit["reason"])[:500]))
    return out


def _tell_of_suspensions(ctx, name, doc):
    """``connector_suspension_reported`` for each suspension not announced yet. A connector
    reports every 15 s while suspended, so an event lost with a dying process goes out with
    the next report; two permits instances may both announce one, and notifications tells
    each supervisor once (its dedup key is the connector and the suspension's time)."""
    suspended = _suspensions(name, doc, _agencies(ctx) if doc.get("state") == "suspended"
                             else {})
    for connector, agencies, suspended_at, reason in suspended:
        if not agencies or not suspended_at:
            continue
        since = str(suspended_at)
        if store.suspension_notice_owed(ctx.db, connector, since, clk.iso(ctx.now())):
            ctx.emit(ev.CONNECTOR_SUSPENSION_REPORTED, {
                "connector": connector, "agencies": agencies, "suspended_at": since,
                "reason": reason})
            store.suspension_announced(ctx.db, connector, since)


def _agencies(ctx):
    """connector name -> the agencies whose permit types in force name it."""
    named = {}
    for permit_type in catalogue.list_permit_types(ctx):
        named.setdefault(permit_type["connector"], set()).add(permit_type["agency"])
    return named


def _entry(ctx, name, agencies, reported):
    stale_before = clk.iso(ctx.now() - timedelta(seconds=STALE_SECONDS))
    state = "unknown"
    if reported and reported.get("last_seen_at", "") >= stale_before:
        state = reported.get("state") or "unknown"
    agencies = sorted(agencies)
    return {"name": name, "agency": agencies[0] if len(agencies) == 1 else None,
            "agencies": agencies,
            "kind": name.split("@")[0] if name.split("@")[0] in BUILT_IN else "custom",
            "state": state,
            "suspended_at": (reported or {}).get("suspended_at") if state == "suspended" else None,
            "reason": (reported or {}).get("reason") if state == "suspended" else None,
            "last_seen_at": (reported or {}).get("last_seen_at"),
            "waiting": (reported or {}).get("waiting") or 0,
            "parked": (reported or {}).get("parked") or 0,
            "named_by_catalogue": bool(agencies)}


def _units(ctx, name, reported, configured):
    """``<connector>@<agency>`` entries of a connector that suspends per agency (the webhook
    connector): each agency it reported on or that is configured for it at runtime."""
    units = dict((reported or {}).get("agencies") or {})
    seen = reported and reported.get("last_seen_at")
    for agency in configured:
        units.setdefault(agency, {"state": "running"})
    return [_entry(ctx, "{}@{}".format(name, agency), (agency,),
                   dict(unit, last_seen_at=seen) if seen else None)
            for agency, unit in sorted(units.items())]


def list_connectors(ctx, agency=None):
    """Every connector the catalogue names or that reported, with its state; ``agency``:
    only those serving that agency. A connector that suspends per agency is followed by one
    entry per agency (``webhook@dpmptsp``), with that agency's own state."""
    named = _agencies(ctx)
    reports = store.connector_reports(ctx.db)
    webhook_agencies = [doc["_id"] for doc in store.webhook_agencies(ctx.db)]
    out = []
    for name in sorted(set(named) | set(reports)):
        out.append(_entry(ctx, name, named.get(name, ()), reports.get(name)))
        if name == "webhook" or (reports.get(name) or {}).get("agencies"):
            out.extend(_units(ctx, name, reports.get(name),
                              webhook_agencies if name == "webhook" else ()))
    return [c for c in out if agency is None or agency in c["agencies"]]


def get_connector(ctx, name):
    for entry in list_connectors(ctx):
        if entry["name"] == name:
            return entry
    raise NotFound("Konektor tidak dikenal / Unknown connector", {"connector": name})


def metrics(ctx):
    """Exposition text: each connector's state (1 for its current one) and its work on file."""
    connectors = list_connectors(ctx)
    return gauges_text({
        ("mpp_connector_state", "1 for the connector's current state (running, suspended, "
                                "unknown: never or no longer reporting)", ("connector", "state")):
            {(c["name"], s): int(c["state"] == s) for c in connectors for s in STATES},
        ("mpp_connector_jobs", "Work a connector has on file, by status", ("connector", "status")):
            {(c["name"], s): c[s] for c in connectors for s in ("waiting", "parked")},
    })
