"""Pure foundation pieces: the event envelope, errors over the RPC wire, problem mapping."""
import json
from datetime import datetime, timezone

import pytest
from kombu.exceptions import OperationalError
from nameko.exceptions import RemoteError, deserialize, serialize
from pymongo.errors import AutoReconnect, ServerSelectionTimeoutError

from services.common import clock as clk
from services.common.errors import (Conflict, IllegalTransition, NotFound, Unavailable,
                                    ValidationFailed)
from services.common.events import envelope
from services.gateway import calls, problems


def test_envelope_carries_id_time_version_and_payload():
    fixed = clk.FixedClock(datetime(2026, 11, 28, 1, 2, 3, tzinfo=timezone.utc))
    event = envelope({"ticket_id": "t1"}, version=2, clock=fixed)
    assert event["occurred_at"] == "2026-11-28T01:02:03Z"
    assert event["version"] == 2 and event["ticket_id"] == "t1"
    assert len(event["event_id"]) == 32
    assert envelope({})["event_id"] != envelope({})["event_id"]


@pytest.mark.parametrize("error", [
    NotFound("Tiket tidak ditemukan / Ticket not found", {"ticket_id": "x"}),
    ValidationFailed("Data tidak valid / Invalid data", {"fields": {"phone": ["bad"]}}),
    IllegalTransition("Loket tutup / Counter is closed"),
])
def test_domain_errors_cross_rpc_as_themselves(error):
    wire = json.loads(json.dumps(serialize(error)))  # what nameko ships between services
    back = deserialize(wire)
    assert type(back) is type(error)
    assert back.message == error.message and back.details == error.details


@pytest.mark.parametrize("error, status", [
    (NotFound("x"), 404), (ValidationFailed("x", {"fields": {"a": ["b"]}}), 422),
    (Conflict("x"), 409), (IllegalTransition("x"), 409),
])
def test_problem_json_status_and_body(error, status):
    response = problems.from_exception(error)
    body = json.loads(response.get_data())
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert body["status"] == status and body["detail"] == "x"
    if status == 422:
        assert body["errors"] == {"a": ["b"]}


def test_unexpected_error_is_a_500_without_the_trace():
    response = problems.from_exception(KeyError("secret internals"))
    body = json.loads(response.get_data())
    assert response.status_code == 500
    assert "secret internals" not in response.get_data(as_text=True)
    assert "reference" in body


def test_local_day_resets_at_wib_midnight_not_utc():
    before = datetime(2026, 11, 27, 16, 59, tzinfo=timezone.utc)  # 23:59 WIB
    after = datetime(2026, 11, 27, 17, 1, tzinfo=timezone.utc)    # 00:01 WIB next day
    assert clk.local_day(before).isoformat() == "2026-11-27"
    assert clk.local_day(after).isoformat() == "2026-11-28"


@pytest.mark.parametrize("error", [
    RemoteError("ServerSelectionTimeoutError", "127.0.0.1:27017: [Errno 111] refused"),
    RemoteError("AutoReconnect", "connection closed"),
    RemoteError("OperationalError", "[Errno 104] Connection reset by peer"),
    AutoReconnect("the gateway's own database"),
    ServerSelectionTimeoutError("no servers"),
    OperationalError("the broker is unreachable"),
    ConnectionResetError(104, "Connection reset by peer"),
])
def test_a_dependency_that_is_down_is_a_503_with_retry_after(error):
    response = problems.from_exception(error)
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"].isdigit()
    assert json.loads(response.get_data())["status"] == 503


def test_a_service_call_whose_database_is_down_raises_unavailable():
    def issue():
        raise RemoteError("ServerSelectionTimeoutError", "no servers")

    with pytest.raises(Unavailable) as err:
        calls.call(issue, timeout=1)
    assert err.value.details["reason"] == "dependency"
    response = problems.from_exception(err.value)
    assert response.status_code == 503 and response.headers["Retry-After"].isdigit()


def test_a_remote_bug_is_still_a_500():
    def broken():
        raise RemoteError("KeyError", "'x'")

    with pytest.raises(RemoteError):
        calls.call(broken, timeout=1)
    assert problems.from_exception(RemoteError("KeyError", "'x'")).status_code == 500
