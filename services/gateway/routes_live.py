"""Board snapshots for the live-update hub (see ``hub`` for why it is built so).

The ticketing events reach the hub through ``live_feed``; each marks the boards of its agency
(and the MPP-wide ones) dirty. ``refresh_boards`` (a timer) publishes one fresh ``board``
snapshot per dirty audience (when it changed), all from one RPC every
``BOARD_REFRESH_SECONDS``, however many events, audiences and screens.
"""
import logging

from nameko.timer import timer

from services.gateway.hub import BOARD_REFRESH_SECONDS

log = logging.getLogger(__name__)


class LiveRoutes:

    @timer(interval=BOARD_REFRESH_SECONDS)
    def refresh_boards(self):
        hub = self.live
        if hub is None:
            return
        dirty = sorted(hub.take_dirty(), key=lambda a: a or "")
        if not dirty:
            return
        try:  # one RPC for every audience
            snapshots = self._call(self.ticketing.boards, dirty)
        except Exception:  # noqa: BLE001 - the calls already went out; boards reload
            log.warning("board snapshots failed", exc_info=True)
            return
        for audience, board in snapshots:
            hub.publish_board(audience, board)
