"""Gateway figures under a real load generator (wrk, a second process), the whole suite up.

1. ``saturation``: kiosks issuing walk-in tickets through ``POST /api/v1/tickets`` as fast as
   32 connections can (wrk), tickets/s and p50/p99. ``saturation_against_echo``: the same
   load in four slices, each after a slice of the bare nameko echo (``against_echo``); their
   ratio is the one ``run.py`` reports (target >= 0.5), the long run's over the echo of the
   run's start beside it. ``cpu_ms_per_ticket``: what one ticket costs each
   process (services, database, broker): on two cores their sum is the ceiling.
2. ``steady``: the same kiosks paced to about half the saturation rate: the latency a kiosk
   sees on an ordinary busy morning.
3. ``with_boards``: 1,000 display-board streams (SSE, ``bench.boards``, a third process)
   connected to the one gateway process, spread over every agency and the MPP-wide board;
   saturation again and every stream still open. ``with_boards_vs_unloaded`` (target >= 0.8)
   divides the two rates measured against the echo in turn, so that the machine's speed in
   between does not count; the long runs' plain ratio is beside it.
4. ``mixed_day``: the boards stay; kiosks at the steady rate with a (simulator) phone so
   notifications flow; an officer per agency calling, starting and completing at its
   counters (one second per citizen: a day sped up); the
   portal filing applications with a 1 MiB document every two seconds. Then the resident
   memory of every service process (target: under 200 MB each).

    python -m bench.gateway          # prints JSON (no echo ratio: run.py adds it)
"""
import base64
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.harness import database_prefix, drop_database, measured_at, own_vhost
from bench.stats import latency_summary, ratio

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("ticketing", "permits", "notifications", "gateway")
PASSWORD = "bench-password-1"
STREAMS = 1000
SIMULATOR_PHONE = "081100000001"  # delivered by the notifications simulator


def catalogue():
    """The demo catalogue with quotas no benchmark reaches."""
    import yaml

    data = yaml.safe_load((ROOT / "catalogue" / "kapuas.yaml").read_text())
    for agency in data["agencies"]:
        for service in agency.get("services", []):
            service["daily_quota"] = 10 ** 7
    return data


def wrk(base, services, seconds, connections, pace_ms=0, contact=False):
    """One wrk run of ``bench/wrk/tickets.lua``; tickets/s counts 2xx answers only."""
    command = ["wrk", "-t1", "-c{}".format(connections), "-d{}s".format(seconds),
               "--timeout", "10s", "-s", str(ROOT / "bench" / "wrk" / "tickets.lua"), base,
               "--", ",".join(services), str(pace_ms), "1" if contact else "0"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60,
                          check=True)
    result = json.loads([line for line in done.stdout.splitlines() if line.startswith("{")][-1])
    elapsed = result["duration_us"] / 1e6
    errors = result["status_errors"] + result["socket_errors"]
    ok = result["requests"] - result["status_errors"]
    return {"tickets_per_s": round(ok / elapsed, 1), "ok": ok, "seconds": round(elapsed, 3),
            "p50_ms": round(result["p50_us"] / 1000, 1),
            "p99_ms": round(result["p99_us"] / 1000, 1),
            "requests": result["requests"], "errors": errors, "connections": connections,
            "pace_ms": pace_ms}


def against_echo(base, services, rpc, slices=4, seconds=4, echo_calls=1500):
    """Saturation (wrk, 32 connections) and the bare nameko echo (50 in flight), measured in
    turn ``slices`` times; each rate is its total over its summed time.

    This machine's speed swings by a third within seconds (the echo alone: 440-640 calls/s in
    eight back-to-back measurements of one process), so a rate measured a minute after its
    baseline is divided by another machine. Slices of a few seconds in turn let both see the
    same swings. Latency and CPU figures come from the long runs, not from these slices."""
    from bench.baseline import rpc_in_flight

    ok = wrk_s = calls = echo_s = 0.0
    for _ in range(slices):
        started = time.perf_counter()
        rpc_in_flight(rpc, echo_calls, 50)
        echo_s += time.perf_counter() - started
        calls += echo_calls
        run = wrk(base, services, seconds, 32)
        ok, wrk_s = ok + run["ok"], wrk_s + run["seconds"]
    tickets, echo = round(ok / wrk_s, 1), round(calls / echo_s, 1)
    return {"tickets_per_s": tickets, "echo_calls_per_s": echo, "ratio": ratio(tickets, echo),
            "slices": slices}


class Boards:
    """``bench.boards`` in its own process, holding ``streams`` SSE connections."""

    def __init__(self, base, streams, agencies):
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.boards", base, str(streams), ",".join(agencies)],
            cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.opened = json.loads(self.process.stdout.readline())

    def close(self):
        self.process.stdin.close()
        totals = json.loads(self.process.stdout.readline())
        self.process.wait(30)
        return totals


