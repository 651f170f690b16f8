"""What the queue tells a citizen is what happens, on random days (Hypothesis).

Two ticketing instances run as separate processes (``scripts.suite``) and answer in turn.
A random day mixes walk-ins in every lane (regular, priority groups), bookings checked in,
visits whose next step joins the returned lane, cancels, skips (with and without a return to
the queue), recalls, calls by name, transfers, at two counters (one serving both services,
one serving one). After every step:

- every waiting ticket's holder view says a different ``ahead``, together exactly
  0 .. n-1 for the n waiting of its service, and the service's ``waiting`` is n;
- a call-next calls, in the service it picks, the ticket that was told ``ahead`` 0;
- no call-next makes more priority calls in a row than the service's rule allows while a
  regular ticket waits.

At the end of each day the queues are called empty: the order of those calls is, per
service, exactly the order the holders were told.
"""
import os
import time
import uuid

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from nameko.standalone.rpc import ClusterRpcProxy

from scripts.suite import Suite
from services.common.errors import Conflict, IllegalTransition, NotFound
from tests.support import own_vhost

S1, S2 = "prop-ktp", "prop-kk"
LIMITS = {S1: 2, S2: 1}        # the MPP's rule, and S2's own
PRIORITY = {"lansia", "ibu_hamil", "appointment"}
ALL_DAY = {d: ["00:00", "23:59"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
CATALOGUE = {
    "mpp": {"timezone": "Asia/Jakarta"},
    "defaults": {"opening_hours": ALL_DAY, "near_front_position": 2,
                 "calling_rule": {"max_priority_in_row": LIMITS[S1]},
                 "booking": {"slot_minutes": 30, "capacity_per_slot": 50,
                             "checkin_early_minutes": 30}},
    "agencies": [{"code": "prop", "name": "Disdukcapil",
                  "services": [{"id": S1, "prefix": "A", "name": "KTP-el"},
                               {"id": S2, "prefix": "B", "name": "KK",
                                "max_priority_in_row": LIMITS[S2]}],
                  "counters": [{"id": "p1", "name": "Loket 1", "services": [S1, S2]},
                               {"id": "p2", "name": "Loket 2", "services": [S1]}]}],
}
COUNTERS = {"p1": ("budi", (S1, S2)), "p2": ("sari", (S1,))}
FINAL = {"completed", "cancelled", "transferred", "skipped", "not_served"}


def today():
    """The MPP's local date (WIB) now."""
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() + 7 * 3600))


@pytest.fixture(scope="module")
def cluster(rabbit_manager, mongo_client, tmp_path_factory):
    prefix = "prop{}".format(uuid.uuid4().hex[:8])
    with own_vhost(rabbit_manager, "mpp_prop") as amqp_uri:
        env = dict(os.environ, AMQP_URI=amqp_uri, MONGO_DB_PREFIX=prefix,
                   MPP_IGNORE_OPENING_HOURS="1")
        suite = Suite(env=env, services=("ticketing",), scale={"ticketing": 2},
                      log_dir=tmp_path_factory.mktemp("prop-logs"))
        suite.start()
        try:
            with ClusterRpcProxy(suite.config(), timeout=60) as proxy:
                proxy.ticketing.load_catalogue(CATALOGUE)
                for counter, (officer, _) in COUNTERS.items():
                    proxy.ticketing.open_counter(counter, officer)
                time.sleep(2.5)    # the other process's catalogue cache has caught up
                yield Day(proxy.ticketing, suite)
        finally:
            suite.stop()
            mongo_client.drop_database(prefix + "_ticketing")


