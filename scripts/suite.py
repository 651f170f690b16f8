"""Start the whole suite as separate processes, exactly as ``make run`` does.

Used by ``scripts/run.py`` (``make run``), by the end-to-end tests and by the benchmarks, so
all three run the same thing: one ``nameko run`` process per service instance, sharing one
config file, logs under ``var/log/``.
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("ticketing", "permits", "notifications", "feedback", "standards", "gateway",
            "connector_simulated", "connector_manual", "connector_webhook")
# nameko run needs the class named: a module also imports mixins it would try to run.
SERVICE_CLASSES = {
    "ticketing": "services.ticketing.service:TicketingService",
    "permits": "services.permits.service:PermitsService",
    "notifications": "services.notifications.service:NotificationsService",
    "feedback": "services.feedback.service:FeedbackService",
    "standards": "services.standards.service:StandardsService",
    "gateway": "services.gateway.service:GatewayService",
    # agency connectors: each its own process, scaled on its own
    "connector_simulated": "services.permits.connectors.simulated:SimulatedConnector",
    "connector_manual": "services.permits.connectors.manual:ManualConnector",
    "connector_webhook": "services.permits.connectors.webhook:WebhookConnector",
}


class SuiteError(RuntimeError):
    pass


class Suite:
    def __init__(self, env=None, scale=None, log_dir=None, services=SERVICES, classes=None):
        """``classes``: ``{name: "module:Class"}`` of services besides the suite's own (a
        test's probe), started like them; ``name`` is the nameko service name."""
        self.env = dict(os.environ if env is None else env)
        self.classes = dict(SERVICE_CLASSES, **(classes or {}))
        self.env.setdefault("PYTHONPATH", str(ROOT))
        # development: the public pages are this gateway's own
        address = self.env.get("GATEWAY_ADDRESS") or "127.0.0.1:8000"
        self.env.setdefault("PERMITS_VERIFY_URL", "http://{}/verify".format(address))
        self.env.setdefault("FEEDBACK_SURVEY_URL", "http://{}/survey".format(address))
        self.scale = dict(scale or {})
        self.services = services
        self.log_dir = Path(log_dir or ROOT / "var" / "log")
        self.processes = []  # (name, index, Popen, log file)

    def config(self):
        from services.common import config as cfg

        saved = dict(os.environ)
        try:
            os.environ.clear()
            os.environ.update(self.env)
            return cfg.load()
        finally:
            os.environ.clear()
            os.environ.update(saved)

    def start_instance(self, name, index=0):
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log_path = self.log_dir / "{}-{}.log".format(name, index)
        log_file = open(log_path, "ab")
        command = [sys.executable, "-m", "nameko", "run", "--config",
                   str(ROOT / "config" / "nameko.yaml"), self.classes[name]]
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log_file,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        entry = (name, index, process, log_path)
        self.processes.append(entry)
        return entry

    def start(self, timeout=90):
        for name in self.services:
            for index in range(self.scale.get(name, 1)):
                self.start_instance(name, index)
        self.wait_healthy(timeout)
        return self

    def wait_healthy(self, timeout=90):
        from nameko.standalone.rpc import ClusterRpcProxy

        deadline = time.time() + timeout
        pending = set(self.services)
        with ClusterRpcProxy(self.config(), timeout=5) as rpc:
            while pending:
                self.check_alive()
                for name in sorted(pending):
                    try:
                        if getattr(rpc, name).health()["status"] == "ok":
                            pending.discard(name)
                    except Exception:  # noqa: BLE001 - not up yet
                        pass
                if pending and time.time() > deadline:
                    raise SuiteError("services did not answer health within {} s: {}; see {}".format(
                        timeout, ", ".join(sorted(pending)), self.log_dir))
                if pending:
                    time.sleep(0.5)

    def check_alive(self):
        for name, index, process, log_path in self.processes:
            if process.poll() is not None:
                tail = log_path.read_text(errors="replace").strip().splitlines()[-5:]
                raise SuiteError("{} (instance {}) exited with {}; last log lines:\n  {}".format(
                    name, index, process.returncode, "\n  ".join(tail)))

    def kill_instance(self, name, index=0, sig=signal.SIGKILL):
        for entry in self.processes:
            if entry[0] == name and entry[1] == index:
                entry[2].send_signal(sig)
                entry[2].wait(30)
                self.processes.remove(entry)
                return
        raise SuiteError("no running instance {} {}".format(name, index))

    def stop(self, timeout=20):
        for _, _, process, _ in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.time() + timeout
        for _, _, process, _ in self.processes:
            try:
                process.wait(max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes = []

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
