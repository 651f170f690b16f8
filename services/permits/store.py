"""Permits persistence (MongoDB / FerretDB). Only this module talks to the collections.

Two database facts shape every line here (see ``services/common/mongo.py``):

1. FerretDB v1's updates are not atomic (read, then rewrite the whole document by ``_id``);
   an insert against a unique index is. So every race is decided by an insert.
2. FerretDB v1 (SQLite) pushes down only a filter that is exactly ``{"_id": value}``; any
   other filter, sort, count, ``$in`` or range scans the whole collection in Go. So every path
   that runs per request reads and writes documents by ``_id`` alone, and the only scans left
   are over small admin collections (permit types, agencies).

Collections and their keys
--------------------------
``applications``      ``_id`` = application id. Its mutable fields (``state``, ``history_seq``,
                      ``head_hash``, ``changes``, ``wl_slot``, ``permit_number``) are written
                      only by the writer that won the history entry for that step (below).
                      Nothing else ever updates an application document, because on FerretDB a
                      second concurrent update of the same document could silently put back
                      fields the first one changed.
``history``           ``_id`` = ``<application id>:<seq:06d>``: **the arbiter**. Two officers
                      acting on one application both build entry ``n+1`` from the same head;
                      both insert it; exactly one insert succeeds, the loser gets a
                      ``DuplicateKeyError`` and a 409, and only the winner writes the
                      application's new state. Reading a history is ``seq`` 1..n by ``_id``.
                      The entry is also a redo log: a reader that finds entry ``history_seq+1``
                      already on file (the winner died before writing the application, or has
                      not written it yet) applies it in memory, and writes it back once it is a
                      few seconds old (``ROLL_FORWARD_AFTER``), so a crash never wedges an
                      application.
``unannounced``       ``_id`` = the history key of a step whose events may not be out yet: the
                      outbox. Inserted before the history entry, deleted once the step's
                      events were published; a process that dies in between leaves it, and
                      the outbox sweep publishes the step's events (with ids derived from
                      the step, so a consumer that saw them already skips them).
``tracking``          ``_id`` = tracking code -> application id (the public lookup).
``files``             ``_id`` = ``documents.reuse_key(applicant_key, sha256)``: one copy of a
                      file per applicant; "reuse the KTP I sent last month" is a get by ``_id``
                      and can never reach another applicant's file.
``app_documents``     ``_id`` = ``<application id>:<kind>``: the document of each kind
                      (metadata only; replaced by ``_id`` when the applicant corrects it).
                      Kept out of the application document so that an upload never races a
                      state change on the same document.
``file_uses``         ``_id`` = ``<application id>|<file key>``: every file an application
                      ever referred to (a replaced upload too), indexed both ways, so erasing
                      an applicant deletes a file once no other application of theirs uses
                      it (the hourly erasure's queries; not a per-request path).
``permit_types``      ``_id`` = permit type id: the type with all its versions (admin data, a
                      few dozen documents; listing them is the one accepted scan).
``permit_type_versions`` ``_id`` = ``<type>:<version:04d>``: claim of a version number
                      (versions are immutable; two admins cannot both create version 3).
``standard_versions`` ``_id`` = adopted standard id -> the version number its terms take.
``decisions``         ``_id`` = ``<agency>:<decision id>``: a connector decision applied
                      (a decision delivered twice is applied once).
``permit_numbers``    ``_id`` = ``<agency>:<year>:<seq:06d>``: the claim on a permit number,
                      taken "highest known + 1" exactly like ticket numbers.
``permit_by_app``     ``_id`` = application id -> permit number (issuing twice issues once).
``permits``           ``_id`` = permit number: signed record, hashes, signature, PDF.
``sla_warnings``      ``_id`` = ``<application id>:<threshold>``: a warning sent once.
``settings``          ``_id`` = ``calendar`` | ``secret_key`` | ``signing_key`` |
                      ``sla_cursor`` (the hour bucket the SLA sweep resumes from).
``public_keys``       ``_id`` = key id -> PEM (old keys stay: rotation keeps permits valid).
``slots`` / ``hints`` append-only logs (below).

Work lists without scans: append-only slot logs
-----------------------------------------------
``list_applications(agency, state)`` over 100,000 applications cannot filter on ``agency``
and ``state`` (a scan). Instead each ``(agency, state)`` pair has an append-only **log** of
slot documents with computable ids, ``wl|<agency>|<state>|<n:09d>``, and each agency one log of
every filing, ``wl|<agency>|*|<n:09d>``. A slot is claimed like a ticket number (insert at
"highest known + 1", a duplicate means taken: try the next), the highest number is a hint
document in ``hints`` that is a lower bound corrected by probing forward by ``_id``.

- When an application enters a state, the winner of that step appends a slot
  ``{application_id, seq}`` to that state's log and tombstones (``gone: true``) the slot of the
  state it left (``wl_slot`` on the application says which). Only that writer ever touches
  those two slot documents.
- A slot is *live* when it is not a tombstone and the application's ``history_seq`` still
  equals the slot's ``seq``. Rows whose application moved on (a slow writer, a roll-forward)
  are skipped, so a stale slot never shows an application in the wrong list.
- Lists of states where work waits (submitted, intake_check, approval_k, …) are read oldest
  first (FIFO: the longest-waiting application first) from a *low* hint that is raised past a
  prefix of tombstones only (never past a missing slot: that may be a claim still in flight).
  Final states (issued and terminal) are read newest first from the head.
- A page costs about ``3 × limit`` gets by ``_id`` (slot, application, redo-log probe) plus the
  tombstones skipped, whatever the size of the collection: measured in ``bench/permits.py``.
- The cursor (``after``) is the slot number; the walk reads at most ``MAX_PROBES`` slots per
  call and returns a cursor to continue from.

The SLA timer uses the same logs: ``sched|<YYYYMMDDHH>`` holds the instants (UTC hour buckets)
at which an application may cross a warning threshold or its deadline; the sweep reads the
buckets from its cursor hour up to now, so its cost is the number of things due.

MongoDB uses the same ``_id`` gets; no secondary index is needed for any path.
"""
import hashlib
import uuid
from datetime import datetime, timedelta

