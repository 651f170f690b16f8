import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from services.feedback.service import FeedbackService
from services.gateway.service import GatewayService
from services.notifications.service import NotificationsService
from services.permits.service import PermitsService
from services.standards.service import StandardsService
from services.ticketing.service import TicketingService


@pytest.fixture(autouse=True)
def _real_parts(mongo_client, rabbit_manager):
    """Integration tests need the real broker (management API) and the real database."""
    try:
        rabbit_manager.get_connections()
    except Exception as exc:  # noqa: BLE001
        pytest.fail("RabbitMQ management API not reachable ({}): run `make test`, which starts it"
                    .format(exc), pytrace=False)


@pytest.fixture
def start_suite(runner_factory):
    """``start_suite(config, catalogue)``: every service (ticketing, notifications, permits,
    feedback, standards, gateway) in one runner on ``config``, with ``catalogue`` loaded into ticketing and permits,
    as ``make run`` does; returns the runner."""
    def start(config, catalogue):
        runner = runner_factory(config, TicketingService, NotificationsService,
                                PermitsService, FeedbackService, StandardsService,
                                GatewayService)
        runner.start()
        with ServiceRpcProxy("ticketing", config) as ticketing:
            ticketing.load_catalogue(catalogue)
        with ServiceRpcProxy("permits", config) as permits:
            permits.load_catalogue(catalogue)
        return runner
    return start
