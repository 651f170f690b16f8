"""The MPP working-day calendar (national holidays, *cuti bersama*, make-up working days) as
every service reads it: from a local copy in the reading service's own database.

Permits owns the calendar (``set_calendar`` / ``get_calendar``) and announces each change
with the event ``calendar_changed`` (``contracts.events.CALENDAR_CHANGED``; the payload is
the dict ``get_calendar`` returns, in the usual envelope). A reader:

- handles that event with ``keep_event`` (its own durable ``handles`` handler), which stores
  the calendar as one document, ``_id`` = ``KEY``, in a collection its store names;
- reads with ``current``: the stored copy, so a request never waits for another service;
  only while no copy exists yet (the reader never heard an event) it asks permits once
  (``ask``, bounded by ``ASK_SECONDS``) and keeps the answer; when permits does not answer
  either, the national calendar (weekends and ``holidays.Indonesia``) is used and permits
  is asked again at most every ``RETRY_SECONDS``.

Copies are ordered by the event's ``occurred_at``: a late, redelivered older event never
replaces a newer copy. A copy fetched by RPC is stored as older than any event (``FETCHED``),
so the next event always replaces it. Writes are an insert against the unique ``_id`` (the
only atomic write on FerretDB) and, for an existing copy, a replace whose filter accepts only
an older copy.

``copy_of``, ``working_calendar`` and ``newer`` are pure; ``read``/``keep``/``keep_event``
take the collection, as ``services.common.mongo``'s helpers do.
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
#: the ``occurred_at`` of a copy fetched by RPC: older than any event
FETCHED = datetime(1970, 1, 1, tzinfo=clk.UTC)
ASK_SECONDS = 3
RETRY_SECONDS = 60

_unanswered = {}  # (database, collection) -> monotonic time permits last failed to answer


# -- pure ---------------------------------------------------------------------------------

def copy_of(calendar, occurred_at=FETCHED):
    """The document kept for ``calendar`` (a ``get_calendar`` dict or a ``calendar_changed``
    event), stamped with the instant it describes."""
    calendar = calendar or {}
    return {"_id": KEY, "days_off": sorted(calendar.get("days_off") or ()),
            "working_days": sorted(calendar.get("working_days") or ()),
            "joint_holidays": bool(calendar.get("joint_holidays", False)),
            "occurred_at": clk.to_utc(occurred_at)}


def working_calendar(copy, tz):
    """The ``WorkingCalendar`` of a kept copy in zone ``tz``; national holidays only for None."""
    if copy is None:
        return WorkingCalendar(tz=tz)
    return WorkingCalendar.from_dict(dict({k: copy.get(k) for k in FIELDS}, timezone=tz))


def newer(stored, incoming):
    """Does copy ``incoming`` replace ``stored``? (equal instants: yes, the same fact again)"""
    return stored is None or clk.to_utc(incoming["occurred_at"]) >= clk.to_utc(
        stored["occurred_at"])


# -- the copy -----------------------------------------------------------------------------

def read(collection):
    return collection.find_one({"_id": KEY})


def keep(collection, copy):
    """Store ``copy`` unless the stored one is newer; True when ``copy`` is now the copy."""
    if insert_unique(collection, copy):
        return True
    if copy["occurred_at"] <= FETCHED:  # a fetched copy never replaces anything
        return False
    done = collection.replace_one({"_id": KEY, "occurred_at": {"$lte": copy["occurred_at"]}},
                                  copy)
    return done.matched_count == 1


def keep_event(collection, event):
    """A ``calendar_changed`` event: keep its calendar unless a newer one is kept already."""
    kept = keep(collection, copy_of(event, clk.parse(event["occurred_at"])))
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
