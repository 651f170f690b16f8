"""The feedback service's MongoDB collections. Every figure is an insert keyed by what it
is about (a ticket, an application, an invitation), so a redelivered event finds its key
taken and changes nothing: the unique ``_id`` is the arbiter, as on FerretDB nothing else is.

=================  ============================  ==============================================
collection         ``_id``                       holds
=================  ============================  ==============================================
visits             ticket id                     agency, service, issued_at, day, month
calls              ticket id                     first call instant (may arrive before visits)
waits              ticket id                     seconds from issue to first call
served             ticket id                     seconds of service (ticket_completed)
applications       application id                agency, permit type, tracking code, filed at
decisions          application id                decided within the SLA?, working days used
invitations        SHA-256 of the survey token   what the survey is about (no personal data)
responses          the invitation's ``_id``      the ratings by element code, free text
complaints         ``PGD-…`` (random)            the complaint, status, due date, response
complaint_steps    ``<complaint>:<seq>``         each status change; the insert decides races
settings           ``secret`` | ``elements``     the token key (when not configured), IKM elements
                   | ``mpp_calendar:…``          the MPP calendar's local copy (``common.calendar``)
=================  ============================  ==============================================
"""
from pymongo import ASCENDING

from services.common.mongo import insert_or_get, insert_unique

MONTHLY = ("visits", "waits", "served", "decisions", "responses", "complaints")


def ensure_indexes(db):
    for name in MONTHLY:
        db[name].create_index([("month", ASCENDING), ("agency", ASCENDING)])
    db.applications.create_index([("tracking_code", ASCENDING)])
    db.complaints.create_index([("agency", ASCENDING), ("status", ASCENDING)])


def put(db, collection, doc):
    """Insert once; True when this call wrote it."""
    return insert_unique(db[collection], doc)


def get(db, collection, key):
    return db[collection].find_one({"_id": key})


def month_docs(db, collection, month, agency=None):
    query = {"month": month}
    if agency:
        query["agency"] = agency
    return list(db[collection].find(query))


def application_services(db, agency=None):
    """Agency, service id and name of every application (of ``agency``)."""
    return db.applications.find({"agency": agency} if agency else {},
                                {"agency": 1, "service_id": 1, "service_name": 1})


def application_by_tracking(db, code):
    return db.applications.find_one({"tracking_code": code})


def setting(db, key):
    doc = db.settings.find_one({"_id": key})
    return doc.get("value") if doc else None


def put_setting(db, key, value, at):
    db.settings.replace_one({"_id": key}, {"_id": key, "value": value, "at": at}, upsert=True)


def complaints(db, agency=None, status=None, month=None, limit=500):
    query = {}
    if agency:
        query["agency"] = agency
    if status:
        query["status"] = status
    if month:
        query["month"] = month
    return list(db.complaints.find(query).sort("received_at", -1).limit(limit))


def create_complaint(db, doc):
    """``(doc, True)``, or ``(the stored one, False)`` when its ``_id`` (derived from the
    client's idempotency key) was taken by an earlier try."""
    return insert_or_get(db.complaints, doc)


def write_complaint(db, complaint_id, fields):
    db.complaints.update_one({"_id": complaint_id}, {"$set": fields})


def calendar_copies(db):
    """Where ``services.common.calendar`` keeps the MPP calendar's copy."""
    return db.settings
