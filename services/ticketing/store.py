"""Ticketing persistence (MongoDB / FerretDB): the one module that talks to the collections.

Facts that shape every query here:

1. FerretDB v1's updates are not atomic; an insert against a unique index is. So every race
   is decided by an insert (``services.common.mongo``, ``services.common.sequences``).
2. FerretDB v1 (SQLite backend) pushes down to SQL only a filter that is exactly
   ``{"_id": value}``; any other filter, sort or count scans the whole collection in Go. So
   the hot paths (issuing, calling) touch documents by ``_id`` alone and never scan.
   (MongoDB uses the secondary indexes; they stay for it and for the unique checks.)
3. In FerretDB v1.24.2 (``explain`` says ``SCAN``) even that pushed-down ``_id`` filter does
   not use the ``_id`` index: the index is built on ``_ferretdb_sjson->"_id"`` while queries
   say ``_ferretdb_sjson->'$._id'``. A hit costs in proportion to the row's position in the
   table; a miss and every update/replace/delete by ``_id`` scan the whole table. Making the
   two expressions equal (``IDColumn`` in ``internal/backends/sqlite/metadata/metadata.go``)
   turns all of them into index searches. Without that patch the growing collections must
   stay insert-only (see ``queue``); on MongoDB none of this matters.

Tickets
-------
A ticket's ``_id`` is its number's claim: ``<service_id>:<day>:<seq:06d>``, a gapless
sequence (``services.common.sequences``) whose hint is the ``t_n`` field of the
service-day's lane hints: every ticket number is also the position of a walk-in in the
"new" lane.

Every ticket also has a unique ``idem`` field: the hash of the client's idempotency key (or a
random value when there is none). A retried request finds its ticket through the
``idempotency`` document (by ``_id``); if it crashed before writing that document, the unique
``idem`` index still refuses a second ticket for the same key.

The ``sequences`` collection holds four kinds of small documents, told apart by ``_id``:
the lanes' hints ``lanes:<service>:<day>``, the call log's tail hint ``tail:calls:<day>``,
the near-front scan's hints ``near:<service>:<day>:<lane>`` and the calling rule's counts
``passover:<service>:<day>``.
"""
import hashlib
import uuid

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from services.common.mongo import claim as claim_key
from services.common.mongo import duplicate_keys_as_such, insert_unique
from services.common.sequences import Hint, LimitReached, Sequence
from services.ticketing import bookings, numbering, queue, states

MAX_NUMBER_ATTEMPTS = 500

# the next number would pass the day's walk-in quota (nothing was written)
QuotaReached = LimitReached


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


def ensure_indexes(db):
    db.tickets.create_index([("idem", ASCENDING)], unique=True, name="unique_idem")
    db.tickets.create_index(
        [("service_id", ASCENDING), ("day", ASCENDING), ("seq", ASCENDING)],
        unique=True, name="number_per_service_day",
    )
    db.services.create_index([("prefix", ASCENDING)], unique=True, name="unique_prefix")


# -- catalogue and settings ------------------------------------------------------------------

def upsert_catalogue_item(db, collection, document, on_insert=None):
    """Create or update a catalogue entry; ``on_insert`` fields (e.g. a counter's live
    status) are only set when the entry is new, so reloading the catalogue keeps them."""
    fields = {k: v for k, v in document.items() if k != "_id"}
    update = {"$set": fields}
    if on_insert:
        update["$setOnInsert"] = on_insert
    upsert(db[collection], document["_id"], update)


class PrefixTaken(Exception):
    """Another service has this ticket prefix (the unique ``prefix`` index refused it)."""


def upsert_service(db, document):
    try:
        upsert_catalogue_item(db, "services", document)
    except DuplicateKeyError:
        raise PrefixTaken(document["prefix"]) from None


def get_service(db, service_id):
    return db.services.find_one({"_id": service_id})


def record_standard_applied(db, service_id, version, terms):
    """An adopted standard's terms for a service (``standards_applied``, once per version)."""
    insert_unique(db.standards_applied, dict(
        terms, _id="{}:{:04d}".format(service_id, version), service_id=service_id,
        version=version))


def standards_applied(db, service_id=None):
    """``{service id: [records]}`` of adopted standards (a few per service)."""
    out = {}
    for doc in db.standards_applied.find({"service_id": service_id} if service_id else {}):
        out.setdefault(doc["service_id"], []).append(doc)
    return out


def set_service_terms(db, service_id, fields):
    """The terms an adopted standard sets on a service (the same values on every retry)."""
    db.services.update_one({"_id": service_id}, {"$set": fields})


def get_agency(db, code):
    return db.agencies.find_one({"_id": code})


def retire_agency(db, code, at):
    db.agencies.update_one({"_id": code}, {"$set": {"retired_at": at}})


def list_agencies(db):
    return list(db.agencies.find({}, sort=[("_id", ASCENDING)]))


def list_services(db, agency=None):
    query = {} if agency is None else {"agency": agency}
    return list(db.services.find(query, sort=[("prefix", ASCENDING)]))


def put_settings(db, settings):
    replace(db.settings, dict(settings, _id="mpp"))


