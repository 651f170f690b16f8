"""What every service benchmark does around its measurement: one service started alone as its
own process (``scripts.suite.Suite``) on a database prefix of its own, that service's database
dropped afterwards whatever happened, and the time the figures were taken.

    env = dict(env, MONGO_DB_PREFIX=database_prefix(), ...)
    with service_alone(env, "permits") as config:
        result = _run(config, ...)
    return dict(result, database_prefix=env["MONGO_DB_PREFIX"], measured_at=measured_at())

Imports of the suite and the services stay inside the functions, as in the benchmarks, so
``bench.baseline`` can monkey-patch eventlet before any of them loads.
"""
import time
import uuid
from contextlib import contextmanager


def database_prefix():
    """A fresh ``MONGO_DB_PREFIX`` (``bench<6 hex>``): runs never see each other's data."""
    return "bench{}".format(uuid.uuid4().hex[:6])


def measured_at():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def drop_database(config, service):
    """Drop ``service``'s database (under ``config``'s prefix)."""
    from services.common.config import database_name
    from services.common.mongo import make_client

    client = make_client(config["MONGO_URI"])
    try:
        client.drop_database(database_name(config, service))
    finally:
        client.close()


@contextmanager
def service_alone(env, service, instances=1):
    """``service`` running alone (``instances`` processes of it) with ``env``; yields its
    config, drops its database after."""
    from scripts.suite import Suite

    with Suite(env=env, services=(service,), scale={service: instances}) as suite:
        config = suite.config()
        try:
            yield config
        finally:
            drop_database(config, service)
