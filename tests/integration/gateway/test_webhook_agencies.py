"""An agency joins at runtime: an admin sets its webhook (URL, timeout) through the API, gets
the shared secret once (stored sealed), and with no process restarted the running webhook
connector forwards the agency's applications there, signed with that secret, and the
gateway accepts the agency's callbacks signed with it. The agency has its own state: its
server failing suspends ``webhook@<agency>`` alone, and it is resumed alone."""
import json
import uuid

import pytest
from cryptography.fernet import Fernet
from werkzeug.wrappers import Response

from services.common import signing
from services.permits.connectors.webhook import WebhookConnector
from tests.integration.gateway.helpers import (assert_problem, bearer, documented,
                                               file_reklame)
from tests.support import wait_for

KEY = Fernet.generate_key().decode()


@pytest.fixture
def gateway_config(service_config):
    """No callback secret in the environment: the agency's comes from the admin API."""
    return dict(service_config, GATEWAY_JWT_SECRET="test-secret-" + "x" * 32,
                GATEWAY_RATE_LIMIT_PER_MINUTE=6000, GATEWAY_RATE_LIMIT_BURST=2000,
                CONNECTOR_SECRETS_KEY=KEY, CONNECTOR_INLINE_ATTEMPTS=2,
                CONNECTOR_BACKOFF_SECONDS=0.05, CONNECTOR_MAX_ATTEMPTS=4,
                CONNECTOR_MAX_BACKOFF_SECONDS=0.2)


def forward(api, app_id):
    officer = bearer(api, "dpmptsp.officer")
    for action in ("start_intake", "accept", "forward"):
        acted = api.post("/api/v1/applications/by-id/{}/actions".format(app_id),
                         json={"action": action}, headers=officer)
        assert acted.status_code == 200, acted.text


def test_a_webhook_agency_joins_and_runs_without_a_restart(api, gateway_config, runner_factory,
                                                           httpserver, mongo_client, db_prefix):
    received = []

    def agency(request):
        received.append(request)
        return Response(json.dumps({"reference": "REK-1"}), status=202,
                        content_type="application/json")

    httpserver.expect_request("/mpp").respond_with_handler(agency)
    runner_factory(gateway_config, WebhookConnector).start()    # before the agency exists
    admin = bearer(api, "admin")
    url = "/api/v1/admin/webhook-agencies/dpmptsp"

    bad = assert_problem(api.put(url, json={"url": "not a url"}, headers=admin), 422)
    assert "url" in bad["errors"]
    assert api.get("/api/v1/admin/webhook-agencies", headers=admin).json()["agencies"] == []
    assert_problem(api.put(url, json={"url": httpserver.url_for("/mpp")},
                           headers=bearer(api, "dpmptsp.supervisor")), 403)

    created = documented(api.put(url, json={"url": httpserver.url_for("/mpp"),
                                            "timeout_seconds": 3}, headers=admin))
    secret = created["secret"]
    assert created["secret_shown_once"] and created["secret_hint"].endswith(secret[-4:])
    listed = documented(api.get("/api/v1/admin/webhook-agencies", headers=admin))["agencies"]
    assert [a["agency"] for a in listed] == ["dpmptsp"]
    assert secret not in json.dumps(listed) and "secret_sealed" not in listed[0]
    stored = mongo_client[db_prefix + "_permits"].webhook_agencies.find_one({"_id": "dpmptsp"})
    assert secret not in json.dumps(stored, default=str)           # sealed at rest
    again = api.put(url, json={"url": httpserver.url_for("/mpp"), "status_mapping": {
        "SELESAI": "approved", "PROSES": "in_review"}}, headers=admin)
    assert "secret" not in documented(again)                      # shown once only
    clash = api.put(url, json={"url": httpserver.url_for("/mpp"), "status_mapping": {
        "ok": "approved", "OK": "rejected"}}, headers=admin)
    assert "status_mapping" in assert_problem(clash, 422)["errors"]

    # the running connector forwards there, signed with the new secret
    filed = file_reklame(api, uuid.uuid4().hex)
    forward(api, filed["application_id"])
    wait_for(lambda: received, message="the agency to receive the application")
    body = received[0].get_data()
    assert signing.check(secret, received[0].headers[signing.TIMESTAMP_HEADER], body,
                         received[0].headers[signing.SIGNATURE_HEADER]) is None

    # the agency's callback, signed with the same secret, is accepted by the gateway, in the
    # agency's own words as mapped with its webhook
    def signed(payload):
        raw = json.dumps(payload).encode()
        return api.post("/api/v1/connectors/dpmptsp/callbacks", data=raw, headers=dict(
            signing.signature_headers(secret, raw), **{"Content-Type": "application/json"}))

    unmapped = signed({"application_id": filed["application_id"], "decision_id": "rek-1-x",
                       "agency_status": "ANEH"})
    assert "status" in assert_problem(unmapped, 422)["errors"]
    decision = json.dumps({"application_id": filed["application_id"],
                           "decision_id": "rek-1-final", "agency_status": " selesai "}).encode()
    callback = api.post("/api/v1/connectors/dpmptsp/callbacks", data=decision, headers=dict(
        signing.signature_headers(secret, decision), **{"Content-Type": "application/json"}))
    assert callback.status_code == 200, callback.text
    assert callback.json()["applied"] and callback.json()["status"] == "approved"
    forged = api.post("/api/v1/connectors/dpmptsp/callbacks", data=decision, headers=dict(
        signing.signature_headers("guess", decision), **{"Content-Type": "application/json"}))
    assert assert_problem(forged, 401)["details"]["reason"] == "bad_signature"

    # its server fails: this agency alone is suspended, and resumed alone
    httpserver.clear()
    httpserver.expect_request("/mpp").respond_with_data("down", status=503)
    second = file_reklame(api, uuid.uuid4().hex)
    forward(api, second["application_id"])

    def units():
        answer = api.get("/api/v1/admin/connectors", headers=admin).json()["connectors"]
        return {c["name"]: c for c in answer}

    wait_for(lambda: units().get("webhook@dpmptsp", {}).get("state") == "suspended",
             timeout=30, message="the agency's suspension")
    assert units()["webhook"]["state"] == "running"
    assert "503" in units()["webhook@dpmptsp"]["reason"]
    assert 'mpp_connector_state{connector="webhook@dpmptsp",state="suspended"} 1.0' in \
        api.get("/metrics").text
    httpserver.clear()
    httpserver.expect_request("/mpp").respond_with_handler(agency)
    resumed = api.post("/api/v1/admin/connectors/webhook@dpmptsp/resume",
                       headers=bearer(api, "dpmptsp.supervisor"))
    assert resumed.status_code == 200, resumed.text
    assert resumed.json()["state"] == "running" and resumed.json()["resumed"] == 1
    wait_for(lambda: len(received) == 2, message="the parked application delivered")


