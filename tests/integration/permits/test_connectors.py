"""Connectors as their own services: a connector that was down catches up; the webhook agency
gets a signed POST, and a failing agency suspends the connector with an event."""
import json
import time

import eventlet
from nameko.events import BROADCAST, event_handler
from nameko.standalone.rpc import ClusterRpcProxy

from services.permits.connectors import webhook
from services.permits.connectors.sdk import Connector, connector_service
from services.permits.connectors.simulated import SimulatedConnector
from services.permits.connectors.vocabulary import Decision, Pending
from tests.integration.permits.conftest import filing, staff, wait_state
from tests.support import wait_for


def test_connector_never_run_when_forwarded_receives_it_when_started(runner_factory, config,
                                                                     permits):
    app_id = permits.permits.file_application(filing("pbg"))["application_id"]
    for action in ("start_intake", "accept", "forward"):
        staff(permits, app_id, action)
    eventlet.sleep(0.5)
    assert permits.permits.get_application(app_id, "dpmptsp")["state"] == "in_process"
    runner_factory(config, SimulatedConnector).start()  # deployed after the forward
    wait_state(permits, app_id, "approval_1")


def test_connector_down_when_forwarded_receives_it_when_back(runner_factory, config, permits):
    first = runner_factory(config, SimulatedConnector)
    first.start()
    first.stop()
    app_id = permits.permits.file_application(filing("pbg"))["application_id"]
    for action in ("start_intake", "accept", "forward"):
        staff(permits, app_id, action)
    eventlet.sleep(0.5)
    assert permits.permits.get_application(app_id, "dpmptsp")["state"] == "in_process"
    runner_factory(config, SimulatedConnector).start()  # a new container
    wait_state(permits, app_id, "approval_1")


def test_simulated_rules_return_for_correction(runner_factory, config, permits, events):
    runner_factory(config, SimulatedConnector).start()
    data = filing("pbg")
    data["form"]["floors"] = 12
    filed = permits.permits.file_application(data)
    for action in ("start_intake", "accept", "forward"):
        staff(permits, filed["application_id"], action)
    wait_state(permits, filed["application_id"], "returned")
    returned = wait_for(lambda: events["application_returned"], message="returned event")[0]
    assert "struktur" in returned["reason"]
    public = permits.permits.get_application_public(filed["tracking_code"], filed["pin"])
    assert public["sla"]["mode"] == "paused"


class Flaky(Connector):
    """Fails twice, then asks to be polled, then decides."""

    name = "flaky"
    calls = []

    def process(self, application):
        Flaky.calls.append(application["application_id"])
        if len(Flaky.calls) <= 2:
            raise RuntimeError("agency system timeout")
        if len(Flaky.calls) == 3:
            return Pending("in_review", retry_after_seconds=0.2)
        return Decision("approved", reference="FL-1")


FlakyService = connector_service(Flaky, retry_interval=0.1)


def test_sdk_retries_polls_and_decides_once(runner_factory, config, permits, pdb):
    Flaky.calls.clear()
    version = dict(filing("sip"))
    permits.permits.upsert_permit_type({
        "permit_type_id": "sip-flaky", "version": 1, "agency": "dpmptsp",
        "name": "SIP (flaky agency)", "effective_from": "2026-01-01", "sla_working_days": 5,
        "fee": 0, "approval_levels": 1, "connector": "flaky",
        "requirements": [{"kind": "ktp", "name": "KTP"}],
        "form": [{"name": "str_number", "type": "string", "required": True, "label": "STR"}]})
    runner_factory(config, FlakyService).start()
    app_id = permits.permits.file_application(dict(version, permit_type_id="sip-flaky"))[
        "application_id"]
    for action in ("start_intake", "accept", "forward"):
        staff(permits, app_id, action)
    wait_state(permits, app_id, "approval_1")
    assert len(Flaky.calls) == 4
    view = permits.permits.get_application(app_id, "dpmptsp")
    assert view["connector_status"]["status"] == "approved"  # the agency side, decided
    assert [e["action"] for e in permits.permits.history(app_id)].count("agency_approve") == 1


