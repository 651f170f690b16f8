"""The outbox: events owed by steps whose process died before announcing them.

Every step is marked owed (``store.mark_unannounced``) before its history entry is inserted and
cleared once its events are out. A mark older than the roll-forward delay belongs to a dead
writer: the step is rolled forward (``applications.get``) and announced as of its own entry,
with event ids derived from the step, so a consumer that saw them already skips them.
"""
import logging
from datetime import timedelta

from services.common import clock as clk
from services.permits import acting, applications, filing, store

log = logging.getLogger(__name__)


def tick(ctx):
    """The timer's tick (a failure is logged; the next tick tries again)."""
    try:
        announce_stranded(ctx, ctx.now())
    except Exception:  # noqa: BLE001 - the next tick tries again
        log.exception("outbox sweep failed")


def announce_stranded(ctx, now):
    """Publish the events of steps whose process died before announcing them."""
    cutoff = now - store.ROLL_FORWARD_AFTER - timedelta(seconds=1)
    for mark in store.unannounced_before(ctx.db, clk.iso(cutoff)):
        if mark["seq"] == 1:  # a filing: finish it (idempotent), which announces it
            filed = store.get_application_raw(ctx.db, mark["application_id"])
            if filed is not None:
                log.warning("finishing a filing a dead process left",
                            extra={"entity": mark["_id"]})
                filing.finish_filing(ctx, filed)
            store.mark_announced(ctx.db, mark["application_id"], 1)
            continue
        entry = store.get_history_entry(ctx.db, mark["application_id"], mark["seq"])
        if entry is not None:
            app = applications.get(ctx, mark["application_id"])
            log.warning("announcing a step a dead process left",
                        extra={"entity": mark["_id"]})
            acting.announce(ctx, dict(app, state=entry["from"]), dict(app, state=entry["to"]),
                            entry)
        store.mark_announced(ctx.db, mark["application_id"], mark["seq"])
