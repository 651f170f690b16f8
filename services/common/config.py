"""Configuration: ``config/nameko.yaml`` holds the defaults, the environment overrides them.

The same file is what ``nameko run --config config/nameko.yaml`` reads (docker compose, the
run script), so there is exactly one place where a default lives. ``load()`` reads it with
nameko's own ``${VAR:default}`` substitution for scripts, tests and benchmarks.
"""
import os
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONFIG_FILE = ROOT / "config" / "nameko.yaml"


def _truthy(value):
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def load(path=CONFIG_FILE, **overrides):
    """The nameko config dict, as ``nameko run`` would build it, plus ``overrides``."""
    from nameko.cli.main import setup_yaml_parser

    setup_yaml_parser()
    with open(path) as handle:
        config = yaml.safe_load(handle)
    config.update(overrides)
    return config


def database_name(config, service_name):
    """A database per service: no service reads another's collections."""
    return "{}_{}".format(config.get("MONGO_DB_PREFIX", "mpp"), service_name)


def timezone_name(config):
    return config.get("MPP_TIMEZONE") or "Asia/Jakarta"


def ignore_opening_hours(config):
    return _truthy(config.get("MPP_IGNORE_OPENING_HOURS", os.environ.get("MPP_IGNORE_OPENING_HOURS", 0)))
