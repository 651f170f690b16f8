"""Live updates over Server-Sent Events: 300 open streams hold no nameko worker (the pool
has 10), ordinary requests still get through while they are open, and every stream sees the
call. The counter stream sees only its own counter's and services' events."""
import json
import socket

import eventlet

from tests.integration.gateway.helpers import bearer

STREAMS = int(__import__("os").environ.get("SSE_STREAMS", 300))


def open_stream(address, path):
    host, port = address.split(":")
    sock = socket.create_connection((host, int(port)), timeout=30)
    sock.sendall("GET {} HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n".format(
        path, address).encode())
    return sock


def read_until(sock, needle, limit=400000, data=b""):
    """Read until ``needle`` arrived (keep-alive pings every 15 s keep a stream talking, so
    a missing event fails by pytest's timeout, not by a socket timeout)."""
    while needle.encode() not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
        assert len(data) < limit
    return data.decode("utf-8", "replace")


def events_of(text, kind):
    out = []
    for block in text.split("\n\n"):
        if "event: {}".format(kind) in block:
            for line in block.splitlines():
                if line.startswith("data: "):
                    out.append(json.loads(line[6:]))
    return out


def test_hundreds_of_streams_do_not_starve_requests(api, gateway_config):
    address = gateway_config["WEB_SERVER_ADDRESS"]
    assert int(gateway_config.get("max_workers", 10)) < STREAMS
    streams = [open_stream(address, "/api/v1/stream/board?agency=samsat") for _ in range(STREAMS)]
    heads = [read_until(s, ": connected") for s in streams]
    assert all("text/event-stream" in h for h in heads)

    # with every stream open, ordinary requests are answered
    tickets = [api.post("/api/v1/tickets", json={"service_id": "samsat-pkb"}) for _ in range(5)]
    assert [t.status_code for t in tickets] == [201] * 5
    samsat = bearer(api, "samsat.officer")
    assert api.post("/api/v1/counters/samsat-7/open", headers=samsat).status_code == 200
    called = api.post("/api/v1/counters/samsat-7/call-next", headers=samsat).json()

    pile = eventlet.GreenPool(100)
    texts = list(pile.imap(lambda s: read_until(s, '"call_seq"'), streams))
    for text in texts:
        calls = events_of(text, "ticket_called")
        assert calls and calls[-1]["number"] == called["number"]
        assert calls[-1]["counter_name"] == "Loket 7"
    # the board snapshot follows the event; nothing personal travels
    board_text = read_until(streams[0], '"now_serving": "{}"'.format(called["number"]),
                            data=texts[0].encode())
    assert events_of(board_text, "board")
    assert "contact" not in "".join(texts) and "access_token" not in "".join(texts)
    for s in streams:
        s.close()


def test_counter_stream_sees_its_own_services_only(api, gateway_config):
    address = gateway_config["WEB_SERVER_ADDRESS"]
    mine = open_stream(address, "/api/v1/stream/counter/samsat-7?services=samsat-pkb,samsat-bbn")
    theirs = open_stream(address, "/api/v1/stream/counter/ptsp-1?services=ptsp-izin")
    read_until(mine, ": connected")
    read_until(theirs, ": connected")
    api.post("/api/v1/tickets", json={"service_id": "ptsp-izin"})
    ours = api.post("/api/v1/tickets", json={"service_id": "samsat-bbn"}).json()
    text = read_until(mine, ours["number"])
    issued = events_of(text, "ticket_issued")
    assert [e["number"] for e in issued] == [ours["number"]]
    other = read_until(theirs, '"ticket_issued"')
    assert [e["service_id"] for e in events_of(other, "ticket_issued")] == ["ptsp-izin"]
    mine.close()
    theirs.close()


def test_the_live_feed_comes_back_after_its_broker_connection_is_dropped(
        api, gateway_config, rabbit_manager):
    """The gateway consumes the ticketing events on a connection of its own (``live_feed``),
    not through nameko: when the broker drops it, it must reconnect and bind its queue again
    by itself, or every board and counter console would stay frozen until a restart."""
    from services.gateway.live_feed import CONNECTION_NAME
    from tests.support import wait_for

    vhost = gateway_config["AMQP_URI"].rsplit("/", 1)[1]

    def feed_connections():
        return [c["name"] for c in rabbit_manager.get_connections()
                if c.get("vhost") == vhost and
                (c.get("client_properties") or {}).get("connection_name") == CONNECTION_NAME]

    [dropped] = wait_for(feed_connections, message="the live feed's connection")
    rabbit_manager.delete_connection(dropped)
    wait_for(lambda: [name for name in feed_connections() if name != dropped],
             timeout=60, message="the live feed to reconnect")

    stream = open_stream(gateway_config["WEB_SERVER_ADDRESS"],
                         "/api/v1/stream/counter/samsat-7?services=samsat-pkb")
    read_until(stream, ": connected")
    ticket = api.post("/api/v1/tickets", json={"service_id": "samsat-pkb"}).json()
    text = read_until(stream, ticket["number"])
    assert [e["number"] for e in events_of(text, "ticket_issued")] == [ticket["number"]]
    stream.close()
