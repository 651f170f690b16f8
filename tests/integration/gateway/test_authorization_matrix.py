"""Who may call what: every staff route of the gateway x every kind of caller x own or other
agency, derived from the route table (``services.gateway.http.ROUTES``).

A route declares who may call it (``auth="staff" | "supervisor" | "admin"``); this test
knows only *what to send* to each route so that it acts on one agency's things (DPMPTSP's
counter, ticket, application, service...). Callers: nobody, an officer, a supervisor, an
officer API key and a supervisor API key of DPMPTSP (own) and of Samsat (other), and the MPP
admin. Expected:

- no credentials: 401;
- a role the route does not allow: 403 "your role may not do this";
- an allowed role of the other agency: 403 "not your agency";
- an allowed role of the own agency, or the admin: anything but 401/403-by-authorization
  and never a 5xx (the action itself may still be a 404, 409 or 422).

A route the table below does not know fails the test: adding a route means saying what
its authorization is. Explicit tests below pin the holes an earlier review found.
"""
import uuid

import pytest
from werkzeug.routing import Map, Rule

from services.gateway import auth
from services.gateway import service  # noqa: F401 - registers every route
from services.gateway.http import ROUTES
from services.gateway.routes_counters import TICKET_ACTIONS
from tests.integration.gateway.helpers import (
    STANDARD_DRAFT, TODAY, assert_problem, bearer, file_reklame)

OWN, OTHER = "dpmptsp", "samsat"
ALLOWED_ROLES = {"staff": auth.STAFF, "supervisor": auth.SUPERVISORS, "admin": auth.ADMIN}
#: routes that are not staff routes, and why they are not in the matrix
NOT_STAFF = {("GET", "/healthz"): "health", ("GET", "/readyz"): "health"}


class Target:
    """What to send so that a route acts on the ``OWN`` agency's things."""

    def __init__(self, path, json=None, params=None, scoped=True, other=None):
        self.path, self.json, self.params = path, json, params
        self.scoped = scoped  # the thing belongs to an agency (else: MPP-wide)
        # what another agency's caller gets when it is not a 403: 404 where the thing's
        # existence is itself kept from other agencies (a complaint)
        self.other = other


