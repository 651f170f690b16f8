"""The one settings schema names every variable the code reads; the README's table is generated
from it; every compose container gets exactly the variables its service reads.

Reads are found in the source (AST): a string constant in UPPER_SNAKE case passed to a reader
(``settings.get``, ``config.get``, ``os.environ.get``, ``os.getenv``, the compatibility helpers)
or used as a subscript of a config or the environment."""
import ast
import re
from pathlib import Path

import pytest

from services.common import settings

ROOT = Path(__file__).resolve().parents[3]
NAME = re.compile(r"^[A-Z][A-Z0-9_]{2,}$")
READERS = {"get", "getenv", "setting", "int_setting", "list_setting", "mapping_setting",
           "_setting", "raw", "section", "secret", "g"}
SUBSCRIPTED = {"config", "environ", "env"}
# nameko's own config keys, read by nameko (or code copying its connection set-up), never set
# by an operator of this suite
NAMEKO_KEYS = {"AMQP_SSL", "LOGIN_METHOD"}
# variables of the development tooling (scripts/infra.sh, ferretdb.sh, bench), not of a service
TOOLING = {"PYTHONPATH", "MPP_CACHE_DIR", "MPP_DB_GOMAXPROCS", "MPP_DB_GOGC"}
BY_KEY = {s.key: s for s in settings.SCHEMA}
# services.common.config's helpers read one setting each: a call is a read by the caller
HELPERS = {"timezone_name": "MPP_TIMEZONE", "ignore_opening_hours": "MPP_IGNORE_OPENING_HOURS",
           "database_name": "MONGO_DB_PREFIX"}


def reader_services(path):
    """Which services run the code in ``path`` (relative to the repository)."""
    parts = path.parts
    if parts[0] == "scripts":
        return settings.TOOLS
    if parts[0] == "sdk":
        return settings.CONNECTORS  # the connector kit: what every connector process runs
    if parts[1] == "common":
        return None  # every service: the variable must be read by at least one
    if parts[1:3] == ("permits", "connectors"):
        stem = path.stem
        if "connector_" + stem in settings.CONNECTORS:
            return ("connector_" + stem,)
        return settings.CONNECTORS
    return (parts[1],)


def _target_name(node):
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def reads():
    """``[(path, line, NAME)]`` of every setting the code reads."""
    found = []
    files = [p for p in (ROOT / "services").rglob("*.py") if "/web/" not in str(p)]
    files += [p for p in (ROOT / "scripts").rglob("*.py")]
    # the connector kit's runtime (its test plugin reads the integrator's test settings)
    files += [p for p in (ROOT / "sdk" / "mpp_connector").glob("*.py")]
    for path in files:
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Call) and _target_name(node.func) in READERS:
                names = [a.value for a in node.args if isinstance(a, ast.Constant)]
            elif isinstance(node, ast.Call) and _target_name(node.func) in HELPERS \
                    and "common" not in path.parts:
                names = [HELPERS[_target_name(node.func)]]
            elif isinstance(node, ast.Subscript) and _target_name(node.value) in SUBSCRIPTED:
                if isinstance(node.slice, ast.Constant):
                    names = [node.slice.value]
            for name in names:
                if isinstance(name, str) and NAME.match(name) and name not in NAMEKO_KEYS \
                        and name not in TOOLING:
                    found.append((path.relative_to(ROOT), node.lineno, name))
    return found


def test_the_scan_finds_reads_of_every_kind():
    found = {(str(p), n) for p, _, n in reads()}
    assert ("services/gateway/auth.py", "GATEWAY_JWT_SECRET") in found            # settings.get
    assert ("services/common/mongo.py", "MONGO_URI") in found                     # config[...]
    assert ("scripts/preflight.py", "AMQP_URI") in found
    assert ("sdk/mpp_connector/engine.py", "CONNECTOR_MAX_ATTEMPTS") in found


def test_every_variable_the_code_reads_is_in_the_schema_for_its_service():
    missing = []
    for path, line, name in reads():
        spec = BY_KEY.get(name) or settings.BY_NAME.get(name)
        if spec is None:
            missing.append("{}:{} reads {}, which is not in the schema".format(path, line, name))
            continue
        services = reader_services(path)
        if services is not None and not set(services) & set(spec.services):
            missing.append("{}:{} reads {} but the schema says only {} read it".format(
                path, line, name, ", ".join(spec.services)))
    assert not missing, "\n".join(missing)


