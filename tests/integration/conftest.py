import pytest


@pytest.fixture(autouse=True)
def _real_parts(mongo_client, rabbit_manager):
    """Integration tests need the real broker (management API) and the real database."""
    try:
        rabbit_manager.get_connections()
    except Exception as exc:  # noqa: BLE001
        pytest.fail("RabbitMQ management API not reachable ({}): run `make test`, which starts it"
                    .format(exc), pytrace=False)
