"""What every service benchmark does around its measurement: one service started alone as its
own process (``scripts.suite.Suite``) on a database prefix and a RabbitMQ virtual host of its
own (durable queues other runs left bound to its exchanges would otherwise store every event
it publishes), both dropped afterwards whatever happened, and the time the figures were taken.

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


def _amqp_uri(base, vhost):
    """``base`` with its virtual host replaced by ``vhost``."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(base)
    return urlunsplit(parts._replace(path="/" + vhost))


@contextmanager
def own_vhost(env):
    """``env`` with ``AMQP_URI`` on a fresh virtual host (``bench_<6 hex>``), deleted after."""
    import requests

    from services.common import settings

    api = settings.get({}, "RABBIT_API_URI", env).rstrip("/")
    name = "bench_{}".format(uuid.uuid4().hex[:6])
    url = "{}/api/vhosts/{}".format(api, name)
    requests.put(url, timeout=10).raise_for_status()
    try:
        requests.put("{}/api/permissions/{}/guest".format(api, name),
                     json={"configure": ".*", "write": ".*", "read": ".*"},
                     timeout=10).raise_for_status()
        yield dict(env, AMQP_URI=_amqp_uri(settings.get({}, "AMQP_URI", env),
                                           name))
    finally:
        requests.delete(url, timeout=10)


@contextmanager
def service_alone(env, service, instances=1):
    """``service`` running alone (``instances`` processes of it) with ``env`` on a virtual
    host of its own; yields its config, drops its database after."""
    from scripts.suite import Suite

    with own_vhost(env) as env, \
            Suite(env=env, services=(service,), scale={service: instances}) as suite:
        config = suite.config()
        try:
            yield config
        finally:
            drop_database(config, service)
