"""``make run``: start every service as its own process, load the demo, print the URLs.

Ctrl-C stops everything this started. RabbitMQ and the database are started before this by
scripts/infra.sh and keep running (their data stays under var/ and in RabbitMQ's own store).
"""
import logging
import os
import signal
import sys
import time
import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
logging.getLogger("amqp").setLevel(logging.ERROR)

from nameko.standalone.rpc import ClusterRpcProxy

from scripts import load_catalogue, preflight
from services.common import settings
from scripts.suite import Suite, SuiteError


def main():
    # make run is the demo: the demo accounts exist only in this mode
    env = dict(os.environ)
    env.setdefault("MPP_ENV", "demo")
    suite = Suite(env=env)
    config = suite.config()
    problems = preflight.check(config)
    if problems:
        for line in problems:
            print("error: " + line, file=sys.stderr)
        return 1
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    # Ctrl-C stops the suite even when started from a shell that ignores SIGINT in
    # background jobs (Python keeps an inherited SIG_IGN)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        print("Starting services: {} …".format(", ".join(suite.services)), flush=True)
        suite.start()
        password = (settings.get(config, "MPP_DEMO_PASSWORD")
                    if settings.is_demo(config) else None)
        with ClusterRpcProxy(config, timeout=60) as rpc:
            counts = load_catalogue.load(rpc, demo_password=password)
        accounts = counts.pop("accounts", [])
        address = config["WEB_SERVER_ADDRESS"]
        base = "http://{}".format(address)
        print("\nMPP Suite is running (demo catalogue: MPP Kabupaten Kapuas, {}).".format(
            ", ".join("{} {}".format(v, k) for k, v in sorted(counts.items()))))
        print("  Web client:      {}/".format(base))
        print("    kiosk {0}/kiosk · board {0}/board · counter {0}/counter".format(base))
        print("    portal {0}/portal · back office {0}/office · statistics {0}/statistics"
              " · complaints {0}/complaint".format(base))
        print("  API docs:        {}/api/docs".format(base))
        print("  API:             {}/api/v1/agencies".format(base))
        print("  Ready check:     {}/readyz".format(base))
        print("  RabbitMQ admin:  http://127.0.0.1:15672/ (guest/guest, loopback only)")
        print("  Logs:            var/log/")
        if accounts:
            print("Demo staff accounts (password from MPP_DEMO_PASSWORD, here {!r}):".format(password))
            print("  " + ", ".join(accounts))
        print("Press Ctrl-C to stop.", flush=True)
        while not stopping:
            suite.check_alive()
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    except SuiteError as exc:
        print("error: {}".format(exc), file=sys.stderr)
        return 1
    finally:
        # a second Ctrl-C must not abandon the services half-stopped (stop is bounded: it
        # kills what has not exited after a grace period)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("\nStopping services …", flush=True)
        suite.stop()
        print("Stopped. Data is kept under var/.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
