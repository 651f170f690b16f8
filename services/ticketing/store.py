"""Ticketing persistence (MongoDB / FerretDB). Only this module talks to the collections.

Races are decided by unique indexes (see services.common.mongo):
- ``tickets`` has a unique (service_id, day, seq): a ticket *is* its number's claim, so two
  kiosks (or two ticketing instances) can never issue the same number, and since a number is
  only ever tried as "the highest taken + 1", numbers have no gaps;
- a ticket created with an idempotency key gets an ``_id`` derived from that key, so a
  retried request finds the first ticket instead of creating a second.
"""
import hashlib
import uuid

from pymongo import ASCENDING, DESCENDING
from pymongo.errors import DuplicateKeyError

MAX_NUMBER_ATTEMPTS = 200


def ensure_indexes(db):
    db.tickets.create_index(
        [("service_id", ASCENDING), ("day", ASCENDING), ("seq", ASCENDING)],
        unique=True, name="number_per_service_day",
    )
    db.tickets.create_index([("status", ASCENDING), ("service_id", ASCENDING)], name="by_status")
    db.services.create_index([("prefix", ASCENDING)], unique=True, name="unique_prefix")
    db.services.create_index([("agency", ASCENDING)], name="by_agency")
    db.counters.create_index([("agency", ASCENDING)], name="by_agency")


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


# -- tickets -----------------------------------------------------------------------------

def ticket_id_for(service_id, idempotency_key):
    """A fresh random id, or one derived from the client's idempotency key."""
    if idempotency_key is None:
        return uuid.uuid4().hex
    return hashlib.sha256("{}\x00{}".format(service_id, idempotency_key).encode()).hexdigest()[:32]


def last_seq(db, service_id, day):
    doc = db.tickets.find_one(
        {"service_id": service_id, "day": day}, {"seq": 1},
        sort=[("seq", DESCENDING)],
    )
    return doc["seq"] if doc else 0


def insert_numbered_ticket(db, ticket, make_number):
    """Insert ``ticket`` with the next free number of its (service, day).

    ``make_number(seq) -> str`` formats the visible number. Returns ``(ticket, created)``;
    ``created`` is False when a ticket with the same ``_id`` (idempotency key) exists.
    """
    existing = db.tickets.find_one({"_id": ticket["_id"]})
    if existing is not None:
        return existing, False
    seq = last_seq(db, ticket["service_id"], ticket["day"]) + 1
    for _ in range(MAX_NUMBER_ATTEMPTS):
        doc = dict(ticket, seq=seq, number=make_number(seq))
        try:
            db.tickets.insert_one(doc)
            return doc, True
        except DuplicateKeyError:
            existing = db.tickets.find_one({"_id": ticket["_id"]})
            if existing is not None:  # a concurrent retry of the same request won
                return existing, False
            seq += 1  # seq is taken, so seq + 1 leaves no gap
    raise RuntimeError("could not allocate a ticket number after %d attempts" % MAX_NUMBER_ATTEMPTS)


def get_ticket(db, ticket_id):
    return db.tickets.find_one({"_id": ticket_id})


def count_issued(db, service_id, day):
    return db.tickets.count_documents({"service_id": service_id, "day": day})
