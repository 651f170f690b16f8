"""Hostile input the fuzzer does not think of, each once a 500 or a silent acceptance: it
must be a 4xx problem+json (with field messages for a 422) and change nothing."""
import time

from tests.integration.gateway.helpers import CONNECTOR_SECRET, assert_problem, bearer

JSON = {"Content-Type": "application/json"}


def test_json_nested_too_deep_is_malformed_not_a_crash(api):
    deep = "[" * 5000 + "]" * 5000
    assert_problem(api.post("/api/v1/tickets", data=deep, headers=JSON), 400)
    assert api.get("/api/v1/queues/samsat-pkb").json()["waiting"] == 0


def test_a_taken_ticket_prefix_is_a_conflict_and_no_service_appears(api):
    admin = bearer(api, "admin")
    taken = {"id": "samsat-new", "agency": "samsat", "prefix": "H", "name": "Baru"}
    assert_problem(api.put("/api/v1/admin/services", json=taken, headers=admin), 409)
    assert_problem(api.get("/api/v1/services/samsat-new"), 404)
    # changing an existing service to a taken prefix is refused the same way
    assert_problem(api.put("/api/v1/admin/services", json=dict(taken, id="samsat-bbn"),
                           headers=admin), 409)
    assert api.get("/api/v1/services/samsat-bbn").json()["prefix"] == "J"


def test_a_connector_timestamp_too_large_for_a_clock_is_a_bad_signature(api):
    response = api.post("/api/v1/connectors/dpmptsp/callbacks", data="{}", headers={
        "Content-Type": "application/json", "X-MPP-Timestamp": "1" * 400,
        "X-MPP-Signature": "sha256=" + "0" * 64})
    assert_problem(response, 401)
    stale = api.post("/api/v1/connectors/dpmptsp/callbacks", data="{}", headers={
        "Content-Type": "application/json", "X-MPP-Timestamp": str(int(time.time()) - 10**6),
        "X-MPP-Signature": "sha256=" + "0" * 64})
    assert_problem(stale, 401)
    assert CONNECTOR_SECRET  # the agency is configured: refused for the signature alone


def test_accounts_api_keys_and_permit_types_need_an_agency_that_exists(api):
    admin = bearer(api, "admin")
    account = {"username": "ghost.officer", "password": "long-enough-1", "role": "officer",
               "agency": "no-such-agency"}
    refused = assert_problem(api.post("/api/v1/admin/accounts", json=account, headers=admin),
                             422)
    assert "agency" in refused["errors"]
    usernames = [a["username"] for a in api.get("/api/v1/admin/accounts",
                                                 headers=admin).json()["accounts"]]
    assert "ghost.officer" not in usernames
    key = assert_problem(api.post("/api/v1/admin/api-keys", json={"agency": "no-such-agency"},
                                  headers=admin), 422)
    assert "agency" in key["errors"]
    assert api.get("/api/v1/admin/api-keys", headers=admin).json()["api_keys"] == []
    permit_type = {"permit_type_id": "ghost", "version": 1, "agency": "no-such-agency",
                   "name": "Izin Hantu", "effective_from": "2026-01-01", "sla_working_days": 1,
                   "fee": 0, "connector": "manual"}
    refused = assert_problem(api.put("/api/v1/admin/permit-types", json=permit_type,
                                     headers=admin), 422)
    assert "agency" in refused["errors"]
    assert "ghost" not in [p["id"] for p in api.get("/api/v1/permit-types").json()[
        "permit_types"]]