def targets(ids):
    """(method, url as declared) -> Target. ``ids``: the things the fixture made."""
    counter, ticket, app = "ptsp-1", ids["ticket"], ids["application"]
    complaint = ids.get("complaint", "c")
    standard = "/api/v1/standards/" + ids.get("standard", "s")
    unique = uuid.uuid4().hex[:8]
    return {
        # DPMPTSP's standard in consultation with one public comment
        ("GET", "/api/v1/standards"): Target("/api/v1/standards", params={"agency": OWN}),
        ("POST", "/api/v1/standards"): Target("/api/v1/standards", json=STANDARD_DRAFT),
        ("GET", "/api/v1/standards/<string:standard_id>"): Target(standard),
        ("PUT", "/api/v1/standards/<string:standard_id>"): Target(standard, json={
            "title": "Standar Pelayanan Izin Reklame"}),
        ("GET", "/api/v1/standards/<string:standard_id>/comments"): Target(
            standard + "/comments"),
        ("POST", "/api/v1/standards/<string:standard_id>/consultation"): Target(
            standard + "/consultation", json={"opens_on": TODAY, "closes_on": TODAY,
                                              "invited_groups": ["users"]}),
        ("POST", "/api/v1/standards/<string:standard_id>/comments/<string:comment_id>/answer"):
            Target("{}/comments/{}/answer".format(standard, ids.get("comment", "c")),
                   json={"outcome": "accepted", "reason": "matriks"}),
        ("POST", "/api/v1/standards/<string:standard_id>/forum"): Target(
            standard + "/forum", json={"held_on": TODAY, "place": "Aula", "summary": "Ringkas",
                                       "participants": {"users": 2}}),
        ("POST", "/api/v1/standards/<string:standard_id>/consultation/close"): Target(
            standard + "/consultation/close"),
        ("POST", "/api/v1/standards/<string:standard_id>/adopt"): Target(
            standard + "/adopt", json={"effective_from": TODAY}),
        ("GET", "/api/v1/auth/me"): Target("/api/v1/auth/me", scoped=False),
        ("POST", "/api/v1/auth/contact"): Target("/api/v1/auth/contact", json={
            "email": "matrix@kapuaskab.go.id"}, scoped=False),
        ("GET", "/api/v1/admin/accounts"): Target("/api/v1/admin/accounts", scoped=False),
        # an account that does not exist: the matrix must not end its callers' sessions
        ("POST", "/api/v1/admin/accounts/<string:username>/<any(disable,enable):change>"):
            Target("/api/v1/admin/accounts/nobody.matrix/disable", scoped=False),
        ("POST", "/api/v1/admin/accounts/<string:username>/reset-password"): Target(
            "/api/v1/admin/accounts/nobody.matrix/reset-password", scoped=False),
        ("POST", "/api/v1/auth/password"): Target("/api/v1/auth/password", json={
            "current_password": "not-the-password", "new_password": "long-enough-2"},
            scoped=False),
        ("POST", "/api/v1/admin/accounts"): Target("/api/v1/admin/accounts", json={
            "username": "m" + unique, "password": "long-enough-1", "role": "officer",
            "agency": OWN}),
        ("GET", "/api/v1/admin/api-keys"): Target("/api/v1/admin/api-keys",
                                                  params={"agency": OWN}),
        ("POST", "/api/v1/admin/api-keys"): Target("/api/v1/admin/api-keys", json={
            "agency": OWN, "label": "matrix"}),
        ("DELETE", "/api/v1/admin/api-keys/<string:key_id>"): Target(
            "/api/v1/admin/api-keys/" + "0" * 12),
        ("GET", "/api/v1/counters"): Target("/api/v1/counters", params={"agency": OWN}),
        ("GET", "/api/v1/counters/<string:counter_id>"): Target("/api/v1/counters/" + counter),
        ("GET", "/api/v1/counters/<string:counter_id>/waiting"): Target(
            "/api/v1/counters/{}/waiting".format(counter)),
        ("POST", "/api/v1/counters/<string:counter_id>/open"): Target(
            "/api/v1/counters/{}/open".format(counter)),
        ("POST", "/api/v1/counters/<string:counter_id>/close"): Target(
            "/api/v1/counters/{}/close".format(counter)),
        ("POST", "/api/v1/counters/<string:counter_id>/call-next"): Target(
            "/api/v1/counters/{}/call-next".format(counter)),
        ("POST", "/api/v1/counters/<string:counter_id>/call"): Target(
            "/api/v1/counters/{}/call".format(counter),
            json={"ticket_id": ticket, "reason": "authorization matrix"}),
        ("POST", "/api/v1/tickets/<string:ticket_id>/<any(recall,skip,start,complete,transfer)"
                 ":action>"): Target("/api/v1/tickets/{}/recall".format(ticket),
                                     json={"counter_id": counter}),
        ("GET", "/api/v1/applications"): Target("/api/v1/applications", params={"agency": OWN}),
        ("GET", "/api/v1/applications/by-id/<string:application_id>"): Target(
            "/api/v1/applications/by-id/" + app),
        ("GET", "/api/v1/applications/by-id/<string:application_id>/documents/"
                "<string:kind>"): Target(
            "/api/v1/applications/by-id/{}/documents/ktp".format(app)),
        ("GET", "/api/v1/applications/by-id/<string:application_id>/history/verify"): Target(
            "/api/v1/applications/by-id/{}/history/verify".format(app)),
        ("POST", "/api/v1/applications/by-id/<string:application_id>/actions"): Target(
            "/api/v1/applications/by-id/{}/actions".format(app), json={"action": "accept"}),
        ("PUT", "/api/v1/admin/agencies"): Target("/api/v1/admin/agencies", json={
            "code": OWN, "name": "DPMPTSP"}),
        ("DELETE", "/api/v1/admin/agencies/<string:agency>"): Target(
            "/api/v1/admin/agencies/tidak-ada", scoped=False),
        ("PUT", "/api/v1/admin/services"): Target("/api/v1/admin/services", json={
            "id": "ptsp-izin", "agency": OWN, "prefix": "P", "name": "Perizinan"}),
        ("PUT", "/api/v1/admin/counters"): Target("/api/v1/admin/counters", json={
            "id": counter, "agency": OWN, "name": "Loket 1", "services": ["ptsp-izin"]}),
        ("PUT", "/api/v1/admin/settings"): Target("/api/v1/admin/settings", json={},
                                                  scoped=False),
        ("PUT", "/api/v1/admin/permit-types"): Target("/api/v1/admin/permit-types", json={},
                                                      scoped=False),
        ("POST", "/api/v1/admin/permit-types/<string:permit_type_id>/retire"): Target(
            "/api/v1/admin/permit-types/tidak-ada/retire", json={"retired_from": "2099-01-01"},
            scoped=False),
        ("GET", "/api/v1/statistics/day"): Target("/api/v1/statistics/day",
                                                  params={"agency": OWN}),
        ("GET", "/api/v1/notifications"): Target("/api/v1/notifications",
                                                 params={"reference": ticket}),
        ("GET", "/api/v1/notifications/counts"): Target("/api/v1/notifications/counts",
                                                        scoped=False),
        ("GET", "/api/v1/feedback/complaints"): Target("/api/v1/feedback/complaints",
                                                       params={"agency": OWN}),
        ("GET", "/api/v1/feedback/complaints/<string:complaint_id>"): Target(
            "/api/v1/feedback/complaints/" + complaint, other=404),
        ("POST", "/api/v1/feedback/complaints/<string:complaint_id>"): Target(
            "/api/v1/feedback/complaints/" + complaint, json={"status": "in_progress"},
            other=404),
        ("GET", "/api/v1/feedback/lapor-export"): Target("/api/v1/feedback/lapor-export",
                                                         params={"agency": OWN}),
        ("GET", "/api/v1/feedback/perception"): Target("/api/v1/feedback/perception",
                                                       params={"agency": OWN}),
        ("GET", "/api/v1/feedback/comments"): Target("/api/v1/feedback/comments",
                                                     params={"agency": OWN}),
        # a waiting ticket has no survey yet: 404 for everyone; the QR of a completed
        # ticket for another agency's officer is a 403 (tests/integration/gateway/
        # test_feedback.py)
        ("GET", "/api/v1/feedback/survey-link/<string:reference>.svg"): Target(
            "/api/v1/feedback/survey-link/{}.svg".format(ticket), other=404),
        ("GET", "/api/v1/admin/ikm-elements"): Target("/api/v1/admin/ikm-elements",
                                                      scoped=False),
        ("PUT", "/api/v1/admin/ikm-elements"): Target("/api/v1/admin/ikm-elements", json={},
                                                      scoped=False),
        # the list is every supervisor's (of their own agency's connectors); resuming is
        # for the agency the connector serves (``manual``: DPMPTSP's SIP; not running: 409)
        ("GET", "/api/v1/admin/connectors"): Target("/api/v1/admin/connectors",
                                                    scoped=False),
        ("POST", "/api/v1/admin/connectors/<string:name>/resume"): Target(
            "/api/v1/admin/connectors/manual/resume", json={}),
        ("GET", "/api/v1/admin/webhook-agencies"): Target("/api/v1/admin/webhook-agencies",
                                                          scoped=False),
        # no CONNECTOR_SECRETS_KEY here: the admin gets a 409 that says so
        ("PUT", "/api/v1/admin/webhook-agencies/<string:agency>"): Target(
            "/api/v1/admin/webhook-agencies/" + OWN, json={"url": "http://127.0.0.1:9/mpp"},
            scoped=False),
        # promise against practice (a supervisor: their agency's) and onboarding (the admin's)
        ("GET", "/api/v1/standards/broken"): Target("/api/v1/standards/broken",
                                                    params={"agency": OWN}),
        ("GET", "/api/v1/admin/agencies"): Target("/api/v1/admin/agencies", scoped=False),
        ("GET", "/api/v1/admin/agencies/<string:code>/onboarding"): Target(
            "/api/v1/admin/agencies/{}/onboarding".format(OWN), scoped=False),
        ("POST", "/api/v1/admin/agencies/<string:code>/go-live"): Target(
            "/api/v1/admin/agencies/{}/go-live".format(OWN), scoped=False),
        ("GET", "/api/v1/admin/calendar"): Target("/api/v1/admin/calendar", scoped=False),
        ("PUT", "/api/v1/admin/calendar"): Target("/api/v1/admin/calendar", json={},
                                                  scoped=False),
    }


