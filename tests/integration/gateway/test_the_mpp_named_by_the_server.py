"""Pages name the mall and tell its time from the server, never from their own text: the
catalogue answer carries the MPP's configured name and zone."""
import pytest


@pytest.fixture
def gateway_config(gateway_config):
    return dict(gateway_config, MPP_NAME="MPP Kota Palangka Raya", MPP_TIMEZONE="Asia/Jakarta")


def test_the_catalogue_names_the_mpp_as_configured(api):
    answer = api.get("/api/v1/agencies").json()
    assert answer["mpp"] == {"name": "MPP Kota Palangka Raya", "timezone": "Asia/Jakarta"}
    assert answer["timezone"] == "Asia/Jakarta"
