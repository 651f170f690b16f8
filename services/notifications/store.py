"""Notifications persistence (MongoDB / FerretDB). Only this module talks to the collections.

Every hot read and write addresses one document by ``_id`` (FerretDB v1 pushes down only
``{"_id": x}``); every race is decided by an insert against ``_id``:

- ``messages``: ``_id`` = the dedup key from the domain event (``ticket_called:T-1:2``), so a
  redelivered event finds the key taken and creates nothing. Status, channel, attempt,
  provider id and raw answer, and ``history`` (one entry per status change).
- ``steps``: one document per step of a message's delivery (plan, attempt *n* on a channel,
  receipt deadline), ``_id`` = ``<message>|r<round>|<channel>|a<n>|w<wait>[|check]``. The
  worker that inserts it does the step; a duplicate work item finds it taken and is dropped
  (one insert per step: the outcome itself lives on the message, where a worker taking over
  after a crash finds it).
- ``recipients``: ``_id`` = the reference (ticket id, booking code, application id): contact
  points and preferences, and template values later events lack (a permit's name).
- ``states``: ``_id`` = ``ticket:<id>`` / ``booking:<code>``: the domain state messages go
  stale against; ``<...>:closed`` is inserted once when the entity ends (insert-only, so a
  late ``ticket_called`` can never reopen a completed ticket).
- ``deferred``: messages waiting for quiet hours to end (small; the release timer reads it).

Secondary-field queries (by reference, by status, by age) are for the operator views and the
retention timer only, and bounded.
"""
from pymongo import ASCENDING

from services.common.mongo import claim, insert_or_get, insert_unique
from services.notifications import facts

REFERENCE_LIMIT = 200
SCRUB_BATCH = 500
#: what retention removes from a message: the address, the body, template values, the raw
#: provider answer (a WhatsApp answer echoes the phone number).
PERSONAL_MESSAGE_FIELDS = ("to", "content", "context", "provider_raw")


def ensure_indexes(db):
    db.confirm_failures.create_index([("number", ASCENDING), ("day", ASCENDING)],
                                     name="by_number_day")
    db.messages.create_index([("reference", ASCENDING)], name="by_reference")
    db.messages.create_index([("status", ASCENDING)], name="by_status")
    db.messages.create_index([("created_at", ASCENDING)], name="by_created")
    db.recipients.create_index([("created_at", ASCENDING)], name="by_created")
    db.number_days.create_index([("number", ASCENDING), ("day", ASCENDING)], name="by_number_day")


# --- messages -----------------------------------------------------------------------------

def create_message(db, message):
    """Returns ``(message, created)``; ``created`` is False for a duplicate event."""
    return insert_or_get(db.messages, message)


def get_message(db, message_id):
    return db.messages.find_one({"_id": message_id})


def record(db, message_id, fields, entry=None):
    """Set ``fields`` and append ``entry`` to the history (by ``_id``)."""
    update = {"$set": fields}
    if entry is not None:
        update["$push"] = {"history": {k: v for k, v in entry.items() if v is not None}}
    db.messages.update_one({"_id": message_id}, update)


def record_many(db, message_id, fields, entries):
    """``record`` with several history entries in one write."""
    entries = [{k: v for k, v in e.items() if v is not None} for e in entries]
    db.messages.update_one({"_id": message_id},
                           {"$set": fields, "$push": {"history": {"$each": entries}}})


def messages_for(db, reference):
    return list(db.messages.find({"reference": reference}, sort=[("created_at", ASCENDING)],
                                 limit=REFERENCE_LIMIT))


def counts(db, channel=None):
    """``[{"channel", "status", "count"}]`` (operator view: one aggregation)."""
    pipeline = []
    if channel:
        pipeline.append({"$match": {"channel": channel}})
    pipeline += [{"$group": {"_id": {"channel": "$channel", "status": "$status"},
                             "count": {"$sum": 1}}},
                 {"$sort": {"_id.channel": 1, "_id.status": 1}}]
    out = []
    for row in db.messages.aggregate(pipeline):
        out.append({"channel": row["_id"].get("channel"), "status": row["_id"].get("status"),
                    "count": row["count"]})
    out.sort(key=lambda r: (r["channel"] or "", r["status"] or ""))
    return out


# --- delivery steps -----------------------------------------------------------------------

def claim_step(db, key, now):
    return claim(db.steps, key, at=now, done=False)


def get_step(db, key):
    return db.steps.find_one({"_id": key})


# --- recipients ---------------------------------------------------------------------------

def put_recipient(db, reference, prefs, keep, now):
    """The first event naming the recipient wins; a redelivery changes nothing."""
    return insert_unique(db.recipients, {"_id": reference, "prefs": prefs, "context": keep,
                                         "created_at": now})


def get_recipient(db, reference):
    return db.recipients.find_one({"_id": reference})


def set_preferences(db, reference, prefs, now):
    db.recipients.update_one({"_id": reference},
                             {"$set": {"prefs": prefs, "prefs_set_at": now},
                              "$setOnInsert": {"context": {}, "created_at": now}},
                             upsert=True)


# --- domain state -------------------------------------------------------------------------

def _state_key(source, reference):
    return "{}:{}".format(source, reference)


