"""Test set-up shared by every layer.

eventlet must monkey-patch the standard library before anything else imports socket or
threading (nameko's pytest plugin no longer does it, and without it pytest hangs on the
first RPC), so this is the first thing pytest loads.
"""
import warnings

# eventlet 0.41 announces its own deprecation on import; nameko 2.14 has no other hub.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()

# socketserver picked its selector (poll) before the patch; the patched select module has no
# green poll, so servers built on socketserver (pytest-httpserver's werkzeug) would block the
# hub. The select-based selector is patched.
import selectors  # noqa: E402
import socketserver  # noqa: E402

socketserver._ServerSelector = selectors.SelectSelector

# What every service process installs at start (``services.common.boot``): tests build service
# containers from classes without running ``nameko run``, so the test process installs it too.
from services.common import boot  # noqa: E402

boot.install()

import os  # noqa: E402
import uuid  # noqa: E402

import pytest  # noqa: E402

MONGO_URI = os.environ.get("MONGO_URI", "mongodb://127.0.0.1:27017/?retryWrites=false")


@pytest.fixture(scope="session")
def mongo_client():
    """The real database. Unreachable means the test fails, loudly: it never skips."""
    from services.common.mongo import make_client

    client = make_client(MONGO_URI)
    try:
        client.admin.command("ping")
    except Exception as exc:  # noqa: BLE001
        pytest.fail("database not reachable at MONGO_URI={} ({}): run `make test`, which starts "
                    "it, or scripts/ferretdb.sh start".format(MONGO_URI, exc), pytrace=False)
    yield client
    client.close()


@pytest.fixture
def db_prefix(mongo_client):
    """A database prefix of this test's own; its databases are dropped afterwards."""
    prefix = "t{}".format(uuid.uuid4().hex[:10])
    yield prefix
    for name in mongo_client.list_database_names():
        if name.startswith(prefix + "_"):
            mongo_client.drop_database(name)


@pytest.fixture
def service_config(rabbit_config, db_prefix):
    """nameko config for services under test: a fresh vhost and fresh databases."""
    from services.common import config as cfg

    return cfg.load(
        AMQP_URI=rabbit_config["AMQP_URI"],
        MONGO_URI=MONGO_URI,
        MONGO_DB_PREFIX=db_prefix,
        MPP_IGNORE_OPENING_HOURS=1,
        WEB_SERVER_ADDRESS="127.0.0.1:{}".format(_free_port()),
        LOGGING={"version": 1, "disable_existing_loggers": False},
    )


@pytest.fixture
def web_session(service_config):
    """nameko's own fixture imports werkzeug.urls.url_join, gone in Werkzeug 3."""
    import requests

    base = "http://{}".format(service_config["WEB_SERVER_ADDRESS"])

    class Session(requests.Session):
        def request(self, method, url, *args, **kwargs):
            kwargs.setdefault("timeout", 30)
            return super().request(method, base + url, *args, **kwargs)

    with Session() as session:
        yield session


def _free_port():
    from nameko.testing.utils import find_free_port

    return find_free_port()



@pytest.fixture
def private_rabbit(tmp_path):
    """A RabbitMQ node of this test's own (``tests/e2e/private_infra``): a test may stop and
    start it; it is killed after the test whatever happens."""
    from tests.e2e.private_infra import PrivateRabbit

    yield from _owned(PrivateRabbit(tmp_path / "rabbitmq"))


@pytest.fixture
def private_ferretdb(tmp_path):
    """A FerretDB of this test's own, data under ``tmp_path``; likewise."""
    from tests.e2e.private_infra import PrivateFerretDB

    yield from _owned(PrivateFerretDB(tmp_path / "ferretdb"))


def _owned(infra):
    try:
        yield infra.start()
    finally:
        infra.close()
