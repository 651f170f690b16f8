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

An entry is a document ``_id = "<service>:<day>:<lane>:<n:06d>"`` holding ``ticket_id``
and the ticket's queue generation ``q``.
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
head ``h_<lane>`` and tail ``t_<lane>`` of every lane (and the last call ``c`` of the
fairness count), so the lanes as they are now (position, waiting count, board) start from
one read and probe by ``_id`` from there. Every field is a *lower bound* raised with ``$max``; FerretDB rewrites the whole
document on update, so a racing writer can put back an older value of another field, which
only makes a hint lag (a few more probes), never wrong.

``store.head_candidate`` probes from the head hint by ``_id`` (entry, then its ticket and
the ticket's transitions) to the first live entry: with the head hint kept current by every
call this is a handful of reads whatever the queue's length, which keeps ``call_next`` O(1).
An issuer that dies between inserting the ticket and its entry leaves a ticket that is never
called; the day's close-out marks it ``not_served``.

Calling order and position
--------------------------
Within a service the calling order is fixed by the lanes' heads alone (``call_order``): the
fairness rule (``next_class``) picks the priority lane's head or the regular tickets' next,
and the regular tickets' next is whichever of the returned and new lanes' heads arrived
first (``regular_key``). So the number of tickets called before a waiting one, if nothing
else arrives, follows from counts: ``priority_ahead`` and ``regular_ahead`` turn "how many
priority tickets / regular tickets come before it" into "how many calls", and
``returned_before`` / the new lane's monotone arrival times give the regular merge. The
store feeds them exact counts of *live* entries: the first live entry (the head), the last
entry (the tail) and the entries between that died away from the head (``store`` keeps a
departure record for each: cancelled, called by name, transferred, a number another lane
took). The unit tests check the counts against ``call_order``, the same rule call-next uses.
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


def next_class(streak, limit, has_priority, has_regular):
    """Which class the next call of a service takes: ``PRIORITY``, ``"regular"`` or None.

    The fairness rule: priority tickets first, but after ``limit`` priority calls in a row
    (``streak``) the next call goes to the regular ticket that arrived first, if one waits.
    ``limit`` None: priority always first."""
    if has_priority and (not has_regular or limit is None or streak < limit):
        return PRIORITY
    return REGULAR if has_regular else None


REGULAR = "regular"


def streak_after(streak, cls):
    """The count of priority calls in a row after a call of class ``cls``."""
    return streak + 1 if cls == PRIORITY else 0


def regular_key(ticket):
    """The order of regular tickets: arrival at the MPP (kept across transfers, visit steps
    and requeues), then ``_id`` (numbers are zero-padded: the issue order)."""
    return (ticket["arrived_at"], str(ticket["_id"]))


def call_order(priority, returned, new, streak, limit):
    """The tickets in the order call-next would call them if nothing else arrived: each lane
    a list of its live tickets in lane order. This is call-next's own choice, repeated."""
    lanes = {PRIORITY: list(priority), RETURNED: list(returned), NEW: list(new)}
    heads = {lane: 0 for lane in LANES}
    out = []
    while True:
        head = {lane: lanes[lane][heads[lane]] for lane in LANES
                if heads[lane] < len(lanes[lane])}
        regular = min((lane for lane in (RETURNED, NEW) if lane in head),
                      key=lambda lane: regular_key(head[lane]), default=None)
        cls = next_class(streak, limit, PRIORITY in head, regular is not None)
        if cls is None:
            return out
        lane = PRIORITY if cls == PRIORITY else regular
        out.append(head[lane])
        heads[lane] += 1
        streak = streak_after(streak, cls)


def priority_ahead(j, priority_live, streak, limit):
    """Priority calls before the regular ticket that has ``j`` regular tickets before it."""
    if limit is None:
        return priority_live
    return min(priority_live, max(0, limit - streak) + limit * j)


def regular_ahead(i, regular_live, streak, limit):
    """Regular calls before the priority ticket that has ``i`` priority tickets before it."""
    if limit is None:
        return 0
    if limit == 0:
        return regular_live
    first = max(0, limit - streak)   # priority calls before the first regular one
    forced = 0 if i < first else (i - first) // limit + 1
    return min(regular_live, forced)


def returned_before(returned_keys, key):
    """How many of the returned lane's tickets (their ``regular_key``\ s, in lane order) are
    called before a regular ticket of key ``key`` that is the last of its own lane to be
    compared: the lane's head goes first while it arrived earlier, so it is the longest run
    whose running maximum is below ``key``."""
    count, top = 0, None
    for k in returned_keys:
        top = k if top is None or k > top else top
        if top >= key:
            break
        count += 1
    return count