from bson.binary import Binary
from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from services.common import clock as clk
from services.common.mongo import insert_or_get, insert_unique
from services.common.sequences import Hint, Sequence

MAX_SLOT_ATTEMPTS = 1000
MAX_PROBES = 2000
ROLL_FORWARD_AFTER = timedelta(seconds=5)


def ensure_indexes(db):
    db.permit_types.create_index([("agency", ASCENDING)], name="by_agency")
    db.pin_failures.create_index([("app", ASCENDING)], name="by_application")
    db.pin_renewals.create_index([("app", ASCENDING)], name="by_application")
    db.file_uses.create_index([("app", ASCENDING)], name="by_application")
    db.file_uses.create_index([("file", ASCENDING)], name="by_file")
    db.app_documents.create_index([("reuse_key", ASCENDING)], name="by_file")


# -- append-only slot logs ----------------------------------------------------------------

def slot_id(log, n):
    return "{}|{:09d}".format(log, n)


def _log(db, log):
    return Sequence(db.slots, log, Hint(db.hints, "head|" + log), width=9, sep="|")


def log_head(db, log):
    """The highest slot number taken in ``log`` (hint, then probe forward by ``_id``)."""
    return _log(db, log).highest()


def log_append(db, log, fields):
    """Claim the next slot of ``log`` for ``fields``; returns the slot ``_id``. The head hint
    is raised on every append: work lists and schedules are read from their head."""
    _, doc = _log(db, log).append(lambda n: dict(fields, log=log, n=n), hint_every=1,
                                  attempts=MAX_SLOT_ATTEMPTS)
    return doc["_id"]


def log_low(db, log):
    hint = db.hints.find_one({"_id": "low|" + log})
    return hint["n"] if hint else 0


def raise_low(db, log, n):
    db.hints.update_one({"_id": "low|" + log}, {"$max": {"n": n}}, upsert=True)


def get_slot(db, log, n):
    return db.slots.find_one({"_id": slot_id(log, n)})


def tombstone(db, slot):
    if slot:
        db.slots.update_one({"_id": slot}, {"$set": {"gone": True}})


def worklist_log(agency, state):
    return "wl|{}|{}".format(agency, state or "*")


def schedule_log(moment):
    return "sched|" + clk.to_utc(moment).strftime("%Y%m%d%H")


def hour_of(log):
    return datetime.strptime(log.split("|", 1)[1], "%Y%m%d%H").replace(tzinfo=clk.UTC)


