"""The catalogue as every feature reads it: services, counters, rules and the MPP's zone,
through a few seconds of per-process memory.

Catalogue data changes a few times a year, so the hot paths (issuing, calling) stop paying a
round trip for it: ``Cache`` keeps each read ``CACHE_SECONDS``; admin writes clear it in this
process, other instances see a change within ``CACHE_SECONDS``. A counter's *live* state
(open/closed, officer) is read fresh, except the count of open counters an ETA uses.

Every function takes ``ctx``: the service worker (``db``, ``config``, ``cache``; ``permits``
for the calendar).
"""
import time

from services.common import calendar as common_calendar
from services.common.config import timezone_name
from services.common.errors import Conflict, NotFound
from services.contracts import practice as pr
from services.ticketing import calling, catalogue, states, store, views

CACHE_SECONDS = 2.0


class Cache:
    """A few seconds of per-process memory for catalogue reads (services, counters, rules)."""

    def __init__(self):
        self._data = {}

    def get(self, key, load):
        hit = self._data.get(key)
        now = time.monotonic()
        if hit is not None and hit[0] > now:
            return hit[1]
        value = load()
        if value is not None:
            self._data[key] = (now + CACHE_SECONDS, value)
        return value

    def clear(self):
        self._data.clear()


def rules(ctx):
    loaded = dict(ctx.cache.get((ctx.db.name, "rules"), lambda: store.get_rules(ctx.db)))
    loaded.setdefault("calling_rule", dict(calling.DEFAULT_RULE))
    loaded.setdefault("near_front_position", catalogue.DEFAULT_NEAR_FRONT)
    return loaded


def tz(ctx, current_rules=None):
    current_rules = current_rules if current_rules is not None else rules(ctx)
    return current_rules.get("timezone") or timezone_name(ctx.config)


def calendar(ctx, tz_name=None):
    """The MPP calendar (``WorkingCalendar``; ``date in calendar``: closed that day): the
    local copy kept from permits' ``calendar_changed``, permits asked once while none is kept
    (``services.common.calendar``), through the cache."""
    zone = tz_name or tz(ctx)
    return ctx.cache.get((ctx.db.name, "calendar", zone), lambda: common_calendar.current(
        store.calendar_copies(ctx.db), ctx.permits, zone))


def service(ctx, service_id, field="service_id"):
    found = ctx.cache.get((ctx.db.name, "service", service_id),
                          lambda: store.get_service(ctx.db, service_id))
    if found is None:
        raise NotFound("Layanan tidak ditemukan / Service not found", {field: service_id})
    return found


def offered_service(ctx, service_id, field="service_id"):
    """``service`` of an agency that is live: an agency being onboarded (``pr.ONBOARDING``)
    takes no ticket and no booking yet (409, nothing made)."""
    found = service(ctx, service_id, field)
    agency = ctx.cache.get((ctx.db.name, "agency", found["agency"]),
                           lambda: store.get_agency(ctx.db, found["agency"]))
    if (agency or {}).get("state", pr.LIVE) != pr.LIVE:
        raise Conflict(pr.NOT_LIVE, {"agency": found["agency"], field: service_id})
    return found


def counters(ctx):
    return ctx.cache.get((ctx.db.name, "counters"), lambda: store.list_counters(ctx.db))


def counter(ctx, counter_id):
    for known in counters(ctx):
        if known["_id"] == counter_id:
            return known
    found = store.get_counter(ctx.db, counter_id)  # added by another instance just now
    if found is None:
        raise NotFound("Loket tidak ditemukan / Counter not found", {"counter_id": counter_id})
    return found


def live_counter(ctx, counter_id):
    """The counter with its live ``status`` and ``officer``."""
    known = counter(ctx, counter_id)
    state = store.counter_state(ctx.db, counter_id)
    return dict(known, status=state.get("status", "closed"), officer=state.get("officer"),
                version=state.get("version", 0))


def public_counter(ctx, known):
    """What anyone may see of a counter, with its live status (read now)."""
    return views.public_counter(known, store.counter_state(ctx.db, known["_id"]))


def counters_open(ctx, service_id, fresh=False):
    def count():
        ids = [c["_id"] for c in counters(ctx) if service_id in c["services"]]
        return [sum(1 for state in store.counter_states(ctx.db, ids).values()
                    if state.get("status") == states.COUNTER_OPEN)]
    if fresh:
        return count()[0]
    # an ETA input: a couple of seconds old is fine (this process's opens/closes clear it)
    return ctx.cache.get((ctx.db.name, "open", service_id), count)[0]


def durations(ctx, service_id):
    """The service's recent durations (the ETA's samples), a couple of seconds old at most."""
    return ctx.cache.get((ctx.db.name, "durations", service_id),
                         lambda: store.durations(ctx.db, service_id))
