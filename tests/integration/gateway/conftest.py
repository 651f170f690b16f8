"""The gateway with the real services in nameko containers (one process, real broker and
database), a small two-agency catalogue and the demo staff accounts."""
import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from tests.integration.gateway.helpers import CATALOGUE, CONNECTOR_SECRET, PASSWORD


@pytest.fixture
def gateway_config(service_config):
    config = dict(service_config)
    config.update(GATEWAY_JWT_SECRET="test-secret-" + "x" * 32,
                  GATEWAY_CONNECTOR_SECRETS={"dpmptsp": CONNECTOR_SECRET},
                  GATEWAY_RATE_LIMIT_PER_MINUTE=6000, GATEWAY_RATE_LIMIT_BURST=2000,
                  GATEWAY_STAFF_RATE_LIMIT_PER_MINUTE=60000,
                  GATEWAY_STAFF_RATE_LIMIT_BURST=20000,
                  # the live-update test holds hundreds of streams from one address
                  GATEWAY_STREAM_MAX_PER_CLIENT=2000)
    return config


@pytest.fixture
def suite(start_suite, gateway_config):
    runner = start_suite(gateway_config, CATALOGUE)
    with ServiceRpcProxy("gateway", gateway_config) as gateway:
        gateway.ensure_demo_accounts(["samsat", "dpmptsp"], PASSWORD)
    return runner


@pytest.fixture
def api(suite, web_session):
    return web_session

