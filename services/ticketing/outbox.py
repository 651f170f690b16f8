"""The outbox: ``ticket_issued`` owed by tickets whose announcement did not go out because
the broker was lost between the ticket's insert and its event.

When publishing a ticket's announcement fails, issuing marks it owed
(``store.owe_announcement``, keyed by the ticket's ``idem``) before the request fails. The
timer announces every mark older than ``OWED_AFTER`` (by then a retrying client has had its
chance) with the ticket's own event ids, so a consumer that heard it already skips it, and
removes the mark; it fails again while the broker is still away and tries on the next tick.
So no ticket stays unannounced after a broker loss, whether or not the kiosk retries. A
process killed between a ticket's insert and its announcement leaves no mark: a client's
retry with its key announces that ticket (``issuing.announce_issued``).

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
    for mark in store.owed_before(ctx.db, ctx.clock.now() - OWED_AFTER):
        ticket = store.ticket_of_idem(ctx.db, mark["_id"])
        if ticket is None:
            store.announcement_paid(ctx.db, mark["_id"])   # nothing was issued
            continue
        log.warning("announcing a ticket whose announcement was owed",
                    extra={"entity": ticket["_id"]})
        issuing.announce_issued(ctx, store.current_ticket(ctx.db, ticket["_id"]), False)
        store.announcement_paid(ctx.db, mark["_id"])
