"""The waiting queue as *lanes* of ``_id``-addressed entries: O(1) calling on FerretDB.

Why lanes
---------
FerretDB v1 (SQLite backend) pushes down only ``{"_id": value}``; a filter on ``status``, a
sort on ``arrived_at`` or a count scans the whole collection in Go. "The oldest waiting ticket
of this service" would be a scan, so the queue is kept as sequences that are read by ``_id``.

Per (service, local day) there are three lanes:

- ``p``: priority tickets (a group the calling rule lists), in the order they joined;
- ``n``: new regular tickets (walk-ins), in the order they were issued. This lane has no
  entry documents: its entries *are* the tickets, ``n`` = the ticket's number (``seq``), so a
  walk-in is one insert. Tickets of the other lanes also take numbers and sit in this
  sequence; they are simply not live in it (``lane != "n"``): one extra read each as the
  head passes them, and counted in the ``n`` window by the position estimate;
- ``r``: returned regular tickets: requeued after a skip, transferred in, the next step of a
  visit. They keep their original ``arrived_at``, which is earlier than most of ``n``.

An entry is a document ``_id = "<service>:<day>:<lane>:<n:06d>"`` holding ``ticket_id``,
the ticket's queue generation ``q`` and ``issued_ahead`` (the position shown when it joined).
Entry numbers are claimed like ticket numbers: insert ``n``; a ``DuplicateKeyError`` means
another writer has it, try ``n + 1``. A writer tries ``n`` only once ``n - 1`` is known to
exist and entries are never deleted, so **a lane is contiguous**: the first missing ``n`` is
its end.

**Insert-only.** Measured on FerretDB v1.24 with 100,000 documents in a collection:
``find_one({_id})`` and ``insert_one`` take ~1 ms, but ``update_one``/``replace_one``/
``delete_one`` *by _id* take 300-1200 ms: they scan. So the big, growing collections
(tickets, lanes, transitions, positions, calls, notices) are only ever inserted into and
read by ``_id``; a ticket's state changes are its transition claims (``store.current_ticket``
folds them onto the ticket). Only small collections (hints, counters, catalogue, contacts of
the open day, claims of open bookings) are updated or deleted from.

An entry is *live* while its ticket is ``waiting`` with the same generation ``q`` (a
requeue is a transition that bumps ``q`` and then inserts a new entry, so the old one stays
dead). A ticket is inserted first and its entry right after: in between it is simply not yet
in the queue. Liveness only ever goes from live to dead, so the lane's *head hint* (the
lowest entry that may still be live) can only move forward. Tail hints are raised every
``HINT_EVERY`` entries by each process.

Hints: one document per service-day, ``sequences/_id = "lanes:<service>:<day>"`` with the
head ``h_<lane>`` and tail ``t_<lane>`` of every lane, so a window (position, ETA, board)
is one read. Every field is a *lower bound* raised with ``$max``; FerretDB rewrites the whole
document on update, so a racing writer can put back an older value of another field, which
only makes a hint lag (a few more probes), never wrong.

``head_candidate`` probes from the head hint by ``_id`` (entry, then its ticket and the
ticket's transitions) to the first live entry: with the head hint kept current by every call
this is a handful of reads whatever the queue's length, which keeps ``call_next`` O(1).
An issuer that dies between inserting the ticket and its entry leaves a ticket that is never
called; the day's close-out marks it ``not_served``.

Position
--------
``ahead`` is computed from lane numbers alone: ``entry n − head`` in the ticket's own lane,
plus the whole window ``tail − head`` of the lanes ordered before it (priority before
regular; returned before new, since a returned ticket arrived earlier). Dead entries inside a
window (cancelled, transferred, requeued) are counted, so the figure can overstate by those;
the calling rule's "due" regulars can make a priority ticket's position understated; tails
come from the hint document and this process's own last claim without probing, so with
several instances a window can lag by up to ``HINT_EVERY - 1`` entries per other instance.
It is an estimate, shown as a range anyway.

Issuing a ticket reads the hints from this process's memory of them (``RECENT``), at most
``RECENT_SECONDS`` old: every hint this process raises (its own calls move the heads) is
written through to that memory, so with one instance the position is what a fresh read
gives; with several, a head can lag by the calls the other instances made in that second.
That read was a third of what issuing a ticket cost the database (``bench/README.md``).
"""
import time
from collections import defaultdict

from eventlet.semaphore import Semaphore
from pymongo.errors import DuplicateKeyError


LANES = ("p", "r", "n")          # priority, returned (earlier arrivals), new
PRIORITY, RETURNED, NEW = LANES
HINT_EVERY = 10
MAX_PROBE = 100000
RECENT_SECONDS = 1.0


def lane_prefix(service_id, day, lane):
    return "{}:{}:{}".format(service_id, day, lane)


def entry_key(service_id, day, lane, n):
    return "{}:{:06d}".format(lane_prefix(service_id, day, lane), n)


def hints_key(service_id, day):
    return "lanes:{}:{}".format(service_id, day)


