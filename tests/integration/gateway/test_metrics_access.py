"""Who may scrape the gateway's /metrics: the bearer of METRICS_TOKEN; nobody else in
production (each process serves its own on METRICS_PORT inside the private network)."""
from services.gateway.service import GatewayService

TOKEN = "metrics-token-" + "m" * 32


def start(runner_factory, config, **settings):
    runner_factory(dict(config, **settings), GatewayService).start()


def test_with_a_token_only_its_bearer_scrapes(runner_factory, gateway_config, web_session):
    start(runner_factory, gateway_config, METRICS_TOKEN=TOKEN)
    assert web_session.get("/metrics").status_code == 401
    assert web_session.get("/metrics", headers={"Authorization": "Bearer nope"}).status_code \
        == 401
    scraped = web_session.get("/metrics", headers={"Authorization": "Bearer " + TOKEN})
    assert scraped.status_code == 200 and "mpp_entrypoint" in scraped.text


def test_production_without_a_token_has_no_public_metrics(runner_factory, gateway_config,
                                                          web_session):
    start(runner_factory, gateway_config, MPP_ENV="production")
    assert web_session.get("/metrics").status_code == 404
    assert web_session.get("/healthz").status_code == 200
