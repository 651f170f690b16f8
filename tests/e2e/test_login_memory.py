"""Ten staff sign in at the same moment and the gateway lives: the gateway process runs with
its address space limited to the compose file's memory limit (an rlimit, stricter than the
container's cgroup, which counts only resident memory), and every sign-in answers 200.

argon2id holds ``memory_cost`` for each hash while it runs: at argon2-cffi's default (64 MiB)
four parallel sign-ins already exceed a 256 MiB container. The gateway hashes at OWASP's
19 MiB profile and at most ``GATEWAY_HASH_CONCURRENCY`` at once (bench/login_memory.py has
the figures)."""
import concurrent.futures
import os
import re
import resource
import subprocess
import sys
import uuid
from pathlib import Path

import requests
import yaml
from nameko.standalone.rpc import ClusterRpcProxy
from nameko.testing.utils import find_free_port

from scripts.suite import ROOT, Suite
from tests.conftest import MONGO_URI

PASSWORD = "memory-test-password"


def compose_memory_limit(service="gateway"):
    """The gateway's ``deploy.resources.limits.memory`` in bytes (``256m``)."""
    compose = yaml.safe_load((Path(ROOT) / "docker-compose.yml").read_text())
    node = compose["services"][service]
    text = str(node["deploy"]["resources"]["limits"]["memory"]).lower()
    number, unit = re.fullmatch(r"(\d+)([kmg]?)b?", text).groups()
    return int(number) * {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[unit]


class LimitedSuite(Suite):
    """The suite's processes with RLIMIT_AS = the compose memory limit. Thread stacks of
    2 MiB and two malloc arenas keep the *address space* close to what is resident (a
    container's limit counts resident memory only)."""

    limit = None

    def start_instance(self, name, index=0):
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log_path = self.log_dir / "{}-{}.log".format(name, index)
        log_file = open(log_path, "ab")
        limit = self.limit

        def limits():
            resource.setrlimit(resource.RLIMIT_STACK, (2 << 20, 2 << 20))
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        command = [sys.executable, "-m", "nameko", "run", "--config",
                   str(ROOT / "config" / "nameko.yaml"), self.classes[name]]
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log_file,
                                   stderr=subprocess.STDOUT, start_new_session=True,
                                   preexec_fn=limits)
        entry = (name, index, process, log_path)
        self.processes.append(entry)
        return entry


def test_ten_concurrent_logins_fit_the_gateways_memory_limit(rabbit_manager, mongo_client,
                                                             tmp_path):
    vhost = "mpp_mem_{}".format(uuid.uuid4().hex[:8])
    rabbit_manager.create_vhost(vhost)
    rabbit_manager.set_vhost_permissions(vhost, "guest", ".*", ".*", ".*")
    prefix = "mem{}".format(uuid.uuid4().hex[:8])
    address = "127.0.0.1:{}".format(find_free_port())
    env = dict(os.environ, AMQP_URI="pyamqp://guest:guest@127.0.0.1:5672/{}".format(vhost),
               MONGO_URI=MONGO_URI, MONGO_DB_PREFIX=prefix, GATEWAY_ADDRESS=address,
               GATEWAY_JWT_SECRET="memory-test-" + "x" * 32, MALLOC_ARENA_MAX="2",
               EVENTLET_THREADPOOL_SIZE="4")
    LimitedSuite.limit = compose_memory_limit()
    suite = LimitedSuite(env=env, services=("gateway",), log_dir=tmp_path)
    try:
        suite.start()
        with ClusterRpcProxy(suite.config(), timeout=60) as rpc:
            rpc.gateway.ensure_demo_accounts(["samsat"], PASSWORD)
        users = ["admin", "samsat.officer", "samsat.supervisor"]

        def sign_in(i):
            return requests.post("http://{}/api/v1/auth/login".format(address), timeout=120,
                                 json={"username": users[i % 3], "password": PASSWORD})

        with concurrent.futures.ThreadPoolExecutor(10) as pool:
            answers = list(pool.map(sign_in, range(10)))
        assert [a.status_code for a in answers] == [200] * 10, [a.text[:200] for a in answers]
        suite.check_alive()
        # and the gateway still answers afterwards
        assert requests.get("http://{}/healthz".format(address), timeout=10).status_code == 200
    finally:
        suite.stop()
        rabbit_manager.delete_vhost(vhost)
        for name in mongo_client.list_database_names():
            if name.startswith(prefix + "_"):
                mongo_client.drop_database(name)