class SuspensionWatcher:
    name = "suspension_watcher"
    seen = []

    @event_handler("connector_webhook", "connector_suspended", handler_type=BROADCAST,
                   reliable_delivery=False)
    def on_suspended(self, event):
        SuspensionWatcher.seen.append(event)


def test_webhook_posts_signed_and_suspends_after_failures(runner_factory, config, permits,
                                                          httpserver):
    received = []

    def agency(request):
        received.append(request)
        from werkzeug.wrappers import Response
        return Response(json.dumps({"reference": "REK-9"}), status=202,
                        content_type="application/json")

    httpserver.expect_request("/mpp").respond_with_handler(agency)
    secret = "agency-shared-secret"
    hooks = dict(config, WEBHOOK_CONNECTOR={"agencies": {"dpmptsp": {
        "url": httpserver.url_for("/mpp"), "secret": secret}}, "timeout_seconds": 2})
    runner_factory(hooks, webhook.WebhookConnector, SuspensionWatcher).start()
    app_id = permits.permits.file_application(filing("reklame"))["application_id"]
    for action in ("start_intake", "accept", "forward"):
        staff(permits, app_id, action)
    wait_for(lambda: received, message="the agency to receive the POST")
    request = received[0]
    body = request.get_data(as_text=True)
    assert webhook.verify(secret, request.headers["X-MPP-Timestamp"], body,
                          request.headers["X-MPP-Signature"])
    assert not webhook.verify("another-secret", request.headers["X-MPP-Timestamp"], body,
                              request.headers["X-MPP-Signature"])
    assert json.loads(body)["application_id"] == app_id
    wait_for(lambda: (permits.permits.get_application(app_id, "dpmptsp")["connector_status"]
                      or {}).get("reference") == "REK-9", message="received status")

    # the agency answers later through the gateway's callback (signature checked there)
    result = permits.permits.record_decision("dpmptsp", {
        "application_id": app_id, "decision_id": "rek-9-final", "status": "approved"})
    assert result["applied"] and result["state"] == "approval_1"

    # now the agency's server fails: retries, then suspension and an event
    httpserver.clear()
    httpserver.expect_request("/mpp").respond_with_data("down", status=503)
    SuspensionWatcher.seen.clear()
    second = permits.permits.file_application(filing("reklame"))["application_id"]
    for action in ("start_intake", "accept", "forward"):
        staff(permits, second, action)
    suspended = wait_for(lambda: SuspensionWatcher.seen, timeout=20, message="suspension")
    assert suspended[0]["application_id"] == second and suspended[0]["attempts"] >= 4
    with ClusterRpcProxy(hooks) as cluster:
        # the agency is suspended, not the connector: other agencies go on
        status = cluster.connector_webhook.status()
        assert status["agencies"]["dpmptsp"]["state"] == "suspended"
        assert status["state"] == "running"
        httpserver.clear()
        httpserver.expect_request("/mpp").respond_with_data("{}", status=200)
        resumed = cluster.connector_webhook.resume("dpmptsp")
        assert resumed["resumed"] == 1 and resumed["state"] == "running"
        wait_for(lambda: (permits.permits.get_application(second, "dpmptsp")[
            "connector_status"] or {}).get("status") == "received", message="resumed delivery")
        wait_for(lambda: "dpmptsp" not in cluster.connector_webhook.status()["agencies"],
                 message="nothing held for the agency")


def test_signature_scheme():
    stamp = str(int(time.time()))
    signature = webhook.sign("s3cret", stamp, '{"a":1}')
    assert signature.startswith("sha256=") and len(signature) == 71
    assert webhook.verify("s3cret", stamp, b'{"a":1}', signature)
    assert not webhook.verify("s3cret", stamp, '{"a":2}', signature)
    assert not webhook.verify("s3cret", str(int(stamp) - 3600), '{"a":1}',
                              webhook.sign("s3cret", str(int(stamp) - 3600), '{"a":1}'))