def staff_routes():
    return [r for r in ROUTES if r.get("auth") in ALLOWED_ROLES]


def test_every_route_is_classified():
    """Public (rate-limited, no credentials), staff (a role), HMAC (an agency's system) or
    health: a route that is none of these has no stated authorization."""
    fake_ids = {"ticket": "t", "application": "a"}
    known = targets(fake_ids)
    unclassified = [(r["method"], r["url"]) for r in ROUTES
                    if not r.get("public") and r.get("auth") not in ALLOWED_ROLES
                    and r.get("auth") != "hmac" and (r["method"], r["url"]) not in NOT_STAFF]
    assert not unclassified, "routes with no stated authorization: {}".format(unclassified)
    missing = [(r["method"], r["url"]) for r in staff_routes()
               if (r["method"], r["url"]) not in known]
    assert not missing, "staff routes the matrix does not know what to send to: {}".format(
        missing)
    stale = set(known) - {(r["method"], r["url"]) for r in staff_routes()}
    assert not stale, "matrix entries for routes that are gone: {}".format(stale)
    # and each target really reaches its route (not some other one)
    for route in staff_routes():
        target = known[(route["method"], route["url"])]
        adapter = Map([Rule(route["url"], methods=[route["method"]], endpoint="x")]).bind("x")
        adapter.match(target.path, method=route["method"])


