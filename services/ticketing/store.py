"""Ticketing persistence (MongoDB / FerretDB). Only this module talks to the collections.

Two facts shape every query here:

1. FerretDB v1's updates are not atomic; an insert against a unique index is. So every race
   is decided by an insert (services.common.mongo).
2. FerretDB v1 (SQLite backend) pushes down to SQL only a filter that is exactly
   ``{"_id": value}``; any other filter, sort or count scans the whole collection in Go. So
   the hot paths (issuing, calling) touch documents by ``_id`` alone and never scan.
   (MongoDB would use the secondary indexes; we keep them for it and for the unique checks.)
3. Measured (``explain`` says ``SCAN``): in FerretDB v1.24.2 even that pushed-down
   ``_id`` filter does not use the ``_id`` index: the index is built on
   ``_ferretdb_sjson->"_id"`` while queries say ``_ferretdb_sjson->'$._id'``, so SQLite
   scans. A hit costs in proportion to the row's position in the table (stops at the match),
   a miss and every update/replace/delete by ``_id`` scan the whole table (100k rows:
   ~0.5-1.2 s). Making the two expressions equal (one line in
   ``internal/backends/sqlite/metadata/metadata.go``: ``IDColumn``) turns all of them into
   index searches (~1 ms). Until the database build carries that patch, the code keeps the
   growing collections insert-only (see ``queue``); on MongoDB none of this matters.

Tickets
-------
A ticket's ``_id`` is its number's claim: ``<service_id>:<day>:<seq:06d>``. Issuing tries
``seq = highest known + 1``; a ``DuplicateKeyError`` on ``_id`` means another kiosk (or
another ticketing instance) took that number, so it tries the next one. Each number is tried
only after the previous one is known taken, so numbers are unique *and* gapless. The highest
known number comes from a hint document (``sequences``, by ``_id``) that may lag behind but
never runs ahead; probing by ``_id`` corrects it.

Every ticket also has a unique ``idem`` field: the hash of the client's idempotency key (or a
random value when there is none). A retried request finds its ticket through the
``idempotency`` document (by ``_id``); if it crashed before writing that document, the unique
``idem`` index still refuses a second ticket for the same key.
"""
import hashlib
import uuid
from collections import defaultdict

from eventlet.semaphore import Semaphore

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from services.common.mongo import duplicate_keys_as_such
from services.ticketing.queue import raise_hint

MAX_NUMBER_ATTEMPTS = 500


def upsert(collection, _id, update):
    """``update_one(..., upsert=True)`` by ``_id`` that survives a racing first write.

    FerretDB (and MongoDB, for an upsert) may let two writers both find no document and both
    insert: the loser gets ``DuplicateKeyError`` although the document now exists, so it
    applies its update to that document. When there is still no such document, another
    unique index refused the write (a service's ticket prefix): that error is the caller's.
    """
    with duplicate_keys_as_such():
        try:
            collection.update_one({"_id": _id}, update, upsert=True)
        except DuplicateKeyError:
            if collection.update_one({"_id": _id}, update).matched_count == 0:
                raise


def replace(collection, document):
    """``replace_one(..., upsert=True)`` by ``_id``, surviving a racing first write."""
    try:
        collection.replace_one({"_id": document["_id"]}, document, upsert=True)
    except DuplicateKeyError:
        collection.replace_one({"_id": document["_id"]}, document)
HINT_EVERY = 10  # the hint is a lower bound; raising it every few numbers bounds the probing


def ensure_indexes(db):
    db.tickets.create_index([("idem", ASCENDING)], unique=True, name="unique_idem")
    db.tickets.create_index(
        [("service_id", ASCENDING), ("day", ASCENDING), ("seq", ASCENDING)],
        unique=True, name="number_per_service_day",
    )
    db.services.create_index([("prefix", ASCENDING)], unique=True, name="unique_prefix")


# -- catalogue ---------------------------------------------------------------------------

def upsert_catalogue_item(db, collection, document, on_insert=None):
    """Create or update a catalogue entry; ``on_insert`` fields (e.g. a counter's live
    status) are only set when the entry is new, so reloading the catalogue keeps them."""
    fields = {k: v for k, v in document.items() if k != "_id"}
    update = {"$set": fields}
    if on_insert:
        update["$setOnInsert"] = on_insert
    upsert(db[collection], document["_id"], update)


def get_service(db, service_id):
    return db.services.find_one({"_id": service_id})


def list_agencies(db):
    return list(db.agencies.find({}, sort=[("_id", ASCENDING)]))


def list_services(db, agency=None):
    query = {} if agency is None else {"agency": agency}
    return list(db.services.find(query, sort=[("prefix", ASCENDING)]))


