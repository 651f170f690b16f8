"""Live updates: an in-process hub fed by the ticketing events, read by SSE connections.

Why not nameko workers: each @http request holds a worker from the pool (10 by default) for
as long as it runs, so ten open streams would starve every other request. Streams are served
by ``GatewayWsgiApp`` directly: eventlet's WSGI server already gives each connection its own
greenthread, which here blocks on an eventlet queue, costs a few KB and holds no worker.

Feeding: every gateway instance consumes the ticketing events on a queue of its own
(``live_feed``: each instance gets its own copy, no acks, no worker per event; a board that
misses an event while the gateway reconnects reloads anyway). ``Hub.feed`` publishes each
without personal data; the hub encodes it once and copies the frame into the queue of every
matching subscriber without blocking. A subscriber whose
queue is full (a client that stopped reading) is dropped, never waited for.

Board snapshots cost the ticketing service a dozen reads each, so they are not taken per
event: an event only marks its audience (an agency, or ``None`` for the whole MPP) dirty, and
a timer takes one snapshot per dirty audience every ``BOARD_REFRESH_SECONDS``, and sends it
only when it differs from the last one sent. A burst of a hundred tickets costs one snapshot
per audience, not a hundred; the calls themselves still reach every board at once.
"""
import collections
import itertools
import json
import logging

import eventlet
from eventlet.queue import Empty, LightQueue
from nameko.extensions import SharedExtension

from services.contracts import events as ev

log = logging.getLogger(__name__)

#: what a live client may see of an event (``ticket_issued`` also carries the contact: never)
SAFE_KEYS = ("event_id", "occurred_at", "ticket_id", "number", "service_id", "agency",
             "counter_id", "counter_name", "call_seq", "priority_group", "returned_to_queue",
             "to_service_id", "new_ticket_id", "new_number", "services", "override")
#: what a display board shows: its snapshot, and the calls it announces (a chime, the number)
#: the moment they happen. Every other change reaches it inside the next snapshot, so a
#: kiosk burst costs the boards nothing but that snapshot.
BOARD_EVENTS = frozenset({"board", ev.TICKET_CALLED, ev.TICKET_RECALLED})
QUEUE_SIZE = 200
HEARTBEAT_SECONDS = 15
BOARD_REFRESH_SECONDS = 1.0
_CLOSE = object()


def safe_event(event_type, event):
    message = {k: event[k] for k in SAFE_KEYS if k in event}
    message["type"] = event_type
    return message


def encode(message):
    """One SSE frame (``event: <type>`` + JSON data), as bytes."""
    return "event: {}\ndata: {}\n\n".format(
        message["type"], json.dumps(message, ensure_ascii=False)).encode("utf-8")


class Subscription:
    def __init__(self, kind, agency=None, counter_id=None, services=()):
        self.kind = kind  # "board" | "counter"
        self.agency = agency
        self.counter_id = counter_id
        self.services = frozenset(services)
        self.queue = LightQueue(QUEUE_SIZE)

    def wants(self, message):
        return not self.index_keys().isdisjoint(_index_keys(message))

    def index_keys(self):
        """What this stream watches, as index entries: a board its audience (an agency, or
        ``None`` for the MPP), a counter console its counter and services. The hub files it
        under them, and a message reaches the streams filed under its ``_index_keys``."""
        if self.kind == "board":
            return {("board", self.agency)}
        return {("counter", self.counter_id)} | {("service", s) for s in self.services}


def _index_keys(message):
    """Which streams ``message`` is for: a board snapshot its own audience's boards only; a
    call also the MPP-wide boards; every event but a snapshot the consoles of its counter and
    of the services it names (a board shows its snapshots and calls, nothing else)."""
    kind, agency = message.get("type"), message.get("agency")
    if kind == "board":
        return [("board", agency)]
    keys = [("counter", message.get("counter_id")), ("service", message.get("service_id")),
            ("service", message.get("to_service_id"))]
    if kind in BOARD_EVENTS:
        keys += [("board", None), ("board", agency)]
    return keys


