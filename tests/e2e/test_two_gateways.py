"""Two gateway processes behind one address, as the TLS proxy balances them
(``docker compose up --scale gateway=2``): a live stream held by one gateway shows a ticket
taken through the other, and a client's rate limit is one budget across both (with buckets
of each gateway's own alone, a client spreading its requests would get twice the limit)."""
import os
import socket
import time
import uuid

import pytest
import requests
from nameko.standalone.rpc import ClusterRpcProxy
from nameko.testing.utils import find_free_port

from scripts.suite import Suite
from tests.conftest import MONGO_URI
from tests.support import wait_for

LIMIT = 20
CATALOGUE = {"agencies": [{
    "code": "samsat", "name": "Samsat",
    "services": [{"id": "samsat-pkb", "prefix": "H", "name": "Pajak Kendaraan"}],
    "counters": [{"id": "samsat-7", "name": "Loket 7", "services": ["samsat-pkb"]}],
    "permit_types": []}]}


@pytest.fixture
def gateways(rabbit_manager, db_prefix, tmp_path):
    vhost = "mpp_two_gw_{}".format(uuid.uuid4().hex[:8])
    rabbit_manager.create_vhost(vhost)
    rabbit_manager.set_vhost_permissions(vhost, "guest", ".*", ".*", ".*")
    env = dict(os.environ, AMQP_URI="pyamqp://guest:guest@127.0.0.1:5672/{}".format(vhost),
               MONGO_URI=MONGO_URI, MONGO_DB_PREFIX=db_prefix, MPP_IGNORE_OPENING_HOURS="1",
               GATEWAY_RATE_LIMIT_PER_MINUTE=str(LIMIT), GATEWAY_RATE_LIMIT_BURST=str(LIMIT),
               # the test stands for the proxy: X-Forwarded-For names each client
               GATEWAY_TRUSTED_PROXIES="127.0.0.1")
    addresses = ["127.0.0.1:{}".format(find_free_port()) for _ in range(2)]
    suites = [Suite(env=dict(env, GATEWAY_ADDRESS=addresses[0]),
                    services=("ticketing", "gateway"), log_dir=tmp_path / "first"),
              Suite(env=dict(env, GATEWAY_ADDRESS=addresses[1]), services=("gateway",),
                    log_dir=tmp_path / "second")]
    try:
        for suite in suites:
            suite.start()
        with ClusterRpcProxy(suites[0].config(), timeout=10) as rpc:
            rpc.ticketing.load_catalogue(CATALOGUE)
        urls = ["http://" + a for a in addresses]
        for url in urls:  # the health RPC is answered by either gateway: ask each one's HTTP
            wait_for(lambda: listening(url), timeout=60, interval=0.2,
                     message="{} to listen".format(url))
        yield urls
    finally:
        for suite in suites:
            suite.stop()
        rabbit_manager.delete_vhost(vhost)


def listening(url):
    try:
        return requests.get(url + "/healthz", timeout=5).status_code == 200
    except requests.ConnectionError:
        return False


def open_stream(base_url, path, client):
    host, port = base_url[len("http://"):].split(":")
    sock = socket.create_connection((host, int(port)), timeout=30)
    sock.sendall("GET {} HTTP/1.1\r\nHost: mpp\r\nX-Forwarded-For: {}\r\n"
                 "Accept: text/event-stream\r\n\r\n".format(path, client).encode())
    return sock


def read_until(sock, needle, data=b""):
    while needle.encode() not in data:
        chunk = sock.recv(65536)
        assert chunk, data[-500:]
        data += chunk
    return data.decode("utf-8", "replace")


def test_a_stream_on_one_gateway_shows_a_ticket_taken_on_the_other(gateways):
    for watched, taken_on in ((0, 1), (1, 0)):
        stream = open_stream(gateways[watched], "/api/v1/stream/counter/samsat-7"
                             "?services=samsat-pkb", "198.51.100.{}".format(watched + 1))
        try:
            assert "text/event-stream" in read_until(stream, ": connected")
            ticket = requests.post(gateways[taken_on] + "/api/v1/tickets",
                                   json={"service_id": "samsat-pkb"}, timeout=30,
                                   headers={"X-Forwarded-For": "198.51.100.9"})
            assert ticket.status_code == 201, ticket.text
            seen = read_until(stream, '"number": "{}"'.format(ticket.json()["number"]))
            assert "ticket_issued" in seen
        finally:
            stream.close()


def test_a_clients_rate_limit_is_one_budget_across_the_gateways(gateways):
    if time.time() % 60 > 45:   # the budget is per clock minute: start the burst inside one
        time.sleep(61 - time.time() % 60)
    client = {"X-Forwarded-For": "203.0.113.{}".format(uuid.uuid4().int % 250 + 1)}
    statuses, retry_after = [], []
    for i in range(2 * LIMIT):
        answer = requests.get(gateways[i % 2] + "/api/v1/services/samsat-pkb", headers=client, timeout=30)
        statuses.append(answer.status_code)
        if answer.status_code == 429:
            retry_after.append(int(answer.headers["Retry-After"]))
    counts = {s: statuses.count(s) for s in set(statuses)}
    print("{} requests of one client over two gateways: {}".format(2 * LIMIT, counts))
    assert counts == {200: LIMIT, 429: LIMIT}
    assert all(1 <= wait <= 60 for wait in retry_after)
    # another client has its own budget, on either gateway
    other = {"X-Forwarded-For": "192.0.2.77"}
    assert [requests.get(g + "/api/v1/services/samsat-pkb", headers=other, timeout=30).status_code
            for g in gateways] == [200, 200]