# -- settings, agencies, permit types -----------------------------------------------------

def get_setting(db, key):
    return db.settings.find_one({"_id": key})


def put_setting(db, key, value):
    db.settings.replace_one({"_id": key}, dict(value, _id=key), upsert=True)


def setting_once(db, key, value):
    """The stored setting, or ``value`` stored now (two instances agree on the first)."""
    doc, _ = insert_or_get(db.settings, dict(value, _id=key))
    return doc


def add_public_key(db, kid, pem):
    insert_unique(db.public_keys, {"_id": kid, "pem": pem})


def public_keys(db):
    return {d["_id"]: d["pem"] for d in db.public_keys.find({})}


def upsert_agency(db, code, name, name_en):
    db.agencies.replace_one({"_id": code}, {"_id": code, "name": name, "name_en": name_en},
                            upsert=True)


def get_agency(db, code):
    return db.agencies.find_one({"_id": code})


def _version_key(permit_type_id, version):
    return "{}:{:04d}".format(permit_type_id, version)


def claim_version(db, version):
    """True when this version number was free (versions are immutable once created)."""
    return insert_unique(db.permit_type_versions, dict(
        version, _id=_version_key(version["permit_type_id"], version["version"])))


def get_version(db, permit_type_id, version):
    return db.permit_type_versions.find_one({"_id": _version_key(permit_type_id, version)})


def standard_version_number(db, standard_id, candidate):
    """The version number an adopted standard's version takes: the first writer's
    ``candidate`` (``standard_versions``, ``_id`` = standard id)."""
    doc, _ = insert_or_get(db.standard_versions, {"_id": standard_id, "version": candidate})
    return doc["version"]


def give_up_version_number(db, standard_id, number):
    """The number was taken by someone else's version: the next try picks another."""
    db.standard_versions.delete_one({"_id": standard_id, "version": number})


def replace_version(db, version):
    """Catalogue (re)load: the seed version is data the catalogue owns."""
    key = _version_key(version["permit_type_id"], version["version"])
    db.permit_type_versions.replace_one({"_id": key}, dict(version, _id=key), upsert=True)


def put_permit_type(db, permit_type_id, agency, versions):
    db.permit_types.update_one(
        {"_id": permit_type_id},
        {"$set": {"agency": agency,
                  "versions": sorted(versions, key=lambda v: v["version"])}}, upsert=True)


def set_permit_type_retirement(db, permit_type_id, retired_from):
    db.permit_types.update_one({"_id": permit_type_id},
                               {"$set": {"retired_from": retired_from}})


def get_permit_type(db, permit_type_id):
    return db.permit_types.find_one({"_id": permit_type_id})


def list_permit_types(db, agency=None):
    query = {} if agency is None else {"agency": agency}
    return list(db.permit_types.find(query, sort=[("_id", ASCENDING)]))


# -- files and documents -------------------------------------------------------------------

def put_file(db, key, meta, content):
    """Store one applicant's file once (content-addressed); a second copy is not written."""
    insert_unique(db.files, dict(meta, _id=key, content=Binary(content)))


def get_file(db, key):
    """The stored file with its content (``None`` when absent)."""
    return db.files.find_one({"_id": key})


def get_file_meta(db, key):
    return db.files.find_one({"_id": key}, {"content": 0})


def put_app_document(db, application_id, document):
    key = "{}:{}".format(application_id, document["kind"])
    db.app_documents.replace_one({"_id": key}, dict(document, _id=key,
                                                    application_id=application_id),
                                 upsert=True)


def use_file(db, application_id, key):
    """Record that ``application_id`` refers to the file ``key`` (once)."""
    insert_or_get(db.file_uses, {"_id": "{}|{}".format(application_id, key),
                                 "app": application_id, "file": key})


def files_used_by(db, application_id):
    """The keys of every file the application referred to (``use_file``)."""
    return {d["file"] for d in db.file_uses.find({"app": application_id}, {"file": 1})}


def file_used_elsewhere(db, key, application_id):
    """Whether an application other than ``application_id`` refers to the file ``key``
    (recorded uses, and documents filed before uses were recorded)."""
    return any(d["app"] != application_id
               for d in db.file_uses.find({"file": key}, {"app": 1})) or \
        any(d.get("application_id") != application_id
            for d in db.app_documents.find({"reuse_key": key}, {"application_id": 1}))