def get_rules(db):
    """The MPP-wide rules (calling rule, near-front position, zone) as stored, or ``{}``."""
    doc = db.settings.find_one({"_id": "rules"}) or {}
    doc.pop("_id", None)
    return doc


def put_rules(db, rules):
    replace(db.settings, dict(rules, _id="rules"))


def calendar_copies(db):
    """Where ``services.common.calendar`` keeps the MPP calendar's copy (``mpp_calendar:…``
    documents beside the settings)."""
    return db.settings


# -- hints: lower bounds kept in ``sequences`` (see ``services.common.sequences``) ----------

def _Hint(db, hint_id, field):
    return Hint(db.sequences, hint_id, field)


def hints_key(service_id, day):
    return "lanes:{}:{}".format(service_id, day)


# -- tickets ---------------------------------------------------------------------------------

def idem_hash(service_id, idempotency_key):
    """The ``idem`` value: derived from the client's key, or random when there is none."""
    if idempotency_key is None:
        return "r:" + uuid.uuid4().hex
    return "k:" + hashlib.sha256("{}\x00{}".format(service_id, idempotency_key).encode()).hexdigest()


def ticket_key(service_id, day, seq):
    return "{}:{}:{:06d}".format(service_id, day, seq)


def _ticket_sequence(db, service_id, day):
    return Sequence(db.tickets, "{}:{}".format(service_id, day),
                    _Hint(db, hints_key(service_id, day), "t_" + queue.NEW))


def find_by_idempotency(db, idem):
    if not idem.startswith("k:"):
        return None
    record = db.idempotency.find_one({"_id": idem})
    if record is not None:
        return db.tickets.find_one({"_id": record["ticket_id"]})
    return None


def ticket_by_idempotency(db, service_id, idempotency_key):
    """The ticket a retried request with this key already created, or None (by ``_id``)."""
    if idempotency_key is None:
        return None
    return find_by_idempotency(db, idem_hash(service_id, idempotency_key))


def take_walk_in_place(db, tails, service_id, day, quota, idem):
    """A place of the day's walk-in quota once the day's numbers have passed it.

    While ticket numbers are within the quota, a walk-in needs no place: fewer tickets than
    the quota were issued, walk-ins or not (``issuing.enqueue`` inserts with the quota as the
    numbers' limit). Past it, a walk-in takes the next of the gapless sequence
    ``quota/_id = "<service>:<day>:<k>"``, refused (``QuotaReached``) above the quota less
    the walk-ins among the numbers within it (every one of them is taken by then, so each
    process counts the same, once). Exact under any concurrency (places are tried in order);
    only walk-ins count, so check-ins, transfers and visits' next steps never use the quota
    up. A request that dies after its place and before its ticket leaves the place used."""
    numbered = _walk_ins_numbered(db, service_id, day, quota)
    tails.append(Sequence(db.quota, "{}:{}".format(service_id, day),
                          _Hint(db, hints_key(service_id, day), "quota")),
                 lambda k: {"idem": idem}, limit=quota - numbered)


_NUMBERED = {}   # per process: walk-ins among a service-day's numbers within its quota


def _walk_ins_numbered(db, service_id, day, quota):
    key = (db.name, service_id, day, quota)
    if key not in _NUMBERED:
        _NUMBERED[key] = sum(
            1 for n in range(1, quota + 1)
            if (db.tickets.find_one({"_id": ticket_key(service_id, day, n)}, {"quota": 1})
                or {}).get("quota"))
    return _NUMBERED[key]


# this process's last ticket of each service-day: ``(number, issued_at)``
_LAST_ISSUED = {}


def insert_ticket(db, tails, ticket, prefix, limit=None):
    """Insert ``ticket`` (which has ``service_id``, ``day``, ``lane``, ``issued_at`` and
    ``idem``) with the next free number of its service and day, formatted with the service's
    ``prefix``. ``tails``: this process's ``sequences.Tails``.

    ``issued_at`` is raised to the previous number's, so issue times never go down along the
    numbers (clocks of two instances may differ a little): the new lane is then in arrival
    order, which the position arithmetic relies on (``queue``). A ticket of another lane
    leaves its number dead in the new lane: its departure is noted before the insert
    (``note_departure``; a departure is only counted once its entry is seen dead).

    Returns ``(ticket, created)``; ``created`` is False when the idempotency key was used.
    ``limit``: raise ``LimitReached`` rather than take a number above it (nothing written)."""
    service_id, day = ticket["service_id"], ticket["day"]
    sequence = _ticket_sequence(db, service_id, day)

    def document(n):
        doc = dict(ticket, seq=n, number=numbering.ticket_number(prefix, n))
        known = _LAST_ISSUED.get(sequence.name)
        if known is not None and known[0] == n - 1:   # this process issued the one before
            before = {"issued_at": known[1]}
        else:
            before = db.tickets.find_one({"_id": sequence.key(n - 1)}, {"issued_at": 1})
        if before is not None and before["issued_at"] > doc["issued_at"]:
            doc["issued_at"] = before["issued_at"]
            if ticket["lane"] == queue.NEW:
                doc["arrived_at"] = before["issued_at"]
        if ticket["lane"] != queue.NEW:
            note_departure(db, tails, service_id, day, queue.NEW, n)
        return doc

    with tails.turn(sequence):
        try:
            # A process that issued the last number skips the hint read: it tries the next
            # one and probes only when another process was faster.
            n, doc = sequence.append(document, last=tails.known(sequence), limit=limit,
                                     attempts=MAX_NUMBER_ATTEMPTS, check_clash=True)
        except DuplicateKeyError:
            # not the number: the idempotency key. A concurrent retry of the same request
            # won (rare, so the scan on ``idem`` is acceptable here).
            return db.tickets.find_one({"idem": ticket["idem"]}), False
        tails.remember(sequence, n)
        _LAST_ISSUED[sequence.name] = (n, doc["issued_at"])
    if ticket["idem"].startswith("k:"):
        # an insert, never an update: updates scan on FerretDB
        insert_unique(db.idempotency, {"_id": ticket["idem"], "ticket_id": doc["_id"]})
    return doc, True


