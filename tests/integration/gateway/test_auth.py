"""Sign-in, tokens, API keys, roles and agency scope, rate limits and CORS at the gateway."""
import jwt
import pytest

from tests.integration.gateway.helpers import assert_problem, bearer, login


def test_login_refresh_and_me(api):
    tokens = login(api, "samsat.officer")
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 900
    assert tokens["account"] == {"username": "samsat.officer", "role": "officer",
                                 "agency": "samsat", "kind": "user"}
    claims = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    assert claims["typ"] == "access" and claims["role"] == "officer"

    me = api.get("/api/v1/auth/me", headers={"Authorization": "Bearer " + tokens["access_token"]})
    assert me.status_code == 200 and me.json()["agency"] == "samsat"

    fresh = api.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert fresh.status_code == 200, fresh.text
    assert fresh.json()["access_token"] != tokens["access_token"]
    # a refresh token is not an access token, and the other way round
    assert_problem(api.get("/api/v1/auth/me", headers={
        "Authorization": "Bearer " + tokens["refresh_token"]}), 401)
    assert_problem(api.post("/api/v1/auth/refresh",
                            json={"refresh_token": tokens["access_token"]}), 401)


def test_bad_logins_are_401_and_say_nothing_more(api):
    wrong = assert_problem(api.post("/api/v1/auth/login", json={
        "username": "samsat.officer", "password": "not-the-password"}), 401)
    unknown = assert_problem(api.post("/api/v1/auth/login", json={
        "username": "nobody", "password": "demo12345"}), 401)
    assert wrong["detail"] == unknown["detail"]
    missing = assert_problem(api.post("/api/v1/auth/login", json={"username": "x"}), 422)
    assert "password" in missing["errors"]


def test_tokens_signed_with_another_key_or_expired_are_refused(api):
    forged = jwt.encode({"sub": "admin", "role": "admin", "agency": None, "typ": "access",
                         "exp": 4102444800}, "some-other-key", algorithm="HS256")
    response = assert_problem(api.get("/api/v1/auth/me",
                                      headers={"Authorization": "Bearer " + forged}), 401)
    assert "Bearer" in api.get("/api/v1/auth/me").headers["WWW-Authenticate"]
    assert response["title"] == "Unauthorized"
    unsigned = jwt.encode({"sub": "admin", "role": "admin", "typ": "access", "exp": 4102444800},
                          None, algorithm="none")
    assert_problem(api.get("/api/v1/auth/me", headers={"Authorization": "Bearer " + unsigned}),
                   401)


def test_admin_creates_accounts_and_agency_scoped_api_keys(api):
    admin = bearer(api, "admin")
    officer = bearer(api, "samsat.officer")
    body = {"username": "samsat.kasir", "password": "long-enough-1", "role": "officer",
            "agency": "samsat"}
    assert_problem(api.post("/api/v1/admin/accounts", json=body), 401)
    assert_problem(api.post("/api/v1/admin/accounts", json=body, headers=officer), 403)
    created = api.post("/api/v1/admin/accounts", json=body, headers=admin)
    assert created.status_code == 201, created.text
    assert "password_hash" not in created.json()
    assert_problem(api.post("/api/v1/admin/accounts", json=body, headers=admin), 409)
    invalid = assert_problem(api.post("/api/v1/admin/accounts", json=dict(
        body, username="X Y", role="king"), headers=admin), 422)
    assert {"role"} <= set(invalid["errors"])
    assert login(api, "samsat.kasir", "long-enough-1")["account"]["role"] == "officer"

    key = api.post("/api/v1/admin/api-keys", json={"agency": "samsat", "label": "SIM app"},
                   headers=admin)
    assert key.status_code == 201, key.text
    secret = key.json()["key"]
    as_key = {"X-API-Key": secret}
    assert api.get("/api/v1/auth/me", headers=as_key).json()["kind"] == "api_key"
    assert api.get("/api/v1/counters", headers=as_key).status_code == 200
    assert_problem(api.get("/api/v1/counters?agency=dpmptsp", headers=as_key), 403)
    assert_problem(api.post("/api/v1/counters/ptsp-1/open", headers=as_key), 403)
    listed = api.get("/api/v1/admin/api-keys", headers=admin).json()["api_keys"]
    assert [k["id"] for k in listed] == [key.json()["id"]] and "hash" not in listed[0]
    assert api.delete("/api/v1/admin/api-keys/" + key.json()["id"], headers=admin).status_code == 200
    assert_problem(api.get("/api/v1/auth/me", headers=as_key), 401)
    assert_problem(api.get("/api/v1/auth/me", headers={"X-API-Key": secret[:-2] + "zz"}), 401)


def test_public_endpoints_are_rate_limited_per_address(runner_factory, gateway_config,
                                                       web_session):
    from services.gateway.service import GatewayService
    from services.ticketing.service import TicketingService

    gateway_config.update(GATEWAY_RATE_LIMIT_PER_MINUTE=60, GATEWAY_RATE_LIMIT_BURST=3)
    runner = runner_factory(gateway_config, TicketingService, GatewayService)
    runner.start()
    answers = [web_session.get("/api/v1/queues/none") for _ in range(4)]
    assert [a.status_code for a in answers[:3]] == [404, 404, 404]
    limited = assert_problem(answers[3], 429)
    assert 1 <= int(answers[3].headers["Retry-After"]) <= 2
    assert "detail" in limited
    # health and staff routes are not public and not limited
    assert web_session.get("/healthz").status_code == 200


@pytest.mark.parametrize("origins, allowed", [(None, False), ("https://kiosk.example", True)])
def test_cors_is_closed_unless_configured(runner_factory, gateway_config, web_session, origins,
                                          allowed):
    from services.gateway.service import GatewayService

    if origins:
        gateway_config["GATEWAY_CORS_ORIGINS"] = origins
    runner_factory(gateway_config, GatewayService).start()
    origin = {"Origin": "https://kiosk.example"}
    preflight = web_session.options("/api/v1/tickets", headers=dict(
        origin, **{"Access-Control-Request-Method": "POST"}))
    assert preflight.status_code == 204
    simple = web_session.get("/healthz", headers=origin)
    api_answer = web_session.get("/api/v1/nothing", headers=origin)
    assert ("Access-Control-Allow-Origin" in preflight.headers) is allowed
    assert ("Access-Control-Allow-Origin" in api_answer.headers) is allowed
    assert "Access-Control-Allow-Origin" not in simple.headers  # pages are never cross-origin
    assert api_answer.headers["X-Frame-Options"] == "DENY"