def _hint(db, key, field="last"):
    doc = db.sequences.find_one({"_id": key})
    return doc.get(field, 0) if doc else 0


def raise_hint(db, key, value, field="last"):
    """``$max`` a hint: not atomic on FerretDB, still a lower bound (see module doc)."""
    from services.ticketing.store import upsert

    upsert(db.sequences, key, {"$max": {field: value}})
    RECENT.raised(db, key, field, value)


class RecentHints:
    """This process's copy of hint documents, read again once ``seconds`` old. Hints this
    process raises are written through, so the copy is never behind this process's own
    writes; it lags other processes' by at most ``seconds``. Hints are lower bounds, so a
    lagging copy only makes an estimate (or a probe) start lower."""

    def __init__(self, seconds=RECENT_SECONDS):
        self.seconds = seconds
        self._docs = {}

    def read(self, db, key):
        now = time.monotonic()
        hit = self._docs.get((db.name, key))
        if hit is not None and hit[0] > now:
            return hit[1]
        if len(self._docs) > 1000:  # old service-days: drop what has expired
            self._docs = {k: v for k, v in self._docs.items() if v[0] > now}
        doc = db.sequences.find_one({"_id": key}) or {}
        self._docs[(db.name, key)] = (now + self.seconds, doc)
        return doc

    def raised(self, db, key, field, value):
        hit = self._docs.get((db.name, key))
        if hit is not None:
            hit[1][field] = max(hit[1].get(field, 0), value)


RECENT = RecentHints()


class Sequencer:
    """Claims the next number of an ``_id`` sequence (lane entries, the day's call log).

    Correctness comes from the unique ``_id``. Per process, workers take turns per sequence
    and remember the last number they claimed, so they do not race each other for the same
    number (a loser pays a failed insert and a probe); other processes still race and the
    unique index settles it.
    """

    def __init__(self):
        self._locks = defaultdict(Semaphore)
        self._last = {}

    def insert_next(self, db, collection, prefix, doc, width=6, hint=None):
        """Insert ``doc`` as ``<prefix>:<n>`` with the next free ``n``; returns ``n``.
        ``hint``: ``(sequences _id, field)`` of the tail hint (default ``tail:<prefix>``)."""
        hint = hint or ("tail:" + prefix, "last")
        key = (db.name, collection, prefix)
        coll = db[collection]
        with self._locks[key]:
            known = self._last.get(key)
            n = (known if known else highest(db, collection, prefix, width, hint)) + 1
            for _ in range(MAX_PROBE):
                _id = "{}:{:0{}d}".format(prefix, n, width)
                try:
                    coll.insert_one(dict(doc(n) if callable(doc) else doc, _id=_id, n=n))
                except DuplicateKeyError:
                    n += 1      # taken by another process: n + 1 leaves no gap
                    continue
                self._last[key] = n
                if n % HINT_EVERY == 0 or not known:
                    raise_hint(db, hint[0], n, hint[1])
                return n
        raise RuntimeError("could not claim a sequence number for " + prefix)

    def known(self, db, collection, prefix):
        """The last number this process claimed (0 when none)."""
        return self._last.get((db.name, collection, prefix), 0)


def highest(db, collection, prefix, width=6, hint=None):
    """The highest ``n`` taken: tail hint, then probe forward by ``_id``."""
    hint = hint or ("tail:" + prefix, "last")
    n = _hint(db, hint[0], hint[1])
    coll = db[collection]
    while coll.find_one({"_id": "{}:{:0{}d}".format(prefix, n + 1, width)}, {"_id": 1}):
        n += 1
    return n


def _tail_hint(service_id, day, lane):
    return hints_key(service_id, day), "t_" + lane


def head(db, service_id, day, lane):
    return max(1, _hint(db, hints_key(service_id, day), "h_" + lane))


def tail(db, service_id, day, lane):
    """The exact tail (probes forward from the hint)."""
    return highest(db, "lanes", lane_prefix(service_id, day, lane),
                   hint=_tail_hint(service_id, day, lane))


def advance_head(db, service_id, day, lane, n):
    raise_hint(db, hints_key(service_id, day), n, "h_" + lane)


def claim_entry(sequencer, db, ticket, lane, now, ahead_of_n=None):
    """Insert the ticket's next entry in ``lane`` (generation ``ticket["q"]``) and its
    position record; returns ``n``. ``ahead_of_n(n)`` gives ``issued_ahead``."""
    service_id, day = ticket["service_id"], ticket["day"]
    n = sequencer.insert_next(
        db, "lanes", lane_prefix(service_id, day, lane),
        lambda n: {"ticket_id": ticket["_id"], "q": ticket.get("q", 0), "at": now,
                   "issued_ahead": ahead_of_n(n) if ahead_of_n else None},
        hint=_tail_hint(service_id, day, lane))
    try:
        db.positions.insert_one({"_id": position_key(ticket["_id"], ticket.get("q", 0)),
                                 "lane": lane, "n": n})
    except DuplicateKeyError:
        pass
    return n


def position_key(ticket_id, q):
    return "{}:q{}".format(ticket_id, q)