def service_by_prefix(db, prefix):
    return db.services.find_one({"prefix": prefix})


def ticket_id_by_seq(db, service_id, day, seq):
    """The id of a service's ``seq``-th ticket of ``day`` (the ``number_per_service_day``
    index), or None."""
    doc = db.tickets.find_one({"service_id": service_id, "day": day, "seq": seq}, {"_id": 1})
    return doc["_id"] if doc else None


# -- the outbox: tickets whose ``ticket_issued`` is owed ------------------------------------
# ``owed/_id = <idem>`` is inserted when a ticket's announcement fails (the broker is lost)
# and deleted once the outbox has announced it: a small collection, empty while the broker
# is up.

def owe_announcement(db, idem, service_id, at):
    insert_unique(db.owed, {"_id": idem, "service_id": service_id, "at": at})


def announcement_paid(db, idem):
    db.owed.delete_one({"_id": idem})



def owed_before(db, at, limit=100):
    return list(db.owed.find({"at": {"$lt": at}}).limit(limit))


# ``issuers/_id = <process id>``: each issuing process's heartbeat (``outbox``): when it was
# last heard of, and the issue time before which every ticket it inserted was announced or
# marked owed. One small document per running process.

def beat(db, issuer_id, at, settled_before):
    replace(db.issuers, {"_id": issuer_id, "at": at, "settled_before": settled_before})


def silent_issuers(db, before):
    return list(db.issuers.find({"at": {"$lt": before}}))


def forget_issuer(db, issuer_id):
    db.issuers.delete_one({"_id": issuer_id})


def tickets_issued_by(db, issuer_id, since):
    """The tickets a process inserted from ``since`` on (a scan: only for a process that
    went silent)."""
    return list(db.tickets.find({"by": issuer_id, "issued_at": {"$gte": since}}))


def ticket_of_idem(db, idem):
    """The ticket an ``idem`` value created, or None (by ``_id`` for a client's key; a scan
    on ``idem`` otherwise: only for an announcement a broker loss left owed)."""
    return find_by_idempotency(db, idem) or db.tickets.find_one({"idem": idem})


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
    return insert_unique(db.transitions, dict(
        record, _id=states.transition_key(ticket["_id"], changes), ticket_id=ticket["_id"],
        action=action, set=changes, at=now, day=ticket.get("day")))


# -- contacts: how to reach a ticket's holder, kept apart from the (insert-only) ticket so
#    that the day's close-out can delete them (a small collection: only open days) --------

def put_contact(db, ticket_id, contact, day):
    if contact:
        insert_unique(db.contacts, {"_id": ticket_id, "contact": contact, "day": day})


def contact_of(db, ticket_id):
    doc = db.contacts.find_one({"_id": ticket_id})
    return doc["contact"] if doc else None


def delete_contacts_until(db, day):
    db.contacts.delete_many({"day": {"$lte": day}})


def history(db, ticket_id, upto):
    return [db.transitions.find_one({"_id": "{}:v{}".format(ticket_id, v)})
            for v in range(1, upto + 1)]


# -- the queue's lanes (see ``queue``) --------------------------------------------------------

_END = object()


def lane_prefix(service_id, day, lane):
    return "{}:{}:{}".format(service_id, day, lane)


def entry_key(service_id, day, lane, n):
    return "{}:{:06d}".format(lane_prefix(service_id, day, lane), n)


def position_key(ticket_id, q):
    return "{}:q{}".format(ticket_id, q)


def _lane_sequence(db, service_id, day, lane):
    return Sequence(db.lanes, lane_prefix(service_id, day, lane),
                    _Hint(db, hints_key(service_id, day), "t_" + lane))


def head(db, service_id, day, lane):
    return max(1, Hint(db.sequences, hints_key(service_id, day), "h_" + lane).read())


def advance_head(db, service_id, day, lane, n):
    _Hint(db, hints_key(service_id, day), "h_" + lane).raise_to(n)


