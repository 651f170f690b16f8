"""What operations read off the gateway: the request id every answer carries (and the logs
share), and every service's Prometheus metrics in one scrape."""
import re

from prometheus_client.parser import text_string_to_metric_families


def test_every_answer_carries_the_request_id(api):
    mine = api.get("/api/v1/agencies", headers={"X-Request-Id": "kiosk-7-000123"})
    assert mine.status_code == 200 and mine.headers["X-Request-Id"] == "kiosk-7-000123"
    assert mine.headers["Cache-Control"] == "no-store"
    fresh = api.get("/api/v1/agencies")
    assert re.fullmatch(r"[0-9a-f]{16}", fresh.headers["X-Request-Id"])
    refused = api.post("/api/v1/tickets", json={"service_id": 5},
                       headers={"X-Request-Id": "bad id with spaces"})
    assert refused.status_code == 422
    assert re.fullmatch(r"[0-9a-f]{16}", refused.headers["X-Request-Id"])


def test_metrics_count_the_gateway_routes(api):
    api.get("/api/v1/agencies")
    metrics = api.get("/metrics")
    assert metrics.status_code == 200 and metrics.headers["Content-Type"].startswith("text/plain")
    assert re.search(r'mpp_entrypoint_calls_total\{[^}]*service="gateway"[^}]*\} [1-9]',
                     metrics.text), metrics.text[:2000]


def test_one_scrape_shows_every_service_and_its_figures(api):
    ticket = api.post("/api/v1/tickets", json={"service_id": "samsat-pkb",
                                               "contact": {"phone": "0811-5200-0009"}})
    assert ticket.status_code == 201, ticket.text
    metrics = api.get("/metrics")
    assert metrics.status_code == 200
    families = {f.name: f for f in text_string_to_metric_families(metrics.text)}  # valid text
    up = {s.labels["service"]: s.value for s in families["mpp_scrape_up"].samples}
    assert up == {"ticketing": 1, "permits": 1, "notifications": 1, "feedback": 1,
                  "standards": 1}
    calls = {(s.labels["service"], s.labels["entrypoint"])
             for s in families["mpp_entrypoint_calls"].samples}
    assert ("ticketing", "issue_ticket") in calls and ("gateway", "issue_ticket") in calls
    waiting = {s.labels["service"]: s.value for s in families["mpp_queue_waiting"].samples}
    assert waiting["samsat-pkb"] >= 1
    assert {s.labels["status"] for s in families["mpp_counters"].samples} >= {"closed"}
    assert "mpp_notifications" in families
    thresholds = {s.labels["threshold"] for s in families["mpp_sla_warnings"].samples}
    assert thresholds == {"50", "80", "100"}
    assert "52000009" not in metrics.text and ticket.json()["id"] not in metrics.text


def test_refusals_are_answered_without_error_logs(api, caplog):
    """A 401, 404 or 422 is the client's business: no ERROR line, no traceback (a broker
    outage used to bury the log in them; unexpected failures still log at ERROR, with the
    reference their 500 carries)."""
    caplog.set_level("INFO")
    assert api.get("/api/v1/applications").status_code == 401
    assert api.get("/api/v1/tickets/no-such-ticket",
                   headers={"X-Ticket-Token": "x"}).status_code == 404
    assert api.post("/api/v1/tickets", json={"service_id": 5}).status_code == 422
    loud = [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL") or r.exc_info]
    assert loud == [], [r.getMessage() for r in loud]


def test_the_access_log_has_no_ticket_token_and_no_client_address(api, caplog):
    """One line per request (method, path, status, time) without the query string or the
    headers: a ticket's access token must not end up in the logs (nor one a client wrongly
    put in the address, which is refused)."""
    caplog.set_level("INFO")
    ticket = api.post("/api/v1/tickets", json={"service_id": "samsat-pkb"}).json()
    seen = api.get("/api/v1/tickets/" + ticket["id"],
                   headers={"X-Ticket-Token": ticket["access_token"]})
    assert seen.status_code == 200
    assert api.get("/api/v1/tickets/{}?token={}".format(
        ticket["id"], ticket["access_token"])).status_code == 422
    lines = [r.getMessage() for r in caplog.records]
    [access] = [r for r in caplog.records
                if r.getMessage().startswith("GET /api/v1/tickets/{} 200 ".format(ticket["id"]))]
    assert access.correlation_id == seen.headers["X-Request-Id"]  # grep one id, see it all
    assert any(line.startswith("POST /api/v1/tickets 201 ") for line in lines), lines
    assert not [line for line in lines if ticket["access_token"] in line]
    assert not [line for line in lines if "127.0.0.1" in line]


def test_a_service_that_never_started_is_a_503_at_once(runner_factory, gateway_config,
                                                       web_session):
    """The gateway alone on a fresh virtual host: no ticketing queue exists yet. Its requests
    keep publisher confirms, so the broker's "nobody takes this" comes back with the confirm
    and the kiosk gets a 503 naming the missing service, not one from the deadline (set here
    beyond the test client's own 30 s)."""
    from services.gateway.service import GatewayService

    runner = runner_factory(dict(gateway_config, RPC_TIMEOUT=120), GatewayService)
    runner.start()
    answer = web_session.post("/api/v1/tickets", json={"service_id": "samsat-pkb"})
    assert answer.status_code == 503, answer.text
    assert int(answer.headers["Retry-After"]) > 0
    assert answer.json()["details"]["reason"] == "no service"