def forget_documents(db, application_id, keys):
    """Delete the files ``keys`` (the caller checked no one else uses them), then the
    application's document metadata and file uses."""
    for key in keys:
        db.files.delete_one({"_id": key})
    db.app_documents.delete_many({"application_id": application_id})
    db.file_uses.delete_many({"app": application_id})


def app_documents(db, application_id, kinds):
    docs = []
    for kind in kinds:
        doc = db.app_documents.find_one({"_id": "{}:{}".format(application_id, kind)})
        if doc:
            doc.pop("_id", None)
            doc.pop("application_id", None)
            docs.append(doc)
    return docs


# -- applications and history --------------------------------------------------------------

def history_key(application_id, seq):
    return "{}:{:06d}".format(application_id, seq)


def insert_application(db, application):
    """``(application, created)``: the application document is the arbiter of a filing."""
    return insert_or_get(db.applications, application)


def get_application_raw(db, application_id):
    return db.applications.find_one({"_id": application_id})


def write_application(db, application_id, fields):
    db.applications.update_one({"_id": application_id}, {"$set": fields})


def insert_history(db, entry):
    """True when this writer won step ``entry["seq"]``; False when someone else took it."""
    return insert_unique(db.history, dict(entry, _id=history_key(entry["application_id"],
                                                                 entry["seq"])))


def mark_unannounced(db, application_id, seq, at):
    """Before a step is taken: its events are owed (``at``: UTC ISO-8601). Returns this
    writer's token when it placed the mark, ``None`` when a rival's mark is there."""
    token = uuid.uuid4().hex
    placed = insert_unique(db.unannounced, {"_id": history_key(application_id, seq),
                                            "application_id": application_id, "seq": seq,
                                            "at": at, "writer": token})
    return token if placed else None


def mark_announced(db, application_id, seq, token=None):
    """The step's events are out (any writer's mark), or with ``token``: this writer lost the
    step, so its own mark (if it placed one) is withdrawn and the winner's is left alone."""
    query = {"_id": history_key(application_id, seq)}
    if token is not None:
        query["writer"] = token
    db.unannounced.delete_one(query)


def unannounced_before(db, at, limit=100):
    """Steps marked before ``at`` whose events nobody confirmed (a small, in-flight set)."""
    return list(db.unannounced.find({"at": {"$lt": at}}).limit(limit))


def get_history_entry(db, application_id, seq):
    doc = db.history.find_one({"_id": history_key(application_id, seq)})
    if doc:
        doc.pop("_id", None)
    return doc


def history(db, application_id, up_to):
    """Entries 1..``up_to`` by ``_id``, then any later ones already on file (a step whose
    writer has not updated the application yet). A missing entry is left out, so
    ``history.verify`` reports it."""
    entries = [e for e in (get_history_entry(db, application_id, seq)
                           for seq in range(1, up_to + 1)) if e is not None]
    seq = up_to + 1
    while True:
        entry = get_history_entry(db, application_id, seq)
        if entry is None:
            return entries
        entries.append(entry)
        seq += 1


def applicants_after(db, after, limit):
    """Applications with ``_id`` after ``after`` (``None``: from the first), ``_id`` order,
    with their applicant's NIK only (the NIK rekey walk: an operator's command)."""
    query = {} if after is None else {"_id": {"$gt": after}}
    return list(db.applications.find(query, {"applicant.nik": 1})
                .sort("_id", ASCENDING).limit(limit))


def replace_nik(db, application_id, old, new):
    """Set the applicant's stored NIK to ``new`` if it is still ``old``."""
    return db.applications.update_one({"_id": application_id, "applicant.nik": old},
                                      {"$set": {"applicant.nik": new}}).modified_count == 1


def decided_before(db, states, cutoff, limit):
    """Applications in one of ``states`` since before ``cutoff`` (ISO-8601) whose applicant
    is not erased yet."""
    return list(db.applications.find({"state": {"$in": list(states)},
                                      "state_since": {"$lt": cutoff},
                                      "applicant.erased_at": {"$exists": False}},
                                     {"applicant.language": 1, "documents": 1}).limit(limit))