def claim_entry(db, tails, ticket, lane, now):
    """Insert the ticket's next entry in ``lane`` (generation ``ticket["q"]``) and its
    position record; returns ``n``."""
    service_id, day, q = ticket["service_id"], ticket["day"], ticket.get("q", 0)
    note_entry(db, tails, service_id, day, lane, ticket["_id"], q)
    n, _ = tails.append(
        _lane_sequence(db, service_id, day, lane),
        lambda n: {"ticket_id": ticket["_id"], "q": q, "at": now, "n": n})
    insert_unique(db.positions, {"_id": position_key(ticket["_id"], q), "lane": lane, "n": n})
    return n


def position_of(db, ticket):
    """``(lane, n)`` of a waiting ticket's current entry, or None."""
    if ticket.get("lane") == queue.NEW and ticket.get("q", 0) == 0:
        return queue.NEW, ticket["seq"]
    doc = db.positions.find_one({"_id": position_key(ticket["_id"], ticket.get("q", 0))})
    return (doc["lane"], doc["n"]) if doc else None


def _probe(db, service_id, day, lane, n):
    """The live ticket at entry ``n`` of a lane, None (dead entry) or ``_END`` (no entry)."""
    if lane == queue.NEW:
        ticket = current_ticket(db, ticket_key(service_id, day, n))
        if ticket is None:
            return _END
        return ticket if queue.is_live_walk_in(ticket) else None
    entry = db.lanes.find_one({"_id": entry_key(service_id, day, lane, n)})
    if entry is None:
        return _END
    ticket = current_ticket(db, entry["ticket_id"])
    return ticket if queue.is_live(entry, ticket) else None


def first_live(db, service_id, day, lane, max_probe=100000, hints=None):
    """``(n, ticket)``: the first live entry of a lane, or ``(end, None)`` with ``end`` the
    first missing entry when none is live. Raises the head hint past the dead entries it
    stepped over. ``hints``: the lanes' hints document, when the caller has read it."""
    first = n = (head(db, service_id, day, lane) if hints is None
                 else max(1, hints.get("h_" + lane, 0)))
    found = None
    for _ in range(max_probe):
        ticket = _probe(db, service_id, day, lane, n)
        if ticket is _END:
            break
        if ticket is not None:
            found = ticket
            break
        n += 1
    if n > first:
        advance_head(db, service_id, day, lane, n)
    return n, found


def head_candidate(db, service_id, day, lane):
    """``(n, ticket)`` of the first live entry of a lane, or None."""
    n, ticket = first_live(db, service_id, day, lane)
    return (n, ticket) if ticket is not None else None


# -- the queue's changes: entries that died away from their lane's head, calls, new entries --
#
# A lane's live entries are those from its first live entry (the head) to its last entry,
# less the ones that died while others waited before them: cancelled, called by name,
# transferred, closed out, or (in the new lane) a number that a ticket of another lane took.
# Each such death first appends a *departure* to the service-day's change log
# ``departures/_id = "<service>:<day>:<k:06d>"`` (``{lane, n}``: the entry) and then happens;
# a departure counts once its entry is seen dead (a writer that lost its race or died in
# between leaves a departure that never counts). Call-next notes its candidate the same way
# (``{lane, n, call: True}``; a call takes the head, so it never counts between a head and a
# tail), and a ticket joining the priority or returned lane notes its entry before it is
# appended (``{lane, entry: ticket_id, q}``). Walk-ins write nothing here: their entries are
# their numbers.
#
# So every change of a service-day's queue other than a walk-in's arrival is announced in
# this one log before it happens, and a record is *settled* once its change has happened (its
# entry is dead; its new entry has its position record). Liveness only goes from live to
# dead, so a process remembers what it has seen for good (``CHANGES``): a count reads the
# records appended since, and probes only the entries not yet seen dead. And when every record
# read is settled, the lanes just read (heads, the priority and returned tails) stay true
# until the next record: ``queue_for_ahead`` then answers a position from memory after one
# read (is there a record after the last one seen?), which keeps issuing a ticket cheap.

def _change_sequence(db, service_id, day):
    return Sequence(db.departures, "{}:{}".format(service_id, day),
                    _Hint(db, hints_key(service_id, day), "d"))


def note_departure(db, tails, service_id, day, lane, n, call=False):
    record = {"lane": lane, "n": n}
    if call:
        record["call"] = True
    tails.append(_change_sequence(db, service_id, day), lambda k: record)


def note_leaving(db, tails, ticket):
    """Note the departure of a waiting ticket's current entry (before the change that takes
    it out of its lane)."""
    where = position_of(db, ticket)
    if where is not None:
        note_departure(db, tails, ticket["service_id"], ticket["day"], *where)


def note_entry(db, tails, service_id, day, lane, ticket_id, q):
    tails.append(_change_sequence(db, service_id, day),
                 lambda k: {"lane": lane, "entry": ticket_id, "q": q})


def _read_on(sequence, n):
    """``(n, document)`` of a gapless sequence from ``n`` to its end, by ``_id``."""
    while True:
        doc = sequence.collection.find_one({"_id": sequence.key(n)})
        if doc is None:
            return
        yield n, doc
        n += 1


