"""Kiosk to counter through the gateway: tickets, QR, queue, board, and every counter action
with role and agency checks (an officer of one agency never acts on another's counter)."""
from tests.integration.gateway.helpers import assert_problem, bearer


def test_walk_in_to_complete_with_scope_checks(api):
    ticket = api.post("/api/v1/tickets", json={"service_id": "samsat-pkb",
                                               "priority_group": "lansia"},
                      headers={"Idempotency-Key": "kiosk-1-a"}).json()
    assert ticket["number"] == "H-001" and "access_token" in ticket
    assert "contact" not in ticket
    bad = assert_problem(api.post("/api/v1/tickets", json={"service_id": "samsat-pkb",
                                                           "priority_group": "vip", "x": 1}), 422)
    assert {"priority_group", "x"} <= set(bad["errors"])

    qr = api.get("/api/v1/tickets/{}/qr.svg".format(ticket["id"]),
                 headers={"X-Ticket-Token": ticket["access_token"]})
    assert qr.status_code == 200 and qr.headers["Content-Type"].startswith("image/svg+xml")
    assert qr.text.startswith("<svg")
    assert_problem(api.get("/api/v1/tickets/{}/qr.svg".format(ticket["id"]),
                           headers={"X-Ticket-Token": "nope"}), 404)

    queue = api.get("/api/v1/queues/samsat-pkb").json()
    assert queue["waiting"] >= 1 and queue["service_id"] == "samsat-pkb"
    assert_problem(api.get("/api/v1/queues/nothing"), 404)

    samsat = bearer(api, "samsat.officer")
    other = bearer(api, "dpmptsp.officer")
    assert_problem(api.post("/api/v1/counters/samsat-7/open"), 401)
    assert_problem(api.post("/api/v1/counters/samsat-7/open", headers=other), 403)
    assert_problem(api.post("/api/v1/counters/nothing/open", headers=samsat), 404)
    opened = api.post("/api/v1/counters/samsat-7/open", headers=samsat)
    assert opened.status_code == 200 and opened.json()["officer"] == "samsat.officer"
    assert [c["id"] for c in api.get("/api/v1/counters", headers=samsat).json()["counters"]] == [
        "samsat-7"]
    assert_problem(api.get("/api/v1/counters?agency=samsat", headers=other), 403)
    assert_problem(api.get("/api/v1/counters/samsat-7", headers=other), 403)

    assert_problem(api.post("/api/v1/counters/samsat-7/call-next", headers=other), 403)
    called = api.post("/api/v1/counters/samsat-7/call-next", headers=samsat)
    assert called.status_code == 200, called.text
    assert called.json()["number"] == "H-001" and called.json()["counter_name"] == "Loket 7"

    path = "/api/v1/tickets/{}/".format(ticket["id"])
    body = {"counter_id": "samsat-7"}
    assert_problem(api.post(path + "recall", json=body), 401)
    # at their own counter, another agency's officer still cannot touch this ticket
    api.post("/api/v1/counters/ptsp-1/open", headers=other)
    foreign = api.post(path + "recall", json={"counter_id": "ptsp-1"}, headers=other)
    assert foreign.status_code in (403, 409), foreign.text
    assert_problem(api.post(path + "recall", json=body, headers=other), 403)
    assert_problem(api.post(path + "recall", json={}, headers=samsat), 422)
    assert_problem(api.post(path + "dance", json=body, headers=samsat), 404)
    assert api.post(path + "recall", json=body, headers=samsat).json()["call_seq"] >= 2
    assert api.post(path + "start", json=body, headers=samsat).json()["status"] == "serving"
    assert_problem(api.post(path + "start", json=body, headers=samsat), 409)
    done = api.post(path + "complete", json=body, headers=samsat)
    assert done.status_code == 200 and done.json()["status"] == "completed"

    mine = api.get("/api/v1/tickets/" + ticket["id"],
                   headers={"X-Ticket-Token": ticket["access_token"]})
    assert mine.json()["status"] == "completed"
    board = api.get("/api/v1/board?agency=samsat").json()
    assert board["last_called"][0]["number"] == "H-001"
    closed = api.post("/api/v1/counters/samsat-7/close", headers=samsat)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_skip_transfer_call_and_visit(api):
    samsat = bearer(api, "samsat.officer")
    api.post("/api/v1/counters/samsat-7/open", headers=samsat)
    first = api.post("/api/v1/tickets", json={"service_id": "samsat-pkb"}).json()
    second = api.post("/api/v1/tickets", json={"service_id": "samsat-bbn"}).json()
    visit = api.post("/api/v1/visits", json={"steps": ["samsat-pkb", "ptsp-izin"]})
    assert visit.status_code == 201, visit.text

    assert_problem(api.post("/api/v1/counters/samsat-7/call", json={"ticket_id": second["id"]},
                            headers=samsat), 422)
    override = api.post("/api/v1/counters/samsat-7/call", json={
        "ticket_id": second["id"], "reason": "dokumen sudah siap"}, headers=samsat)
    assert override.status_code == 200, override.text
    skipped = api.post("/api/v1/tickets/{}/skip".format(second["id"]), json={
        "counter_id": "samsat-7", "return_to_queue": True}, headers=samsat)
    assert skipped.status_code == 200, skipped.text

    api.post("/api/v1/counters/samsat-7/call", json={"ticket_id": first["id"],
                                                     "reason": "urutan awal"}, headers=samsat)
    missing = assert_problem(api.post("/api/v1/tickets/{}/transfer".format(first["id"]), json={
        "counter_id": "samsat-7"}, headers=samsat), 422)
    assert "target_service_id" in missing["errors"]
    moved = api.post("/api/v1/tickets/{}/transfer".format(first["id"]), json={
        "counter_id": "samsat-7", "target_service_id": "ptsp-izin", "reason": "izin"},
        headers=samsat)
    assert moved.status_code == 200, moved.text
    assert moved.json()["next_ticket"]["number"].startswith("P-")


