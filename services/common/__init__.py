"""Shared building blocks: config, Mongo provider, events, errors, clock.

Importing the package makes a lost broker connection non-fatal to a service
(``broker.install``): every service imports it before its container starts.
"""
from services.common import broker as _broker

_broker.install()
