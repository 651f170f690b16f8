"""What opens a citizen's application or booking (the tracking code with its PIN, the booking
code) is shown once, to the request that created it: a replay of the same Idempotency-Key
gets an answer that says it was filed/booked and opens nothing. A guessed key is then
worth nothing."""
from tests.integration.gateway.helpers import APPLICANT, PDF

FILING = {"permit_type_id": "sip", "applicant": APPLICANT, "form": {"str_number": "STR-777"},
          "documents": [{"kind": "ktp", "filename": "ktp.pdf", "media_type": "application/pdf",
                         "content": PDF}]}


def test_a_filing_replay_returns_nothing_that_opens_the_application(api):
    key = {"Idempotency-Key": "apply-1764900000000"}
    first = api.post("/api/v1/applications", json=FILING, headers=key)
    assert first.status_code == 201 and first.json()["pin"], first.text
    replay = api.post("/api/v1/applications", json=FILING, headers=key)
    assert replay.status_code == 200, replay.text
    answer = replay.json()
    assert answer["created"] is False and "dikirim" in answer["message"]
    assert first.json()["tracking_code"] not in replay.text
    assert first.json()["pin"] not in replay.text
    assert "pin" not in answer and "tracking_code" not in answer


def test_a_booking_replay_returns_nothing_that_opens_the_booking(api):
    from datetime import date, timedelta

    day = date.today() + timedelta(days=3)
    while day.weekday() != 2:  # a Wednesday: open in the test catalogue
        day += timedelta(days=1)
    slots = api.get("/api/v1/bookings/availability", params={
        "service_id": "samsat-pkb", "date": day.isoformat()}).json()
    free = [s for s in slots["slots"] if s["bookable"]]
    body = {"service_id": "samsat-pkb", "date": day.isoformat(),
            "slot_start": free[0]["local"][:5], "name": "Budi Santoso",
            "phone": "0811-5200-0002"}
    key = {"Idempotency-Key": "book-1764900000000"}
    first = api.post("/api/v1/bookings", json=body, headers=key)
    assert first.status_code == 201, first.text
    replay = api.post("/api/v1/bookings", json=body, headers=key)
    assert replay.status_code == 200, replay.text
    assert first.json()["code"] not in replay.text
    assert replay.json()["status"] == "booked" and replay.json()["created"] is False


def test_the_pin_is_taken_from_a_header_never_from_the_address(api):
    """A URL lands in browser history, proxies' logs and Referer headers: the PIN travels in
    ``X-Application-Pin`` only (the portal sends it so)."""
    filed = api.post("/api/v1/applications", json=FILING,
                     headers={"Idempotency-Key": "pin-header-1"}).json()
    path = "/api/v1/applications/" + filed["tracking_code"]
    in_query = api.get(path, params={"pin": filed["pin"]})
    assert in_query.status_code == 422, in_query.text
    assert "X-Application-Pin" in in_query.text
    assert api.get(path, headers={"X-Application-Pin": filed["pin"]}).status_code == 200
    pdf = api.get(path + "/permit.pdf", params={"pin": filed["pin"]})
    assert pdf.status_code == 422, pdf.text


def test_the_ticket_token_is_accepted_in_a_header(api):
    ticket = api.post("/api/v1/tickets", json={"service_id": "ptsp-izin"}).json()
    path = "/api/v1/tickets/" + ticket["id"]
    seen = api.get(path, headers={"X-Ticket-Token": ticket["access_token"]})
    assert seen.status_code == 200 and seen.json()["id"] == ticket["id"]
    assert api.get(path, headers={"X-Ticket-Token": "wrong"}).status_code == 404