def position_of(db, ticket):
    """``(lane, n)`` of a waiting ticket's current entry, or None."""
    if ticket.get("lane") == NEW and ticket.get("q", 0) == 0:
        return NEW, ticket["seq"]
    doc = db.positions.find_one({"_id": position_key(ticket["_id"], ticket.get("q", 0))})
    return (doc["lane"], doc["n"]) if doc else None


def is_live(entry, ticket):
    return (ticket is not None and ticket.get("status") == "waiting"
            and ticket.get("q", 0) == entry.get("q", 0))


def _ticket_of(db, entry):
    from services.ticketing import store

    ticket = store.current_ticket(db, entry["ticket_id"])
    if is_live(entry, ticket):
        return dict(ticket, issued_ahead=entry.get("issued_ahead"))
    return None


_END = object()


def _probe(db, service_id, day, lane, n):
    """The live ticket at entry ``n`` of a lane, None (dead entry) or ``_END`` (no entry)."""
    from services.ticketing import store

    if lane == NEW:
        ticket = store.current_ticket(db, store.ticket_key(service_id, day, n))
        if ticket is None:
            return _END
        live = (ticket.get("lane") == NEW and ticket.get("q", 0) == 0
                and ticket.get("status") == "waiting")
        return ticket if live else None
    entry = db.lanes.find_one({"_id": entry_key(service_id, day, lane, n)})
    if entry is None:
        return _END
    return _ticket_of(db, entry)


def head_candidate(db, service_id, day, lane, now=None):
    """``(n, ticket)`` of the first live entry of a lane, or None. Raises the head hint past
    the dead entries it stepped over."""
    first = n = head(db, service_id, day, lane)
    found = None
    for _ in range(MAX_PROBE):
        ticket = _probe(db, service_id, day, lane, n)
        if ticket is _END:
            break
        if ticket is not None:
            found = (n, ticket)
            break
        n += 1
    if n > first:
        advance_head(db, service_id, day, lane, n)
    return found


def entry_at(db, service_id, day, lane, n):
    """The ticket of entry ``n`` if that entry is live, else None."""
    ticket = _probe(db, service_id, day, lane, n)
    return None if ticket is _END else ticket


def windows(db, service_id, day, sequencer=None, numbers=None, recent=False):
    """``{lane: (head, tail)}`` of one service-day: one read (the hints document), tails
    raised to what ``sequencer`` (this process) last claimed. See *Position*. ``recent``:
    this process's copy of the hints will do (``RECENT``)."""
    key = hints_key(service_id, day)
    doc = RECENT.read(db, key) if recent else db.sequences.find_one({"_id": key}) or {}
    out = {}
    for lane in LANES:
        last = doc.get("t_" + lane, 0)
        if sequencer is not None and lane != NEW:
            last = max(last, sequencer.known(db, "lanes", lane_prefix(service_id, day, lane)))
        if numbers is not None and lane == NEW:
            last = max(last, numbers.known_last(db, service_id, day))
        out[lane] = (max(1, doc.get("h_" + lane, 0)), last)
    return out


def waiting_estimate(win):
    """Entries between head and tail of every lane (dead ones inside count: an estimate)."""
    return sum(max(0, t - h + 1) for h, t in win.values())


def ahead_before_lane(win, lane):
    """Entries in the lanes ordered before ``lane``."""
    before = {PRIORITY: (), RETURNED: (PRIORITY,), NEW: (PRIORITY, RETURNED)}[lane]
    return sum(max(0, win[other][1] - win[other][0] + 1) for other in before)


def ahead_of(win, lane, n):
    """How many are (approximately) ahead of entry ``n`` of ``lane``."""
    own_head = win[lane][0]
    return max(0, n - own_head) + ahead_before_lane(win, lane)


def lane_for(priority, returned):
    if priority:
        return PRIORITY
    return RETURNED if returned else NEW


def bulk_waiting(db, service, day, count, now, make_number, batch=5000):
    """Seed ``count`` waiting walk-in tickets after the last number with ``insert_many``:
    the same document shapes as issuing (a walk-in's lane entry is the ticket itself), for
    benchmarks and load tests. Not for concurrent use (it claims nothing)."""
    from services.ticketing import store

    service_id = service["_id"]
    first_seq = store.highest_seq(db, service_id, day) + 1
    for start in range(0, count, batch):
        tickets = []
        for i in range(start, min(count, start + batch)):
            seq = first_seq + i
            ticket_id = store.ticket_key(service_id, day, seq)
            tickets.append({
                "_id": ticket_id, "seq": seq, "number": make_number(seq),
                "service_id": service_id, "agency": service["agency"], "day": day,
                "status": "waiting", "version": 0, "q": 0, "priority_group": None,
                "language": "id", "issued_at": now, "arrived_at": now, "access_token": "bench",
                "idem": "r:bulk:{}".format(ticket_id), "lane": NEW, "issued_ahead": seq})
        db.tickets.insert_many(tickets, ordered=False)
    store._raise_hint(db, service_id, day, first_seq + count - 1)
    return count