class _DayChanges:
    """What this process has read of one service-day's change log."""

    def __init__(self):
        self.read = 0                                    # the last record read
        self.pending = {lane: set() for lane in queue.LANES}   # departures not seen dead
        self.dead = {lane: set() for lane in queue.LANES}
        self.calls = set()                               # (lane, n) of calls not seen done
        self.entries = set()                             # (ticket_id, q) not yet appended
        self.snapshot = None                             # (k, {lane: Lane.known()})


class ChangeMemory:
    """Per process: the change log read so far of each service-day, which of its entries
    are known dead (for good), and the lanes as they were when every record was settled."""

    def __init__(self):
        self._days = {}

    def day(self, db, service_id, day):
        sequence = _change_sequence(db, service_id, day)
        return sequence, self._days.setdefault(sequence.name, _DayChanges())

    def refresh(self, db, service_id, day):
        """Read the records appended since this process last looked; returns the last
        record's number."""
        sequence, memory = self.day(db, service_id, day)
        for k, doc in _read_on(sequence, memory.read + 1):
            if "entry" in doc:
                memory.entries.add((doc["entry"], doc.get("q", 0)))
            elif doc.get("call"):
                memory.calls.add((doc["lane"], doc["n"]))
            else:
                memory.pending[doc["lane"]].add(doc["n"])
            memory.read = max(memory.read, k)
        return memory.read

    def dead(self, db, service_id, day, lane, low, high):
        """The entries in ``(low, high]`` of a lane that departed (sorted), of the departures
        read so far (``refresh``)."""
        _, memory = self.day(db, service_id, day)
        pending, dead = memory.pending[lane], memory.dead[lane]
        for n in sorted(x for x in pending if low < x <= high):
            if _probe(db, service_id, day, lane, n) is None:
                pending.discard(n)
                dead.add(n)
        return sorted(x for x in dead if low < x <= high)

    def settled(self, db, service_id, day):
        """Whether every record read so far has happened (probing the ones not yet seen)."""
        _, memory = self.day(db, service_id, day)
        for lane in queue.LANES:
            for n in sorted(memory.pending[lane]):
                if _probe(db, service_id, day, lane, n) is None:
                    memory.pending[lane].discard(n)
                    memory.dead[lane].add(n)
        for lane, n in sorted(memory.calls):
            if _probe(db, service_id, day, lane, n) is None:
                memory.calls.discard((lane, n))
        for ticket_id, q in sorted(memory.entries):
            if _entry_appended(db, ticket_id, q):
                memory.entries.discard((ticket_id, q))
        return not (any(memory.pending.values()) or memory.calls or memory.entries)


def _entry_appended(db, ticket_id, q):
    """A noted entry has happened: its position record exists, or its ticket no longer
    waits in that generation (nothing more will be appended for it)."""
    if db.positions.find_one({"_id": position_key(ticket_id, q)}, {"_id": 1}) is not None:
        return True
    ticket = current_ticket(db, ticket_id)
    return ticket is None or ticket.get("status") != "waiting" or ticket.get("q", 0) != q


CHANGES = ChangeMemory()


# -- the lanes as they are now: exact counts for waiting, positions and what comes next -----

class Lane:
    """One lane of a service-day as it is now: ``head`` (first live entry), ``tail`` (last
    entry) and the dead entries between (``dead``). The tail is probed only when asked for
    (a new ticket's own position does not need it)."""

    def __init__(self, db, service_id, day, lane, hints=None, known=None):
        self.db, self.service_id, self.day, self.lane = db, service_id, day, lane
        if known is None:
            self.head, self.head_ticket = first_live(db, service_id, day, lane, hints=hints)
            self._tail_hint = hints.get("t_" + lane, 0)
            self._tail = None
            self._open = False
        else:   # remembered (``queue_for_ahead``)
            self.head, self.head_ticket, self._tail, self._tail_hint = known
            # walk-ins may have joined the new lane since, even when it was empty then
            self._open = lane == queue.NEW

    def known(self):
        """What ``queue_for_ahead`` remembers of the lane: its head and, but for the new
        lane (walk-ins add to it without a change record), its tail; the new lane's tail
        as known then stays a lower bound."""
        if self.lane == queue.NEW:
            return self.head, self.head_ticket, None, max(self._tail or 0, self._tail_hint)
        return self.head, self.head_ticket, self.tail, 0

    @property
    def tail(self):
        if self._tail is None:
            if self.head_ticket is None and not self._open:
                self._tail = self.head - 1
            else:
                sequence = (_ticket_sequence(self.db, self.service_id, self.day)
                            if self.lane == queue.NEW
                            else _lane_sequence(self.db, self.service_id, self.day, self.lane))
                # an open lane's head may not exist yet
                tail = max(self.head - (1 if self.head_ticket is None else 0),
                           self._tail_hint)
                while sequence.taken(tail + 1):
                    tail += 1
                self._tail = tail
        return self._tail

    def dead_upto(self, high):
        if self.head_ticket is None:
            return []
        return CHANGES.dead(self.db, self.service_id, self.day, self.lane, self.head, high)

    @property
    def dead(self):
        return self.dead_upto(self.tail)

    @property
    def live(self):
        return self.tail - self.head + 1 - len(self.dead)

    def live_before(self, n):
        """Live entries before entry ``n`` (``n`` within the lane)."""
        if n <= self.head:
            return 0
        return n - self.head - len(self.dead_upto(n - 1))

    def entries(self, upto=None, limit=None):
        """The live entry numbers from the head: up to ``upto`` (inclusive, an entry known to
        exist), or the first ``limit`` (probing for the lane's end only as far as needed),
        or all of them."""
        if self.head_ticket is None:
            return []
        if upto is None and limit is None:
            upto = self.tail
        dead = set(self.dead_upto(upto if upto is not None else float("inf")))
        out, n = [], self.head
        while (upto is None or n <= upto) and (limit is None or len(out) < limit):
            if n not in dead:
                if upto is None and n != self.head and self.ticket(n) is None:
                    break   # the lane's end
                out.append(n)
            n += 1
        return out

    def ticket(self, n):
        if n == self.head:
            return self.head_ticket
        return KEYS.ticket(self.db, self.service_id, self.day, self.lane, n)


