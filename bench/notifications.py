"""Notifications figures: from an event dispatched to the (loopback) provider receiving the
message, with the notifications service as its own process, as in production.

``measure(env)`` starts ``notifications`` alone (``Suite(services=("notifications",))``) on a
vhost and database prefix of its own, with WhatsApp pointed at a tiny threaded HTTP server in
this process that answers like the WhatsApp Cloud API (``status: delivered``). It dispatches
``ticket_contact_given`` (a ticket with a contact: the "your ticket" message, kind
``ticket_issued``) and, one second later, ``ticket_called`` for the same ticket, ``rate``
events per second in total for ``seconds`` seconds, and reports:

- ``ticket_called`` and ``ticket_issued`` latency, dispatch -> provider received (p50, p99);
- ``messages_per_s``: messages the provider received over the span from the first dispatch
  to the last receipt, and ``events_per_s`` actually dispatched (to see if we kept the pace);
- the broker's own floor (``bench.baseline.amqp_round_trip``) in the same run, and the p50
  ratio to it.

    python -m bench.notifications      # prints JSON
"""
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.harness import database_prefix, measured_at, service_alone
from bench.stats import latency_summary, ratio


class Receiver:
    """A loopback WhatsApp provider: records the arrival time of each message id."""

    def __init__(self):
        import selectors
        import socketserver

        # socketserver may have captured the unpatched poll selector before eventlet patched
        # the process; the select-based one is green (same fix as tests/conftest.py).
        socketserver._ServerSelector = selectors.SelectSelector
        self.arrivals = {}
        self.received = {}  # message id -> times received (more than 1: sent twice)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                at = time.time()
                try:
                    mid = json.loads(body).get("biz_opaque_callback_data")
                except ValueError:
                    mid = None
                if mid:
                    receiver.arrivals.setdefault(mid, at)
                    receiver.received[mid] = receiver.received.get(mid, 0) + 1
                answer = json.dumps({"messages": [{"id": "wamid.{}".format(mid)}],
                                     "status": "delivered"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return "http://127.0.0.1:{}/wa".format(self.server.server_address[1])

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def measure(env, rate=100, seconds=10, lag=1.0, phone="+6281234567890", instances=1):
    """Run the notifications benchmark; ``env`` as ``os.environ`` (AMQP_URI, MONGO_URI …)."""
    from services.common.config import load

    base_amqp = env.get("AMQP_URI") or load()["AMQP_URI"]
    with Receiver() as receiver:
        run_env = dict(env, MONGO_DB_PREFIX=database_prefix(), NOTIFY_TEST_MODE="0",
                       WHATSAPP_URL=receiver.url, WHATSAPP_TOKEN="bench-token",
                       LOG_LEVEL="WARNING")
        with service_alone(run_env, "notifications", instances) as config:
            result = _run(config, receiver, rate, seconds, lag, phone)
    from bench.baseline import amqp_round_trip

    floor = amqp_round_trip(base_amqp, 500)
    result["amqp_round_trip"] = floor
    result["ratios"] = {"ticket_called_p50_vs_amqp_round_trip_p50": ratio(
        result["ticket_called"]["p50_ms"], floor["p50_ms"])}
    return dict(result, rate_events_per_s=rate, seconds=seconds, instances=instances,
                measured_at=measured_at())


def _events(ticket_id, phone):
    from services.common.events import envelope

    issued = envelope({"ticket_id": ticket_id, "number": "B-" + ticket_id[-3:],
                       "service_id": "bench", "agency": "bench", "language": "id",
                       "contact": {"phone": phone}})
    called = envelope({"ticket_id": ticket_id, "number": "B-" + ticket_id[-3:],
                       "service_id": "bench", "agency": "bench", "counter_id": "bench-1",
                       "counter_name": "Loket 1", "call_seq": 1})
    return issued, called


def _run(config, receiver, rate, seconds, lag, phone):
    import eventlet
    from nameko.standalone.events import event_dispatcher

    dispatch = event_dispatcher(config)
    # warm-up: creates the handlers' queues' traffic paths and the connections
    warm = ["w{:03d}".format(i) for i in range(10)]
    for tid in warm:
        issued, _ = _events(tid, phone)
        dispatch("ticketing", "ticket_contact_given", issued)
    _wait(receiver, {"ticket_issued:" + t for t in warm}, 60)

    run = uuid.uuid4().hex[:6]
    tickets = ["{}-{:05d}".format(run, i) for i in range(int(rate * seconds / 2))]
    sent = {}  # message id -> dispatch time
    backlog = []  # (due, ticket id, called event)
    interval = 2.0 / rate  # one issued + one called per interval
    start = time.time()
    for i, tid in enumerate(tickets):
        due = start + i * interval
        pause = due - time.time()
        if pause > 0:
            eventlet.sleep(pause)
        issued, called = _events(tid, phone)
        sent["ticket_issued:" + tid] = time.time()
        dispatch("ticketing", "ticket_contact_given", issued)
        backlog.append((due + lag, tid, called))
        while backlog and backlog[0][0] <= time.time():
            _, ctid, cevent = backlog.pop(0)
            sent["ticket_called:{}:1".format(ctid)] = time.time()
            dispatch("ticketing", "ticket_called", cevent)
    for due, ctid, cevent in backlog:
        pause = due - time.time()
        if pause > 0:
            eventlet.sleep(pause)
        sent["ticket_called:{}:1".format(ctid)] = time.time()
        dispatch("ticketing", "ticket_called", cevent)
    dispatched_s = time.time() - start
    called_ids = {m for m in sent if m.startswith("ticket_called:")}
    _wait(receiver, called_ids, 120)
    eventlet.sleep(1.0)  # stragglers of ticket_issued (some expire: called before sent)

    arrivals = {m: receiver.arrivals[m] for m in sent if m in receiver.arrivals}
    lat = {kind: [arrivals[m] - sent[m] for m in arrivals if m.startswith(kind + ":")]
           for kind in ("ticket_issued", "ticket_called")}
    span = max(arrivals.values()) - start if arrivals else None
    return {
        "ticket_called": latency_summary(lat["ticket_called"]),
        "ticket_issued": latency_summary(lat["ticket_issued"]) if lat["ticket_issued"] else None,
        "messages_received": len(arrivals),
        "messages_expected": len(sent),
        "messages_per_s": round(len(arrivals) / span, 1) if span else None,
        "events_per_s": round(len(sent) / dispatched_s, 1),
        "duplicates": sum(n - 1 for n in receiver.received.values() if n > 1),
    }


def _wait(receiver, ids, timeout):
    import eventlet

    deadline = time.time() + timeout
    while not ids <= set(receiver.arrivals):
        if time.time() > deadline:
            missing = len(ids - set(receiver.arrivals))
            raise RuntimeError("{} messages never reached the provider".format(missing))
        eventlet.sleep(0.05)


if __name__ == "__main__":
    import os

    from bench import baseline  # noqa: F401 - monkey-patches eventlet first

    print(json.dumps(measure(dict(os.environ)), indent=2))
