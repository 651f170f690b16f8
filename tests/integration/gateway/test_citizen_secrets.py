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


def test_the_ticket_token_is_taken_from_a_header_never_from_the_address(api):
    """Like the PIN: ``X-Ticket-Token`` only; a token in the address is refused with a field
    message (the QR's link keeps it after ``#``, which no server sees, and the portal moves
    it into the header). Refused for reading, giving up, the QR and the survey link."""
    ticket = api.post("/api/v1/tickets", json={"service_id": "ptsp-izin"}).json()
    path = "/api/v1/tickets/" + ticket["id"]
    token = {"X-Ticket-Token": ticket["access_token"]}
    seen = api.get(path, headers=token)
    assert seen.status_code == 200 and seen.json()["id"] == ticket["id"]
    assert api.get(path, headers={"X-Ticket-Token": "wrong"}).status_code == 404
    for method, url in (("GET", path), ("GET", path + "/qr.svg"), ("GET", path + "/survey"),
                        ("DELETE", path)):
        in_query = api.request(method, url, params={"token": ticket["access_token"]})
        assert in_query.status_code == 422, (url, in_query.text)
        assert "X-Ticket-Token" in in_query.json()["errors"]["token"][0]
    # nothing was given up by the refused DELETE
    assert api.get(path, headers=token).json()["status"] == "waiting"
    qr = api.get(path + "/qr.svg", headers=token)
    assert qr.status_code == 200 and qr.headers["Content-Type"].startswith("image/svg+xml")


def test_wrong_pins_over_http_end_in_a_429_with_retry_after(api):
    filed = api.post("/api/v1/applications", json=FILING,
                     headers={"Idempotency-Key": "pin-guess-1"}).json()
    path = "/api/v1/applications/" + filed["tracking_code"]
    wrong = "{:06d}".format((int(filed["pin"]) + 1) % 10 ** 6)
    answers = [api.get(path, headers={"X-Application-Pin": wrong}).status_code
               for _ in range(4)]
    assert answers == [404, 404, 404, 429], answers
    refused = api.get(path, headers={"X-Application-Pin": filed["pin"]})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    renewed = api.post(path + "/new-pin")
    assert renewed.status_code == 202 and filed["pin"] not in renewed.text
    # the new PIN goes to the applicant's phone (notifications' history of the application)
    from tests.integration.gateway.helpers import bearer
    from tests.support import wait_for

    staff = bearer(api, "dpmptsp.officer")
    history = wait_for(lambda: [m for m in api.get("/api/v1/notifications", headers=staff, params={
        "reference": filed["application_id"]}).json().get("messages", [])
        if "pin" in str(m.get("kind", m.get("event", "")))], message="the new PIN's message")
    assert history
    unknown = api.post("/api/v1/applications/2222-2222-2X/new-pin")
    assert unknown.status_code in (202, 422)


def test_a_portal_phone_is_confirmed_over_http_with_field_messages(api, gateway_config):
    """``POST /api/v1/phone-confirmations``: a malformed number or code and a wrong code are
    422s naming the field; the code the first message carried confirms; five wrong codes a
    day for one number, then 429."""
    from services.common import settings
    from services.notifications import confirmation

    key = settings.secret(gateway_config, "NOTIFY_PHONE_KEY") or ""
    path = "/api/v1/phone-confirmations"
    code = confirmation.code_for(key, "+6281152000021")
    wrong = "{:06d}".format((int(code) + 1) % 10 ** 6)
    malformed = api.post(path, json={"phone": "12", "code": "12ab"})
    assert malformed.status_code == 422 and {"phone", "code"} <= set(malformed.json()["errors"])
    refused = api.post(path, json={"phone": "0811-5200-0021", "code": wrong})
    assert refused.status_code == 422 and "code" in refused.json()["errors"], refused.text
    confirmed = api.post(path, json={"phone": "0811-5200-0021", "code": code})
    assert confirmed.status_code == 200 and confirmed.json() == {"confirmed": True}
    other = "0811-5200-0022"
    answers = [api.post(path, json={"phone": other, "code": wrong}).status_code
               for _ in range(6)]
    assert answers == [422] * 5 + [429], answers
