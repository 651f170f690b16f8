"""Infrastructure every service shares: config, the Mongo provider and its unique-insert
helpers, events, errors, clock, broker, logs, metrics.

Importing it has no side effect: a service process installs what it needs by calling
``services.common.boot.install()`` (see there).
"""
