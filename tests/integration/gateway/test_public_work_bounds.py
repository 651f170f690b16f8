"""Work anyone can make the gateway do is bounded: live streams per address, the size of a
connector callback (refused on its Content-Length, before the body is read), and a rate limit
on every class of route (public, staff, connector callbacks, streams)."""
import socket

from tests.integration.gateway.helpers import assert_problem, bearer
from tests.integration.gateway.test_live_updates import open_stream, read_until


def _start(runner_factory, gateway_config, **settings):
    from services.gateway.service import GatewayService
    from services.ticketing.service import TicketingService

    gateway_config.update(settings)
    runner_factory(gateway_config, TicketingService, GatewayService).start()
    return gateway_config["WEB_SERVER_ADDRESS"]


def test_live_streams_are_capped_per_address(runner_factory, gateway_config):
    address = _start(runner_factory, gateway_config, GATEWAY_STREAM_MAX_PER_CLIENT=3)
    streams = [open_stream(address, "/api/v1/stream/board") for _ in range(3)]
    assert all("200 OK" in read_until(s, ": connected") for s in streams)
    extra = open_stream(address, "/api/v1/stream/board")
    head = read_until(extra, "\r\n\r\n")
    assert " 429 " in head.splitlines()[0] and "Retry-After" in head
    for s in streams + [extra]:
        s.close()


def test_a_callback_too_large_is_refused_before_its_body_is_read(runner_factory,
                                                                gateway_config):
    address = _start(runner_factory, gateway_config)
    host, port = address.split(":")
    sock = socket.create_connection((host, int(port)), timeout=20)
    # a huge declared body that never comes: the answer must not wait for it
    sock.sendall("POST /api/v1/connectors/dpmptsp/callbacks HTTP/1.1\r\nHost: {}\r\n"
                 "Content-Type: application/json\r\nContent-Length: 500000000\r\n\r\n{{"
                 .format(address).encode())
    head = read_until(sock, "\r\n\r\n")
    sock.close()
    assert " 413 " in head.splitlines()[0], head


def test_staff_routes_and_streams_are_rate_limited_too(runner_factory, gateway_config,
                                                       web_session):
    _start(runner_factory, gateway_config, GATEWAY_STAFF_RATE_LIMIT_PER_MINUTE=60,
           GATEWAY_STAFF_RATE_LIMIT_BURST=3)
    answers = [web_session.get("/api/v1/counters") for _ in range(4)]
    assert [a.status_code for a in answers[:3]] == [401, 401, 401]
    assert_problem(answers[3], 429)