class Hub:
    def __init__(self, limit=2000):
        self.limit = limit
        self._subs = {}
        self._index = collections.defaultdict(dict)  # index key -> {subscription key: sub}
        self._ids = itertools.count(1)
        self.dropped = 0
        self._dirty = set()
        self._last_board = {}  # audience -> the last snapshot sent
        self._boards = collections.Counter()  # audience -> board streams watching it

    def __len__(self):
        return len(self._subs)

    def subscribe(self, subscription):
        if len(self._subs) >= self.limit:
            return None
        key = next(self._ids)
        self._subs[key] = subscription
        subscription.key = key
        for entry in subscription.index_keys():
            self._index[entry][key] = subscription
        if subscription.kind == "board":
            self._boards[subscription.agency] += 1
        return subscription

    def unsubscribe(self, subscription):
        self._drop(getattr(subscription, "key", None))

    def _drop(self, key):
        subscription = self._subs.pop(key, None)
        if subscription is None:
            return None
        for entry in subscription.index_keys():
            filed = self._index.get(entry)
            if filed is not None:
                filed.pop(key, None)
                if not filed:
                    del self._index[entry]
        if subscription.kind == "board":
            self._boards[subscription.agency] -= 1
            if self._boards[subscription.agency] <= 0:
                del self._boards[subscription.agency]
        return subscription

    def board_agencies(self):
        """Which board snapshots anyone is waiting for (``None``: the whole MPP)."""
        return set(self._boards)

    def mark_boards(self, agency):
        """An event of ``agency`` changed what its boards and the MPP-wide boards show
        (no scan of the streams: this runs for every event)."""
        for audience in {None, agency}:
            if audience in self._boards:
                self._dirty.add(audience)

    def take_dirty(self):
        """The audiences whose board snapshot is due (and forget them)."""
        dirty, self._dirty = self._dirty, set()
        return dirty

    def feed(self, event_type, event):
        """A ticketing event: to the streams that show it (without personal data) at once,
        and its boards' next snapshot marked due."""
        self.publish(safe_event(event_type, event))
        self.mark_boards(event.get("agency"))

    def publish_board(self, audience, board):
        """A board snapshot for ``audience``, unless it is the one its boards already have."""
        if self._last_board.get(audience) == board:
            return 0
        self._last_board[audience] = board
        return self.publish({"type": "board", "agency": audience, "board": board})

    def _candidates(self, message):
        """The streams filed under the message's index entries (each once)."""
        found = {}
        for entry in _index_keys(message):
            filed = self._index.get(entry)
            if filed:
                found.update(filed)
        return found

    def publish(self, message):
        """To every stream that wants ``message``, found through the index: a ticket issued
        with 1,000 boards open costs the streams of its counters, not 1,000 checks."""
        delivered = 0
        frame = None
        for key, sub in list(self._candidates(message).items()):
            if frame is None:  # encoded once, however many subscribers
                frame = encode(message)
            try:
                sub.queue.put_nowait(frame)
                delivered += 1
            except eventlet.queue.Full:
                self._drop(key)
                self.dropped += 1
                try:
                    sub.queue.get_nowait()
                    sub.queue.put_nowait(_CLOSE)
                except (Empty, eventlet.queue.Full):
                    pass
        return delivered

    def close_all(self):
        for sub in list(self._subs.values()):
            try:
                sub.queue.put_nowait(_CLOSE)
            except eventlet.queue.Full:
                pass
        self._subs.clear()
        self._index.clear()
        self._boards.clear()

    def stream(self, subscription, heartbeat=HEARTBEAT_SECONDS):
        """The SSE body: a generator eventlet's WSGI server writes chunk by chunk."""
        try:
            yield b"retry: 3000\n: connected\n\n"
            while True:
                try:
                    message = subscription.queue.get(timeout=heartbeat)
                except Empty:
                    yield b": ping\n\n"
                    continue
                if message is _CLOSE:
                    return
                yield message
        finally:
            self.unsubscribe(subscription)


class StreamHub(SharedExtension):
    """One hub per service container, shared by the web server and the event handlers."""

    def __init__(self):
        super().__init__()
        self.hub = None

    def setup(self):
        from services.common import settings

        self.hub = Hub(limit=settings.get(self.container.config, "GATEWAY_STREAM_MAX"))

    def stop(self):
        if self.hub is not None:
            self.hub.close_all()

    def kill(self):
        self.stop()
