"""A request at the gateway goes through RPC to ticketing, is written to the database,
dispatches an event and is observed by the notifications service's handler."""
from nameko.standalone.rpc import ServiceRpcProxy

from services.common.config import database_name
from tests.support import wait_for

CATALOGUE = {
    "agencies": [{
        "code": "samsat", "name": "Samsat",
        "services": [{"id": "samsat-pkb", "prefix": "H", "name": "Pajak Kendaraan"}],
        "counters": [{"id": "samsat-7", "name": "Loket 7", "services": ["samsat-pkb"]}],
        "permit_types": [],
    }],
}


def test_ticket_over_http_is_stored_and_seen_by_notifications(
        start_suite, service_config, web_session, mongo_client):
    start_suite(service_config, CATALOGUE)

    response = web_session.post("/api/v1/tickets", json={"service_id": "samsat-pkb",
                                                          "contact": {"phone": "081100000001"}})
    assert response.status_code == 201, response.text
    ticket = response.json()
    assert ticket["number"] == "H-001"
    assert ticket["status"] == "waiting"

    stored = mongo_client[database_name(service_config, "ticketing")].tickets.find_one(
        {"_id": ticket["id"]})
    assert stored["number"] == "H-001"

    with ServiceRpcProxy("notifications", service_config) as notifications:
        messages = wait_for(lambda: notifications.messages_for(ticket["id"]),
                            message="notifications to see ticket_contact_given")
    assert [m["kind"] for m in messages] == ["ticket_issued"]

    # the holder can read it back with its token, nobody else can
    ok = web_session.get("/api/v1/tickets/" + ticket["id"],
                         headers={"X-Ticket-Token": ticket["access_token"]})
    assert ok.status_code == 200 and ok.json()["number"] == "H-001"
    refused = web_session.get("/api/v1/tickets/" + ticket["id"],
                              headers={"X-Ticket-Token": "wrong"})
    assert refused.status_code == 404
    assert refused.headers["Content-Type"] == "application/problem+json"


def test_bad_input_is_a_problem_and_writes_nothing(
        start_suite, service_config, web_session, mongo_client):
    start_suite(service_config, CATALOGUE)
    tickets = mongo_client[database_name(service_config, "ticketing")].tickets

    injected = web_session.post("/api/v1/tickets", json={"service_id": {"$gt": ""}})
    assert injected.status_code == 422
    assert "service_id" in injected.json()["errors"]

    unknown = web_session.post("/api/v1/tickets", json={"service_id": "no-such-service"})
    assert unknown.status_code == 404

    not_json = web_session.post("/api/v1/tickets", data="service_id=x",
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert not_json.status_code == 415

    assert tickets.count_documents({}) == 0


def test_unknown_route_is_problem_json(start_suite, service_config, web_session):
    start_suite(service_config, CATALOGUE)
    response = web_session.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_readyz_reports_every_service(start_suite, service_config, web_session):
    start_suite(service_config, CATALOGUE)
    response = web_session.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json()["checks"] == {
        "database": True, "ticketing": True, "permits": True, "notifications": True,
        "feedback": True, "standards": True}


def test_idempotency_key_returns_the_same_ticket(start_suite, service_config, web_session):
    start_suite(service_config, CATALOGUE)
    headers = {"Idempotency-Key": "kiosk-3-req-42"}
    first = web_session.post("/api/v1/tickets", json={"service_id": "samsat-pkb"}, headers=headers)
    again = web_session.post("/api/v1/tickets", json={"service_id": "samsat-pkb"}, headers=headers)
    other = web_session.post("/api/v1/tickets", json={"service_id": "samsat-pkb",
                                                          "contact": {"phone": "081100000001"}})
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["number"] == "H-001"
    assert other.json()["number"] == "H-002"
