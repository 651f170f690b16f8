"""Staff sessions and the account lifecycle: refresh tokens are stored and rotated (a reused
one revokes its family), logout, a password change and disabling an account end every
session; an admin resets a password to a temporary one that must be changed first."""
import jwt

from tests.integration.gateway.helpers import assert_problem, bearer, login

NEW_ACCOUNT = {"username": "samsat.loket9", "password": "first-pass-123", "role": "officer",
               "agency": "samsat"}


def _refresh(api, token):
    return api.post("/api/v1/auth/refresh", json={"refresh_token": token})


def _auth(tokens):
    return {"Authorization": "Bearer " + tokens["access_token"]}


def test_a_refresh_token_is_used_once_and_its_reuse_ends_the_session(api):
    first = login(api, "samsat.officer")
    second = _refresh(api, first["refresh_token"])
    assert second.status_code == 200, second.text
    # the stolen copy of the first token, used again: refused, and the rotated one dies too
    assert_problem(_refresh(api, first["refresh_token"]), 401)
    assert_problem(_refresh(api, second.json()["refresh_token"]), 401)
    # a new sign-in works
    assert _refresh(api, login(api, "samsat.officer")["refresh_token"]).status_code == 200


def test_logout_revokes_the_refresh_token(api):
    tokens = login(api, "samsat.officer")
    out = api.post("/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]},
                   headers=_auth(tokens))
    assert out.status_code == 204, out.text
    assert_problem(_refresh(api, tokens["refresh_token"]), 401)


def test_changing_ones_password_ends_other_sessions(api):
    admin = bearer(api, "admin")
    assert api.post("/api/v1/admin/accounts", json=NEW_ACCOUNT, headers=admin).status_code == 201
    other_session = login(api, "samsat.loket9", "first-pass-123")
    mine = login(api, "samsat.loket9", "first-pass-123")
    wrong = api.post("/api/v1/auth/password", headers=_auth(mine), json={
        "current_password": "not-it-at-all", "new_password": "second-pass-456"})
    assert_problem(wrong, 422)
    short = assert_problem(api.post("/api/v1/auth/password", headers=_auth(mine), json={
        "current_password": "first-pass-123", "new_password": "short"}), 422)
    assert "new_password" in short["errors"]
    changed = api.post("/api/v1/auth/password", headers=_auth(mine), json={
        "current_password": "first-pass-123", "new_password": "second-pass-456"})
    assert changed.status_code == 204, changed.text
    assert_problem(_refresh(api, other_session["refresh_token"]), 401)
    assert_problem(api.get("/api/v1/auth/me", headers=_auth(other_session)), 401)
    assert_problem(api.post("/api/v1/auth/login", json={
        "username": "samsat.loket9", "password": "first-pass-123"}), 401)
    assert login(api, "samsat.loket9", "second-pass-456")["account"]["username"] == \
        "samsat.loket9"


def test_admin_disables_enables_and_lists_accounts(api):
    admin = bearer(api, "admin")
    officer = login(api, "samsat.officer")
    assert_problem(api.post("/api/v1/admin/accounts/samsat.officer/disable",
                            headers=_auth(officer)), 403)
    disabled = api.post("/api/v1/admin/accounts/samsat.officer/disable", headers=admin)
    assert disabled.status_code == 200 and disabled.json()["disabled"] is True, disabled.text
    # every session of the account ends now, not at the access token's expiry
    assert_problem(api.get("/api/v1/auth/me", headers=_auth(officer)), 401)
    assert_problem(_refresh(api, officer["refresh_token"]), 401)
    assert_problem(api.post("/api/v1/auth/login", json={
        "username": "samsat.officer", "password": "demo12345"}), 401)
    listed = api.get("/api/v1/admin/accounts", headers=admin).json()["accounts"]
    row = [a for a in listed if a["username"] == "samsat.officer"][0]
    assert row["disabled"] is True and row["agency"] == "samsat" and row["role"] == "officer"
    assert "created_at" in row and "password_hash" not in str(listed)
    assert_problem(api.post("/api/v1/admin/accounts/nobody.here/disable", headers=admin), 404)
    enabled = api.post("/api/v1/admin/accounts/samsat.officer/enable", headers=admin)
    assert enabled.status_code == 200 and enabled.json()["disabled"] is False
    assert login(api, "samsat.officer")["account"]["role"] == "officer"


def test_a_reset_password_must_be_changed_before_anything_else(api):
    admin = bearer(api, "admin")
    before = login(api, "samsat.supervisor")
    reset = api.post("/api/v1/admin/accounts/samsat.supervisor/reset-password", headers=admin)
    assert reset.status_code == 200, reset.text
    answer = reset.json()
    assert answer["username"] == "samsat.supervisor" and answer["must_change_password"] is True
    temporary = answer["temporary_password"]
    assert len(temporary) >= 12
    assert_problem(_refresh(api, before["refresh_token"]), 401)
    tokens = login(api, "samsat.supervisor", temporary)
    assert tokens["account"]["must_change_password"] is True
    blocked = assert_problem(api.get("/api/v1/counters", headers=_auth(tokens)), 403)
    assert "kata sandi" in blocked["detail"].lower()
    assert api.get("/api/v1/auth/me", headers=_auth(tokens)).status_code == 200
    changed = api.post("/api/v1/auth/password", headers=_auth(tokens), json={
        "current_password": temporary, "new_password": "my-own-pass-789"})
    assert changed.status_code == 204, changed.text
    fresh = login(api, "samsat.supervisor", "my-own-pass-789")
    assert not fresh["account"].get("must_change_password")
    assert api.get("/api/v1/counters", headers=_auth(fresh)).status_code == 200
    claims = jwt.decode(fresh["access_token"], options={"verify_signature": False})
    assert claims["sub"] == "samsat.supervisor"


def test_a_refused_sign_in_is_logged_without_the_name_and_counted(api, caplog):
    from services.gateway.auth import LOGIN_FAILURES

    before = LOGIN_FAILURES.labels("credentials")._value.get()
    caplog.set_level("WARNING", logger="services.gateway.auth")
    assert_problem(api.post("/api/v1/auth/login", json={
        "username": "samsat.officer", "password": "guess-guess-1"}), 401)
    lines = [r.getMessage() for r in caplog.records if "login refused" in r.getMessage()]
    assert lines, "no log line for a refused sign-in"
    assert "samsat.officer" not in lines[-1] and "127.0.0.0/24" in lines[-1]
    assert LOGIN_FAILURES.labels("credentials")._value.get() == before + 1
    # the same name gives the same mark, so an operator sees attempts on one account
    assert_problem(api.post("/api/v1/auth/login", json={
        "username": "samsat.officer", "password": "guess-guess-2"}), 401)
    again = [r.getMessage() for r in caplog.records if "login refused" in r.getMessage()]
    assert again[-1].split()[3] == lines[-1].split()[3]
