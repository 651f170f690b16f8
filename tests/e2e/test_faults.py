"""Faults: a ticketing instance killed with SIGKILL while kiosks issue tickets.

Kiosks send an Idempotency-Key and retry with the same key after an error, as the web
client does. A request that was being handled by the killed instance is redelivered by
RabbitMQ (nameko acks an RPC only after it answered) to the surviving instance, and the key
makes that redelivery return the ticket the dead instance may already have written.
"""
import os
import threading
import time
import uuid

import pytest
import requests
from nameko.standalone.rpc import ClusterRpcProxy
from nameko.testing.utils import find_free_port

from scripts.suite import Suite
from services.common.config import database_name
from tests.conftest import MONGO_URI

CATALOGUE = {"agencies": [{
    "code": "samsat", "name": "Samsat",
    "services": [{"id": "samsat-pkb", "prefix": "H", "name": "Pajak Kendaraan", "daily_quota": 100000}],
    "counters": [{"id": "samsat-7", "name": "Loket 7", "services": ["samsat-pkb"]}],
}]}


@pytest.fixture
def fault_suite(rabbit_manager, mongo_client, tmp_path):
    vhost = "mpp_fault_{}".format(uuid.uuid4().hex[:8])
    rabbit_manager.create_vhost(vhost)
    rabbit_manager.set_vhost_permissions(vhost, "guest", ".*", ".*", ".*")
    prefix = "fault{}".format(uuid.uuid4().hex[:8])
    env = dict(os.environ, AMQP_URI="pyamqp://guest:guest@127.0.0.1:5672/{}".format(vhost),
               MONGO_URI=MONGO_URI, MONGO_DB_PREFIX=prefix, MPP_IGNORE_OPENING_HOURS="1",
               GATEWAY_ADDRESS="127.0.0.1:{}".format(find_free_port()), RPC_TIMEOUT="15",
               # every simulated kiosk shares 127.0.0.1: this test is about the kill
               GATEWAY_RATE_LIMIT_PER_MINUTE="100000", GATEWAY_RATE_LIMIT_BURST="10000")
    suite = Suite(env=env, scale={"ticketing": 2}, log_dir=tmp_path,
                  services=("ticketing", "gateway"))
    try:
        suite.start()
        with ClusterRpcProxy(suite.config(), timeout=30) as rpc:
            rpc.ticketing.load_catalogue(CATALOGUE)
        yield suite, mongo_client[database_name(suite.config(), "ticketing")]
    finally:
        suite.stop()
        rabbit_manager.delete_vhost(vhost)
        mongo_client.drop_database(database_name({"MONGO_DB_PREFIX": prefix}, "ticketing"))


def kiosk(base, key, results, attempts=20):
    """One kiosk request, retried with the same key until it gets its ticket."""
    for _ in range(attempts):
        try:
            answer = requests.post(base + "/api/v1/tickets", json={"service_id": "samsat-pkb"},
                                   headers={"Idempotency-Key": key}, timeout=30)
            if answer.status_code == 201:
                results[key] = answer.json()
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)


def test_kill_9_of_a_ticketing_instance_loses_and_duplicates_nothing(fault_suite, record_property):
    suite, db = fault_suite
    base = "http://{}".format(suite.env["GATEWAY_ADDRESS"])
    keys = ["kiosk-{}".format(i) for i in range(120)]
    results = {}
    threads = []
    for i, key in enumerate(keys):
        thread = threading.Thread(target=kiosk, args=(base, key, results))
        thread.start()
        threads.append(thread)
        if i == 40:
            suite.kill_instance("ticketing", 0)  # SIGKILL mid-load
        time.sleep(0.01)
    for thread in threads:
        thread.join(120)

    numbers = sorted(t["number"] for t in results.values())
    stored = sorted(d["number"] for d in db.tickets.find({}, {"number": 1}))
    counts = {
        "sent": len(keys),
        "acknowledged": len(results),
        "lost": len(keys) - len(results),
        "duplicated": len(numbers) - len(set(numbers)),
        "stored": len(stored),
    }
    print("\nkill -9 of ticketing during load:", counts)
    record_property("fault_counts", "kill -9 of ticketing during load: {}".format(counts))
    assert counts["lost"] == 0
    assert counts["duplicated"] == 0
    assert stored == numbers, "every stored ticket belongs to exactly one kiosk request"
    assert numbers == ["H-{:03d}".format(n) for n in range(1, len(keys) + 1)], "gapless"

    # the surviving instance carries on
    after = requests.post(base + "/api/v1/tickets", json={"service_id": "samsat-pkb"}, timeout=30)
    assert after.status_code == 201 and after.json()["number"] == "H-{:03d}".format(len(keys) + 1)
