"""The whole suite started as separate processes, exactly as ``make run`` does."""
import os
import uuid

import pytest
from nameko.standalone.rpc import ClusterRpcProxy
from nameko.testing.utils import find_free_port

from scripts import load_catalogue
from scripts.suite import Suite
from tests.conftest import MONGO_URI

DEMO_PASSWORD = "demo-e2e-password"


@pytest.fixture(scope="session")
def e2e_env(request, rabbit_manager, mongo_client):
    vhost = "mpp_e2e_{}".format(uuid.uuid4().hex[:8])
    rabbit_manager.create_vhost(vhost)
    rabbit_manager.set_vhost_permissions(vhost, "guest", ".*", ".*", ".*")
    prefix = "e2e{}".format(uuid.uuid4().hex[:8])
    env = dict(os.environ)
    env.update({
        "AMQP_URI": "pyamqp://guest:guest@127.0.0.1:5672/{}".format(vhost),
        "MONGO_URI": MONGO_URI,
        "MONGO_DB_PREFIX": prefix,
        "GATEWAY_ADDRESS": "127.0.0.1:{}".format(find_free_port()),
        "MPP_IGNORE_OPENING_HOURS": "1",
        # every browser and client of the whole session comes from 127.0.0.1: the per-address
        # limits (tested on their own in tests/integration/gateway) are raised to a hall's size
        "GATEWAY_RATE_LIMIT_PER_MINUTE": "6000", "GATEWAY_RATE_LIMIT_BURST": "2000",
        "GATEWAY_STAFF_RATE_LIMIT_PER_MINUTE": "60000", "GATEWAY_STAFF_RATE_LIMIT_BURST": "20000",
        "GATEWAY_STREAM_MAX_PER_CLIENT": "2000",
    })
    # the links a citizen scans (survey after a visit, a permit's QR) open this suite's pages
    public = "http://" + env["GATEWAY_ADDRESS"]
    env.update({"FEEDBACK_SURVEY_URL": public + "/survey", "PERMITS_VERIFY_URL": public + "/verify"})
    yield env
    rabbit_manager.delete_vhost(vhost)
    for name in mongo_client.list_database_names():
        if name.startswith(prefix + "_"):
            mongo_client.drop_database(name)


@pytest.fixture(scope="session")
def suite(e2e_env, tmp_path_factory):
    """Every service as its own process, with the demo catalogue loaded."""
    running = Suite(env=e2e_env, log_dir=tmp_path_factory.mktemp("suite-logs"))
    running.start()
    try:
        with ClusterRpcProxy(running.config(), timeout=30) as rpc:
            load_catalogue.load(rpc, demo_password=DEMO_PASSWORD)
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def base_url(suite):
    return "http://{}".format(suite.env["GATEWAY_ADDRESS"])


@pytest.fixture(scope="session")
def cluster(suite):
    with ClusterRpcProxy(suite.config(), timeout=30) as rpc:
        yield rpc


# -- fault counts in the terminal summary ------------------------------------------------------
# Fault tests record their counts (sent, acknowledged, lost, duplicated, 503s…) as the
# ``fault_counts`` property; they are listed after the run whether or not -s was given.

_FAULT_COUNTS = []


def pytest_runtest_logreport(report):
    if report.when == "call":
        _FAULT_COUNTS.extend(value for name, value in report.user_properties
                             if name == "fault_counts")


def pytest_terminal_summary(terminalreporter):
    if _FAULT_COUNTS:
        terminalreporter.section("fault counts")
        for line in _FAULT_COUNTS:
            terminalreporter.write_line(line)
