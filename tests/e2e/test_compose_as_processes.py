"""The suite as docker-compose.yml describes it, run as local processes (no Docker engine here).

The compose file is resolved (``scripts/lint_compose.py``, as ``docker compose config`` would)
with an ``.env`` made from the shipped ``.env.example`` by ``scripts.make_env`` (random
secrets, the signing key file) and the operator's shell overriding it (the public URL, the
test's vhost and database prefix). Then, as a container would, every service runs its own
``command`` with exactly its resolved ``environment`` plus the image's ``ENV`` lines. What a
container network provides is mapped onto this machine, and nothing else changes:

- the host names ``rabbitmq`` and ``mongo`` are loopback; the broker users are made by the
  ``broker-users`` one-shot's own command on the test's vhost (the management API as the local
  administrator); the database here is FerretDB, which has no users, so the URI's credentials
  (each service its own user) are sent with ``authMechanism=PLAIN``, which it accepts, and
  it is one server without replica set or retryable writes, so the URI names neither (the
  ``mongo-setup`` one-shot, which initiates the set and makes the users, needs a mongod:
  ``tests/unit/test_compose_file.py`` checks what it would make);
- the signing key secret mounted at ``/run/secrets/…`` is the file ``make_env`` wrote;
- ports each container has to itself (the gateway's 8000, the metrics port) are free ports.

Then a smoke journey over HTTP in production mode: the first administrator (the
``first_admin`` command), staff accounts made through the admin API, a kiosk ticket that is
called at a counter, its notification delivered, a permit filed, decided, issued and verified
at the configured public URL, and every process's own ``/metrics``.
"""
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from nameko.standalone.rpc import ClusterRpcProxy
from nameko.testing.utils import find_free_port

from scripts import broker_users, lint_compose, make_env
from services.common import settings
from tests import support
from tests.conftest import MONGO_URI
from tests.support import wait_for

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_URL = "https://mpp.kapuas.test"
ADMIN_PASSWORD = "kata-sandi-admin-pertama"
STAFF_PASSWORD = "kata-sandi-petugas-123"


def image_env():
    """The Dockerfile's ENV lines (what every container starts with)."""
    env = {}
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("ENV "):
            for name, value in re.findall(r"(\w+)=(\S+)", line[4:]):
                env[name] = value
    env["PYTHONPATH"] = str(ROOT)  # /app in the image
    return env


def local(env, secrets_dir, test_amqp_host="127.0.0.1"):
    """A container's resolved environment mapped onto this machine (see the module doc)."""
    out = dict(image_env(), **{k: str(v) for k, v in env.items()})
    out["PATH"] = os.environ["PATH"]
    if "AMQP_URI" in out:
        out["AMQP_URI"] = out["AMQP_URI"].replace("@rabbitmq:5672", "@" + test_amqp_host + ":5672")
    if "MONGO_URI" in out:
        uri = out["MONGO_URI"].replace("@mongo:27017", "@" + urlsplit(MONGO_URI).netloc)
        uri = re.sub(r"&replicaSet=[^&]*", "", uri).replace("retryWrites=true", "retryWrites=false")
        out["MONGO_URI"] = uri + "&authMechanism=PLAIN"
    if "PERMITS_SIGNING_KEY_FILE" in out:
        out["PERMITS_SIGNING_KEY_FILE"] = str(secrets_dir / "permits_signing_key.pem")
    if "METRICS_PORT" in out:
        out["METRICS_PORT"] = str(find_free_port())
        out["METRICS_ADDRESS"] = "127.0.0.1"
    return out


def command(spec):
    cmd = list(spec["command"])
    return [sys.executable] + cmd[1:] if cmd[0] == "python" else cmd


