"""The gateway's authorization rules and the error statuses its OpenAPI document derives."""
import pytest

from services.common.errors import Forbidden, Unauthorized
from services.gateway import auth
from services.gateway.openapi import problem_statuses

SUPERVISOR = auth.Principal("samsat.supervisor", "supervisor", "samsat")
ADMIN = auth.Principal("admin", "admin")


def test_require_owner_checks_what_is_written_and_what_is_there():
    assert auth.require_owner(SUPERVISOR, auth.SUPERVISORS, "samsat") is SUPERVISOR
    assert auth.require_owner(SUPERVISOR, auth.SUPERVISORS, "samsat", "samsat") is SUPERVISOR
    with pytest.raises(Forbidden):  # taking over another agency's thing
        auth.require_owner(SUPERVISOR, auth.SUPERVISORS, "samsat", "dpmptsp")
    with pytest.raises(Forbidden):  # creating one for another agency
        auth.require_owner(SUPERVISOR, auth.SUPERVISORS, "dpmptsp")
    assert auth.require_owner(ADMIN, auth.SUPERVISORS, "samsat", "dpmptsp") is ADMIN
    with pytest.raises(Unauthorized):
        auth.require_owner(None, auth.SUPERVISORS, "samsat")


@pytest.mark.parametrize("route, statuses", [
    ({"method": "GET", "url": "/healthz"}, ["422", "503"]),
    ({"method": "GET", "url": "/api/v1/counters/<string:counter_id>", "auth": "staff"},
     ["401", "403", "404", "422", "503"]),
    ({"method": "POST", "url": "/api/v1/auth/login", "public": True, "body": object,
      "problems": (401,)}, ["400", "401", "409", "413", "415", "422", "429", "503"]),
])
def test_problem_statuses_follow_the_declaration(route, statuses):
    assert problem_statuses(route) == statuses