def test_every_schema_entry_is_complete_and_read_somewhere():
    read = {(BY_KEY.get(n) or settings.BY_NAME.get(n)).name for _, _, n in reads()
            if n in BY_KEY or n in settings.BY_NAME}
    # read by name elsewhere: nameko reads MAX_WORKERS and LOG_LEVEL through config/nameko.yaml;
    # connectors read their sections by name (``<NAME>_CONNECTOR``); MPP_ENV through is_*()
    indirect = {"MAX_WORKERS", "LOG_LEVEL", "MPP_ENV", "SIMULATED_CONNECTOR",
                "MANUAL_CONNECTOR", "WEBHOOK_CONNECTOR", "RABBIT_API_URI"}
    for spec in settings.SCHEMA:
        assert spec.type in {"str", "int", "float", "bool", "list", "pairs", "json"}, spec.name
        assert spec.doc and spec.services, spec.name
        assert set(spec.services) <= set(settings.ALL + settings.TOOLS), spec.name
        if spec.min_length:
            assert spec.secret, spec.name
        assert spec.name in read or spec.name in indirect, "{} is read nowhere".format(spec.name)


def test_nameko_yaml_defaults_are_the_schema_defaults():
    text = (ROOT / "config" / "nameko.yaml").read_text()
    pairs = re.findall(r"\$\{([A-Z_]+):([^}]*)\}", text)
    assert pairs
    for name, default in pairs:
        spec = settings.spec(name)
        assert str(spec.default) == default, name


def test_the_readme_table_is_generated_from_the_schema():
    readme = (ROOT / "README.md").read_text()
    table = readme.split("<!-- settings-table:start -->\n", 1)[1].split(
        "\n<!-- settings-table:end -->", 1)[0]
    assert table.strip() == settings.markdown_table().strip(), \
        "regenerate: .venv/bin/python -m services.common.settings --write-readme"


def test_every_variable_read_by_code_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for _, _, name in reads():
        spec = BY_KEY.get(name) or settings.BY_NAME.get(name)
        assert "`{}`".format(spec.name) in readme, spec.name


def test_each_container_gets_exactly_the_variables_its_service_reads():
    """docker-compose.yml against the schema (the same check as ``make lint-compose``)."""
    from scripts import lint_compose

    assert lint_compose.problems() == []


# -- parsing -----------------------------------------------------------------------------------

def test_config_then_environment_then_default_and_types():
    env = {"GATEWAY_STREAM_MAX": "12", "GATEWAY_CORS_ORIGINS": "https://a.id, https://b.id"}
    assert settings.get({}, "GATEWAY_STREAM_MAX", env) == 12
    assert settings.get({"GATEWAY_STREAM_MAX": "7"}, "GATEWAY_STREAM_MAX", env) == 7
    assert settings.get({}, "GATEWAY_STREAM_MAX", {}) == 2000
    assert settings.get({}, "GATEWAY_CORS_ORIGINS", env) == ["https://a.id", "https://b.id"]
    assert settings.get({}, "NOTIFY_TEST_MODE", {"NOTIFY_TEST_MODE": "0"}) is False
    assert settings.get({}, "GATEWAY_CONNECTOR_SECRETS",
                        {"GATEWAY_CONNECTOR_SECRETS": "dinkes=k1, samsat=k2"}) == \
        {"dinkes": "k1", "samsat": "k2"}
    with pytest.raises(settings.SettingsError, match="GATEWAY_STREAM_MAX"):
        settings.get({}, "GATEWAY_STREAM_MAX", {"GATEWAY_STREAM_MAX": "many"})
    with pytest.raises(settings.SettingsError, match="not in the settings schema"):
        settings.get({}, "NO_SUCH_SETTING", {})


def test_nested_settings_from_json_or_pieces():
    pieces = {"WEBHOOK_CONNECTOR__AGENCIES__DINKES__URL": "https://si.dinkes.id/hook",
              "WEBHOOK_CONNECTOR__AGENCIES__DINKES__SECRET": "s" * 32,
              "WEBHOOK_CONNECTOR__TIMEOUT_SECONDS": "5"}
    assert settings.get({}, "WEBHOOK_CONNECTOR", pieces) == {
        "agencies": {"dinkes": {"url": "https://si.dinkes.id/hook", "secret": "s" * 32}},
        "timeout_seconds": "5"}
    as_json = {"PERMITS_STATUS_MAPPINGS": '{"dinkes": {"SELESAI": "approved"}}'}
    assert settings.get({}, "PERMITS_STATUS_MAPPINGS", as_json) == {
        "dinkes": {"SELESAI": "approved"}}
    # a connector the schema does not list (installed from the kit) reads its section too
    assert settings.section({}, "DINKES_CONNECTOR", {"DINKES_CONNECTOR__BASE_URL": "https://x"}) \
        == {"base_url": "https://x"}


def test_a_secret_from_a_mounted_file(tmp_path):
    secret = tmp_path / "jwt"
    secret.write_text("k" * 40 + "\n")
    assert settings.get({}, "GATEWAY_JWT_SECRET", {"GATEWAY_JWT_SECRET_FILE": str(secret)}) == \
        "k" * 40