class Day:
    """The test's record of what it was told, and the fairness runs (kept across days: the
    service's count of priority calls in a row is)."""

    def __init__(self, rpc, suite):
        self.rpc = rpc
        self.suite = suite
        self.run = {S1: 0, S2: 0}
        self.phone = 0
        self.reset()

    def reset(self):
        self.tickets = {}     # id -> access token
        self.views = {}       # id -> the holder's view after the last step
        self.serving = {}     # counter -> ticket id called there

    def track(self, ticket, token=None):
        self.tickets[ticket["id"]] = token or ticket["access_token"]

    def waiting(self, service_id):
        return [v for v in self.views.values()
                if v["status"] == "waiting" and v["service_id"] == service_id]

    def look(self):
        """Every tracked ticket's view, and the promises checked against each other."""
        for tid, token in self.tickets.items():
            if self.views.get(tid, {}).get("status") not in FINAL:
                self.views[tid] = self.rpc.get_ticket(tid, token)
        for service_id in (S1, S2):
            waiting = self.waiting(service_id)
            assert sorted(v["ahead"] for v in waiting) == list(range(len(waiting))), \
                [(v["number"], v["ahead"]) for v in waiting]
            assert self.rpc.queue_status(service_id)["waiting"] == len(waiting)

    def call_next(self, counter):
        officer, services = COUNTERS[counter]
        before = {s: self.waiting(s) for s in services}
        try:
            called = self.rpc.call_next(counter, officer)
        except NotFound:
            assert not any(before.values()), "nobody called while tickets wait"
            return None
        service_id = called["service_id"]
        told = {v["id"]: v["ahead"] for v in before[service_id]}
        assert told.get(called["id"]) == 0, (called["number"], told)
        self.fairness(service_id, called, before[service_id])
        self.serving[counter] = called["id"]
        return called

    def fairness(self, service_id, called, waiting):
        priority = called.get("priority_group") in PRIORITY
        regular_waits = any(v.get("priority_group") not in PRIORITY for v in waiting)
        self.run[service_id] = self.run[service_id] + 1 if priority else 0
        if priority and regular_waits:
            assert self.run[service_id] <= LIMITS[service_id], \
                "{} priority calls in a row while a regular ticket waits".format(
                    self.run[service_id])

    def drain(self):
        """Call everything left, each called ticket skipped (nothing new arrives); per
        service, the calls follow the last promises."""
        promised = {s: sorted(self.waiting(s), key=lambda v: v["ahead"]) for s in (S1, S2)}
        calls = {S1: [], S2: []}
        for counter in ("p1", "p2"):
            while True:
                called = self.call_next(counter)
                if called is None:
                    break
                calls[called["service_id"]].append(called["number"])
                self.rpc.skip(called["id"], counter, COUNTERS[counter][0])
                self.serving.pop(counter, None)
                self.views.pop(called["id"])
                for v in self.waiting(called["service_id"]):
                    v["ahead"] -= 1
        for s in (S1, S2):
            assert calls[s] == [v["number"] for v in promised[s]], (s, calls[s])

    def clear(self):
        """An earlier day's leftovers: called (and skipped) before this day starts."""
        for counter, (officer, _) in COUNTERS.items():
            self.finish(counter)
            while True:
                try:
                    called = self.rpc.call_next(counter, officer)
                except NotFound:
                    break
                self.fairness(called["service_id"], called, [])
                self.rpc.skip(called["id"], counter, officer)
        self.reset()

    def finish(self, counter):
        ticket_id = self.serving.pop(counter, None)
        if ticket_id is not None:
            officer = COUNTERS[counter][0]
            self.rpc.start(ticket_id, counter, officer)
            done = self.rpc.complete(ticket_id, counter, officer)
            if done.get("next_ticket"):       # a visit's next step: the returned lane
                self.track(done["next_ticket"], self.tickets.get(ticket_id))


STEPS = st.lists(st.tuples(
    st.sampled_from(["walk_in", "walk_in", "priority", "visit", "book", "cancel", "call",
                     "call", "call", "by_name"]),
    st.sampled_from([S1, S2]),
    st.sampled_from(["p1", "p2"]),
    st.sampled_from(["serve", "skip", "skip_back", "transfer", "recall"]),
    st.integers(0, 50)), min_size=4, max_size=14)


def step(day, kind, service_id, counter, then, pick):
    rpc = day.rpc
    if kind == "walk_in":
        day.track(rpc.issue_ticket(service_id))
    elif kind == "priority":
        day.track(rpc.issue_ticket(service_id, priority_group=("lansia", "ibu_hamil")[pick % 2]))
    elif kind == "visit":
        day.track(rpc.issue_visit([S2, S1]))
    elif kind == "book":
        slots = [x for x in rpc.availability(S1, today())["slots"] if x["bookable"]]
        if slots:
            day.phone += 1
            booked = rpc.book(S1, today(), slots[0]["local"], "Warga",
                              "0811-7000-{:04d}".format(day.phone % 10000))
            try:
                day.track(rpc.check_in(booked["code"]))
            except Conflict:
                pass                     # the slot's check-in window is not open yet
    elif kind == "cancel":
        waiting = day.waiting(S1) + day.waiting(S2)
        if waiting:
            chosen = waiting[pick % len(waiting)]
            rpc.cancel_ticket(chosen["id"], day.tickets[chosen["id"]])
    elif kind == "by_name":
        waiting = day.waiting(S1) + day.waiting(S2)
        day.finish("p1")
        if waiting:
            chosen = waiting[pick % len(waiting)]
            rpc.call_ticket("p1", chosen["id"], "budi", "Dipanggil sesuai permintaan")
            day.serving["p1"] = chosen["id"]
    elif kind == "call":
        day.finish(counter)
        day.look()      # a visit's next step, just issued, is told its place before the call
        called = day.call_next(counter)
        if called is not None:
            follow_up(day, counter, called, then)


def follow_up(day, counter, called, then):
    rpc = day.rpc
    officer, services = COUNTERS[counter]
    if then == "serve":
        day.finish(counter)
    elif then in ("skip", "skip_back"):
        rpc.skip(called["id"], counter, officer, return_to_queue=then == "skip_back")
        day.serving.pop(counter, None)
    elif then == "transfer":
        target = S2 if called["service_id"] == S1 else S1
        moved = rpc.transfer(called["id"], counter, officer, target)
        day.serving.pop(counter, None)
        day.track(moved["next_ticket"], day.tickets.get(called["id"]))
    elif then == "recall":
        rpc.recall(called["id"], counter, officer)


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(steps=STEPS)
# a visit's next step joins the returned lane when its first step is completed, at the front:
# the next call-next calls it, so its holder must have been told ahead 0 before that call
@example(steps=[("visit", S1, "p1", "recall", 0), ("call", S1, "p1", "recall", 0),
                ("call", S1, "p1", "recall", 0)])
def test_every_waiting_ticket_is_told_the_truth(cluster, steps):
    day = cluster
    day.clear()
    for kind, service_id, counter, then, pick in steps:
        try:
            step(day, kind, service_id, counter, then, pick)
        except IllegalTransition:
            pass      # e.g. a recall after a skip: refused, nothing changed
        day.look()
    for counter in ("p1", "p2"):
        day.finish(counter)
    day.look()
    day.drain()
    day.suite.check_alive()
