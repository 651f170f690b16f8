"""Faults: the broker, then the database, restarted while kiosks issue tickets.

Each scenario runs ticketing, the gateway and a ``ticket_issued`` consumer (``event_probe``)
as separate processes against a RabbitMQ node or a FerretDB of the test's own
(``private_infra``), so stopping it touches nobody else. Kiosks keep taking tickets with an
``Idempotency-Key`` and retry with the same key after any error, as the web client does,
while the broker or the database goes away for a few seconds and comes back.

What must hold:

- while it is down, every failed request is a prompt 503 problem+json with ``Retry-After``
  (never a 500, never a request left hanging);
- the services reconnect by themselves (no process dies, nobody restarts them);
- every key ends with exactly one ticket (lost 0, duplicated 0) and the consumer hears of
  every ticket, issued before or after the outage, under one event id.

The counts are printed (``pytest -s``), recorded as the test's ``fault_counts`` property and
listed in the terminal summary.
"""
import os
import threading
import time
import uuid
from collections import Counter, defaultdict

import pytest
import requests
from nameko.standalone.rpc import ClusterRpcProxy
from nameko.testing.utils import find_free_port

from scripts.suite import Suite
from services.common.config import database_name
from services.common.mongo import make_client
from services.ticketing.store import idem_hash
from tests.conftest import MONGO_URI
from tests.e2e import event_probe
from tests.support import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

SERVICE_ID = "samsat-pkb"
CATALOGUE = {"agencies": [{
    "code": "samsat", "name": "Samsat",
    "services": [{"id": SERVICE_ID, "prefix": "H", "name": "Pajak Kendaraan",
                  "daily_quota": 100000}],
    "counters": [{"id": "samsat-7", "name": "Loket 7", "services": [SERVICE_ID]}],
}]}
RPC_TIMEOUT = 10  # the default; longer than pymongo's server selection (5 s), so a service
#                   whose database is down answers (with an error) before the gateway gives up
KIOSKS = 6
# How long the broker or the database stays away (plus its own stop and start). The database
# must stay away longer than pymongo's server selection timeout (5 s, services.common.mongo):
# a shorter outage is ridden out by waiting, and no client sees it at all.
BROKER_DOWN_SECONDS = 4
DATABASE_DOWN_SECONDS = 8
BEFORE, AFTER = 20, 20  # tickets issued before the outage, and after it is back
KEY_DEADLINE = 90     # a key that has no ticket this long after its first try is lost


def suite_env(amqp_uri, mongo_uri, prefix):
    return dict(os.environ, AMQP_URI=amqp_uri, MONGO_URI=mongo_uri, MONGO_DB_PREFIX=prefix,
                MPP_IGNORE_OPENING_HOURS="1", RPC_TIMEOUT=str(RPC_TIMEOUT),
                GATEWAY_ADDRESS="127.0.0.1:{}".format(find_free_port()),
                # every simulated kiosk shares 127.0.0.1: these tests are about the restart
                GATEWAY_RATE_LIMIT_PER_MINUTE="100000", GATEWAY_RATE_LIMIT_BURST="10000")


def start_suite(env, log_dir):
    suite = Suite(env=env, log_dir=log_dir,
                  services=("ticketing", "gateway", event_probe.NAME),
                  classes={event_probe.NAME: event_probe.CLASS})
    try:
        suite.start()
        with ClusterRpcProxy(suite.config(), timeout=30) as rpc:
            rpc.ticketing.load_catalogue(CATALOGUE)
    except BaseException:
        suite.stop()
        raise
    return suite


def is_problem_503(answer):
    """A 503 as a client can act on it: problem+json, and when to retry."""
    return (answer.headers.get("Content-Type", "").startswith("application/problem+json")
            and answer.headers.get("Retry-After", "").isdigit()
            and answer.json().get("status") == 503)


