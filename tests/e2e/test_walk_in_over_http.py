"""End to end: separate processes, driven over HTTP like a kiosk would."""
import requests

from tests.support import wait_for


def test_agencies_catalogue_is_public_and_complete(base_url):
    response = requests.get(base_url + "/api/v1/agencies", timeout=30)
    assert response.status_code == 200
    agencies = {a["code"]: a for a in response.json()["agencies"]}
    assert len(agencies) >= 10
    assert {s["id"] for s in agencies["disdukcapil"]["services"]} >= {
        "disdukcapil-ktp", "disdukcapil-kk", "disdukcapil-akta"}
    assert {p["id"] for p in agencies["dpmptsp"]["permit_types"]} >= {"pbg", "sip-bidan"}


def test_kiosk_ticket_reaches_notifications(base_url, cluster):
    response = requests.post(base_url + "/api/v1/tickets", json={"service_id": "samsat-pkb",
                                   "contact": {"phone": "081100000001"}},
                             timeout=30)
    assert response.status_code == 201, response.text
    ticket = response.json()
    assert ticket["number"].startswith("H-")
    messages = wait_for(lambda: cluster.notifications.messages_for(ticket["id"]), timeout=20,
                        message="notifications to handle ticket_contact_given")
    assert messages[0]["kind"] == "ticket_issued"


def test_ready_when_everything_answers(base_url):
    response = requests.get(base_url + "/readyz", timeout=30)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "ready"
