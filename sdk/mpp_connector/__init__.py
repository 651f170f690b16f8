"""The MPP Suite connector kit: ``Connector``, ``Decision``, ``Pending`` and
``connector_service`` (see ``mpp_connector.service``); the contract test kit is
``mpp_connector.testing``."""
from mpp_connector.connector import Connector
from mpp_connector.vocabulary import (CANONICAL_STATUSES, Decision, Pending,
                                      UnknownAgencyStatus, map_status)

__all__ = ["CANONICAL_STATUSES", "Connector", "Decision", "Pending", "UnknownAgencyStatus",
           "connector_service", "map_status"]


def __getattr__(name):
    # nameko is imported only by who runs a service, not by the contract tests
    if name == "connector_service":
        from mpp_connector.service import connector_service

        return connector_service
    raise AttributeError(name)
