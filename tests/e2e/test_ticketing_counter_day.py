"""End to end, separate processes: a kiosk ticket over HTTP, the counter's day over RPC (the
gateway's counter routes are another engineer's), the holder's view over HTTP."""
import requests

from tests.support import wait_for


def test_walk_in_is_called_served_and_seen_by_its_holder(base_url, cluster):
    response = requests.post(base_url + "/api/v1/tickets", json={"service_id": "polres-skck",
                                   "contact": {"phone": "081100000001"}},
                             timeout=30)
    assert response.status_code == 201, response.text
    ticket = response.json()
    assert ticket["position"] >= 1 and ticket["eta_min_minutes"] is None   # no counter open
    cluster.ticketing.open_counter("polres-6", "e2e-officer")
    called = cluster.ticketing.call_next("polres-6", "e2e-officer")
    for _ in range(ticket["position"]):  # who the session's other tests left waiting is first
        if called["id"] == ticket["id"]:
            break
        cluster.ticketing.skip(called["id"], "polres-6", "e2e-officer")
        called = cluster.ticketing.call_next("polres-6", "e2e-officer")
    assert called["id"] == ticket["id"] and called["counter_name"] == "Loket 6"
    board = cluster.ticketing.board("polres")
    assert {c["id"]: c["now_serving"] for c in board["counters"]}["polres-6"] == ticket["number"]
    cluster.ticketing.start(ticket["id"], "polres-6", "e2e-officer")
    cluster.ticketing.complete(ticket["id"], "polres-6", "e2e-officer")
    seen = requests.get("{}/api/v1/tickets/{}".format(base_url, ticket["id"]), timeout=30,
                        headers={"X-Ticket-Token": ticket["access_token"]}).json()
    assert seen["status"] == "completed"
    messages = wait_for(lambda: cluster.notifications.messages_for(ticket["id"]), timeout=20,
                        message="notifications to handle ticket_contact_given")
    assert messages[0]["kind"] == "ticket_issued"
    cluster.ticketing.close_counter("polres-6", "e2e-officer")