@pytest.fixture(scope="module")
def composed(tmp_path_factory, rabbit_manager, mongo_client, request):
    base = tmp_path_factory.mktemp("compose")
    (base / ".env").write_text(make_env.render((ROOT / ".env.example").read_text(), base=base))
    vhost = "mpp_compose_{}".format(uuid.uuid4().hex[:8])
    prefix = "cmp{}".format(uuid.uuid4().hex[:8])
    shell = {"MPP_PUBLIC_URL": PUBLIC_URL, "RABBITMQ_VHOST": vhost, "MONGO_DB_PREFIX": prefix,
             # the simulated channel: the provider's side of a send (receipts come over HTTP
             # from providers in production; here the simulator delivers)
             "NOTIFY_TEST_MODE": "1",
             # any hour of the day the test runs at (the demo's setting)
             "MPP_IGNORE_OPENING_HOURS": "1"}
    resolved = lint_compose.resolve(dict(lint_compose.read_env_file(base / ".env"), **shell))
    services = resolved["services"]

    users_env = services["broker-users"]["environment"]
    rabbit_manager.create_vhost(vhost)  # compose's rabbitmq makes it (RABBITMQ_DEFAULT_VHOST)
    made = broker_users.apply(request.config.getoption("RABBIT_API_URI"),
                              users_env["MPP_BROKER_VHOST"],
                              settings.parse(settings.spec("MPP_BROKER_USERS"),
                                             users_env["MPP_BROKER_USERS"]))
    processes, logs = [], base / "logs"
    logs.mkdir()
    envs = {}
    try:
        for container, service in lint_compose.app_services().items():
            env = local(services[container]["environment"], base / "secrets")
            if container == "gateway":
                env["GATEWAY_ADDRESS"] = "127.0.0.1:{}".format(find_free_port())
            envs[container] = env
            log = open(logs / "{}.log".format(container), "wb")
            processes.append((container, subprocess.Popen(
                command(services[container]), cwd=ROOT, env=env, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)))
        tools = local(services["demo-catalogue"]["environment"], base / "secrets")
        config = {"AMQP_URI": tools["AMQP_URI"], "serializer": "json"}
        with ClusterRpcProxy(config, timeout=10) as rpc:
            def healthy():
                for container, process in processes:
                    assert process.poll() is None, (container, (logs / "{}.log".format(
                        container)).read_text()[-2000:])
                try:
                    return all(getattr(rpc, s).health()["status"] == "ok"
                               for s in lint_compose.app_services().values())
                except Exception:  # noqa: BLE001 - not up yet
                    return False
            wait_for(healthy, timeout=120, interval=1, message="every service healthy")
        loaded = subprocess.run(command(services["demo-catalogue"]), cwd=ROOT, env=tools,
                                capture_output=True, text=True, timeout=120)
        assert loaded.returncode == 0, loaded.stderr
        yield {"services": services, "envs": envs, "tools": config, "made": made,
               "base_url": "http://" + envs["gateway"]["GATEWAY_ADDRESS"], "prefix": prefix}
    finally:
        for _, process in processes:
            if process.poll() is None:
                process.terminate()
        for _, process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
        rabbit_manager.delete_vhost(vhost)
        for user in made:
            rabbit_manager._delete("users", user)
        for name in mongo_client.list_database_names():
            if name.startswith(prefix + "_"):
                mongo_client.drop_database(name)


def test_each_service_runs_in_production_with_a_broker_user_of_its_own(composed):
    for container, env in composed["envs"].items():
        assert env["MPP_ENV"] == "production"
        user = urlsplit(env["AMQP_URI"]).username
        assert user == "mpp_" + lint_compose.app_services()[container]
        assert user in composed["made"]
        # the signing key reaches the permits service only, the NIK salt ticketing only
        assert ("PERMITS_SIGNING_KEY_FILE" in env) == (container == "permits")
        assert ("MPP_NIK_SALT" in env) == (container == "ticketing")


def _session(base, username, password):
    session = requests.Session()
    answer = session.post(base + "/api/v1/auth/login",
                          json={"username": username, "password": password}, timeout=30)
    assert answer.status_code == 200, answer.text
    session.headers["Authorization"] = "Bearer " + answer.json()["access_token"]
    return session