def get_settings(db):
    return db.settings.find_one({"_id": "mpp"}) or {}


def put_settings(db, settings):
    replace(db.settings, dict(settings, _id="mpp"))


# -- tickets ---------------------------------------------------------------------------

def idem_hash(service_id, idempotency_key):
    """The ``idem`` value: derived from the client's key, or random when there is none."""
    if idempotency_key is None:
        return "r:" + uuid.uuid4().hex
    return "k:" + hashlib.sha256("{}\x00{}".format(service_id, idempotency_key).encode()).hexdigest()


def ticket_key(service_id, day, seq):
    return "{}:{}:{:06d}".format(service_id, day, seq)


def _sequence_key(service_id, day):
    # the numbering hint is the ``t_n`` field of the service-day's lane hints (queue): every
    # ticket number is also the position of a walk-in in the "new" lane
    return "lanes:{}:{}".format(service_id, day)


def highest_seq(db, service_id, day, at_least=0):
    """The highest number taken today: the hint (or ``at_least``, a number known taken),
    then probe forward by ``_id``."""
    hint = db.sequences.find_one({"_id": _sequence_key(service_id, day)})
    seq = max(hint.get("t_n", 0) if hint else 0, at_least)
    while db.tickets.find_one({"_id": ticket_key(service_id, day, seq + 1)}, {"_id": 1}):
        seq += 1
    return seq


def _raise_hint(db, service_id, day, seq):
    # Not atomic on FerretDB; a racing writer may leave a lower value. That is fine: the
    # hint is a lower bound that highest_seq() corrects by probing.
    raise_hint(db, _sequence_key(service_id, day), seq, "t_n")


def find_by_idempotency(db, idem):
    if not idem.startswith("k:"):
        return None
    record = db.idempotency.find_one({"_id": idem})
    if record is not None:
        return db.tickets.find_one({"_id": record["ticket_id"]})
    return None


class NumberAllocator:
    """Issues numbers for one service process.

    Correctness comes from the unique ``_id`` alone, across any number of processes. This
    class only keeps the workers *of one process* from racing each other for the same
    number (each loser would pay a failed insert and a probe): they take turns per
    (service, day) and remember the last number they issued. Instances in other processes
    still race, and the unique index settles it.
    """

    def __init__(self):
        self._locks = defaultdict(Semaphore)
        self._last = {}

    def known_last(self, db, service_id, day):
        return self._last.get((db.name, service_id, day), 0)

    def issue(self, db, ticket, make_number, quota=None, extra=None):
        key = (db.name, ticket["service_id"], ticket["day"])
        with self._locks[key]:
            doc, created = insert_numbered_ticket(db, ticket, make_number,
                                                  known_last=self._last.get(key, 0),
                                                  quota=quota, extra=extra)
            if created:
                self._last[key] = doc["seq"]
            return doc, created


class QuotaReached(Exception):
    """The next number would pass the day's walk-in quota (nothing was written)."""


def insert_numbered_ticket(db, ticket, make_number, known_last=0, quota=None, extra=None):
    """Insert ``ticket`` (which has ``service_id``, ``day`` and ``idem``) with the next free
    number of its service and day. ``make_number(seq) -> str`` formats the visible number;
    ``known_last`` is a number known to be taken (a lower bound to start probing from).
    ``quota``: refuse (``QuotaReached``) rather than take a number above it. Numbers are
    gapless and tried in order, so this is exact under any concurrency: the quota can never
    be overshot by racing kiosks.

    Returns ``(ticket, created)``; ``created`` is False when the idempotency key was used.
    """
    existing = find_by_idempotency(db, ticket["idem"])
    if existing is not None:
        return existing, False
    service_id, day = ticket["service_id"], ticket["day"]
    # A process that issued the last number skips the hint read: it tries the next one and
    # probes only when another process was faster.
    seq = (known_last if known_last else highest_seq(db, service_id, day)) + 1
    for _ in range(MAX_NUMBER_ATTEMPTS):
        if quota is not None and seq > quota:
            raise QuotaReached(seq - 1)
        doc = dict(ticket, _id=ticket_key(service_id, day, seq), seq=seq, number=make_number(seq))
        if extra is not None:  # fields that depend on the number (``extra(seq) -> dict``)
            doc.update(extra(seq))
        try:
            db.tickets.insert_one(doc)
        except DuplicateKeyError:
            if db.tickets.find_one({"_id": doc["_id"]}, {"_id": 1}):
                seq += 1  # this number is taken, so seq + 1 leaves no gap
                continue
            # not the number: the idempotency key. A concurrent retry of the same request
            # won (rare, so the scan on ``idem`` is acceptable here).
            return db.tickets.find_one({"idem": ticket["idem"]}), False
        if ticket["idem"].startswith("k:"):
            # an insert, never an update: updates scan on FerretDB (see queue's docstring)
            insert_unique_doc(db.idempotency, {"_id": ticket["idem"], "ticket_id": doc["_id"]})
        if seq % HINT_EVERY == 0 or not known_last:
            _raise_hint(db, service_id, day, seq)
        return doc, True
    raise RuntimeError("could not allocate a ticket number after %d attempts" % MAX_NUMBER_ATTEMPTS)


