"""Feeding the live-update hub from the ticketing events (see ``hub`` for why it is built so).

One BROADCAST handler per event type: every gateway instance gets its own copy, with no
reliable delivery (a live view that misses an event reconnects and reloads). The handler
publishes the event without personal data at once and marks the boards of that agency (and
the MPP-wide ones) dirty; ``refresh_boards`` (a timer) then publishes one fresh ``board``
snapshot per dirty audience (when it changed), all from one RPC every
``BOARD_REFRESH_SECONDS``, however many events, audiences and screens.
"""
import logging

from nameko.events import BROADCAST, event_handler
from nameko.timer import timer

from services.gateway.hub import BOARD_REFRESH_SECONDS, safe_event

log = logging.getLogger(__name__)

TICKET_EVENTS = ("ticket_issued", "ticket_called", "ticket_recalled", "ticket_skipped",
                 "ticket_service_started", "ticket_completed", "ticket_transferred",
                 "ticket_cancelled", "counter_opened", "counter_closed")


def _live(event_type):
    return event_handler("ticketing", event_type, handler_type=BROADCAST,
                         reliable_delivery=False)


class LiveRoutes:

    def _push(self, event_type, event):
        hub = self.live
        if hub is None:
            return
        hub.publish(safe_event(event_type, event))
        hub.mark_boards(event.get("agency"))

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

    @_live("ticket_issued")
    def live_ticket_issued(self, event):
        self._push("ticket_issued", event)

    @_live("ticket_called")
    def live_ticket_called(self, event):
        self._push("ticket_called", event)

    @_live("ticket_recalled")
    def live_ticket_recalled(self, event):
        self._push("ticket_recalled", event)

    @_live("ticket_skipped")
    def live_ticket_skipped(self, event):
        self._push("ticket_skipped", event)

    @_live("ticket_service_started")
    def live_ticket_service_started(self, event):
        self._push("ticket_service_started", event)

    @_live("ticket_completed")
    def live_ticket_completed(self, event):
        self._push("ticket_completed", event)

    @_live("ticket_transferred")
    def live_ticket_transferred(self, event):
        self._push("ticket_transferred", event)

    @_live("ticket_cancelled")
    def live_ticket_cancelled(self, event):
        self._push("ticket_cancelled", event)

    @_live("counter_opened")
    def live_counter_opened(self, event):
        self._push("counter_opened", event)

    @_live("counter_closed")
    def live_counter_closed(self, event):
        self._push("counter_closed", event)
