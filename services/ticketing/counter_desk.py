"""The counter's day: open and close, call the next ticket (or a named one), recall, skip,
start, complete, transfer.

``call_next`` reads each lane's head by ``_id`` (``store.head_candidate``), picks by the
calling rule (``calling``) and claims the first with a transition insert: two counters
calling at once never get the same ticket, and a loser looks again. Its reads do not grow with
the queue. Every call is logged (the board's "last called") and may tell the tickets now near
the front (``near_front``).

Every function takes ``ctx``: the service worker (``db``, ``events``, ``clock``, ``tails``,
``cache``, ``call_locks``).
"""
from collections import defaultdict
from contextlib import ExitStack

from eventlet.semaphore import Semaphore

from services.common.errors import Conflict, Forbidden, NotFound
from services.contracts import events as ev
from services.ticketing import (calling, catalogue_reads, followups, issuing, near_front,
                                numbering, queue, states, store, views)
from services.ticketing import schemas as sc

NOBODY_WAITING = "Tidak ada antrean / No one is waiting"
MAX_CALL_ATTEMPTS = 50


class CallLocks(defaultdict):
    """This process's turns per (database, service) for ``call_next``: its workers do not
    lose claims to each other; other processes race and the transition claim decides."""

    def __init__(self):
        super().__init__(Semaphore)


def _counter_changed(counter):
    return Conflict("Loket baru saja diubah / The counter was just changed",
                    {"counter_id": counter["_id"]})


def at_counter(ctx, counter_id, officer, must_be_open=True):
    counter = catalogue_reads.live_counter(ctx, counter_id)
    if must_be_open:
        states.ensure_can_call(counter)
        if counter.get("officer") not in (None, officer):
            raise Forbidden("Loket dibuka oleh petugas lain / The counter is open by another "
                            "officer", {"counter_id": counter_id})
    return counter


def own_ticket(counter, ticket):
    """A counter acts only on its own agency's tickets (ids are predictable: a counter of
    another agency naming one is refused before anything changes)."""
    if ticket.get("agency") != counter["agency"]:
        raise Forbidden("Tiket instansi lain / A ticket of another agency",
                        {"ticket_id": ticket["_id"], "counter_id": counter["_id"]})
    return ticket


def _counter_action(ctx, schema, payload):
    data = sc.load(schema, payload)
    counter = at_counter(ctx, data["counter_id"], data["officer"])
    return data, counter, own_ticket(counter, issuing.ticket(ctx, data["ticket_id"]))


def _officer_acts(ctx, action, ticket_id, counter_id, officer, schema=sc.OfficerActionSchema,
                  **fields):
    """An officer's ``action`` on a ticket at their open counter, checked and claimed.
    Returns ``(data, counter, ticket as written, now)``."""
    data, counter, current = _counter_action(ctx, schema, dict(
        fields, ticket_id=ticket_id, counter_id=counter_id, officer=officer))
    now = ctx.clock.now()
    written = issuing.transition(ctx, current, action, now, counter_id=counter["_id"],
                                 officer=data["officer"])
    return data, counter, written, now


# -- open and close --------------------------------------------------------------------------

def open_counter(ctx, counter_id, officer):
    data = sc.load(sc.OpenCounterSchema, {"counter_id": counter_id, "officer": officer})
    counter = catalogue_reads.live_counter(ctx, data["counter_id"])
    state = store.counter_state(ctx.db, counter["_id"])
    changes = states.open_counter(counter, data["officer"], ctx.clock.now())
    if changes:
        if not store.change_counter_state(ctx.db, state, changes, ctx.clock.now(), "open"):
            raise _counter_changed(counter)
        ctx.cache.clear()
        ctx.events(ev.COUNTER_OPENED, {"counter_id": counter["_id"], "agency": counter["agency"],
                                       "counter_name": counter["name"],
                                       "services": counter["services"]})
    return catalogue_reads.public_counter(ctx, counter)


def close_counter(ctx, counter_id, officer):
    data = sc.load(sc.OpenCounterSchema, {"counter_id": counter_id, "officer": officer})
    counter = at_counter(ctx, data["counter_id"], data["officer"])
    state = store.counter_state(ctx.db, counter["_id"])
    changes = states.close_counter(counter, ctx.clock.now())
    if not store.change_counter_state(ctx.db, state, changes, ctx.clock.now(), "close"):
        raise _counter_changed(counter)
    store.set_serving(ctx.db, counter["_id"], None)
    ctx.cache.clear()
    ctx.events(ev.COUNTER_CLOSED, {"counter_id": counter["_id"], "agency": counter["agency"],
                                   "counter_name": counter["name"]})
    return catalogue_reads.public_counter(ctx, counter)