def get_ticket(db, ticket_id):
    """The ticket as it is now (its document with its transitions folded on)."""
    return current_ticket(db, ticket_id)


def current_ticket(db, ticket_id):
    """A ticket document is written once; every change is a transition claim
    ``<ticket_id>:v<n>`` carrying the fields it sets (``set``). Folding them on, in order,
    gives the current state: a few reads by ``_id``, never an update (FerretDB's updates
    scan the collection)."""
    ticket = db.tickets.find_one({"_id": ticket_id})
    if ticket is None:
        return None
    version = ticket.get("version", 0)
    while True:
        change = db.transitions.find_one({"_id": "{}:v{}".format(ticket_id, version + 1)})
        if change is None:
            return ticket
        ticket.update(change["set"])
        version += 1


def count_issued(db, service_id, day):
    """Numbers are gapless, so the count issued today is the highest number."""
    return highest_seq(db, service_id, day)


def ticket_by_idempotency(db, service_id, idempotency_key):
    """The ticket a retried request with this key already created, or None (by ``_id``)."""
    if idempotency_key is None:
        return None
    return find_by_idempotency(db, idem_hash(service_id, idempotency_key))


# -- state changes: one claim per ticket version -----------------------------------------
#
# Every change of a ticket's state is ``states.apply_action`` (checked against the state the
# writer read) and then the insert of ``transitions/_id = "<ticket_id>:v<version>"`` carrying
# the fields it sets. The insert *is* the write: the writer whose insert succeeds has changed
# the ticket; a second writer that read the same version loses on the unique ``_id`` and
# changes nothing (IllegalTransition/Conflict). There is no window between winning and
# writing (nothing to repair after a crash) and no update of the ticket document (FerretDB's
# updates scan). The claims are also the ticket's history: who (officer, counter), what,
# when, and why (overrides, transfers).


def claim_transition(db, ticket, changes, action, now, **record):
    """Insert the transition claim; True when this writer won."""
    from services.ticketing import states

    doc = dict(record, _id=states.transition_key(ticket["_id"], changes), ticket_id=ticket["_id"],
               action=action, set=changes, at=now, day=ticket.get("day"))
    try:
        db.transitions.insert_one(doc)
        return True
    except DuplicateKeyError:
        return False


# -- contacts: how to reach a ticket's holder, kept apart from the (insert-only) ticket so
#    that the day's close-out can delete them (a small collection: only open days) --------

def put_contact(db, ticket_id, contact, day):
    if contact:
        insert_unique_doc(db.contacts, {"_id": ticket_id, "contact": contact, "day": day})


def contact_of(db, ticket_id):
    doc = db.contacts.find_one({"_id": ticket_id})
    return doc["contact"] if doc else None


def history(db, ticket_id, upto):
    return [db.transitions.find_one({"_id": "{}:v{}".format(ticket_id, v)})
            for v in range(1, upto + 1)]


# -- counters: catalogue in ``counters``, live state in ``counter_state`` and
#    ``counter_serving`` (separate documents so that no two kinds of writer ever rewrite the
#    same document on FerretDB) -------------------------------------------------------------

def get_counter(db, counter_id):
    return db.counters.find_one({"_id": counter_id})


def list_counters(db, agency=None):
    # catalogue collections hold tens of documents: a scan is cheap here
    query = {} if agency is None else {"agency": agency}
    return list(db.counters.find(query, sort=[("_id", ASCENDING)]))


def _never_opened(counter_id):
    return {"_id": counter_id, "status": "closed", "officer": None, "version": 0}


def counter_state(db, counter_id):
    return db.counter_state.find_one({"_id": counter_id}) or _never_opened(counter_id)


def counter_states(db, counter_ids):
    """``{counter_id: state}`` of ``counter_ids`` in one read: the collection holds one small
    document per counter, so reading it whole costs less than a read per counter (and
    FerretDB does not take ``$in`` to the ``_id`` index)."""
    found = {doc["_id"]: doc for doc in db.counter_state.find({})}
    return {cid: found.get(cid) or _never_opened(cid) for cid in counter_ids}


