"""The README's operator commands (``python -m scripts.<command>``) each run here against a
running service, so none of them can rot. A command the README names that no test runs makes
``test_every_readme_command_is_run`` fail."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from services.notifications.service import NotificationsService

ROOT = Path(__file__).resolve().parents[2]
# run by the tests named: the first administrator and the production refusal
# (test_production_refusal.py), the .env maker (tests/unit/test_compose_file.py), the demo
# catalogue and broker users (tests/e2e/test_compose_as_processes.py), the NIK rekey
# (tests/integration/permits/test_nik_rotation.py), the rest here
RUN_ELSEWHERE = {"first_admin", "make_env", "load_catalogue", "broker_users", "serve",
                 "lint_compose", "rekey_nik"}
RUN_HERE = {"replay_parked", "healthcheck"}


def readme_commands():
    text = (ROOT / "README.md").read_text()
    return set(re.findall(r"python -m scripts\.(\w+)", text))


def test_every_readme_command_is_run():
    assert readme_commands() - RUN_ELSEWHERE - RUN_HERE == set()
    assert readme_commands() >= RUN_HERE


def run(module, *args, config):
    env = dict(os.environ, PYTHONPATH=str(ROOT), AMQP_URI=config["AMQP_URI"],
               MONGO_URI=config["MONGO_URI"], MONGO_DB_PREFIX=config["MONGO_DB_PREFIX"])
    return subprocess.run([sys.executable, "-m", "scripts." + module, *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)


def test_replay_parked_and_healthcheck_against_a_running_service(runner_factory,
                                                                service_config):
    runner_factory(service_config, NotificationsService).start()
    replayed = run("replay_parked", config=service_config)
    assert replayed.returncode == 0, replayed.stderr
    assert json.loads(replayed.stdout) == {"taken": 0, "replayed": 0}
    healthy = run("healthcheck", "notifications", config=service_config)
    assert healthy.returncode == 0, healthy.stderr
    absent = run("healthcheck", "ticketing", config=service_config)  # not running here
    assert absent.returncode == 1