def put_state(db, source, reference, state, now, first=False):
    """Move the state forward only (``facts.newer``): events arrive on separate queues, so a
    ``ticket_issued`` handled after ``ticket_called`` must not make the ticket wait again.
    ``first``: the event that starts the state (usually nothing is stored yet: insert first)."""
    key = _state_key(source, reference)
    if first and insert_unique(db.states, dict(state, _id=key, at=now)):
        return True
    for _ in range(3):
        old = db.states.find_one({"_id": key})
        if old is None:
            if insert_unique(db.states, dict(state, _id=key, at=now)):
                return True
            continue
        if not facts.newer(old, state):
            return False
        merged = dict(state, at=now)
        merged.setdefault("call_seq", old.get("call_seq"))
        db.states.update_one({"_id": key}, {"$set": merged})
        return True
    return False


def close(db, source, reference, status, now):
    return claim(db.states, _state_key(source, reference) + ":closed", status=status, at=now)


def domain_state(db, source, reference):
    """``{"status": ..., "call_seq": ...}`` or None when nothing is known yet."""
    key = _state_key(source, reference)
    closed = db.states.find_one({"_id": key + ":closed"})
    if closed is not None:
        return {"status": closed["status"]}
    state = db.states.find_one({"_id": key})
    if state is None:
        return None
    return {"status": state.get("status"), "call_seq": state.get("call_seq")}


# --- quiet hours ----------------------------------------------------------------------------

def defer(db, message_id, until):
    insert_unique(db.deferred, {"_id": message_id, "until": until})


def due_deferred(db, now, limit=100):
    return list(db.deferred.find({"until": {"$lte": now}}, limit=limit))


def undefer(db, message_id):
    db.deferred.delete_one({"_id": message_id})


# --- retention ------------------------------------------------------------------------------

def scrub(db, cutoff, limit=SCRUB_BATCH):
    """Remove personal data from messages and recipients created before ``cutoff``; status,
    history and counts stay. Returns ``{"messages": n, "recipients": n}``."""
    unset = {f: "" for f in PERSONAL_MESSAGE_FIELDS}
    done = {"messages": 0, "recipients": 0}
    old = db.messages.find({"created_at": {"$lt": cutoff}, "scrubbed": {"$ne": True}},
                           {"_id": 1}, limit=limit)
    for doc in list(old):
        db.messages.update_one({"_id": doc["_id"]}, {"$unset": unset, "$set": {"scrubbed": True}})
        done["messages"] += 1
    old = db.recipients.find({"created_at": {"$lt": cutoff}, "scrubbed": {"$ne": True}},
                             {"_id": 1}, limit=limit)
    for doc in list(old):
        db.recipients.update_one({"_id": doc["_id"]},
                                 {"$unset": {"prefs": "", "context": ""},
                                  "$set": {"scrubbed": True}})
        done["recipients"] += 1
    db.steps.delete_many({"at": {"$lt": cutoff}})
    db.confirm_failures.delete_many({"at": {"$lt": cutoff}})  # a day's count, long past
    return done


# --- provider reports and opt-outs ----------------------------------------------------------

def message_by_provider_id(db, provider_id):
    return db.messages.find_one({"provider_id": provider_id}, {"_id": 1})


def claim_report(db, key, channel, now):
    """A provider report taken once: False when the same report (its body's digest) came
    before (a provider's retry or a replay)."""
    return claim(db.provider_reports, key, channel=channel, at=now)


def release_report(db, key):
    db.provider_reports.delete_one({"_id": key})


def add_opt_out(db, phone_key, channel, now):
    db.opt_outs.update_one({"_id": phone_key}, {"$addToSet": {"channels": channel},
                                                "$set": {"updated_at": now}}, upsert=True)


def opted_out_channels(db, phone_key):
    doc = db.opt_outs.find_one({"_id": phone_key})
    return list((doc or {}).get("channels") or [])


# -- messages per phone number and day (the pumping cap) --------------------------------------

def count_for_number(db, number_key, day, message_key, cap):
    """Count ``message_key`` against the number's day; False when the day's ``cap`` places
    are taken by other messages. Each place is a unique insert (concurrent workers never
    both take the last one) and a redelivered message keeps its place; ``number_key`` is a
    hash of the number, never the number."""
    mark = "{}:{}:m:{}".format(number_key, day, message_key)
    if db.number_days.find_one({"_id": mark}):
        return True
    for place in range(cap):
        if insert_unique(db.number_days, {"_id": "{}:{}:s:{}".format(number_key, day, place),
                                          "number": number_key, "day": day}):
            insert_unique(db.number_days, {"_id": mark, "number": number_key, "day": day})
            return True
    return False


# -- confirmed phone numbers (``confirmation``) -------------------------------------------------

def number_confirmed(db, phone_key):
    return db.confirmed_numbers.find_one({"_id": phone_key}, {"_id": 1}) is not None


def confirm_number(db, phone_key, how, now):
    insert_or_get(db.confirmed_numbers, {"_id": phone_key, "how": how, "at": now})


def confirm_failures(db, phone_key, day):
    return db.confirm_failures.count_documents({"number": phone_key, "day": day})


def record_confirm_failure(db, phone_key, day, now):
    db.confirm_failures.insert_one({"number": phone_key, "day": day, "at": now})
