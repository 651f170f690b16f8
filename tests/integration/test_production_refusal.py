"""MPP_ENV=production fails closed: a service started the way its container starts it
(``python -m scripts.serve <service>``) with a missing, short or known-default secret, a public
URL that is not https, a broker or database URI without real credentials, or (gateway) demo
accounts in its database prints one line naming each problem and exits 2; it never runs.

With every setting good the same command runs the service (the gateway answers /healthz)."""
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from nameko.testing.utils import find_free_port

from services.common import settings
from services.common.mongo import make_client
from tests.conftest import MONGO_URI

ROOT = Path(__file__).resolve().parents[2]
GOOD = "k" * 8 + uuid.uuid4().hex  # 40 characters, not a known default
PEM = None


def signing_pem():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()


def authenticated(uri, user, password):
    """``uri`` with ``user:password`` (FerretDB here has no users: PLAIN is accepted)."""
    scheme, rest = uri.split("://", 1)
    host = rest.split("@")[-1]
    query = "authMechanism=PLAIN" if scheme == "mongodb" else ""
    if query:
        host = host.rstrip("/") + "/?" + query if "?" not in host else host + "&" + query
    return "{}://{}:{}@{}".format(scheme, user, password, host)


def production_env(**overrides):
    """A good production environment for every service (each reads its own)."""
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), "MPP_ENV": "production",
           "AMQP_URI": "pyamqp://mpp_test:{}@127.0.0.1:5672/mpp_none".format(GOOD),
           "MONGO_URI": authenticated(MONGO_URI, "mpp", GOOD),
           "MPP_NIK_SALT": GOOD, "PERMITS_SECRET_KEY": GOOD, "PERMITS_SIGNING_KEY": signing_pem(),
           "PERMITS_VERIFY_URL": "https://mpp.example.go.id/verify",
           "FEEDBACK_SURVEY_URL": "https://mpp.example.go.id/survey",
           "FEEDBACK_SECRET": GOOD, "GATEWAY_JWT_SECRET": GOOD,
           "NOTIFY_TEST_MODE": "0", "WHATSAPP_URL": "https://graph.example.com/v21.0/1/messages",
           "WHATSAPP_TOKEN": GOOD}
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def serve(service, env, timeout=60):
    return subprocess.run([sys.executable, "-m", "scripts.serve", service], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


SECRETS = [(s.name, service) for s in settings.SCHEMA if s.required_in_production
           and s.name not in ("AMQP_URI", "MONGO_URI")
           for service in s.services[:1]]


@pytest.mark.parametrize("name,service", SECRETS)
def test_each_required_secret_missing_short_or_default_refuses_to_start(name, service):
    spec = settings.spec(name)
    cases = {"missing": (None, "{} is not set".format(name)),
             "short": ("x" * (spec.min_length - 1) if spec.name != "PERMITS_SIGNING_KEY"
                       else "short", "{} is shorter than".format(name)),
             "default": ("change-me", "{} is a known default".format(name))}
    if spec.default:
        cases["the development default"] = (spec.default, "{} is a known default".format(name))
    for case, (value, line) in cases.items():
        result = serve(service, production_env(**{name: value}))
        assert result.returncode == 2, (case, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, (case, lines)
        assert lines[0].startswith("mpp {}: refusing to start (MPP_ENV=production): {}".format(
            service, line)), (case, lines)


@pytest.mark.parametrize("service,overrides,line", [
    ("permits", {"PERMITS_VERIFY_URL": "http://127.0.0.1:8000/verify"},
     "PERMITS_VERIFY_URL must be an https address (is http://127.0.0.1:8000/verify)"),
    ("feedback", {"FEEDBACK_SURVEY_URL": None},
     "FEEDBACK_SURVEY_URL must be an https address (is http://127.0.0.1:8000/survey)"),
    ("ticketing", {"AMQP_URI": "pyamqp://guest:guest@127.0.0.1:5672/"},
     "AMQP_URI's password is a known default or shorter than 16 characters"),
    ("ticketing", {"AMQP_URI": None},
     "AMQP_URI's password is a known default or shorter than 16 characters"),
    ("notifications", {"MONGO_URI": MONGO_URI}, "MONGO_URI has no user and password"),
    ("gateway", {"GATEWAY_CONNECTOR_SECRETS": "dinkes=short"},
     "GATEWAY_CONNECTOR_SECRETS is shorter than 32 characters"),
    ("gateway", {"GATEWAY_CORS_ORIGINS": "http://kiosk.local"},
     "GATEWAY_CORS_ORIGINS must be an https address (is http://kiosk.local)"),
    ("notifications", {"WHATSAPP_URL": None, "WHATSAPP_TOKEN": None},
     "NOTIFY_TEST_MODE=0 but no channel is configured (WHATSAPP_URL and WHATSAPP_TOKEN, "
     "SMS_URL and SMS_TOKEN, or SMTP_HOST)"),
    ("ticketing", {"MPP_ENV": "prod"},
     "MPP_ENV='prod' is not one of development, demo, production"),
])
def test_other_unsafe_settings_refuse_to_start(service, overrides, line):
    result = serve(service, production_env(**overrides))
    assert result.returncode == 2, result.stderr
    assert "mpp {}: refusing to start (MPP_ENV={}): {}".format(
        service, overrides.get("MPP_ENV", "production"), line) in result.stderr.splitlines()


def test_two_problems_are_two_lines():
    result = serve("gateway", production_env(GATEWAY_JWT_SECRET=None,
                                             GATEWAY_TRUSTED_PROXIES="10.0.0.2",
                                             GATEWAY_CONNECTOR_SECRETS="dinkes=change-me"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "mpp gateway: refusing to start (MPP_ENV=production): "
        "GATEWAY_JWT_SECRET is not set (required in production)",
        "mpp gateway: refusing to start (MPP_ENV=production): "
        "GATEWAY_CONNECTOR_SECRETS is a known default value"]


@pytest.fixture
def broker_user(rabbit_manager):
    """A vhost and a user of this test's own, with a real password."""
    vhost, user, password = ("mpp_prod_{}".format(uuid.uuid4().hex[:8]),
                             "mpp_{}".format(uuid.uuid4().hex[:8]), uuid.uuid4().hex * 2)
    rabbit_manager.create_vhost(vhost)
    rabbit_manager._put("users", user, json={"password": password, "tags": ""})
    rabbit_manager.set_vhost_permissions(vhost, user, ".*", ".*", ".*")
    yield "pyamqp://{}:{}@127.0.0.1:5672/{}".format(user, password, vhost)
    rabbit_manager.delete_vhost(vhost)
    rabbit_manager._delete("users", user)


def _wait_healthz(process, address, deadline):
    while time.time() < deadline:
        assert process.poll() is None, process.stdout.read()
        try:
            with urllib.request.urlopen("http://{}/healthz".format(address), timeout=2) as r:
                if r.status == 200:
                    return True
        except OSError:
            time.sleep(0.5)
    return False


def test_a_good_production_gateway_runs_and_refuses_once_demo_accounts_exist(
        broker_user, db_prefix, mongo_client):
    from services.gateway import auth

    address = "127.0.0.1:{}".format(find_free_port())
    env = production_env(AMQP_URI=broker_user, MONGO_DB_PREFIX=db_prefix,
                         GATEWAY_ADDRESS=address)
    process = subprocess.Popen([sys.executable, "-m", "scripts.serve", "gateway"], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
    try:
        assert _wait_healthz(process, address, time.time() + 90)
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:  # its stop is not what this test is about
            os.killpg(process.pid, 9)
            process.wait(10)

    auth.ensure_demo_accounts(mongo_client["{}_gateway".format(db_prefix)], ["samsat"],
                              "demo-password-of-a-demo")
    result = serve("gateway", env)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "mpp gateway: refusing to start (MPP_ENV=production): demo staff accounts exist "
        "(admin, samsat.officer, samsat.supervisor): remove them or set new passwords "
        "(python -m scripts.first_admin)"]


def test_an_account_made_with_the_published_demo_password_counts_as_demo(db_prefix,
                                                                          mongo_client):
    from services.gateway import auth

    db = mongo_client["{}_gateway".format(db_prefix)]
    auth.create_account(db, "admin", "demo12345", "admin")
    auth.create_account(db, "kepala.mpp", "demo12345", "admin")  # not a demo name: not hashed
    assert auth.demo_accounts(db) == ["admin"]


def test_account_creating_rpcs_are_refused_in_production(runner_factory, service_config,
                                                         mongo_client):
    from nameko.standalone.rpc import ServiceRpcProxy

    from services.gateway.service import GatewayService

    config = dict(service_config, MPP_ENV="production", GATEWAY_JWT_SECRET=GOOD)
    runner_factory(config, GatewayService).start()
    with ServiceRpcProxy("gateway", config) as gateway:
        with pytest.raises(Exception, match="ensure_demo_accounts is not available in production"):
            gateway.ensure_demo_accounts(["samsat"], "a-demo-password")
        with pytest.raises(Exception, match="create_account_rpc is not available in production"):
            gateway.create_account_rpc("boss", "a-long-password", "admin")
    db = mongo_client["{}_gateway".format(service_config["MONGO_DB_PREFIX"])]
    assert db.accounts.count_documents({}) == 0


def first_admin(env, username, password):
    return subprocess.run([sys.executable, "-m", "scripts.first_admin", username], cwd=ROOT,
                          env=env, input=password + "\n", capture_output=True, text=True,
                          timeout=60)


def test_first_admin_creates_the_one_first_administrator(db_prefix, mongo_client):
    from services.gateway import auth

    env = production_env(MONGO_DB_PREFIX=db_prefix)
    short = first_admin(env, "kepala", "pendek")
    assert short.returncode == 1
    assert short.stderr.strip() == "error: the password must have at least 12 characters"
    made = first_admin(env, "kepala", "sandi-yang-panjang-sekali")
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "created administrator kepala"
    db = mongo_client["{}_gateway".format(db_prefix)]
    assert auth.login(db, "kepala", "sandi-yang-panjang-sekali").role == "admin"
    again = first_admin(env, "kedua", "sandi-yang-panjang-juga")
    assert again.returncode == 1
    assert "an administrator exists (kepala)" in again.stderr
    assert db.accounts.count_documents({}) == 1
