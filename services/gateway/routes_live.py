"""Feeding the live-update hub from the ticketing events (see ``hub`` for why it is built so).

One BROADCAST handler per event type: every gateway instance gets its own copy, with no
reliable delivery (a live view that misses an event reconnects and reloads). The handler
publishes the event without personal data, then, when some board listens for that agency
(or for the whole MPP), one fresh ``board`` snapshot per such audience: one RPC per event,
however many screens watch.
"""
import logging

from nameko.events import BROADCAST, event_handler

from services.gateway.hub import safe_event

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
        message = safe_event(event_type, event)
        hub.publish(message)
        agency = event.get("agency")
        for audience in hub.board_agencies():
            if audience not in (None, agency):
                continue
            try:
                board = self._call(self.ticketing.board, audience)
            except Exception:  # noqa: BLE001 - the event already went out; boards reload
                log.warning("board snapshot failed", exc_info=True)
                continue
            hub.publish({"type": "board", "agency": audience, "board": board,
                         "cause": message})

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
