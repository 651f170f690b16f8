"""The suite's connectors run on the connector kit (``sdk/``, import ``mpp_connector``), the
same package an agency's integrator installs; this module only adds what the suite's own
processes share (boot, health and metrics RPCs).

Write a connector with ``mpp_connector`` (see the README's "Connectors" and
``examples/pdam``); the suite's ``simulated``, ``manual`` and ``webhook`` connectors are built
with ``connector_service`` below.
"""
from mpp_connector import Connector  # noqa: F401
from mpp_connector import service as kit
from mpp_connector.engine import DEFAULTS  # noqa: F401
from mpp_connector.service import subscription  # noqa: F401

from services.common import boot, settings
from services.common.health import HealthMixin

boot.install()


def connector_service(connector_class, service_name=None, retry_interval=1.0,
                      report_interval=None):
    """The kit's service with the suite's health/metrics mixin (``metrics`` RPC, entrypoint
    counters, correlation ids)."""
    return kit.connector_service(_configured(connector_class), service_name, retry_interval,
                                 report_interval, bases=(HealthMixin,))


def _configured(connector_class):
    """The connector's own section ``<NAME>_CONNECTOR`` may also come from the environment
    (JSON, or ``<NAME>_CONNECTOR__KEY__SUB=…``: ``services.common.settings.section``)."""

    class Configured(connector_class):
        def __init__(self, config):
            key = "{}_CONNECTOR".format(self.name.upper())
            if not config.get(key):
                config = dict(config, **{key: settings.section(config, key)})
            super().__init__(config)

    Configured.__name__ = Configured.__qualname__ = connector_class.__name__
    return Configured
