"""The outbox: ``ticket_issued`` owed by tickets whose announcement did not go out because
the broker was lost between the ticket's insert and its event.

When publishing a ticket's announcement fails, issuing marks it owed
(``store.owe_announcement``, keyed by the ticket's ``idem``) before the request fails. The
timer announces every mark older than ``OWED_AFTER`` (by then a retrying client has had its
chance) with the ticket's own event ids, so a consumer that heard it already skips it, and
removes the mark; it fails again while the broker is still away and tries on the next tick.
So no ticket stays unannounced after a broker loss, whether or not the kiosk retries.

A process killed between a ticket's insert and its announcement cannot mark anything, so
the mark is in the insert itself: every ticket names the process that inserted it
(``by``: its ``Issuer`` id), and each process beats (``store.beat``, on every tick and before
its first ticket) with the issue time before which every ticket it inserted was announced or
marked owed (``settled_before``). A process silent for ``SILENT_AFTER`` is taken for dead:
the next tick of any process announces every ticket it inserted from its ``settled_before``
on (a few were announced already: consumers skip a repeated event id) and forgets it. A
process stopped cleanly is taken for dead the same way, at the cost of a few repeats.

``tick`` takes ``ctx``: the service worker (``db``, ``events``, ``clock``, ``cache``,
``issuer``).
"""
import logging
import uuid
from datetime import timedelta

from services.ticketing import issuing, store

log = logging.getLogger(__name__)

OWED_AFTER = timedelta(seconds=15)   # longer than any request takes (RPC timeout: 10 s)
SILENT_AFTER = timedelta(seconds=30)  # six missed beats of the 5-second timer


class Issuer:
    """This process as an issuer of tickets: its id (each ticket it inserts carries it) and
    the tickets it is inserting and has not yet announced (by ``idem``: known before the
    insert)."""

    def __init__(self):
        self.id = uuid.uuid4().hex
        self._unsettled = {}
        self._beaten = set()

    def inserting(self, ctx, idem, at):
        """Before a ticket's insert: its announcement is owed until ``settled``."""
        self._unsettled[idem] = at
        if ctx.db.name not in self._beaten:   # known as alive before its first ticket
            beat(ctx)

    def settled(self, idem):
        self._unsettled.pop(idem, None)

    def settled_before(self, now):
        return min(self._unsettled.values(), default=now)


def beat(ctx):
    now = ctx.clock.now()
    store.beat(ctx.db, ctx.issuer.id, now, ctx.issuer.settled_before(now))
    ctx.issuer._beaten.add(ctx.db.name)


def tick(ctx):
    """The timer's tick (a failure is logged; the next tick tries again)."""
    try:
        beat(ctx)
        announce_owed(ctx)
        announce_for_the_silent(ctx)
    except Exception:  # noqa: BLE001 - the next tick tries again
        log.exception("ticketing outbox sweep failed")


def announce_for_the_silent(ctx):
    """Announce what a process that went silent may have left unannounced."""
    for issuer in store.silent_issuers(ctx.db, ctx.clock.now() - SILENT_AFTER):
        if issuer["_id"] == ctx.issuer.id:
            continue
        tickets = store.tickets_issued_by(ctx.db, issuer["_id"], issuer["settled_before"])
        if tickets:
            log.warning("announcing the tickets of a process that went silent",
                        extra={"entity": issuer["_id"]})
        for ticket in tickets:
            issuing.announce_issued(ctx, store.current_ticket(ctx.db, ticket["_id"]), False)
        store.forget_issuer(ctx.db, issuer["_id"])


def announce_owed(ctx):
    for mark in store.owed_before(ctx.db, ctx.clock.now() - OWED_AFTER):
        ticket = store.ticket_of_idem(ctx.db, mark["_id"])
        if ticket is None:
            store.announcement_paid(ctx.db, mark["_id"])   # nothing was issued
            continue
        log.warning("announcing a ticket whose announcement was owed",
                    extra={"entity": ticket["_id"]})
        issuing.announce_issued(ctx, store.current_ticket(ctx.db, ticket["_id"]), False)
        store.announcement_paid(ctx.db, mark["_id"])