class Officers:
    """One thread per agency: its officer opens its counters and serves whoever is next,
    ``serve_s`` seconds per citizen (a day sped up: real service takes minutes)."""

    def __init__(self, base, data, serve_s=1.0):
        import requests

        self.base, self.stop, self.latencies, self.served = base, threading.Event(), [], 0
        self.serve_s = serve_s
        self.threads = []
        for agency in data["agencies"]:
            counters = [c["id"] for c in agency.get("counters", [])]
            if not counters:
                continue
            session = requests.Session()
            token = session.post(base + "/api/v1/auth/login", json={
                "username": agency["code"] + ".officer", "password": PASSWORD}).json()
            session.headers["Authorization"] = "Bearer " + token["access_token"]
            for counter in counters:
                session.post("{}/api/v1/counters/{}/open".format(base, counter))
            self.threads.append(threading.Thread(target=self._serve, args=(session, counters),
                                                 daemon=True))

    def _serve(self, session, counters):
        while not self.stop.is_set():
            idle = True
            for counter in counters:
                t0 = time.perf_counter()
                called = session.post("{}/api/v1/counters/{}/call-next".format(self.base,
                                                                               counter))
                if called.status_code != 200:
                    continue
                self.latencies.append(time.perf_counter() - t0)
                idle = False
                path = "{}/api/v1/tickets/{}/".format(self.base, called.json()["id"])
                session.post(path + "start", json={"counter_id": counter})
                self.stop.wait(self.serve_s)
                if session.post(path + "complete", json={"counter_id": counter}).ok:
                    self.served += 1
            if idle:
                time.sleep(0.2)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(30)