class KeyMemory:
    """Per process: the ticket behind a lane entry, for the order of regular tickets
    (``arrived_at``, ``_id`` and ``issued_at`` never change), so positions re-read nothing
    they have seen."""

    def __init__(self, size=200000):
        self.size = size
        self._tickets = {}

    def ticket(self, db, service_id, day, lane, n):
        key = (db.name, service_id, day, lane, n)
        hit = self._tickets.get(key)
        if hit is None:
            q = 0
            if lane == queue.NEW:
                doc = db.tickets.find_one({"_id": ticket_key(service_id, day, n)})
            else:
                entry = db.lanes.find_one({"_id": entry_key(service_id, day, lane, n)})
                doc = db.tickets.find_one({"_id": entry["ticket_id"]}) if entry else None
                q = entry["q"] if entry else 0
            if doc is None:
                return None
            if len(self._tickets) >= self.size:
                self._tickets.clear()
            hit = self._tickets[key] = dict({k: doc.get(k) for k in (
                "_id", "arrived_at", "issued_at", "number", "agency", "service_id",
                "priority_group", "booking_code")}, q=q)
        return hit


KEYS = KeyMemory()


def queue_now(db, service_id, day, refreshed=False):
    """``({lane: Lane}, streak)`` of a service-day: what a position, a waiting count or the
    next calls are computed from. ``streak()`` reads the fairness rule's count of priority
    calls in a row (only asked for when a priority ticket waits). ``refreshed``: the caller
    has just read the change log."""
    hints = db.sequences.find_one({"_id": hints_key(service_id, day)}) or {}
    lanes = {lane: Lane(db, service_id, day, lane, hints) for lane in queue.LANES}
    if not refreshed and any(lane.head_ticket is not None for lane in lanes.values()):
        CHANGES.refresh(db, service_id, day)
    return lanes, lambda: call_streak(db, service_id, day, hints)


def queue_for_ahead(db, service_id, day):
    """``queue_now`` for a position: from this process's memory, after one read, when the
    change log has no record since the lanes were last read with every record settled
    (*the queue's changes*); else read as ``queue_now`` (and remembered when settled)."""
    sequence, memory = CHANGES.day(db, service_id, day)
    snapshot = memory.snapshot
    if snapshot is not None and not sequence.taken(snapshot[0] + 1):
        return ({name: Lane(db, service_id, day, name, known=known)
                 for name, known in snapshot[1].items()},
                lambda: call_streak(db, service_id, day))
    k = CHANGES.refresh(db, service_id, day)
    settled = CHANGES.settled(db, service_id, day)   # before the lanes are read
    lanes, streak = queue_now(db, service_id, day, refreshed=True)
    if settled:
        known = {name: lane.known() for name, lane in lanes.items()}
        if memory.snapshot is None or memory.snapshot[0] <= k:
            memory.snapshot = (k, known)
    return lanes, streak


def new_before(db, lanes, key):
    """Live entries of the new lane whose ``regular_key`` is below ``key`` (the new lane is
    in arrival order: a binary search over its numbers)."""
    lane = lanes[queue.NEW]
    low, high = lane.head, lane.tail + 1          # first number with a key >= ``key``
    while low < high:
        mid = (low + high) // 2
        doc = KEYS.ticket(db, lane.service_id, lane.day, queue.NEW, mid)
        if (doc["issued_at"], str(doc["_id"])) < key:
            low = mid + 1
        else:
            high = mid
    return lane.live_before(low) if low > lane.head else 0