@pytest.fixture
def world(api):
    """DPMPTSP's things (a waiting ticket, a filed application) and every kind of caller."""
    ticket = api.post("/api/v1/tickets", json={"service_id": "ptsp-izin"})
    assert ticket.status_code == 201, ticket.text
    filed = file_reklame(api, "matrix-0001")
    admin = bearer(api, "admin")
    callers = {"anonymous": (None, None, {}), "admin": ("admin", None, admin)}
    for agency in (OWN, OTHER):
        for role in ("officer", "supervisor"):
            callers["{}.{}".format(agency, role)] = (role, agency, bearer(
                api, "{}.{}".format(agency, role)))
            key = api.post("/api/v1/admin/api-keys", headers=admin,
                           json={"agency": agency, "role": role, "label": "matrix"})
            assert key.status_code == 201, key.text
            callers["{}.apikey-{}".format(agency, role)] = (role, agency,
                                                          {"X-API-Key": key.json()["key"]})
    complaint = api.post("/api/v1/complaints", json={
        "kind": "pengaduan", "agency": OWN, "text": "Antrean matriks terlalu lama."})
    assert complaint.status_code == 201, complaint.text
    standard = api.post("/api/v1/standards", json=STANDARD_DRAFT, headers=admin)
    assert standard.status_code == 201, standard.text
    standard_id = standard.json()["id"]
    opened = api.post("/api/v1/standards/{}/consultation".format(standard_id), headers=admin,
                      json={"opens_on": TODAY, "closes_on": TODAY, "invited_groups": ["users"]})
    assert opened.status_code == 200, opened.text
    comment = api.post("/api/v1/public/standards/{}/comments".format(standard_id),
                       json={"text": "Komentar untuk matriks otorisasi."})
    assert comment.status_code == 201, comment.text
    return {"ids": {"ticket": ticket.json()["id"],
                    "application": filed["application_id"], "complaint": complaint.json()["id"],
                    "standard": standard_id, "comment": comment.json()["id"]},
            "callers": callers, "admin": admin, "ticket_token": ticket.json()["access_token"]}


