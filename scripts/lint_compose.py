"""``make lint-compose``: docker-compose.yml checked against the settings schema, without an
engine (none exists on the CI machines).

``resolve(env_file)`` is what ``docker compose config`` does for this file: YAML with its
anchors and merge keys, and ``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``,
``${VAR:?message}``, ``${VAR?message}`` and ``$$`` interpolated from an env file (a required
variable that is unset or empty is an error, as compose makes it). ``problems()`` lists what is
wrong, one line each:

- a container of a service whose environment is not exactly the variables that service reads
  (``services/common/settings.py``; ``NAME_FILE`` stands for a secret ``NAME``);
- a secret given to a container whose service does not read it;
- an image without an exact version tag (``latest``, ``3``, ``7``: a rebuild must not change it),
  in compose or in the Dockerfile;
- a compose variable that ``.env.example`` does not mention;
- a service command that is not ``python -m scripts.serve <its service>``.
"""
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
VARIABLE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")
EXACT_TAG = re.compile(r"^[a-z0-9./_-]+:\d+\.\d+\.\d+[A-Za-z0-9.\-]*$")
OWN_IMAGE = "mpp-suite:latest"  # built from this repository by compose itself


class ComposeError(ValueError):
    pass


def read_env_file(path):
    """``NAME=value`` lines (comments and blanks skipped; values taken literally)."""
    env = {}
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, value = line.split("=", 1)
        env[name.strip()] = value
    return env


def interpolate(text, env):
    def one(match):
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group(1), match.group(2), match.group(3)
        value = env.get(name)
        empty = value is None or (op and op.startswith(":") and value == "")
        if op in (":-", "-"):
            return arg if empty else value
        if op in (":?", "?"):
            if empty:
                raise ComposeError("required variable {} is missing: {}".format(name, arg))
            return value
        return value or ""

    return VARIABLE.sub(one, text)


def _walk(node, env):
    if isinstance(node, dict):
        return {k: _walk(v, env) for k, v in node.items()}
    if isinstance(node, list):
        return [_walk(v, env) for v in node]
    if isinstance(node, str):
        return interpolate(node, env)
    return node


class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,
              yaml.composer.Composer, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
    """PyYAML's safe loader without what others add to ``yaml.SafeLoader`` (nameko's CLI
    adds its own ``${VAR:default}`` substitution there, which is not compose's)."""

    def __init__(self, stream):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)


def load(path=COMPOSE):
    return yaml.load(Path(path).read_text(), Loader=_Loader)  # noqa: S506 - a safe loader


def resolve(env, path=COMPOSE):
    """The compose document with every value interpolated from ``env`` (a dict)."""
    return _walk(load(path), env)


def variables(path=COMPOSE):
    return {m.group(1) for m in VARIABLE.finditer(Path(path).read_text()) if m.group(1)}


def app_services():
    from services.common import settings

    return {name.replace("_", "-"): name for name in settings.ALL}


def problems(path=COMPOSE):
    from services.common import settings

    out = []
    doc = load(path)
    services = doc.get("services", {})
    for container, service in app_services().items():
        spec = services.get(container)
        if spec is None:
            out.append("{}: missing".format(container))
            continue
        given = {name[:-5] if name.endswith("_FILE") else name for name in spec.get("environment") or {}}
        wanted = {s.name for s in settings.read_by(service)}
        for name in sorted(wanted - given):
            out.append("{}: does not get {}, which it reads".format(container, name))
        for name in sorted(given - wanted):
            out.append("{}: gets {}, which it does not read".format(container, name))
        if spec.get("command") != ["python", "-m", "scripts.serve", service]:
            out.append("{}: command is not python -m scripts.serve {}".format(container, service))
    for container, spec in services.items():
        image = spec.get("image", "")
        if image != OWN_IMAGE and not EXACT_TAG.match(image):
            out.append("{}: image {!r} has no exact version tag".format(container, image))
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("FROM "):
            image = line.split()[1]
            if not EXACT_TAG.match(image):
                out.append("Dockerfile: base image {!r} has no exact version tag".format(image))
    example = read_env_file(ENV_EXAMPLE)
    for name in sorted(variables(path) - set(example)):
        if not re.search(r"\$\{" + name + r":-", Path(path).read_text()):
            out.append("{} is required by docker-compose.yml but .env.example does not name it"
                       .format(name))
    return out


def main():
    found = problems()
    for line in found:
        print("lint-compose: " + line, file=sys.stderr)
    if not found:
        print("lint-compose: docker-compose.yml agrees with the settings schema")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
