"""The waiting queue as *lanes* of ``_id``-addressed entries: O(1) calling on FerretDB.

This module holds the queue's rules as plain functions over plain data (lane choice,
liveness, windows, how many are ahead); ``store`` reads and writes the entries and hints.

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
A lane is a gapless ``_id`` sequence (``services.common.sequences``): entries are claimed by
insert and never deleted, so **a lane is contiguous**: the first missing ``n`` is its end.

**Insert-only.** On FerretDB v1.24 ``find_one({_id})`` and ``insert_one`` are index reads
and writes, but ``update_one``/``replace_one``/``delete_one`` *by _id* scan the collection
(see ``store``). So the big, growing collections (tickets, lanes, transitions, positions,
calls, notices) are only ever inserted into and read by ``_id``; a ticket's state changes
are its transition claims (``store.current_ticket`` folds them onto the ticket). Only small
collections (hints, counters, catalogue, contacts of the open day, claims of open bookings)
are updated or deleted from.

An entry is *live* while its ticket is ``waiting`` with the same generation ``q`` (a
requeue is a transition that bumps ``q`` and then inserts a new entry, so the old one stays
dead). A ticket is inserted first and its entry right after: in between it is simply not yet
in the queue. Liveness only ever goes from live to dead, so the lane's *head hint* (the
lowest entry that may still be live) can only move forward. Tail hints are raised every
``HINT_EVERY`` (``services.common.sequences``) entries by each process.

Hints: one document per service-day, ``sequences/_id = "lanes:<service>:<day>"`` with the
head ``h_<lane>`` and tail ``t_<lane>`` of every lane, so a window (position, ETA, board)
is one read. Every field is a *lower bound* raised with ``$max``; FerretDB rewrites the whole
document on update, so a racing writer can put back an older value of another field, which
only makes a hint lag (a few more probes), never wrong.

``store.head_candidate`` probes from the head hint by ``_id`` (entry, then its ticket and
the ticket's transitions) to the first live entry: with the head hint kept current by every
call this is a handful of reads whatever the queue's length, which keeps ``call_next`` O(1).
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

Issuing a ticket reads the hints from this process's memory of them (``store.RECENT``), at
most ``store.RECENT_SECONDS`` old: every hint this process raises (its own calls move the
heads) is written through to that memory, so with one instance the position is what a fresh
read gives; with several, a head can lag by the calls the other instances made in that
second. So issuing reads a service-day's hints at most once per ``RECENT_SECONDS``.
"""
LANES = ("p", "r", "n")          # priority, returned (earlier arrivals), new
PRIORITY, RETURNED, NEW = LANES


def lane_for(priority, returned):
    if priority:
        return PRIORITY
    return RETURNED if returned else NEW


def is_live(entry, ticket):
    """An entry of the ``p`` or ``r`` lane is live while its ticket waits in that generation."""
    return (ticket is not None and ticket.get("status") == "waiting"
            and ticket.get("q", 0) == entry.get("q", 0))


def is_live_walk_in(ticket):
    """A ticket is live as its own entry of the ``n`` lane while it waits there unrequeued."""
    return (ticket.get("lane") == NEW and ticket.get("q", 0) == 0
            and ticket.get("status") == "waiting")


def windows(hints, known_tails=None):
    """``{lane: (head, tail)}`` from a service-day's hints document, tails raised to what
    this process last claimed (``known_tails``: ``{lane: n}``). See *Position*."""
    known_tails = known_tails or {}
    out = {}
    for lane in LANES:
        last = max(hints.get("t_" + lane, 0), known_tails.get(lane, 0))
        out[lane] = (max(1, hints.get("h_" + lane, 0)), last)
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


def near_front_range(win, lane, threshold, seen_last):
    """``(start, last, before)``: the entries of ``lane`` not looked at yet (after
    ``seen_last``, or from the head) that are within ``threshold`` of the front, and how many
    the lanes before it hold."""
    head_n, tail_n = win[lane]
    before = ahead_before_lane(win, lane)
    last = min(tail_n, head_n + threshold - before)
    start = max(head_n, (seen_last + 1) if seen_last is not None else head_n)
    return start, last, before