def expected(route, target, role, agency):
    """``401`` | ``"role"`` | ``"agency"`` | ``"allowed"``."""
    if role is None:
        return 401
    if role not in ALLOWED_ROLES[route["auth"]]:
        return "role"
    if target.scoped and role != "admin" and agency != OWN:
        return target.other or "agency"
    return "allowed"


def test_authorization_matrix(api, world):
    wrong = []
    table = targets(world["ids"])
    for route in staff_routes():
        target = table[(route["method"], route["url"])]
        for name, (role, agency, headers) in world["callers"].items():
            want = expected(route, target, role, agency)
            response = api.request(route["method"], target.path, headers=headers,
                                   json=target.json, params=target.params)
            got = response.status_code
            detail = response.json().get("detail") if response.headers.get(
                "Content-Type") == "application/problem+json" else None
            by_authz = got == 403 and detail in (auth.NOT_ALLOWED, auth.OTHER_AGENCY)
            if want in (401, 404):
                ok = got == want
            elif want == "role":
                ok = got == 403 and detail == auth.NOT_ALLOWED
            elif want == "agency":
                ok = got == 403 and detail == auth.OTHER_AGENCY
            else:
                ok = got < 500 and got != 401 and not by_authz
            if not ok:
                wrong.append("{} {} as {}: expected {}, got {} {}".format(
                    route["method"], target.path, name, want, got, response.text[:200]))
    assert not wrong, "\n".join(wrong)


# -- holes found by review, pinned --------------------------------------------------------

def test_a_supervisor_cannot_take_over_another_agencys_service_or_counter(api, world):
    service = {"id": "ptsp-izin", "agency": OTHER, "prefix": "P", "name": "Diambil alih"}
    counter = {"id": "ptsp-1", "agency": OTHER, "name": "Diambil alih",
               "services": ["samsat-pkb"]}
    for caller in ("samsat.supervisor", "samsat.apikey-supervisor"):
        headers = world["callers"][caller][2]
        assert_problem(api.put("/api/v1/admin/services", json=service, headers=headers), 403)
        assert_problem(api.put("/api/v1/admin/counters", json=counter, headers=headers), 403)
    service_now = api.get("/api/v1/services/ptsp-izin").json()
    assert service_now["agency"] == OWN and service_now["name"] == "Perizinan"
    counter_now = api.get("/api/v1/counters/ptsp-1", headers=world["admin"]).json()
    assert counter_now["agency"] == OWN and counter_now["services"] == ["ptsp-izin"]


def test_a_counter_serves_only_its_own_agencys_services(api, world):
    body = {"id": "samsat-7", "agency": OTHER, "name": "Loket 7",
            "services": ["samsat-pkb", "ptsp-izin"]}
    for caller in ("samsat.supervisor", "samsat.apikey-supervisor", "admin"):
        refused = assert_problem(api.put("/api/v1/admin/counters", json=body,
                                         headers=world["callers"][caller][2]), 422)
        assert "ptsp-izin" in " ".join(refused["errors"]["services"])
    counter = api.get("/api/v1/counters/samsat-7", headers=world["admin"]).json()
    assert counter["services"] == ["samsat-pkb", "samsat-bbn"]


