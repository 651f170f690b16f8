"""Two copies of the suite side by side, loaded in turn: how a setting changes a ticket's cost.

    python -m bench.side_by_side "MAX_WORKERS=30" [slices] [seconds]

Suite A runs with the environment as it is, suite B with the given ``NAME=value`` settings
added; each has its own virtual host, databases and gateway port. wrk loads them in turn,
``slices`` times each for ``seconds`` (ABBA order), and the report gives each suite's tickets
per second and the CPU milliseconds per ticket of its processes and of the broker and the
database during its slices.

This machine's speed swings by a third within seconds, so two runs made a minute apart
differ by more than most changes do; slices in turn see the same swings (two identical
suites came out within 1 % of each other). A code change is compared by gating it on a
setting for the time of the comparison.
"""
import contextlib
import json
import os
import sys

from bench import baseline  # noqa: F401 - monkey-patches eventlet first
from bench import gateway as g
from bench.harness import own_vhost

SERVICES = ("ticketing", "permits", "gateway")


def _start(stack, extra, data):
    from nameko.standalone.rpc import ClusterRpcProxy
    from nameko.testing.utils import find_free_port

    from scripts.suite import Suite

    env = stack.enter_context(own_vhost(dict(os.environ)))
    port = find_free_port()
    suite = Suite(env=g.suite_env(env, port, **extra), services=SERVICES,
                  log_dir=g.ROOT / "var" / "log" / "bench")
    stack.callback(g.stop_suite, suite)
    suite.start()
    with ClusterRpcProxy(suite.config(), timeout=60) as rpc:
        g.load_catalogues(rpc, data)
    pids = g.suite_pids(suite)
    return {"base": "http://127.0.0.1:{}".format(port), "pids": pids, "ok": 0, "seconds": 0.0,
            "cpu": dict.fromkeys(list(pids) + ["rabbitmq", "ferretdb"], 0.0)}


def compare(extra, slices=10, seconds=3):
    data = g.catalogue()
    services = [s["id"] for a in data["agencies"] for s in a.get("services", [])]
    with contextlib.ExitStack() as stack:
        suites = {"A": _start(stack, {}, data), "B": _start(stack, extra, data)}
        infrastructure = g.infrastructure_pids()
        for suite in suites.values():
            g.wrk(suite["base"], services, 3, 8)  # warm-up
        for i in range(slices):
            for label in ("AB" if i % 2 == 0 else "BA"):
                suite = suites[label]
                pids = dict(suite["pids"], rabbitmq=infrastructure["rabbitmq"],
                            ferretdb=infrastructure["ferretdb"])
                before = {name: g.cpu_seconds(pid) for name, pid in pids.items()}
                run = g.wrk(suite["base"], services, seconds, 32)
                for name, pid in pids.items():
                    suite["cpu"][name] += g.cpu_seconds(pid) - before[name]
                suite["ok"] += run["ok"]
                suite["seconds"] += run["seconds"]
        report = {}
        for label, suite in suites.items():
            per_ticket = {name: round(1000 * spent / max(1, suite["ok"]), 2)
                          for name, spent in suite["cpu"].items()}
            per_ticket["total"] = round(sum(per_ticket.values()), 2)
            report[label] = {"settings": extra if label == "B" else {},
                             "tickets_per_s": round(suite["ok"] / suite["seconds"], 1),
                             "cpu_ms_per_ticket": per_ticket}
        return report


if __name__ == "__main__":
    settings = dict(item.split("=", 1) for item in sys.argv[1].split())
    print(json.dumps(compare(settings, *(int(a) for a in sys.argv[2:4])), indent=2))
