"""The error statuses the gateway's OpenAPI document derives from a route's declaration."""
import pytest

from services.gateway.openapi import problem_statuses


@pytest.mark.parametrize("route, statuses", [
    ({"method": "GET", "url": "/healthz"}, ["422", "503"]),
    ({"method": "GET", "url": "/api/v1/counters/<string:counter_id>", "auth": "staff"},
     ["401", "403", "404", "422", "503"]),
    ({"method": "POST", "url": "/api/v1/auth/login", "public": True, "body": object,
      "problems": (401,)}, ["400", "401", "409", "413", "415", "422", "429", "503"]),
])
def test_problem_statuses_follow_the_declaration(route, statuses):
    assert problem_statuses(route) == statuses