# -- calling ---------------------------------------------------------------------------------

def call_next(ctx, counter_id, officer):
    data = sc.load(sc.OpenCounterSchema, {"counter_id": counter_id, "officer": officer})
    counter = at_counter(ctx, data["counter_id"], data["officer"])
    rules = catalogue_reads.rules(ctx)
    now = ctx.clock.now()
    day = numbering.service_day(now, catalogue_reads.tz(ctx, rules))
    service_ids = sorted(counter["services"])
    limits = {sid: issuing.priority_limit(ctx, catalogue_reads.service(ctx, sid), rules)
              for sid in service_ids}
    # This process's workers take turns per service (in a fixed order: no deadlock), so
    # they do not lose claims to each other; other processes race and the claim decides.
    with ExitStack() as stack:
        for sid in service_ids:
            stack.enter_context(ctx.call_locks[(ctx.db.name, sid)])
        for _ in range(MAX_CALL_ATTEMPTS):
            nexts, streaks = [], {}
            for sid in service_ids:
                heads = {}
                for lane in queue.LANES:
                    found = store.head_candidate(ctx.db, sid, day, lane)
                    if found:
                        n, candidate = found
                        heads[lane] = dict(candidate, _n=n)
                if heads:
                    streaks[sid] = store.call_streak(ctx.db, sid, day)
                    chosen = calling.service_next(heads, streaks[sid], limits[sid])
                    if chosen is not None:
                        nexts.append(chosen)
            if not nexts:
                raise NotFound(NOBODY_WAITING, {"counter_id": counter["_id"]})
            first, lane, _ = calling.choose(nexts)
            n = first.pop("_n")
            # noted first: a position remembered from before the call is not used after it
            store.note_departure(ctx.db, ctx.tails, first["service_id"], day, lane, n,
                                 call=True)
            changes = states.apply_action(first, "call", now, counter_id=counter["_id"],
                                          officer=data["officer"])
            if not store.claim_transition(ctx.db, first, changes, "call", now,
                                          counter_id=counter["_id"], officer=data["officer"]):
                continue  # another counter took it: look again
            called = dict(first, **changes)
            sid = called["service_id"]
            store.advance_head(ctx.db, sid, day, lane, n + 1)
            cls = queue.PRIORITY if lane == queue.PRIORITY else queue.REGULAR
            store.log_service_call(ctx.db, ctx.tails, sid, day, called["_id"], cls,
                                   queue.streak_after(streaks[sid], cls))
            break
        else:
            raise Conflict("Antrean sedang sibuk, coba lagi / The queue is busy, try again",
                           {"counter_id": counter["_id"]})
    return _announce_call(ctx, called, counter, now, rules)


def _log_call(ctx, called, counter, now):
    return store.log_call(ctx.db, ctx.tails, called["day"], views.call_record(called, counter, now))


def _announce_call(ctx, called, counter, now, rules, **extra):
    call_seq = _log_call(ctx, called, counter, now)
    store.set_serving(ctx.db, counter["_id"], {
        "ticket_id": called["_id"], "number": called["number"],
        "service_id": called["service_id"], "at": now})
    ctx.events(ev.TICKET_CALLED, dict(views.called_payload(called, counter, call_seq), **extra))
    service = catalogue_reads.service(ctx, called["service_id"])
    near_front.announce(ctx, called["service_id"], called["day"], rules,
                        issuing.priority_limit(ctx, service, rules))
    return dict(views.public_ticket(called), counter_name=counter["name"], call_seq=call_seq)


def call_ticket(ctx, counter_id, ticket_id, officer, reason):
    """A staff override: call this ticket rather than the rule's next, recorded with who
    and why (the transition claim carries the record)."""
    data = sc.load(sc.OverrideCallSchema, {"counter_id": counter_id, "ticket_id": ticket_id,
                                             "officer": officer, "reason": reason})
    counter = at_counter(ctx, data["counter_id"], data["officer"])
    current = own_ticket(counter, issuing.ticket(ctx, data["ticket_id"]))
    now = ctx.clock.now()
    rules = catalogue_reads.rules(ctx)
    record = calling.override_record(current, counter, data["officer"], data["reason"], now)
    record = {k: v for k, v in record.items() if k not in ("ticket_id", "counter_id", "officer")}
    called = issuing.transition(ctx, current, "call", now, counter_id=counter["_id"],
                                officer=data["officer"], record={"override": record})
    return _announce_call(ctx, called, counter, now, rules, override=True)


