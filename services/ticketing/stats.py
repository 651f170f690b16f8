"""Percentiles and the day's statistics per service and agency, from plain ticket dicts.

Percentiles use the *nearest-rank* method (the smallest value with at least p% of the values
at or below it: ``sorted(v)[ceil(p/100 * n) - 1]``), so a figure can be checked by hand and is
always an observed value.

Measures (minutes):
- wait: ``called_at - issued_at`` (first call; ``issued_at`` is when the ticket joined *this*
  service's queue, so a transferred citizen's wait is counted per service);
- service time: ``completed_at - started_at``.

Per local hour of day each event counts in the hour it happened: ``issued`` by ``issued_at``,
``called`` and its wait by ``called_at``, ``served`` and its service time by ``completed_at``.
``no_show``: tickets skipped and never served (still ``skipped``, or closed out after a skip);
``not_served``: closed out without a skip.
"""
import math
from collections import defaultdict

from services.common import clock as clk


def percentile(values, p):
    """Nearest-rank percentile of ``values`` (None when empty)."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def _minutes(later, earlier):
    if later is None or earlier is None:
        return None
    return (clk.to_utc(later) - clk.to_utc(earlier)).total_seconds() / 60


def _summary(values):
    if not values:
        return {"count": 0, "avg_minutes": None, "p90_minutes": None}
    return {"count": len(values), "avg_minutes": round(sum(values) / len(values), 2),
            "p90_minutes": round(percentile(values, 90), 2)}


class _Acc:
    def __init__(self):
        self.counts = defaultdict(int)
        self.waits, self.services = [], []

    def result(self):
        out = {key: self.counts[key] for key in
               ("issued", "called", "served", "no_show", "transferred", "cancelled",
                "not_served")}
        out["wait"] = _summary(self.waits)
        out["service_time"] = _summary(self.services)
        return out


def _is_no_show(ticket):
    return bool(ticket.get("skipped_at")) and ticket["status"] in ("skipped", "not_served")


def _hour(moment, tz_name):
    return "{:02d}".format(clk.to_utc(moment).astimezone(clk.zone(tz_name)).hour)


def day_statistics(tickets, tz_name=None):
    """``{"total": S, "services": {id: S}, "agencies": {code: S}}`` where S is
    ``{issued, called, served, no_show, transferred, cancelled, not_served,
    wait: {count, avg_minutes, p90_minutes}, service_time: {...},
    by_hour: {"07": S without by_hour, ...}}``."""
    buckets = defaultdict(_Acc)  # (scope, key, hour or None)

    def add(scopes, hour, metric, value=None):
        for scope in scopes:
            for h in (None, hour):
                acc = buckets[scope + (h,)]
                if value is None:
                    acc.counts[metric] += 1
                else:
                    getattr(acc, metric).append(value)

    for t in tickets:
        scopes = [("total", None), ("services", t["service_id"]),
                  ("agencies", t.get("agency"))]
        add(scopes, _hour(t["issued_at"], tz_name), "issued")
        if t.get("called_at"):
            hour = _hour(t["called_at"], tz_name)
            add(scopes, hour, "called")
            add(scopes, hour, "waits", _minutes(t["called_at"], t["issued_at"]))
        status = t["status"]
        if status == "completed":
            hour = _hour(t["completed_at"], tz_name)
            add(scopes, hour, "served")
            if t.get("started_at"):
                add(scopes, hour, "services", _minutes(t["completed_at"], t["started_at"]))
        elif _is_no_show(t):
            add(scopes, _hour(t.get("closed_out_at") or t["skipped_at"], tz_name), "no_show")
        elif status in ("transferred", "cancelled", "not_served"):
            at = t.get(status + "_at") or t.get("closed_out_at") or t["issued_at"]
            add(scopes, _hour(at, tz_name), status)

    def build(scope, key):
        out = buckets[(scope, key, None)].result()
        hours = sorted(h for (s, k, h) in buckets if s == scope and k == key and h is not None)
        out["by_hour"] = {h: buckets[(scope, key, h)].result() for h in hours}
        return out

    keys = defaultdict(set)
    for scope, key, _ in list(buckets):
        keys[scope].add(key)
    return {
        "total": build("total", None),
        "services": {k: build("services", k) for k in sorted(keys["services"], key=str)},
        "agencies": {k: build("agencies", k) for k in sorted(keys["agencies"], key=str)},
    }
