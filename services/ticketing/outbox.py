"""The outbox: ``ticket_issued`` owed by tickets whose announcement did not go out (the
broker was lost, or the process died, between the ticket's insert and its event).

Issuing marks the announcement owed (``store.owe_announcement``, keyed by the ticket's
``idem``) before it inserts the ticket, and clears the mark once ``ticket_issued`` (and
``ticket_contact_given``) are out (``store.PAID``: this process's cleared marks, deleted
together by the timer's next tick). A mark older than ``OWED_AFTER`` belongs to a request that
will not finish by itself: the timer announces its ticket, with the ticket's own event ids (a
consumer that heard it already skips it), or drops the mark when no ticket was written (the
request was refused or died before the insert). So no ticket stays unannounced, whether or
not the kiosk retries.

``tick`` takes ``ctx``: the service worker (``db``, ``events``, ``clock``, ``cache``).
"""
import logging
from datetime import timedelta

from services.ticketing import issuing, store

log = logging.getLogger(__name__)

OWED_AFTER = timedelta(seconds=15)   # longer than any request takes (RPC timeout: 10 s)


def tick(ctx):
    """The timer's tick (a failure is logged; the next tick tries again)."""
    try:
        announce_owed(ctx)
    except Exception:  # noqa: BLE001 - the next tick tries again
        log.exception("ticketing outbox sweep failed")


def announce_owed(ctx):
    store.PAID.flush(ctx.db)
    for mark in store.owed_before(ctx.db, ctx.clock.now() - OWED_AFTER):
        ticket = store.ticket_of_idem(ctx.db, mark["_id"])
        if ticket is None:
            store.announcement_paid(ctx.db, mark["_id"])   # nothing was issued
            continue
        log.warning("announcing a ticket whose announcement was owed",
                    extra={"entity": ticket["_id"]})
        issuing.announce_issued(ctx, store.current_ticket(ctx.db, ticket["_id"]), False)