def test_notification_history_is_the_callers_agencys(api, world):
    ticket = world["ids"]["ticket"]
    path = "/api/v1/notifications"
    for caller in ("samsat.officer", "samsat.apikey-officer", "samsat.supervisor"):
        assert_problem(api.get(path, params={"reference": ticket},
                               headers=world["callers"][caller][2]), 403)
    own = api.get(path, params={"reference": ticket},
                  headers=world["callers"]["dpmptsp.officer"][2])
    assert own.status_code == 200 and own.json()["reference"] == ticket
    assert api.get(path, params={"reference": ticket}, headers=world["admin"]).status_code == 200
    application = world["ids"]["application"]
    assert_problem(api.get(path, params={"reference": application},
                           headers=world["callers"]["samsat.officer"][2]), 403)
    assert api.get(path, params={"reference": application},
                   headers=world["callers"]["dpmptsp.supervisor"][2]).status_code == 200
    assert_problem(api.get(path, params={"reference": "no-such-thing"},
                           headers=world["callers"]["dpmptsp.officer"][2]), 404)


def test_an_officer_cannot_work_another_agencys_ticket_from_their_own_counter(api, world):
    officer = world["callers"]["samsat.officer"][2]
    ticket = world["ids"]["ticket"]
    assert api.post("/api/v1/counters/samsat-7/open", headers=officer).status_code == 200
    called = api.post("/api/v1/counters/samsat-7/call", headers=officer,
                      json={"ticket_id": ticket, "reason": "bukan antrean saya"})
    assert 400 <= called.status_code < 500, called.text
    for action in ("recall", "skip", "start", "complete"):
        acted = api.post("/api/v1/tickets/{}/{}".format(ticket, action), headers=officer,
                         json={"counter_id": "samsat-7"})
        assert 400 <= acted.status_code < 500, (action, acted.text)
    still = api.get("/api/v1/tickets/" + ticket,
                    headers={"X-Ticket-Token": world["ticket_token"]})
    assert still.status_code == 200 and still.json()["status"] == "waiting", still.text


# -- ticket actions: the ticket's agency as well as the counter's -----------------------------

def test_ticket_actions_are_checked_by_the_tickets_agency(api, world):
    """Ticket ids are predictable (``<service>:<day>:<seq>``): every caller of the other
    agency, at a counter of their own that they opened, gets 403 "not your agency" for
    every ticket action on this agency's ticket, and the ticket stays where it was."""
    ticket = world["ids"]["ticket"]
    wrong = []
    for caller in ("samsat.officer", "samsat.supervisor", "samsat.apikey-officer",
                   "samsat.apikey-supervisor"):
        headers = world["callers"][caller][2]
        api.post("/api/v1/counters/samsat-7/close", headers=headers)
        opened = api.post("/api/v1/counters/samsat-7/open", headers=headers)
        assert opened.status_code == 200, opened.text
        attempts = [("call", "/api/v1/counters/samsat-7/call",
                     {"ticket_id": ticket, "reason": "bukan antrean saya"})]
        for action in TICKET_ACTIONS:
            body = {"counter_id": "samsat-7"}
            if action == "transfer":
                body["target_service_id"] = "samsat-pkb"
            attempts.append((action, "/api/v1/tickets/{}/{}".format(ticket, action), body))
        for action, path, body in attempts:
            answer = api.post(path, headers=headers, json=body)
            detail = answer.json().get("detail")
            if answer.status_code != 403 or detail != auth.OTHER_AGENCY:
                wrong.append("{} {} as {}: {} {}".format(action, ticket, caller,
                                                        answer.status_code, answer.text[:160]))
        api.post("/api/v1/counters/samsat-7/close", headers=headers)
    assert not wrong, "\n".join(wrong)
    still = api.get("/api/v1/tickets/" + ticket,
                    headers={"X-Ticket-Token": world["ticket_token"]})
    assert still.json()["status"] == "waiting" and still.json()["service_id"] == "ptsp-izin"
    # the own agency's officer still works it
    own = world["callers"]["dpmptsp.officer"][2]
    assert api.post("/api/v1/counters/ptsp-1/open", headers=own).status_code == 200
    called = api.post("/api/v1/counters/ptsp-1/call", headers=own,
                      json={"ticket_id": ticket, "reason": "matriks"})
    assert called.status_code == 200, called.text
    assert api.post("/api/v1/tickets/{}/start".format(ticket), headers=own,
                    json={"counter_id": "ptsp-1"}).status_code == 200