class Kiosks:
    """``KIOSKS`` kiosks, each taking one ticket after another; a failed request is retried
    with the same key (after 0.3 s, ignoring Retry-After to keep the pressure on) until it
    gets its ticket or ``KEY_DEADLINE`` passes. ``retry=False``: kiosks that never retry (a
    failed request is given up: its key may or may not have a ticket)."""

    def __init__(self, base, retry=True):
        self.base = base
        self.retry = retry
        self.keys = []
        self.tickets = {}           # key -> the 201 body
        self.answers = Counter()    # status of every non-201 answer
        self.bad_503 = []           # 503s that are not problem+json with Retry-After
        self.no_answer = Counter()  # requests that got no HTTP answer at all
        self.stopping = threading.Event()
        self.threads = []

    def start(self):
        for i in range(KIOSKS):
            thread = threading.Thread(target=self.kiosk, args=(i,), daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def kiosk(self, i):
        n = 0
        while not self.stopping.is_set():
            key = "kiosk-{}-{}".format(i, n)
            n += 1
            self.keys.append(key)
            self.take(key)

    def take(self, key):
        deadline = time.time() + KEY_DEADLINE
        while time.time() < deadline:
            try:
                answer = requests.post(self.base + "/api/v1/tickets",
                                       json={"service_id": SERVICE_ID},
                                       headers={"Idempotency-Key": key},
                                       timeout=RPC_TIMEOUT + 25)
            except requests.RequestException as exc:
                self.no_answer[type(exc).__name__] += 1
            else:
                if answer.status_code == 201:
                    self.tickets[key] = answer.json()
                    return
                self.answers[answer.status_code] += 1
                if answer.status_code == 503 and not is_problem_503(answer):
                    self.bad_503.append(dict(answer.headers))
            if not self.retry:
                time.sleep(0.1)
                return
            time.sleep(0.3)

    def wait_for_tickets(self, count, message):
        wait_for(lambda: len(self.tickets) >= count, timeout=120, interval=0.1, message=message)

    def finish(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(KEY_DEADLINE + RPC_TIMEOUT + 40)


def tally(kiosks, db, probe_db):
    """The scenario's counts from what the kiosks were told and what was stored."""
    stored = list(db.tickets.find({"service_id": SERVICE_ID}, {"_id": 1, "idem": 1, "number": 1}))
    stored_ids = {t["_id"] for t in stored}
    idem_of_key = {idem_hash(SERVICE_ID, key): key for key in kiosks.keys}
    acked_ids = [t["id"] for t in kiosks.tickets.values()]
    numbers = [t["number"] for t in stored]
    # lost: a key with no ticket (when kiosks retry), or a ticket a kiosk was given that is
    # not in the database
    lost = [k for k in kiosks.keys if k not in kiosks.tickets] if kiosks.retry else []
    lost += [i for i in acked_ids if i not in stored_ids]
    # duplicated: two stored tickets for one key, a ticket no key asked for, two keys given
    # one ticket, one number twice
    per_key = Counter(t["idem"] for t in stored)
    duplicated = sum(n - 1 for n in per_key.values() if n > 1)
    duplicated += sum(1 for t in stored if t["idem"] not in idem_of_key)
    duplicated += len(acked_ids) - len(set(acked_ids))
    duplicated += len(numbers) - len(set(numbers))

    # every stored ticket announced; a repeat of one event id is fine, two ids for one are not
    try:
        wait_for(lambda: stored_ids <= set(probe_db.deliveries.distinct("ticket_id")),
                 timeout=60, interval=0.5, message="ticket_issued of every stored ticket")
    except AssertionError:
        pass  # counted as events_lost below
    event_ids = defaultdict(set)
    deliveries = 0
    for delivery in probe_db.deliveries.find({}, {"ticket_id": 1, "event_id": 1}):
        event_ids[delivery["ticket_id"]].add(delivery["event_id"])
        deliveries += 1
    return {
        "sent": len(kiosks.keys),
        "acknowledged": len(kiosks.tickets),
        "lost": len(lost),
        "duplicated": duplicated,
        "stored": len(stored),
        "503": kiosks.answers.get(503, 0),
        "other_errors": sum(n for status, n in kiosks.answers.items() if status != 503),
        "no_answer": sum(kiosks.no_answer.values()),
        "events_lost": len(stored_ids - set(event_ids)),
        "events_duplicated": sum(1 for ids in event_ids.values() if len(ids) > 1),
        "event_deliveries": deliveries,
    }


def report(record_property, scenario, counts, kiosks):
    print("\n{}: {}".format(scenario, counts))
    if kiosks.answers or kiosks.no_answer:
        print("  non-201 answers: {}; no answer: {}".format(dict(kiosks.answers),
                                                          dict(kiosks.no_answer)))
    record_property("fault_counts", "{}: {}".format(scenario, counts))


def check(counts, kiosks, suite):
    suite.check_alive()  # every service process reconnected by itself: none died
    assert counts["lost"] == 0
    assert counts["duplicated"] == 0
    assert counts["503"] > 0, "the outage was seen by the kiosks"
    assert not kiosks.bad_503, "every 503 is problem+json with Retry-After"
    assert counts["other_errors"] == 0, "only 503s while down: {}".format(dict(kiosks.answers))
    assert counts["no_answer"] == 0, "every request got an answer: {}".format(
        dict(kiosks.no_answer))
    assert counts["events_lost"] == 0
    assert counts["events_duplicated"] == 0


def run_scenario(name, env, client, outage, log_dir, record_property, retry=True):
    """Start the suite on ``env``; tickets before, the outage (``outage()``) with the load on,
    tickets after it; then count (``client`` reads the suite's databases) and check."""
    suite = start_suite(env, log_dir)
    try:
        kiosks = Kiosks("http://{}".format(env["GATEWAY_ADDRESS"]), retry).start()
        kiosks.wait_for_tickets(BEFORE, "tickets before the outage")
        outage()
        kiosks.wait_for_tickets(len(kiosks.tickets) + AFTER, "tickets after the outage")
        kiosks.finish()
        config = suite.config()
        counts = tally(kiosks, client[database_name(config, "ticketing")],
                       client[database_name(config, event_probe.NAME)])
        report(record_property, name, counts, kiosks)
        check(counts, kiosks, suite)
    finally:
        suite.stop()


@pytest.fixture
def shared_vhost(rabbit_manager):
    vhost = "mpp_restart_{}".format(uuid.uuid4().hex[:8])
    rabbit_manager.create_vhost(vhost)
    rabbit_manager.set_vhost_permissions(vhost, "guest", ".*", ".*", ".*")
    yield "pyamqp://guest:guest@127.0.0.1:5672/{}".format(vhost)
    rabbit_manager.delete_vhost(vhost)


@pytest.mark.parametrize("retry", [True, False], ids=["kiosks-retry", "kiosks-never-retry"])
def test_rabbitmq_restarted_during_load(private_rabbit, mongo_client, tmp_path, record_property,
                                        retry):
    """A private broker; the shared database under a prefix of the test's own. Kiosks that
    never retry: every ticket written is still announced (ticketing's outbox)."""
    prefix = "rst{}".format(uuid.uuid4().hex[:8])
    try:
        run_scenario("RabbitMQ restarted during load" + ("" if retry else ", no retries"),
                     suite_env(private_rabbit.amqp_uri, MONGO_URI, prefix), mongo_client,
                     lambda: private_rabbit.restart(down_seconds=BROKER_DOWN_SECONDS),
                     tmp_path / "logs", record_property, retry)
    finally:
        for name in ("ticketing", "gateway", event_probe.NAME):
            mongo_client.drop_database("{}_{}".format(prefix, name))


def test_database_restarted_during_load(private_ferretdb, shared_vhost, tmp_path,
                                        record_property):
    """A private database (dropped with tmp_path); a vhost of its own on the shared broker."""
    client = make_client(private_ferretdb.mongo_uri)
    try:
        run_scenario("Database restarted during load",
                     suite_env(shared_vhost, private_ferretdb.mongo_uri, "rst"), client,
                     lambda: private_ferretdb.restart(down_seconds=DATABASE_DOWN_SECONDS),
                     tmp_path / "logs", record_property)
    finally:
        client.close()
