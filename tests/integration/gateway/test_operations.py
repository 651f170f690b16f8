"""What operations read off the gateway: the request id every answer carries (and the logs
share), and the process's Prometheus metrics."""
import re


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