def ahead_of(db, lanes, streak, limit, lane_name, n, ticket):
    """How many tickets call-next will call before the waiting ticket at entry ``n`` of
    ``lane_name``, if nothing else arrives (``queue``: *Calling order and position*).
    ``streak``: reads the priority calls in a row (``queue_now``)."""
    priority = lanes[queue.PRIORITY]
    if lane_name == queue.PRIORITY:
        i = priority.live_before(n)
        regular_live = lanes[queue.RETURNED].live + lanes[queue.NEW].live
        return i + queue.regular_ahead(i, regular_live, streak(), limit)
    returned = lanes[queue.RETURNED]
    if lane_name == queue.NEW:
        j = lanes[queue.NEW].live_before(n)
        keys = [queue.regular_key(returned.ticket(m)) for m in returned.entries()]
        j += queue.returned_before(keys, queue.regular_key(ticket))
    else:
        mine = returned.entries(upto=n)
        top = max(queue.regular_key(returned.ticket(m)) for m in mine)
        j = len(mine) - 1 + new_before(db, lanes, top)
    waiting_priority = priority.live
    if not waiting_priority:
        return j
    return j + queue.priority_ahead(j, waiting_priority, streak(), limit)


def upcoming(db, lanes, streak, limit, count):
    """The next ``count`` tickets call-next will call, in order (``queue.call_order``), each
    with the lane it waits in (``queue_lane``) and its queue generation ``q``."""
    per_lane = {name: [dict(lane.ticket(n), queue_lane=name) for n in lane.entries(limit=count)]
                for name, lane in lanes.items()}
    return queue.call_order(per_lane[queue.PRIORITY], per_lane[queue.RETURNED],
                            per_lane[queue.NEW], streak(), limit)[:count]


def bulk_waiting(db, service, day, count, now, batch=5000):
    """Seed ``count`` waiting walk-in tickets after the last number with ``insert_many``:
    the same document shapes as issuing (a walk-in's lane entry is the ticket itself), for
    benchmarks and load tests. Not for concurrent use (it claims nothing)."""
    service_id = service["_id"]
    sequence = _ticket_sequence(db, service_id, day)
    first_seq = sequence.highest() + 1
    for start in range(0, count, batch):
        tickets = []
        for i in range(start, min(count, start + batch)):
            seq = first_seq + i
            ticket_id = sequence.key(seq)
            tickets.append({
                "_id": ticket_id, "seq": seq,
                "number": numbering.ticket_number(service["prefix"], seq),
                "service_id": service_id, "agency": service["agency"], "day": day,
                "status": "waiting", "version": 0, "q": 0, "priority_group": None,
                "language": "id", "issued_at": now, "arrived_at": now, "access_token": "bench",
                "idem": "r:bulk:{}".format(ticket_id), "lane": queue.NEW})
        db.tickets.insert_many(tickets, ordered=False)
    sequence.hint.raise_to(first_seq + count - 1)
    return count


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
    claimed = insert_unique(db.transitions, {
        "_id": "counter:{}:v{}".format(state["_id"], version), "counter_id": state["_id"],
        "action": action, "officer": changes.get("officer") or state.get("officer"), "at": now})
    if not claimed:
        return False
    upsert(db.counter_state, state["_id"], {"$set": dict(changes, version=version)})
    return True


def set_serving(db, counter_id, serving):
    replace(db.counter_serving, dict(serving or {}, _id=counter_id))


def serving_all(db):
    """``{counter_id: serving}`` of every counter serving someone now, in one read (one
    document per counter, as ``counter_states``)."""
    return {doc["_id"]: doc for doc in db.counter_serving.find({}) if doc.get("ticket_id")}


# -- the fairness rule's count: each service-day's calls by the rule, in order -----------------
# ``service_calls/_id = "<service>:<day>:<k:06d>"`` holds the class of the k-th call and the
# count of priority calls in a row after it. A counter reads the last one before choosing.
# Two instances calling the same service at the very same moment may both read the same
# last call: then one more priority call than the rule allows can slip through (never a
# ticket called twice: the transition claim decides that).

def _service_call_sequence(db, service_id, day):
    return Sequence(db.service_calls, "{}:{}".format(service_id, day),
                    _Hint(db, hints_key(service_id, day), "c"))


def call_streak(db, service_id, day, hints=None):
    """The service's priority calls in a row now. ``hints``: the lanes' hints document,
    when the caller has read it (its ``c`` is the service's last call known)."""
    sequence = _service_call_sequence(db, service_id, day)
    k = sequence.highest() if hints is None else max(0, hints.get("c", 0))
    while sequence.taken(k + 1):
        k += 1
    doc = db.service_calls.find_one({"_id": sequence.key(k)}) if k else None
    return doc["streak"] if doc else 0


def log_service_call(db, tails, service_id, day, ticket_id, cls, streak):
    tails.append(_service_call_sequence(db, service_id, day),
                 lambda k: {"ticket_id": ticket_id, "class": cls, "streak": streak},
                 hint_every=1)


# -- observed service durations (the ETA's input): the last 50 per service ------------------
# Each sample is its own document, ``durations/_id = "<service>:<n:09d>"``, appended to a
# gapless sequence by insert: concurrent completions never lose one. Samples never change,
# so a process remembers the ones it has read (``SAMPLES``) and reads only newer ones.

DURATION_SAMPLES = 50


def _duration_sequence(db, service_id):
    return Sequence(db.durations, service_id,
                    _Hint(db, "durations:" + service_id, "n"), width=9)