def test_bookings_over_http(api):
    from datetime import date, timedelta

    day = date.today() + timedelta(days=3)
    while day.weekday() != 2:  # a Wednesday: open in the test catalogue
        day += timedelta(days=1)
    day = day.isoformat()
    slots = api.get("/api/v1/bookings/availability?service_id=samsat-pkb&date=" + day)
    assert slots.status_code == 200, slots.text
    bad = assert_problem(api.get("/api/v1/bookings/availability?service_id=samsat-pkb&date=x"),
                         422)
    assert "date" in bad["errors"]
    free = [s for s in slots.json()["slots"] if s["bookable"]]
    assert free, slots.json()
    body = {"service_id": "samsat-pkb", "date": day, "slot_start": free[0]["local"][:5],
            "name": "Budi Santoso", "phone": "0811-5200-0002"}
    invalid = assert_problem(api.post("/api/v1/bookings", json=dict(body, phone="12",
                                                                    nik="123")), 422)
    assert {"phone", "nik"} <= set(invalid["errors"])
    booked = api.post("/api/v1/bookings", json=body, headers={"Idempotency-Key": "book-1"})
    assert booked.status_code == 201, booked.text
    again = api.post("/api/v1/bookings", json=body, headers={"Idempotency-Key": "book-1"})
    assert again.status_code == 200 and booked.json()["code"] not in again.text
    text = booked.text
    assert "Budi" not in text and "52000002" not in text
    code = booked.json()["code"]
    assert_problem(api.post("/api/v1/bookings/{}/cancel".format(code),
                            json={"phone": "0811-5200-0099"}), 404)
    cancelled = api.post("/api/v1/bookings/{}/cancel".format(code),
                         json={"phone": "0811-5200-0002"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert api.post("/api/v1/bookings/{}/check-in".format(code)).status_code in (404, 409, 422)
