"""The MPP working-day calendar (national holidays, *cuti bersama*, make-up working days) as
every service reads it: from a local copy in the reading service's own database.

Permits owns the calendar (``set_calendar`` / ``get_calendar``) and announces each change
with the event ``calendar_changed`` (``contracts.events.CALENDAR_CHANGED``; the payload is
the dict ``get_calendar`` returns, in the usual envelope). A reader:

- handles that event with ``keep_event`` (its own durable ``handles`` handler), which keeps
  the calendar in a collection its store names (a settings collection);
- reads with ``current``: the kept copy, so a request never waits for another service;
  only while no copy exists yet (the reader never heard an event) it asks permits once
  (``ask``, bounded by ``ASK_SECONDS``) and keeps the answer; when permits does not answer
  either, the national calendar (weekends and ``holidays.Indonesia``) is used and permits
  is asked again at most every ``RETRY_SECONDS``.

Each copy is its own document, inserted once and never updated. Its ``_id`` is ``KEY``, the
instant it describes (the event's ``occurred_at``, fixed width, so ``_id`` order is time
order) and the event's id; the copy with the greatest ``_id`` is the calendar. So a late,
redelivered older event never replaces a newer one, and two changes handled at once cannot
overwrite each other: an insert against the unique ``_id`` is the only atomic write on
FerretDB. A copy fetched by RPC sorts before every event's (``FETCHED``), so the first event
replaces it. Copies older than the newest are removed once a newer one is kept.

``copy_of`` and ``working_calendar`` are pure; ``read``/``keep``/``keep_event`` take the
collection, as ``services.common.mongo``'s helpers do.
"""
import logging
import time
from datetime import datetime

import eventlet

from services.common import clock as clk
from services.common.mongo import insert_unique
from services.common.workdays import WorkingCalendar

log = logging.getLogger(__name__)

KEY = "mpp_calendar"
#: what a copy keeps of the calendar permits sends (its zone is the reader's own config)
FIELDS = ("days_off", "working_days", "joint_holidays")
#: the instant of a copy fetched by RPC: before any event's
FETCHED = datetime(1970, 1, 1, tzinfo=clk.UTC)
ASK_SECONDS = 3
RETRY_SECONDS = 60

_FIRST, _LAST = KEY + ":", KEY + ";"  # every copy's _id sorts between them
_unanswered = {}  # (database, collection) -> monotonic time permits last failed to answer


# -- pure ---------------------------------------------------------------------------------

def copy_of(calendar, occurred_at=FETCHED, event_id="fetched"):
    """The document kept for ``calendar`` (a ``get_calendar`` dict or a ``calendar_changed``
    event), under an ``_id`` that sorts by the instant it describes."""
    calendar = calendar or {}
    at = clk.to_utc(occurred_at)
    return {"_id": "{}{}:{}".format(_FIRST, at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), event_id),
            "days_off": sorted(calendar.get("days_off") or ()),
            "working_days": sorted(calendar.get("working_days") or ()),
            "joint_holidays": bool(calendar.get("joint_holidays", False)),
            "occurred_at": at}


def working_calendar(copy, tz):
    """The ``WorkingCalendar`` of a kept copy in zone ``tz``; national holidays only for None."""
    if copy is None:
        return WorkingCalendar(tz=tz)
    return WorkingCalendar.from_dict(dict({k: copy.get(k) for k in FIELDS}, timezone=tz))


# -- the copy -----------------------------------------------------------------------------

def read(collection):
    """The newest copy, or None."""
    for doc in collection.find({"_id": {"$gt": _FIRST, "$lt": _LAST}}).sort(
            "_id", -1).limit(1):
        return doc
    return None


def keep(collection, copy):
    """Insert ``copy`` (once: a redelivery finds its ``_id`` taken) and remove the copies
    older than the newest; True when ``copy`` is the newest now."""
    inserted = insert_unique(collection, copy)
    newest = read(collection)
    collection.delete_many({"_id": {"$gt": _FIRST, "$lt": newest["_id"]}})
    return inserted and newest["_id"] == copy["_id"]


def keep_event(collection, event):
    """A ``calendar_changed`` event: its calendar is kept; the newest copy is the calendar."""
    kept = keep(collection, copy_of(event, clk.parse(event["occurred_at"]),
                                    event.get("event_id") or "event"))
    log.info("calendar %s", "updated" if kept else "unchanged (a newer copy is kept)")
    return kept


def ask(permits, timeout=ASK_SECONDS):
    """``permits.get_calendar()`` within ``timeout`` seconds, or None when it does not answer."""
    try:
        with eventlet.Timeout(timeout):
            return permits.get_calendar()
    except (Exception, eventlet.Timeout):  # noqa: BLE001 - a deadline must still be computed
        return None


def current(collection, permits, tz, timeout=ASK_SECONDS):
    """The MPP calendar in zone ``tz``: the kept copy; else permits' answer (kept); else the
    national calendar."""
    copy = read(collection)
    if copy is None:
        copy = _fetch(collection, permits, timeout)
    return working_calendar(copy, tz)


def _fetch(collection, permits, timeout):
    where = (collection.database.name, collection.name)
    failed_at = _unanswered.get(where)
    if failed_at is not None and time.monotonic() - failed_at < RETRY_SECONDS:
        return None
    answer = ask(permits, timeout)
    if answer is None:
        _unanswered[where] = time.monotonic()
        log.warning("permits calendar unavailable; national holidays only")
        return None
    _unanswered.pop(where, None)
    copy = copy_of(answer)
    keep(collection, copy)
    return copy