def add_duration(db, tails, service_id, seconds, ticket_id):
    if seconds is None:
        return
    tails.append(_duration_sequence(db, service_id),
                 lambda n: {"seconds": seconds, "ticket_id": ticket_id})


class SampleMemory:
    """Per process: the last ``DURATION_SAMPLES`` samples read of each service."""

    def __init__(self):
        self._services = {}

    def last(self, db, service_id):
        sequence = _duration_sequence(db, service_id)
        read, values = self._services.get(sequence.name, (None, []))
        if read is None:
            read = max(0, sequence.highest() - DURATION_SAMPLES)
        for read, doc in _read_on(sequence, read + 1):
            values.append(doc["seconds"])
        values = values[-DURATION_SAMPLES:]
        self._services[sequence.name] = (read, values)
        return list(values)


SAMPLES = SampleMemory()


def durations(db, service_id):
    return SAMPLES.last(db, service_id)


# -- the day's call log (the board's "last called"), ``calls/_id = "calls:<day>:<n:07d>"`` ---

def _call_sequence(db, day):
    prefix = "calls:{}".format(day)
    return Sequence(db.calls, prefix, _Hint(db, "tail:" + prefix, "last"), width=7)


def log_call(db, tails, day, record):
    """Append ``record`` to the day's call log; returns its number (``call_seq``)."""
    n, _ = tails.append(_call_sequence(db, day), lambda n: dict(record, n=n))
    return n


def recent_calls(db, day, limit=10):
    sequence = _call_sequence(db, day)
    out = []
    n = sequence.highest()
    while n >= 1 and len(out) < limit:
        doc = db.calls.find_one({"_id": sequence.key(n)})
        if doc:
            out.append(doc)
        n -= 1
    return out


# -- claims (near-front notices, anti-calo, booking seats, idempotency of bookings) ---------

def claim(db, key, **fields):
    return claim_key(db.claims, key, **fields)


def get_claim(db, key):
    return db.claims.find_one({"_id": key})


def set_claim_code(db, key, code):
    """Name the booking a claim was taken for (a seat, a retried request's key)."""
    db.claims.update_one({"_id": key}, {"$set": {"code": code}})


def release(db, key):
    db.claims.delete_one({"_id": key})


def delete_day_claims(db, day):
    db.claims.delete_many({"day": day})


# -- bookings -------------------------------------------------------------------------------

def get_booking(db, code):
    return db.bookings.find_one({"_id": code})


def insert_booking(db, booking):
    """True when the booking's code (its ``_id``) was free."""
    return insert_unique(db.bookings, booking)


def change_booking(db, booking, changes, action, now):
    """Claim ``booking:<code>:v<version>`` then write ``changes``; False when another writer
    changed the booking first."""
    if not insert_unique(db.transitions, {
            "_id": "booking:{}:v{}".format(booking["_id"], changes["version"]),
            "action": action, "at": now, "day": booking["day"]}):
        return False
    db.bookings.update_one({"_id": booking["_id"]}, {"$set": changes})
    return True


def update_booking(db, booking_id, set_fields, unset_fields):
    update = {}
    if set_fields:
        update["$set"] = set_fields
    if unset_fields:
        update["$unset"] = {f: "" for f in unset_fields}
    db.bookings.update_one({"_id": booking_id}, update)


def claim_seat(db, key, service_id, day, slot):
    """A booking's seat: the claim ``key`` (``bookings.slot_claim_keys``), naming its service
    and slot so that a day's bookings are counted in one read (``booked_counts``)."""
    return claim(db, key, day=day, service_id=service_id, seat_of=slot)


def booked_counts(db, service, day):
    """``{slot_id: seats taken}`` of a service's day: one query over the claims of that day
    (a small collection: open days only), whatever the seats per slot."""
    out = {}
    for doc in db.claims.find({"day": day, "service_id": service["_id"],
                               "seat_of": {"$exists": True}}, {"seat_of": 1}):
        out[doc["seat_of"]] = out.get(doc["seat_of"], 0) + 1
    return out


# -- statistics and close-out (operator-level: these scan one day) ---------------------------

def tickets_of_day(db, day, agency=None):
    """The day's tickets in their current state: the day's ticket documents with the day's
    transitions folded on (two scans filtered on ``day``; operator-level, not a hot path)."""
    return _tickets_folded(db, {"day": day}, agency)


def tickets_between(db, first_day, last_day, agency=None):
    """The tickets of the days ``first_day``..``last_day`` (``YYYY-MM-DD``) in their current
    state (promise against practice: a report that scans, like ``tickets_of_day``)."""
    return _tickets_folded(db, {"day": {"$gte": first_day, "$lte": last_day}}, agency)


def _tickets_folded(db, day_query, agency):
    query = dict(day_query)
    if agency is not None:
        query["agency"] = agency
    tickets = {t["_id"]: t for t in db.tickets.find(query)}
    changes = [c for c in db.transitions.find(day_query)
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


def mark_day_closed(db, day, now):
    replace(db.closed_days, {"_id": day, "at": now})
