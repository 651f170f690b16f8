"""Ticketing persistence (MongoDB / FerretDB). Only this module talks to the collections.

Two facts shape every query here:

1. FerretDB v1's updates are not atomic; an insert against a unique index is. So every race
   is decided by an insert (services.common.mongo).
2. FerretDB v1 (SQLite backend) pushes down to SQL only a filter that is exactly
   ``{"_id": value}``; any other filter, sort or count scans the whole collection in Go. So
   the hot paths (issuing, calling) touch documents by ``_id`` alone and never scan.
   (MongoDB would use the secondary indexes; we keep them for it and for the unique checks.)

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

MAX_NUMBER_ATTEMPTS = 500
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
    db[collection].update_one({"_id": document["_id"]}, update, upsert=True)


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
    db.settings.replace_one({"_id": "mpp"}, dict(settings, _id="mpp"), upsert=True)


# -- tickets ---------------------------------------------------------------------------

def idem_hash(service_id, idempotency_key):
    """The ``idem`` value: derived from the client's key, or random when there is none."""
    if idempotency_key is None:
        return "r:" + uuid.uuid4().hex
    return "k:" + hashlib.sha256("{}\x00{}".format(service_id, idempotency_key).encode()).hexdigest()


def ticket_key(service_id, day, seq):
    return "{}:{}:{:06d}".format(service_id, day, seq)


def _sequence_key(service_id, day):
    return "{}:{}".format(service_id, day)


def highest_seq(db, service_id, day, at_least=0):
    """The highest number taken today: the hint (or ``at_least``, a number known taken),
    then probe forward by ``_id``."""
    hint = db.sequences.find_one({"_id": _sequence_key(service_id, day)})
    seq = max(hint["last"] if hint else 0, at_least)
    while db.tickets.find_one({"_id": ticket_key(service_id, day, seq + 1)}, {"_id": 1}):
        seq += 1
    return seq


def _raise_hint(db, service_id, day, seq):
    # Not atomic on FerretDB; a racing writer may leave a lower value. That is fine: the
    # hint is a lower bound that highest_seq() corrects by probing.
    db.sequences.update_one({"_id": _sequence_key(service_id, day)}, {"$max": {"last": seq}},
                            upsert=True)


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

    def issue(self, db, ticket, make_number):
        key = (db.name, ticket["service_id"], ticket["day"])
        with self._locks[key]:
            doc, created = insert_numbered_ticket(db, ticket, make_number,
                                                  known_last=self._last.get(key, 0))
            if created:
                self._last[key] = doc["seq"]
            return doc, created


def insert_numbered_ticket(db, ticket, make_number, known_last=0):
    """Insert ``ticket`` (which has ``service_id``, ``day`` and ``idem``) with the next free
    number of its service and day. ``make_number(seq) -> str`` formats the visible number;
    ``known_last`` is a number known to be taken (a lower bound to start probing from).

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
        doc = dict(ticket, _id=ticket_key(service_id, day, seq), seq=seq, number=make_number(seq))
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
            db.idempotency.update_one({"_id": ticket["idem"]}, {"$set": {"ticket_id": doc["_id"]}},
                                      upsert=True)
        if seq % HINT_EVERY == 0 or not known_last:
            _raise_hint(db, service_id, day, seq)
        return doc, True
    raise RuntimeError("could not allocate a ticket number after %d attempts" % MAX_NUMBER_ATTEMPTS)


def get_ticket(db, ticket_id):
    return db.tickets.find_one({"_id": ticket_id})


def count_issued(db, service_id, day):
    """Numbers are gapless, so the count issued today is the highest number."""
    return highest_seq(db, service_id, day)