class Portal:
    """Applications filed with a 1 MiB PDF, one every ``every`` seconds."""

    def __init__(self, base, every=2.0):
        import requests

        self.base, self.every, self.stop = base, every, threading.Event()
        self.session, self.latencies, self.failed = requests.Session(), [], 0
        big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 - 9)
        small = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        self.documents = [
            {"kind": kind, "filename": kind + ".pdf", "media_type": "application/pdf",
             "content": base64.b64encode(content).decode()}
            for kind, content in (("ktp", small), ("str", big), ("rekomendasi_ibi", small))]
        self.thread = threading.Thread(target=self._file, daemon=True)

    def _file(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            t0 = time.perf_counter()
            answer = self.session.post(self.base + "/api/v1/applications", json={
                "permit_type_id": "sip-bidan",
                "applicant": {"nik": "62030157089{:05d}".format(n), "name": "Pemohon Bench",
                              "phone": SIMULATOR_PHONE},
                "form": {"str_number": "STR-{:06d}".format(n), "practice_address": "Jl. Bench"},
                "documents": self.documents})
            if answer.status_code == 201:
                self.latencies.append(time.perf_counter() - t0)
            else:
                self.failed += 1
            self.stop.wait(self.every)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(60)


def cpu_seconds(pid):
    """User + system CPU seconds a process has used so far (None once it is gone)."""
    try:
        fields = Path("/proc/{}/stat".format(pid)).read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def infrastructure_pids():
    """The database and the broker on this machine (what every ticket also costs): the
    oldest matching process, i.e. the one ``make infra`` started."""
    found = {}
    for name, args in (("ferretdb", ["-f", "ferretdb-v"]), ("mongod", ["-x", "mongod"]),
                       ("rabbitmq", ["-f", "beam.smp.*rabbit"])):
        pid = subprocess.run(["pgrep", "-o"] + args, capture_output=True,
                             text=True).stdout.strip()
        if pid:
            found[name] = int(pid)
    return found


def cpu_per_ticket(pids, run):
    """``run()`` (a wrk run) plus the CPU milliseconds each process spent per request."""
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    result = run()
    spent = {name: cpu_seconds(pid) - before[name] for name, pid in pids.items()
             if before[name] is not None and cpu_seconds(pid) is not None}
    result["cpu_ms_per_ticket"] = {name: round(1000 * s / max(1, result["requests"]), 2)
                                   for name, s in spent.items()}
    result["cpu_ms_per_ticket"]["total"] = round(sum(result["cpu_ms_per_ticket"].values()), 2)
    return result


def resident_mb(pid):
    for line in Path("/proc/{}/status".format(pid)).read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def suite_env(env, port, **extra):
    """``env`` for a suite under load: databases of its own, the gateway on ``port``, opening
    hours and the rate limiter out of the way, notifications simulated."""
    return dict(env, MONGO_DB_PREFIX=database_prefix(), MPP_IGNORE_OPENING_HOURS="1",
                GATEWAY_ADDRESS="127.0.0.1:{}".format(port), NOTIFY_TEST_MODE="1",
                # one address stands for every kiosk here: the limiter is not what is measured
                GATEWAY_RATE_LIMIT_PER_MINUTE="10000000", GATEWAY_RATE_LIMIT_BURST="1000000",
                **extra)


def load_catalogues(rpc, data):
    """The demo catalogue and accounts, then ``data`` (the same, with bench quotas)."""
    from scripts.load_catalogue import load

    load(rpc, path=ROOT / "catalogue" / "kapuas.yaml", demo_password=PASSWORD)
    rpc.ticketing.load_catalogue(data)


def suite_pids(suite):
    """``{service: pid}`` of ``suite``'s processes (the last instance of a scaled one)."""
    return {name: process.pid for name, _, process, _ in suite.processes}


def stop_suite(suite):
    """Stop ``suite`` and drop its services' databases."""
    config = suite.config()
    suite.stop()
    for service in suite.services:
        drop_database(config, service)


def measure(env, seconds=15, mixed_seconds=30, streams=STREAMS):
    """The whole suite on a database prefix and a virtual host of its own."""
    with own_vhost(env) as env:
        return _measure(env, seconds, mixed_seconds, streams)


def _measure(env, seconds, mixed_seconds, streams):
    from nameko.standalone.rpc import ClusterRpcProxy
    from nameko.testing.utils import find_free_port

    from bench.baseline import start_echo, stop_echo, wait_echo
    from scripts.suite import Suite

    port = find_free_port()
    env = suite_env(env, port, GATEWAY_STREAM_MAX=str(streams + 100))
    base = "http://127.0.0.1:{}".format(port)
    data = catalogue()
    services = [s["id"] for a in data["agencies"] for s in a.get("services", [])]
    agencies = [a["code"] for a in data["agencies"]] + [""]  # "" = the MPP-wide board
    suite = Suite(env=env, services=SERVICES, log_dir=ROOT / "var" / "log" / "bench")
    echo = None
    try:
        suite.start()
        echo = start_echo(suite.config())  # the baseline, on the suite's broker and vhost
        with ClusterRpcProxy(suite.config(), timeout=60) as rpc:
            load_catalogues(rpc, data)
            wait_echo(rpc)
            pids = dict(suite_pids(suite),
                        **infrastructure_pids())
            report = _run(base, services, agencies, data, seconds, mixed_seconds, streams,
                          pids, rpc)
            report["notifications"] = _delivered(rpc)
        report["resident_mb"] = {
            "{}-{}".format(name, index): resident_mb(process.pid)
            for name, index, process, _ in suite.processes}
        report["resident_target_mb"] = 200
    finally:
        if echo is not None:
            stop_echo(echo)
        stop_suite(suite)
    return dict(report, database_prefix=env["MONGO_DB_PREFIX"], measured_at=measured_at())


def _run(base, services, agencies, data, seconds, mixed_seconds, streams, pids, rpc):
    wrk(base, services, 3, 8)  # warm-up
    saturation = cpu_per_ticket(pids, lambda: wrk(base, services, seconds, 32))
    unloaded = against_echo(base, services, rpc)
    # paced connections: each waits after every answer, so the rate stays near half the
    # saturation rate whatever the latency (wrk reports the rate it really reached)
    steady_connections = 4
    pace = int(1000 * steady_connections / max(1.0, saturation["tickets_per_s"] / 2))
    steady = wrk(base, services, seconds, steady_connections, pace)
    boards = Boards(base, streams, agencies)
    try:
        loaded = cpu_per_ticket(dict(pids, boards_process=boards.process.pid),
                                lambda: wrk(base, services, seconds, 32))
        loaded_vs_echo = against_echo(base, services, rpc)
        with Officers(base, data) as officers, Portal(base) as portal:
            mixed = wrk(base, services, mixed_seconds, steady_connections, pace, contact=True)
        mixed.update(
            call_next=dict(latency_summary(officers.latencies), served=officers.served)
            if officers.latencies else {"served": 0},
            filing_1mib=dict(latency_summary(portal.latencies), failed=portal.failed)
            if portal.latencies else {"failed": portal.failed})
    finally:
        totals = boards.close()
    return {
        "saturation": saturation, "steady": steady,
        "saturation_against_echo": unloaded,
        "with_boards": dict(loaded, streams=boards.opened, boards_after=totals,
                            against_echo=loaded_vs_echo),
        # each rate over the echo measured in turn with it (``against_echo``)
        "with_boards_vs_unloaded": ratio(loaded_vs_echo["ratio"], unloaded["ratio"]),
        "with_boards_vs_unloaded_long_runs": ratio(loaded["tickets_per_s"],
                                                   saturation["tickets_per_s"]),
        "with_boards_target": 0.8,
        "mixed_day": mixed,
    }


def _delivered(rpc):
    counts = {}
    for item in rpc.notifications.counts()["items"]:
        counts[item["status"]] = counts.get(item["status"], 0) + item["count"]
    return counts


if __name__ == "__main__":
    from bench import baseline  # noqa: F401 - monkey-patches eventlet first

    print(json.dumps(measure(dict(os.environ)), indent=2))