def test_an_unknown_ticket_is_a_404_before_any_counter_check(api, world):
    officer = world["callers"]["samsat.officer"][2]
    missing = api.post("/api/v1/tickets/ptsp-izin:2000-01-01:000999/recall", headers=officer,
                       json={"counter_id": "samsat-7"})
    assert_problem(missing, 404)


# -- separation of duties: who acted before decides who may act now ----------------------------

TWO_LEVELS = {"permit_type_id": "imb-dua", "version": 1, "agency": OWN, "name": "Izin Dua Tingkat",
              "effective_from": "2026-01-01", "sla_working_days": 5, "fee": 0,
              "approval_levels": 2, "connector": "manual",
              "requirements": [{"kind": "ktp", "name": "KTP"}],
              "form": [{"name": "luas", "type": "number", "min": 1, "max": 999,
                        "required": True, "label": "Luas"}]}


def _two_level_application_awaiting_approval(api, world):
    admin = world["admin"]
    made = api.put("/api/v1/admin/permit-types", json=TWO_LEVELS, headers=admin)
    assert made.status_code == 200, made.text
    from tests.integration.gateway.helpers import APPLICANT, PDF

    filed = api.post("/api/v1/applications", headers={"Idempotency-Key": uuid.uuid4().hex},
                     json={"permit_type_id": "imb-dua", "applicant": APPLICANT,
                           "form": {"luas": 40},
                           "documents": [{"kind": "ktp", "filename": "ktp.pdf",
                                          "media_type": "application/pdf", "content": PDF}]})
    assert filed.status_code == 201, filed.text
    app_id = filed.json()["application_id"]
    officer = world["callers"]["dpmptsp.officer"][2]
    for action in ("start_intake", "accept", "forward", "agency_approve"):
        done = _act(api, app_id, action, officer)
        assert done.status_code == 200, (action, done.text)
    return app_id


def _act(api, app_id, action, headers):
    return api.post("/api/v1/applications/by-id/{}/actions".format(app_id),
                    json={"action": action}, headers=headers)


def _supervisor(api, world, name):
    made = api.post("/api/v1/admin/accounts", headers=world["admin"], json={
        "username": name, "password": "long-enough-1", "role": "supervisor", "agency": OWN})
    assert made.status_code == 201, made.text
    return bearer_for(api, name, "long-enough-1")


def bearer_for(api, username, password):
    answer = api.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    return {"Authorization": "Bearer " + answer.json()["access_token"]}


def test_separation_of_duties_row(api, world):
    """Multi-level approval needs distinct people, and the last approver alone does not
    issue: one supervisor (or one supervisor API key) cannot take an application from
    approval to permit by themselves."""
    app_id = _two_level_application_awaiting_approval(api, world)
    first = world["callers"]["dpmptsp.supervisor"][2]
    second = _supervisor(api, world, "dpmptsp.kabid")
    key = world["callers"]["dpmptsp.apikey-supervisor"][2]

    assert _act(api, app_id, "approve", first).status_code == 200
    for same in (first,):
        again = _act(api, app_id, "approve", same)
        assert again.status_code == 403, again.text
    assert _act(api, app_id, "approve", second).status_code == 200
    alone = _act(api, app_id, "issue", second)
    assert alone.status_code == 403, alone.text
    state = api.get("/api/v1/applications/by-id/" + app_id, headers=first).json()["state"]
    assert state == "approved"
    issued = _act(api, app_id, "issue", key)
    assert issued.status_code == 200 and issued.json()["state"] == "issued", issued.text


def test_api_keys_default_to_the_least_role(api, world):
    made = api.post("/api/v1/admin/api-keys", headers=world["admin"],
                    json={"agency": OWN, "label": "tanpa peran"})
    assert made.status_code == 201 and made.json()["role"] == "officer", made.text
    me = api.get("/api/v1/auth/me", headers={"X-API-Key": made.json()["key"]}).json()
    assert me["role"] == "officer"
