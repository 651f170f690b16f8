"""Baseline: a bare nameko RPC echo (sequential and 50 in flight) and a raw AMQP round trip.

Later benchmarks divide their figures by these, measured in the same run on the same machine,
so the ratios mean something on any machine.

    python -m bench.baseline            # prints JSON
"""
import json
import os
import subprocess
import sys
import time
import uuid
import warnings
from pathlib import Path

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()

from bench.stats import latency_summary  # noqa: E402
from services.common import config as cfg  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def start_echo(config):
    """The echo service as its own process, like every service of the suite."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), AMQP_URI=config["AMQP_URI"])
    process = subprocess.Popen(
        [sys.executable, "-m", "nameko", "run", "--config", str(ROOT / "config" / "nameko.yaml"),
         "bench.echo:EchoService"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process


def stop_echo(process):
    process.terminate()
    process.wait(20)


def wait_echo(rpc, timeout=60):
    deadline = time.time() + timeout
    while True:
        try:
            rpc.bench_echo.echo(0)
            return
        except Exception:  # noqa: BLE001 - not up yet
            if time.time() > deadline:
                raise
            time.sleep(0.3)


def rpc_sequential(rpc, calls):
    latencies = []
    start = time.perf_counter()
    for i in range(calls):
        t0 = time.perf_counter()
        rpc.bench_echo.echo(i)
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    return dict(latency_summary(latencies), calls_per_s=round(calls / elapsed, 1))


def rpc_in_flight(rpc, calls, in_flight, method=None, make_args=lambda i: (i,)):
    """Keep ``in_flight`` calls outstanding on one proxy (a standalone proxy must not be read
    by several greenthreads at once, so one driver sends with ``call_async`` and collects in
    order). Latency is send → reply collected."""
    method = method or rpc.bench_echo.echo
    latencies = []
    window = []
    start = time.perf_counter()
    for i in range(calls):
        if len(window) >= in_flight:
            t0, reply = window.pop(0)
            reply.result()
            latencies.append(time.perf_counter() - t0)
        window.append((time.perf_counter(), method.call_async(*make_args(i))))
    for t0, reply in window:
        reply.result()
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    return dict(latency_summary(latencies), calls_per_s=round(calls / elapsed, 1),
                in_flight=in_flight)


def amqp_round_trip(amqp_uri, trips):
    """Publish to a queue and consume the message back: the broker's own floor."""
    import kombu

    latencies = []
    name = "bench-rt-{}".format(uuid.uuid4().hex[:8])
    with kombu.Connection(amqp_uri) as conn:
        queue = kombu.Queue(name, exchange=kombu.Exchange(name, type="direct"), routing_key=name,
                            auto_delete=True)
        producer = conn.Producer(serializer="json")
        received = []
        with conn.Consumer(queue, callbacks=[lambda body, msg: (received.append(body), msg.ack())]):
            start = time.perf_counter()
            for i in range(trips):
                t0 = time.perf_counter()
                producer.publish({"i": i}, exchange=queue.exchange, routing_key=name,
                                 declare=[queue])
                while len(received) <= i:
                    conn.drain_events(timeout=10)
                latencies.append(time.perf_counter() - t0)
            elapsed = time.perf_counter() - start
    return dict(latency_summary(latencies), round_trips_per_s=round(trips / elapsed, 1))


def measure(config=None, calls=2000, in_flight=50):
    from nameko.standalone.rpc import ClusterRpcProxy

    config = config or cfg.load()
    process = start_echo(config)
    try:
        with ClusterRpcProxy(config, timeout=30) as rpc:
            wait_echo(rpc)
            rpc_sequential(rpc, 200)  # warm-up
            result = {
                "rpc_echo_sequential": rpc_sequential(rpc, calls // 2),
                "rpc_echo_in_flight": rpc_in_flight(rpc, calls, in_flight),
            }
        result["amqp_round_trip"] = amqp_round_trip(config["AMQP_URI"], calls // 2)
        return result
    finally:
        stop_echo(process)


if __name__ == "__main__":
    print(json.dumps({"baseline": measure()}, indent=2))
