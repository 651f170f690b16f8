"""docker-compose.yml can't be run here (no Docker engine), so it is checked by this structural
lint (``make lint-compose`` runs the same checks) and run as processes by
``tests/e2e/test_compose_as_processes.py``."""
import importlib
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from scripts import lint_compose, make_env
from scripts.suite import SERVICE_CLASSES

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = tuple(lint_compose.app_services())


def compose():
    return lint_compose.load()


def test_lint_compose_finds_nothing():
    assert lint_compose.problems() == []


def test_every_app_service_runs_its_class_from_one_image():
    services = compose()["services"]
    images = {services[name]["image"] for name in APP_SERVICES}
    assert images == {"mpp-suite:latest"}
    for name in APP_SERVICES:
        service = services[name]["command"][-1]
        module, cls = SERVICE_CLASSES[service].split(":")
        assert hasattr(importlib.import_module(module), cls)


def test_scalable_services_have_no_fixed_names_or_host_ports():
    services = compose()["services"]
    for name in APP_SERVICES:
        assert "container_name" not in services[name]
        assert "ports" not in services[name]  # the gateways too: the TLS proxy is in front


def test_tls_in_front_with_hsts_and_the_gateway_trusts_only_the_proxy():
    doc = compose()
    proxy = doc["services"]["proxy"]
    address = proxy["networks"]["default"]["ipv4_address"]
    assert {p.split(":")[-1].split("/")[0] for p in proxy["ports"]} == {"80", "443"}
    caddyfile = (ROOT / "config" / "caddy" / "Caddyfile").read_text()
    assert 'Strict-Transport-Security "max-age=31536000' in caddyfile
    assert "dynamic a gateway 8000" in caddyfile
    env = lint_compose.read_env_file(ROOT / ".env.example")
    assert env["GATEWAY_TRUSTED_PROXIES"] == address
    assert doc["services"]["gateway"]["environment"]["GATEWAY_TRUSTED_PROXIES"] == \
        "${GATEWAY_TRUSTED_PROXIES:-%s}" % address


def test_healthchecks_restart_policies_and_dependencies():
    doc = compose()
    services = doc["services"]
    for name, spec in services.items():
        assert "healthcheck" in spec or spec.get("restart") == "no", name
        for dependency in spec.get("depends_on", {}):
            assert dependency in services, (name, dependency)
    for name in APP_SERVICES:
        assert services[name]["restart"] == "unless-stopped"
        assert services[name]["healthcheck"]["test"][-1] == name.replace("-", "_")
    assert "mongo-data" in doc["volumes"]


def test_dockerfile_copies_what_exists_and_installs_no_test_dependency():
    text = (ROOT / "Dockerfile").read_text()
    for line in text.splitlines():
        if line.startswith("COPY "):
            source = line.split()[1]
            assert (ROOT / source).exists(), source
    installs = [l for l in text.splitlines() if l.startswith(("RUN", "COPY"))]
    assert not any("requirements-dev" in l for l in installs)
    runtime = (ROOT / "requirements.txt").read_text().lower()
    for package in ("pytest", "schemathesis", "playwright", "hypothesis", "import-linter"):
        assert "\n{}==".format(package) not in runtime, package
    for line in runtime.splitlines():
        if line and not line.startswith("#") and not line.startswith("setuptools"):
            assert "==" in line, line  # every runtime package pinned


def test_floating_tags_and_unknown_variables_are_found(tmp_path):
    doc = (ROOT / "docker-compose.yml").read_text()
    bad = tmp_path / "docker-compose.yml"
    bad.write_text(doc.replace("mongo:7.0.14", "mongo:7").replace(
        "      MPP_NIK_SALT: ${MPP_NIK_SALT:?set MPP_NIK_SALT}\n", "").replace(
        "      FEEDBACK_SECRET:", "      GATEWAY_JWT_SECRET: ${GATEWAY_JWT_SECRET}\n      FEEDBACK_SECRET:"))
    found = lint_compose.problems(bad)
    assert "mongo: image 'mongo:7' has no exact version tag" in found
    assert "ticketing: does not get MPP_NIK_SALT, which it reads" in found
    assert "feedback: gets GATEWAY_JWT_SECRET, which it does not read" in found


def test_interpolation_as_compose_does_it():
    env = {"A": "x", "EMPTY": ""}
    assert lint_compose.interpolate("${A}-${B:-d}-${EMPTY:-e}-${EMPTY-f}-$$", env) == "x-d-e--$"
    with pytest.raises(lint_compose.ComposeError, match="EMPTY"):
        lint_compose.interpolate("${EMPTY:?set it}", env)


def test_the_env_example_resolves_once_its_secrets_are_made(tmp_path):
    example = (ROOT / ".env.example").read_text()
    with pytest.raises(lint_compose.ComposeError):  # the example's empty secrets stop compose
        lint_compose.resolve(lint_compose.read_env_file(ROOT / ".env.example"))
    made = tmp_path / ".env"
    made.write_text(make_env.render(example, base=tmp_path))
    resolved = lint_compose.resolve(lint_compose.read_env_file(made))
    env = resolved["services"]["permits"]["environment"]
    assert env["PERMITS_VERIFY_URL"] == "https://mpp.kapuaskab.go.id/verify"
    assert (tmp_path / "secrets" / "permits_signing_key.pem").read_text().startswith(
        "-----BEGIN PRIVATE KEY-----")


def test_each_service_has_a_database_user_of_its_own_on_a_replica_set(tmp_path):
    """Each service container's MONGO_URI names its own user (mpp_<service>), on the replica
    set with retryable writes; the mongo-setup one-shot makes exactly those users, one per
    service the schema knows (a new service without one fails here)."""
    from scripts import mongo_setup
    from services.common import settings

    made = tmp_path / ".env"
    made.write_text(make_env.render((ROOT / ".env.example").read_text(), base=tmp_path))
    env = lint_compose.read_env_file(made)
    services = lint_compose.resolve(env)["services"]
    setup = services["mongo-setup"]["environment"]
    users = settings.parse(settings.spec("MONGO_SERVICE_USERS"), setup["MONGO_SERVICE_USERS"])
    assert set(users) == set(settings.ALL)
    passwords = set()
    for container, service in lint_compose.app_services().items():
        uri = urlsplit(services[container]["environment"]["MONGO_URI"])
        assert uri.username == "mpp_" + service, container
        assert uri.password == users[service] == env["MONGO_PASSWORD_" + service.upper()]
        query = dict(parse_qsl(uri.query))
        assert query == {"authSource": "admin", "replicaSet": "rs0", "retryWrites": "true"}
        passwords.add(uri.password)
    assert len(passwords) == len(settings.ALL)  # no two services share a password
    for user, password, roles in mongo_setup.user_plan("mpp", users):
        service = user[len("mpp_"):]
        assert roles == [{"role": "readWrite", "db": "mpp_" + service}]  # its own database only
    mongo = services["mongo"]
    command = " ".join(mongo["entrypoint"])
    assert "--replSet rs0" in command and "--keyFile /etc/mongo/keyfile" in command
    assert setup["MONGO_REPLICA_SET"] == "rs0"
    assert setup["MONGO_REPLICA_MEMBERS"] == "mongo:27017"
    assert mongo_setup.replica_config("rs0", ["mongo:27017"]) == {
        "_id": "rs0", "members": [{"_id": 0, "host": "mongo:27017"}]}
    keyfile = (tmp_path / "secrets" / "mongo_keyfile").read_text().strip()
    assert 6 <= len(keyfile) <= 1024 and set(keyfile) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
