"""What the hall and the operators see of the queue: display boards, a service's queue
status and the metrics gauges. Read-only.

A board snapshot reads each kind of thing once for all its audiences: the counters' live
states in one read, who they serve in one read, the recent calls once, and each service's
waiting count from its lanes (a few reads per service; ``store.Lane``).

Every function takes ``ctx``: the service worker (``db``, ``clock``, ``config``, ``cache``).
"""
from services.common.errors import ValidationFailed
from services.common.metrics import gauges_text
from services.contracts.messages import INVALID_DATA
from services.ticketing import catalogue_reads, issuing, numbering, store, views
from services.ticketing import schemas as sc


def _today(ctx):
    return numbering.service_day(ctx.clock.now(), catalogue_reads.tz(ctx))


def _waiting(ctx, service_id, day):
    """How many wait for ``service_id`` on ``day``: the live entries of its lanes (from
    their heads, tails and departures; ``store.Lane``)."""
    lanes, _ = store.queue_now(ctx.db, service_id, day)
    return sum(lane.live for lane in lanes.values())


def queue_status(ctx, service_id):
    data = sc.load(sc.AvailabilityQuerySchema(only=("service_id",)), {"service_id": service_id})
    service = catalogue_reads.service(ctx, data["service_id"])
    day = _today(ctx)
    waiting = _waiting(ctx, service["_id"], day)
    est = issuing.estimate(ctx, service, waiting)
    serving = []
    now_serving = store.serving_all(ctx.db)
    for counter in catalogue_reads.counters(ctx):
        if service["_id"] in counter["services"]:
            current = now_serving.get(counter["_id"])
            if current and current.get("service_id") == service["_id"]:
                serving.append({"number": current["number"], "counter_id": counter["_id"],
                                "counter_name": counter["name"]})
    last = [views.last_called(c) for c in store.recent_calls(ctx.db, day, 30)
            if c["service_id"] == service["_id"]][:5]
    return {"service_id": service["_id"], "waiting": waiting, "serving": serving,
            "last_called": last, "eta_min_minutes": est["eta_min_minutes"],
            "eta_max_minutes": est["eta_max_minutes"],
            "counters_open": catalogue_reads.counters_open(ctx, service["_id"], fresh=True)}


def domain_metrics(ctx):
    day = _today(ctx)
    waiting = {(svc["_id"], svc["agency"]): _waiting(ctx, svc["_id"], day)
               for svc in store.list_services(ctx.db)}
    counters = {}
    all_counters = catalogue_reads.counters(ctx)
    live = store.counter_states(ctx.db, [c["_id"] for c in all_counters])
    for counter in all_counters:
        status = live[counter["_id"]].get("status") or "closed"
        key = (counter["agency"], status)
        counters[key] = counters.get(key, 0) + 1
    return gauges_text({
        ("mpp_queue_waiting", "Tickets waiting today, per service", ("service", "agency")):
            waiting,
        ("mpp_counters", "Counters by status, per agency", ("agency", "status")): counters})


def audience(agency):
    if agency is None:
        return None
    return sc.load(sc.DayQuerySchema(only=("agency",)), {"agency": agency})["agency"]


def board(ctx, agency=None):
    return snapshots(ctx, [audience(agency)])[0][1]


def boards(ctx, agencies):
    """``[[agency, snapshot], ...]`` for several audiences at once (``None``: the whole
    MPP), as the gateway's live boards want them: each counter, queue and the recent calls
    are read once for all of them."""
    if not isinstance(agencies, list) or len(agencies) > 500:
        raise ValidationFailed(INVALID_DATA,
                               {"fields": {"agencies": ["A list of agency codes."]}})
    return snapshots(ctx, [audience(a) for a in agencies])


def snapshots(ctx, audiences):
    day = _today(ctx)
    everyone = None in audiences
    counters = [c for c in catalogue_reads.counters(ctx) if everyone or c["agency"] in audiences]
    rows = {}
    live = store.counter_states(ctx.db, [c["_id"] for c in counters])
    now_serving = store.serving_all(ctx.db)
    for counter in counters:
        state = live[counter["_id"]]
        current = now_serving.get(counter["_id"])
        rows[counter["_id"]] = {"id": counter["_id"], "name": counter["name"],
                                "agency": counter["agency"], "status": state.get("status"),
                                "now_serving": current["number"] if current else None}
    recent = store.recent_calls(ctx.db, day, 30)
    waiting = {}

    def waiting_of(service_id):
        if service_id not in waiting:
            waiting[service_id] = _waiting(ctx, service_id, day)
        return waiting[service_id]

    out = []
    for agency in audiences:
        mine = [c for c in counters if agency in (None, c["agency"])]
        service_ids = sorted({sid for c in mine for sid in c["services"]})
        last = [views.last_called(c) for c in recent if agency in (None, c.get("agency"))][:10]
        out.append([agency, {"counters": [rows[c["_id"]] for c in mine],
                             "last_called": last,
                             "waiting": {sid: waiting_of(sid) for sid in service_ids}}])
    return out
