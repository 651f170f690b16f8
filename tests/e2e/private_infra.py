"""A RabbitMQ node and a FerretDB of a test's own, so a test can stop and restart them.

The shared broker and database on 5672/27017 serve everyone's tests at once and are never
touched. These run on free ports with their data under the test's ``tmp_path``; restarting
one keeps its data (same node name and mnesia directory; same SQLite directory), so durable
queues, persistent messages and stored documents survive as they would in production.

Clean-up never depends on the test finishing well: every process is started in its own
session and a watchdog process kills that session when the test process goes away (even by
SIGKILL), besides the fixtures' own ``close()``.
"""
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from nameko.testing.utils import find_free_port

ROOT = Path(__file__).resolve().parents[2]
# Debian's /usr/sbin/rabbitmq-server re-runs itself as the ``rabbitmq`` user (``su``) from
# /var/lib/rabbitmq, which could not write under a root-owned tmp_path; the script it wraps
# runs the node as whoever calls it.
RABBITMQ_BIN = Path("/usr/lib/rabbitmq/bin")


class InfraError(RuntimeError):
    pass


def _watchdog(pgid):
    """A process that kills process group ``pgid`` once this (the test) process is gone."""
    script = ("import os, signal, sys, time\n"
              "parent, pgid = int(sys.argv[1]), int(sys.argv[2])\n"
              "while True:\n"
              "    try:\n"
              "        os.kill(pgid, 0)\n"
              "    except ProcessLookupError:\n"
              "        sys.exit(0)  # the group's leader is gone: nothing left to guard\n"
              "    if os.getppid() != parent:\n"
              "        try:\n"
              "            os.killpg(pgid, signal.SIGKILL)\n"
              "        except ProcessLookupError:\n"
              "            pass\n"
              "        sys.exit(0)\n"
              "    time.sleep(0.5)\n")
    return subprocess.Popen([sys.executable, "-c", script, str(os.getpid()), str(pgid)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def _kill_group(process):
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(30)


def _log_tail(path, lines=15):
    try:
        return "\n  ".join(Path(path).read_text(errors="replace").strip().splitlines()[-lines:])
    except OSError:
        return "(no log)"


class _Private:
    """One owned process: started in its own session, guarded by a watchdog."""

    name = "process"

    def __init__(self, base_dir):
        self.base_dir = Path(base_dir)
        self.base_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.base_dir / "{}.log".format(self.name)
        self.process = None
        self.watchdog = None

    def command(self):
        raise NotImplementedError

    def env(self):
        return dict(os.environ)

    def answers(self):
        raise NotImplementedError

    def start(self, timeout=60):
        if self.process is not None and self.process.poll() is None:
            raise InfraError("{} already running".format(self.name))
        log = open(self.log_path, "ab")
        try:
            self.process = subprocess.Popen(self.command(), env=self.env(), cwd=self.base_dir,
                                            stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        finally:
            log.close()
        self.watchdog = _watchdog(self.process.pid)
        deadline = time.time() + timeout
        while not self.answers():
            if self.process.poll() is not None:
                raise InfraError("{} exited with {} at start; last log lines:\n  {}".format(
                    self.name, self.process.returncode, _log_tail(self.log_path)))
            if time.time() > deadline:
                self.kill()
                raise InfraError("{} did not answer within {} s; last log lines:\n  {}".format(
                    self.name, timeout, _log_tail(self.log_path)))
            time.sleep(0.2)
        return self

    def stop(self, timeout=30):
        """A clean stop (SIGTERM); SIGKILL if it does not end in time."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        self._reap()

    def kill(self):
        self._reap()

    def _reap(self):
        _kill_group(self.process)  # whatever the leader left behind in its session
        _kill_group(self.watchdog)
        self.process = self.watchdog = None

    def restart(self, down_seconds=0):
        self.stop()
        time.sleep(down_seconds)
        return self.start()

    close = kill


class PrivateRabbit(_Private):
    """A RabbitMQ node ``mpptest<random>@localhost`` with no plugins, AMQP on a free port."""

    name = "rabbitmq"

    def __init__(self, base_dir):
        super().__init__(base_dir)
        if not (RABBITMQ_BIN / "rabbitmq-server").exists():
            raise InfraError("{} not found: install Debian's rabbitmq-server (scripts/rabbitmq.sh)"
                             .format(RABBITMQ_BIN / "rabbitmq-server"))
        self.node = "mpptest{}@localhost".format(uuid.uuid4().hex[:8])
        self.port = find_free_port()
        self.dist_port = find_free_port()
        home = self.base_dir / "home"  # the Erlang cookie: created by the node, read by rabbitmqctl
        home.mkdir(exist_ok=True)
        (self.base_dir / "enabled_plugins").write_text("[].\n")  # no management listener
        (self.base_dir / "rabbitmq.conf").write_text("")
        self._env = dict(
            os.environ,
            HOME=str(home),
            RABBITMQ_NODENAME=self.node,
            RABBITMQ_NODE_IP_ADDRESS="127.0.0.1",
            RABBITMQ_NODE_PORT=str(self.port),
            RABBITMQ_DIST_PORT=str(self.dist_port),
            RABBITMQ_MNESIA_BASE=str(self.base_dir / "mnesia"),
            RABBITMQ_LOG_BASE=str(self.base_dir / "log"),
            RABBITMQ_PID_FILE=str(self.base_dir / "rabbitmq.pid"),
            RABBITMQ_ENABLED_PLUGINS_FILE=str(self.base_dir / "enabled_plugins"),
            RABBITMQ_CONFIG_FILE=str(self.base_dir / "rabbitmq.conf"),
            RABBITMQ_ADVANCED_CONFIG_FILE=str(self.base_dir / "advanced.config"),
            # not the machine's /etc/rabbitmq/rabbitmq-env.conf
            RABBITMQ_CONF_ENV_FILE=str(self.base_dir / "rabbitmq-env.conf"),
        )

    @property
    def amqp_uri(self):
        return "pyamqp://guest:guest@127.0.0.1:{}/".format(self.port)

    def command(self):
        return [str(RABBITMQ_BIN / "rabbitmq-server")]

    def env(self):
        return self._env

    def answers(self):
        """True when an AMQP handshake with this node succeeds."""
        import amqp

        connection = amqp.Connection("127.0.0.1:{}".format(self.port), userid="guest",
                                     password="guest", connect_timeout=1)
        try:
            connection.connect()
            return True
        except Exception:  # noqa: BLE001 - not up yet
            return False
        finally:
            try:
                connection.collect()
            except Exception:  # noqa: BLE001
                pass

    def stop(self, timeout=30):
        """``rabbitmqctl stop``: the node shuts down cleanly (durable data kept), then exits."""
        if self.process is not None and self.process.poll() is None:
            subprocess.run([str(RABBITMQ_BIN / "rabbitmqctl"), "-n", self.node, "stop"],
                           env=self._env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=timeout, check=False)
        super().stop(timeout)


class PrivateFerretDB(_Private):
    """``scripts/ferretdb.sh run PORT DIR``: FerretDB in the foreground with data under DIR."""

    name = "ferretdb"

    def __init__(self, base_dir):
        super().__init__(base_dir)
        self.port = find_free_port()
        self.data_dir = self.base_dir / "db"

    @property
    def mongo_uri(self):
        return "mongodb://127.0.0.1:{}/?retryWrites=false".format(self.port)

    def command(self):
        return ["bash", str(ROOT / "scripts" / "ferretdb.sh"), "run", str(self.port),
                str(self.data_dir)]

    def answers(self):
        from pymongo import MongoClient

        client = MongoClient(self.mongo_uri, serverSelectionTimeoutMS=500, connectTimeoutMS=500)
        try:
            client.admin.command("ping")
            return True
        except Exception:  # noqa: BLE001 - not up yet
            return False
        finally:
            client.close()