def change_counter_state(db, state, changes, now, action):
    """Claim ``counter:<id>:v<n>`` then write: two officers opening one counter, one wins."""
    version = state.get("version", 0) + 1
    claimed = insert_unique_doc(db.transitions, {
        "_id": "counter:{}:v{}".format(state["_id"], version), "counter_id": state["_id"],
        "action": action, "officer": changes.get("officer") or state.get("officer"), "at": now})
    if not claimed:
        return False
    upsert(db.counter_state, state["_id"], {"$set": dict(changes, version=version)})
    return True


def insert_unique_doc(collection, doc):
    try:
        collection.insert_one(doc)
        return True
    except DuplicateKeyError:
        return False


def set_serving(db, counter_id, serving):
    replace(db.counter_serving, dict(serving or {}, _id=counter_id))


def serving_all(db):
    """``{counter_id: serving}`` of every counter serving someone now, in one read (one
    document per counter, as ``counter_states``)."""
    return {doc["_id"]: doc for doc in db.counter_serving.find({}) if doc.get("ticket_id")}


# -- the calling rule's "passed over" count, per service-day --------------------------------
# Approximate under races: FerretDB's $inc is read-then-write, so two simultaneous priority
# calls may count once. The rule then lets one more priority ticket by; it never calls a
# ticket twice (the transition claim decides that).

def passed_over(db, service_id, day):
    doc = db.sequences.find_one({"_id": "passover:{}:{}".format(service_id, day)})
    return doc["n"] if doc else 0


def set_passed_over(db, service_id, day, value):
    upsert(db.sequences, "passover:{}:{}".format(service_id, day), {"$set": {"n": value}})


# -- observed service durations (the ETA's input): the last 50 per service, by _id ----------
# Read-modify-write: a racing completion may drop one sample. An estimate's input.

DURATION_SAMPLES = 50


def durations(db, service_id):
    doc = db.durations.find_one({"_id": service_id})
    return doc["seconds"] if doc else []


def add_duration(db, service_id, seconds):
    if seconds is None:
        return
    values = (durations(db, service_id) + [seconds])[-DURATION_SAMPLES:]
    replace(db.durations, {"_id": service_id, "seconds": values})


# -- the day's call log (the board's "last called"), ``calls/_id = "<day>:<n:07d>"`` --------

def call_log_prefix(day):
    return "calls:{}".format(day)


def recent_calls(db, day, limit=10):
    from services.ticketing import queue

    prefix = call_log_prefix(day)
    last = queue.highest(db, "calls", prefix, width=7)
    out = []
    n = last
    while n >= 1 and len(out) < limit:
        doc = db.calls.find_one({"_id": "{}:{:07d}".format(prefix, n)})
        if doc:
            out.append(doc)
        n -= 1
    return out


# -- claims (near-front notices, anti-calo, booking seats, idempotency of bookings) ---------

def claim(db, key, **fields):
    return insert_unique_doc(db.claims, dict(fields, _id=key))


def get_claim(db, key):
    return db.claims.find_one({"_id": key})


def release(db, key):
    db.claims.delete_one({"_id": key})


# -- bookings -------------------------------------------------------------------------------

def get_booking(db, code):
    return db.bookings.find_one({"_id": code})


def seats_taken(db, service_id, start, capacity):
    from services.ticketing import bookings

    return sum(1 for key in bookings.slot_claim_keys(service_id, start, capacity)
               if db.claims.find_one({"_id": key}, {"_id": 1}))


def booked_counts(db, service, day, tz_name):
    """``{slot_id: seats taken}`` of a day, by ``_id`` reads of the seat claims."""
    from services.ticketing import bookings

    out = {}
    for slot in bookings.slots(service, day, tz_name):
        out[bookings.slot_id(slot["start"])] = seats_taken(db, service["_id"], slot["start"],
                                                           slot["capacity"])
    return out


# -- statistics and close-out (operator-level: these scan one day) ---------------------------

def tickets_of_day(db, day, agency=None):
    """The day's tickets in their current state: the day's ticket documents with the day's
    transitions folded on (two scans filtered on ``day``; operator-level, not a hot path)."""
    query = {"day": day}
    if agency is not None:
        query["agency"] = agency
    tickets = {t["_id"]: t for t in db.tickets.find(query)}
    changes = [c for c in db.transitions.find({"day": day})
               if c.get("ticket_id") in tickets and "set" in c]
    for change in sorted(changes, key=lambda c: c["set"]["version"]):
        tickets[change["ticket_id"]].update(change["set"])
    return list(tickets.values())


def open_days_before(db, day):
    """Days before ``day`` not closed out yet (hourly timer: a scan is fine)."""
    closed = {d["_id"] for d in db.closed_days.find({})}
    return sorted(d for d in db.tickets.distinct("day") if d < day and d not in closed)


def bookings_of_day(db, day):
    return list(db.bookings.find({"day": day}))