def recall(ctx, ticket_id, counter_id, officer):
    _, counter, called, now = _officer_acts(ctx, "recall", ticket_id, counter_id, officer)
    call_seq = _log_call(ctx, called, counter, now)
    ctx.events(ev.TICKET_RECALLED, views.called_payload(called, counter, call_seq))
    return dict(views.public_ticket(called), counter_name=counter["name"], call_seq=call_seq)


# -- serving ---------------------------------------------------------------------------------

def skip(ctx, ticket_id, counter_id, officer, return_to_queue):
    data, counter, skipped, now = _officer_acts(ctx, "skip", ticket_id, counter_id, officer,
                                                sc.OfficerSkipSchema,
                                                return_to_queue=return_to_queue)
    store.set_serving(ctx.db, counter["_id"], None)
    if data["return_to_queue"]:
        skipped = _requeue(ctx, skipped, now)
    ctx.events(ev.TICKET_SKIPPED, views.ticket_event(
        skipped, counter, returned_to_queue=data["return_to_queue"]))
    return views.public_ticket(skipped)


def _requeue(ctx, current, now):
    """Back into the queue in the *returned* lane (or priority), keeping ``arrived_at``:
    a transition that bumps the queue generation ``q``, then a new entry."""
    rules = catalogue_reads.rules(ctx)
    lane = queue.lane_for(calling.is_priority(current, rules["calling_rule"]), True)
    changes = states.apply_action(current, "requeue", now)
    changes.update(lane=lane, q=current.get("q", 0) + 1)
    if not store.claim_transition(ctx.db, current, changes, "requeue", now):
        return current
    requeued = dict(current, **changes)
    store.claim_entry(ctx.db, ctx.tails, requeued, lane, now)
    return requeued


def start(ctx, ticket_id, counter_id, officer):
    _, counter, started, _ = _officer_acts(ctx, "start", ticket_id, counter_id, officer)
    ctx.events(ev.TICKET_SERVICE_STARTED, views.ticket_event(started, counter))
    return views.public_ticket(started)


def complete(ctx, ticket_id, counter_id, officer):
    _, counter, done, now = _officer_acts(ctx, "complete", ticket_id, counter_id, officer)
    store.add_duration(ctx.db, ctx.tails, done["service_id"], done.get("service_seconds"),
                       done["_id"])
    store.set_serving(ctx.db, counter["_id"], None)
    ctx.events(ev.TICKET_COMPLETED, views.ticket_event(
        done, counter, service_seconds=done.get("service_seconds")))
    out = views.public_ticket(done)
    follow = followups.next_step_ticket(done, now, catalogue_reads.tz(ctx))
    if follow is not None:
        out["next_ticket"] = views.public_ticket(issuing.follow(ctx, follow))
    return out


def transfer(ctx, ticket_id, counter_id, officer, target_service_id, reason):
    """Send the citizen to another service. A ticket called or served at this counter keeps
    its arrival time in the new queue; one still waiting joins its back (``own_ticket``:
    only the ticket's own agency moves it)."""
    data, counter, current = _counter_action(ctx, sc.OfficerTransferSchema, {
        "ticket_id": ticket_id, "counter_id": counter_id, "officer": officer,
        "target_service_id": target_service_id, "reason": reason})
    catalogue_reads.service(ctx, data["target_service_id"], field="target_service_id")
    if (current.get("counter_id") not in (None, counter["_id"])
            and current["status"] != "waiting"):
        raise states.IllegalTransition(
            "Tiket ini dipanggil di loket lain / This ticket was called at another counter",
            {"counter_id": current.get("counter_id")})
    now = ctx.clock.now()
    follow = followups.transferred_ticket(current, data["target_service_id"], now,
                                          catalogue_reads.tz(ctx))
    if current["status"] == states.WAITING:
        # nobody served it yet: it joins the new queue at the back, so a transfer is never a
        # way past the people already waiting there (a served citizen keeps their place)
        follow["arrived_at"] = now
    moved = issuing.transition(ctx, current, "transfer", now, counter_id=None,
                               officer=data["officer"],
                               target_service_id=data["target_service_id"],
                               reason=data["reason"])
    if moved.get("counter_id") == counter["_id"]:
        store.set_serving(ctx.db, counter["_id"], None)
    new = issuing.follow(ctx, follow)
    ctx.events(ev.TICKET_TRANSFERRED, views.ticket_event(
        moved, counter, to_service_id=new["service_id"], new_ticket_id=new["_id"],
        new_number=new["number"]))
    return dict(views.public_ticket(moved), next_ticket=views.public_ticket(new))