def decided_since(db, states, since):
    """Applications in one of ``states`` entered at or after ``since`` (ISO-8601): promise
    against practice, a report that scans (like ``decided_before``), never a request path of
    a citizen or an officer."""
    return list(db.applications.find(
        {"state": {"$in": list(states)}, "state_since": {"$gte": since}},
        {"agency": 1, "permit_type_id": 1, "permit_type": 1, "terms": 1, "changes": 1,
         "state": 1}))


# -- PIN guesses and renewals ---------------------------------------------------------------

def record_pin_failure(db, application_id, generation, at):
    """One wrong PIN (an insert each: concurrent failures are all counted)."""
    db.pin_failures.insert_one({"app": application_id, "gen": generation, "at": at})


def pin_failures(db, application_id, generation):
    """``(count, time of the last)`` of the wrong PINs for this PIN generation."""
    found = list(db.pin_failures.find({"app": application_id, "gen": generation},
                                      {"at": 1}))
    return len(found), max((f["at"] for f in found), default=None)


def clear_pin_failures(db, application_id):
    db.pin_failures.delete_many({"app": application_id})


def claim_pin_generation(db, application_id, generation, day):
    """The unique insert that decides who renews the PIN to ``generation``."""
    return insert_unique(db.pin_renewals, {"_id": "{}#{}".format(application_id, generation),
                                           "app": application_id, "day": day})


def pin_renewals_on(db, application_id, day):
    return db.pin_renewals.count_documents({"app": application_id, "day": day})


def put_tracking(db, code, application_id):
    return insert_unique(db.tracking, {"_id": code, "application_id": application_id})


def find_by_tracking(db, code):
    doc = db.tracking.find_one({"_id": code})
    return doc["application_id"] if doc else None


# -- decisions, warnings ----------------------------------------------------------------

def get_decision(db, agency, decision_id):
    return db.decisions.find_one({"_id": "{}:{}".format(agency, decision_id)})


def put_decision(db, agency, decision_id, result):
    insert_unique(db.decisions, dict(result, _id="{}:{}".format(agency, decision_id)))


def put_connector_status(db, application_id, status):
    db.connector_status.replace_one({"_id": application_id}, dict(status, _id=application_id),
                                    upsert=True)


def get_connector_status(db, application_id):
    return db.connector_status.find_one({"_id": application_id}, {"_id": 0})


def claim_warning(db, application_id, threshold, at):
    return insert_unique(db.sla_warnings, {"_id": "{}:{}".format(application_id, threshold),
                                           "at": at})


def warnings_at(db, threshold):
    """How many SLA warnings of ``threshold`` were ever sent (operators' metrics)."""
    return db.sla_warnings.count_documents({"_id": {"$regex": ":{}$".format(int(threshold))}})


def warnings_sent(db, application_id):
    return [t for t in (50, 80, 100)
            if db.sla_warnings.find_one({"_id": "{}:{}".format(application_id, t)}, {"_id": 1})]


# -- permits -----------------------------------------------------------------------------

def _number_key(agency, year, seq):
    return "{}:{}:{:06d}".format(agency, year, seq)


def claim_permit_number(db, agency, year, application_id):
    """The next permit number of ``agency`` in ``year`` (unique, gapless unless a crash)."""
    log = "permitno|{}|{}".format(agency, year)
    hint = db.hints.find_one({"_id": log})
    seq = (hint["n"] if hint else 0) + 1
    for _ in range(MAX_SLOT_ATTEMPTS):
        while db.permit_numbers.find_one({"_id": _number_key(agency, year, seq)}, {"_id": 1}):
            seq += 1
        if insert_unique(db.permit_numbers, {"_id": _number_key(agency, year, seq),
                                             "application_id": application_id}):
            db.hints.update_one({"_id": log}, {"$max": {"n": seq}}, upsert=True)
            return seq
        seq += 1
    raise RuntimeError("no permit number after {} attempts".format(MAX_SLOT_ATTEMPTS))


def permit_for_application(db, application_id):
    doc = db.permit_by_app.find_one({"_id": application_id})
    return doc["permit_number"] if doc else None


def bind_permit(db, application_id, number):
    """The number bound to the application (the first binding wins)."""
    doc, _ = insert_or_get(db.permit_by_app, {"_id": application_id, "permit_number": number})
    return doc["permit_number"]


def put_permit(db, number, permit, pdf, application_id):
    try:
        db.permits.insert_one(dict(permit, _id=number, pdf=Binary(pdf),
                                   application_id=application_id, revoked_at=None))
    except DuplicateKeyError:
        pass


