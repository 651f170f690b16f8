"""The standards service's MongoDB collections. Only this module talks to them.

Every race is decided by an insert against a unique ``_id`` (FerretDB v1 has no atomic
update; ``services/common/mongo.py``):

==================  =================================  ========================================
collection          ``_id``                            holds
==================  =================================  ========================================
standards           ``pt-pbg-v2`` (``rules.standard_id``)  the standard as of its newest entry
                                                       (fields written only by the writer that
                                                       won that entry)
versions            ``<kind>:<subject>:<version:04d>``  the claim on a subject's version number
history             ``<standard>:<seq:06d>``           the hash-chained entries: **the arbiter**
                                                       of every change, and its redo log
comments            ``<standard>:<comment id>``        a public comment (the name only if given)
answers             ``<standard>:<comment id>``        the one answer to a comment
comment_slots       ``<standard>:<client>:<day>:<n>``  the n-th comment of a client (keyed hash of
                                                       its address) that day: the daily limit
unannounced         standard id                        an adoption whose event may not be out yet
settings            ``client_key``                     the key of the clients' address hashes
==================  =================================  ========================================

The scans left (listing standards, a standard's comments) are over small collections.
"""
import uuid

from pymongo import ASCENDING

from services.common.mongo import insert_or_get, insert_unique

MAX_VERSION_ATTEMPTS = 1000


def ensure_indexes(db):
    db.standards.create_index([("agency", ASCENDING)], name="by_agency")
    db.comments.create_index([("standard_id", ASCENDING)], name="by_standard")
    db.answers.create_index([("standard_id", ASCENDING)], name="by_standard")


# -- standards and their versions ------------------------------------------------------------

def _version_key(kind, subject_id, version):
    return "{}:{}:{:04d}".format(kind, subject_id, version)


def claim_version(db, kind, subject_id):
    """The next free version number of the subject (1, 2, ...), claimed by a unique insert."""
    version = 1
    for _ in range(MAX_VERSION_ATTEMPTS):
        while db.versions.find_one({"_id": _version_key(kind, subject_id, version)}, {"_id": 1}):
            version += 1
        if insert_unique(db.versions, {"_id": _version_key(kind, subject_id, version)}):
            return version
        version += 1
    raise RuntimeError("no free version number for {}:{}".format(kind, subject_id))


def insert_standard(db, doc):
    return insert_unique(db.standards, doc)


def get_standard(db, standard_id):
    return db.standards.find_one({"_id": standard_id})


def write_standard(db, standard_id, fields):
    db.standards.update_one({"_id": standard_id}, {"$set": fields})


def standards(db, agency=None, status=None):
    query = {}
    if agency:
        query["agency"] = agency
    if status:
        query["status"] = status
    return list(db.standards.find(query, sort=[("_id", ASCENDING)]))


def standards_of_subject(db, kind, subject_id):
    return list(db.standards.find({"subject.kind": kind, "subject.id": subject_id}))


# -- history -----------------------------------------------------------------------------------

def history_key(standard_id, seq):
    return "{}:{:06d}".format(standard_id, seq)


def insert_entry(db, entry):
    """True when this writer won entry ``seq``; False when another writer has it."""
    return insert_unique(db.history, dict(entry, _id=history_key(entry["standard_id"],
                                                                 entry["seq"])))


def get_entry(db, standard_id, seq):
    doc = db.history.find_one({"_id": history_key(standard_id, seq)})
    if doc:
        doc.pop("_id", None)
    return doc


def entries(db, standard_id):
    """Entries 1, 2, ... by ``_id`` up to the first missing one."""
    out, seq = [], 1
    while True:
        entry = get_entry(db, standard_id, seq)
        if entry is None:
            return out
        out.append(entry)
        seq += 1


# -- comments and answers -----------------------------------------------------------------------

def claim_comment_slot(db, standard_id, client, day, limit):
    """The next of ``limit`` places of this client on this day, or None when all are taken
    (exact with any number of concurrent comments: each place is a unique insert)."""
    for n in range(1, limit + 1):
        if insert_unique(db.comment_slots, {"_id": "{}:{}:{}:{}".format(standard_id, client,
                                                                        day, n)}):
            return n
    return None


def insert_comment(db, comment):
    """``(comment, created)``: a retried comment (same key) finds the first."""
    return insert_or_get(db.comments, dict(comment, _id="{}:{}".format(
        comment["standard_id"], comment["comment_id"])))


def get_comment(db, standard_id, comment_id):
    return db.comments.find_one({"_id": "{}:{}".format(standard_id, comment_id)})


def comments(db, standard_id):
    return list(db.comments.find({"standard_id": standard_id}, sort=[("at", ASCENDING)]))


def insert_answer(db, answer):
    """True when this is the comment's first answer."""
    return insert_unique(db.answers, dict(answer, _id="{}:{}".format(
        answer["standard_id"], answer["comment_id"])))


def answers(db, standard_id):
    return {a["comment_id"]: a for a in db.answers.find({"standard_id": standard_id})}


# -- the outbox and settings ------------------------------------------------------------------

def mark_unannounced(db, standard_id, at):
    """Before an adoption: its event is owed. This writer's token when it placed the mark,
    ``None`` when a rival's mark is there."""
    token = uuid.uuid4().hex
    placed = insert_unique(db.unannounced, {"_id": standard_id, "at": at, "writer": token})
    return token if placed else None


def mark_announced(db, standard_id, token=None):
    """The event is out (any writer's mark), or with ``token``: this writer lost the
    adoption, so only its own mark (if it placed one) is withdrawn."""
    query = {"_id": standard_id}
    if token is not None:
        query["writer"] = token
    db.unannounced.delete_one(query)


def unannounced_before(db, at, limit=100):
    return list(db.unannounced.find({"at": {"$lt": at}}).limit(limit))


def setting_once(db, key, value):
    """The stored setting, or ``value`` stored now (every instance agrees on the first)."""
    doc, _ = insert_or_get(db.settings, {"_id": key, "value": value})
    return doc["value"]
