"""Configuration: the nameko config file plus the one settings schema (``settings``).

``config/nameko.yaml`` holds only what nameko itself reads (the broker, the gateway's address,
workers, logging) and the database URI, each with the schema's default; every other setting is
read by ``settings.get(config, NAME)`` from the config, else the environment, else the schema's
default (``services/common/settings.py``). ``load()`` builds the dict ``nameko run`` would, plus
every schema setting the environment sets, for scripts, tests and benchmarks.
"""
import os
from pathlib import Path

import yaml

from services.common import settings

ROOT = Path(__file__).resolve().parents[2]
CONFIG_FILE = ROOT / "config" / "nameko.yaml"


def load(path=CONFIG_FILE, **overrides):
    """The nameko config dict, as ``nameko run`` would build it, the schema's settings the
    environment sets, and ``overrides``."""
    from nameko.cli.main import setup_yaml_parser

    setup_yaml_parser()
    with open(path) as handle:
        config = yaml.safe_load(handle)
    for spec in settings.SCHEMA:
        if spec.key not in config and settings.raw({}, spec.name, os.environ) is not None:
            config[spec.key] = settings.raw({}, spec.name, os.environ)
    config.update(overrides)
    return config


def database_name(config, service_name):
    """A database per service: no service reads another's collections."""
    return "{}_{}".format(settings.get(config, "MONGO_DB_PREFIX"), service_name)


def timezone_name(config):
    return settings.get(config, "MPP_TIMEZONE")


def ignore_opening_hours(config):
    return settings.get(config, "MPP_IGNORE_OPENING_HOURS")