def test_smoke_journey_over_http(composed):
    base = composed["base_url"]
    gateway_env = composed["envs"]["gateway"]
    # no demo account exists in production: the operator makes the first administrator
    assert requests.post(base + "/api/v1/auth/login", json={
        "username": "admin", "password": "demo12345"}, timeout=30).status_code == 401
    made = subprocess.run(command({"command": ["python", "-m", "scripts.first_admin", "kepala"]}),
                          cwd=ROOT, env=gateway_env, input=ADMIN_PASSWORD + "\n",
                          capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    admin = _session(base, "kepala", ADMIN_PASSWORD)
    for username, role, agency in (("samsat.petugas", "officer", "samsat"),
                                   ("ptsp.petugas", "officer", "dpmptsp"),
                                   ("ptsp.kepala", "supervisor", "dpmptsp")):
        answer = admin.post(base + "/api/v1/admin/accounts", json={
            "username": username, "password": STAFF_PASSWORD, "role": role, "agency": agency},
            timeout=30)
        assert answer.status_code == 201, answer.text

    # a kiosk ticket, called at a counter; its notification delivered
    ticket = requests.post(base + "/api/v1/tickets", json={
        "service_id": "samsat-pkb", "contact": {"phone": "081100000001"}}, timeout=30)
    assert ticket.status_code == 201, ticket.text
    ticket = ticket.json()
    officer = _session(base, "samsat.petugas", STAFF_PASSWORD)
    assert officer.post(base + "/api/v1/counters/samsat-7/open", timeout=30).status_code == 200
    called = officer.post(base + "/api/v1/counters/samsat-7/call-next", timeout=30)
    assert called.status_code == 200, called.text
    assert called.json()["number"] == ticket["number"]
    delivered = wait_for(lambda: [m for m in admin.get(
        base + "/api/v1/notifications", params={"reference": ticket["id"]}, timeout=30
    ).json().get("messages", []) if m["status"] == "delivered"], timeout=60,
        message="the ticket's notification delivered")
    assert delivered[0]["kind"] == "ticket_issued"

    # a permit: filed, taken through the workflow, issued, verified at the public URL
    pdf = __import__("base64").b64encode(support.PDF).decode()
    filed = requests.post(base + "/api/v1/applications", headers={
        "Idempotency-Key": str(uuid.uuid4())}, json={
        "permit_type_id": "sip-bidan", "applicant": support.APPLICANT,
        "form": {"str_number": "STR-1234567", "practice_address": "Jl. Tambun Bungai 12"},
        "documents": [{"kind": kind, "filename": kind + ".pdf", "media_type": "application/pdf",
                       "content": pdf} for kind in ("ktp", "str", "rekomendasi_ibi")]},
        timeout=30)
    assert filed.status_code == 201, filed.text
    filed = filed.json()
    ptsp, head = (_session(base, "ptsp.petugas", STAFF_PASSWORD),
                  _session(base, "ptsp.kepala", STAFF_PASSWORD))
    path = base + "/api/v1/applications/by-id/{}".format(filed["application_id"])
    for who, action in ((ptsp, "start_intake"), (ptsp, "accept"), (ptsp, "forward")):
        answer = who.post(path + "/actions", json={"action": action}, timeout=30)
        assert answer.status_code == 200, (action, answer.text)
    # the manual connector acknowledges the forwarding; the agency's decision is recorded
    wait_for(lambda: "agency_approve" in [a if isinstance(a, str) else a.get("action") for a in
                                          head.get(path, timeout=30).json().get("actions", [])]
             or head.get(path, timeout=30).json()["state"] != "forwarded", timeout=30,
             message="the forwarding acknowledged")
    for action in ("agency_approve", "approve", "issue"):
        if head.get(path, timeout=30).json()["state"] == "issued":
            break
        answer = head.post(path + "/actions", json={"action": action}, timeout=30)
        assert answer.status_code == 200, (action, answer.text)
    status = requests.get(base + "/api/v1/applications/" + filed["tracking_code"],
                          headers={"X-Application-Pin": filed["pin"]}, timeout=30).json()
    assert status["state"] == "issued", status
    verify_url = status["permit"]["verify_url"]
    assert verify_url.startswith(PUBLIC_URL + "/verify?")  # what the QR code opens
    link = urlsplit(verify_url)
    page = requests.get(base + link.path + "?" + link.query, timeout=30)  # the public host
    assert page.status_code == 200 and 'id="verify"' in page.text
    number = status["permit"]["permit_number"]
    hash_ = dict(p.split("=", 1) for p in link.query.split("&"))["h"]
    verified = requests.get(base + "/api/v1/permits/{}/verify".format(number),
                            params={"hash": hash_}, timeout=30).json()
    assert verified["status"] == "valid"


def test_every_process_serves_its_own_metrics(composed):
    for container, env in composed["envs"].items():
        if "METRICS_PORT" not in env:  # the connectors: their status is the kit's (issue 21)
            continue
        answer = requests.get("http://127.0.0.1:{}/metrics".format(env["METRICS_PORT"]),
                              timeout=30)
        assert answer.status_code == 200, container
        assert "mpp_entrypoint_calls_total" in answer.text


def test_a_service_user_cannot_read_another_services_queue(composed):
    import kombu
    from amqp.exceptions import AccessRefused

    feedback = composed["envs"]["feedback"]["AMQP_URI"]
    with kombu.Connection(feedback) as connection:
        channel = connection.channel()
        with pytest.raises(AccessRefused):
            channel.basic_get("rpc-permits")  # the permits service's RPC requests
    with kombu.Connection(feedback) as connection:
        channel = connection.channel()
        kombu.Producer(channel).publish("{}", exchange="ticketing.events",
                                        routing_key="ticket_called", serializer="json")
        with pytest.raises(AccessRefused):  # nor speak as ticketing (refused on the next call)
            channel.basic_get("rpc-feedback")