def get_permit(db, number, with_pdf=False):
    projection = None if with_pdf else {"pdf": 0}
    return db.permits.find_one({"_id": number}, projection)


def revoke_permit(db, number, at):
    db.permits.update_one({"_id": number}, {"$set": {"revoked_at": at}})


# -- ids ---------------------------------------------------------------------------------

def application_id_for(applicant_key, permit_type_id, idempotency_key):
    """Derived from who files what with which key: a retried filing finds the first one,
    and the same key used by another applicant never does."""
    digest = hashlib.sha256("{}\x00{}\x00{}".format(
        applicant_key, permit_type_id, idempotency_key).encode()).hexdigest()
    return "APP-" + digest[:24].upper()


# -- bulk loading (benchmarks, imports) ------------------------------------------------------

def bulk_load(db, applications, batch=1000):
    """Insert applications already in their states, with their work-list slots, by
    ``insert_many`` in batches. Each application needs ``_id``, ``agency``, ``state`` and
    ``history_seq``; its ``wl_slot`` and ``all_slot`` are set here. Not for concurrent use."""
    heads = {}

    def slot(log, app_id, seq):
        if log not in heads:
            heads[log] = log_head(db, log)
        heads[log] += 1
        return {"_id": slot_id(log, heads[log]), "log": log, "n": heads[log],
                "application_id": app_id, "seq": seq}

    for start in range(0, len(applications), batch):
        apps, slots = [], []
        for app in applications[start:start + batch]:
            every = slot(worklist_log(app["agency"], None), app["_id"], 1)
            own = slot(worklist_log(app["agency"], app["state"]), app["_id"],
                       app["history_seq"])
            slots += [every, own]
            apps.append(dict(app, all_slot=every["_id"], wl_slot=own["_id"]))
        db.applications.insert_many(apps, ordered=False)
        db.slots.insert_many(slots, ordered=False)
    for log, n in heads.items():
        db.hints.update_one({"_id": "head|" + log}, {"$max": {"n": n}}, upsert=True)


# -- connectors' reports -------------------------------------------------------------------
# ``connectors``: ``_id`` = connector name; the state its service last reported.

def put_connector_report(db, name, report):
    db.connectors.replace_one({"_id": name}, dict(report, _id=name), upsert=True)


def connector_reports(db):
    return {doc["_id"]: doc for doc in db.connectors.find({})}


def suspension_notice_owed(db, connector, suspended_at, at):
    """True while the suspension of ``connector`` since ``suspended_at`` has not been
    announced (``connector_suspensions``: one document per suspension, inserted by the first
    report of it, marked once its event is out)."""
    key = "{}:{}".format(connector, suspended_at)
    insert_unique(db.connector_suspensions, {"_id": key, "at": at, "announced": False})
    doc = db.connector_suspensions.find_one({"_id": key}, {"announced": 1})
    return not (doc or {}).get("announced")


def suspension_announced(db, connector, suspended_at):
    db.connector_suspensions.update_one({"_id": "{}:{}".format(connector, suspended_at)},
                                        {"$set": {"announced": True}})


# -- webhook agencies set at runtime -------------------------------------------------------
# ``webhook_agencies``: ``_id`` = agency code; url, timeout, the secret sealed (ciphertext).

def put_webhook_agency(db, agency, doc):
    db.webhook_agencies.replace_one({"_id": agency}, dict(doc, _id=agency), upsert=True)


def get_webhook_agency(db, agency):
    return db.webhook_agencies.find_one({"_id": agency})


def webhook_agencies(db):
    return list(db.webhook_agencies.find({}, sort=[("_id", ASCENDING)]))


def keep_agency_state(db, agency, state, changed_at):
    """Keep ``agency``'s state as ticketing announced it, unless a later change is kept
    already (events may arrive out of order); redelivery is harmless."""
    try:
        db.agency_states.update_one({"_id": agency, "changed_at": {"$lt": changed_at}},
                                    {"$set": {"state": state, "changed_at": changed_at}},
                                    upsert=True)
    except DuplicateKeyError:  # a later (or the same) change is kept
        pass


def agency_state(db, agency):
    """The kept state of ``agency``, or None (an agency never announced: from before
    onboarding, live)."""
    doc = db.agency_states.find_one({"_id": agency}, {"state": 1})
    return doc["state"] if doc else None
