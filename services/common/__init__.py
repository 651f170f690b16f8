"""Shared building blocks: config, Mongo provider, events, errors, clock.

Importing the package makes a lost broker connection non-fatal to a service
(``broker.install``) and keeps a worker's refusals (404, 422 ...) out of the ERROR log
(``logs.install``): every service imports it before its container starts.
"""
from services.common import broker as _broker
from services.common import logs as _logs

_broker.install()
_logs.install()
