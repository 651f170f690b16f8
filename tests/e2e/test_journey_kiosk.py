"""The citizen at the kiosk, in Chromium, only tapping and typing (tests/e2e/browser/
kiosk_journey.py): walk-in with a phone, booking check-in, a multi-agency visit."""
from datetime import datetime, timedelta, timezone

from services.ticketing import codes
from tests.e2e import journey_setup as setup
from tests.e2e.browser import harness

PHONE = "+6281152000099"


def _booking_due_now(mongo_client, suite, service):
    """A booking made earlier (on the portal) for a slot starting in ten minutes: set-up."""
    start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(minutes=10)
    code = codes.booking_code()
    db = mongo_client["{}_ticketing".format(suite.env["MONGO_DB_PREFIX"])]
    db.bookings.insert_one({
        "_id": code, "code": code, "service_id": service["id"], "agency": "samsat",
        "day": start.date().isoformat(), "slot_start": start,
        "slot_end": start + timedelta(minutes=30), "slot_local": "–", "name": "Warga Uji",
        "phone": PHONE, "language": "id", "nik_key": None, "status": "booked",
        "created_at": datetime.now(timezone.utc), "version": 0, "ticket_id": None})
    return code


def test_citizen_at_the_kiosk(base_url, suite, mongo_client):
    agencies = setup.catalogue(base_url)
    samsat, bpjs = setup.agency(agencies, "samsat"), setup.agency(agencies, "bpjs-kesehatan")
    service, other = samsat["services"][0], bpjs["services"][0]
    code = _booking_due_now(mongo_client, suite, service)

    seen = harness.run("kiosk_journey:citizen_at_the_kiosk", base_url,
                       agency=samsat["name"], service=service["name"],
                       other_agency=bpjs["name"], other_service=other["name"],
                       booking_code=code, idle_seconds=10, codes=setup.codes(agencies))

    # big touch targets on every screen
    assert seen["small_targets"] == {k: [] for k in seen["small_targets"]}
    assert seen["no_codes_on_service_buttons"] and seen["back_shows_agencies"]
    # a wrong phone is named beside the field
    assert "nomor" in seen["phone_error"].lower() or "telepon" in seen["phone_error"].lower()
    # the lost answer: the retry carried the same key and got the ticket already made
    assert len(seen["retry_keys"]) == 2 and seen["retry_keys"][0] == seen["retry_keys"][1]
    assert seen["offline_message"].startswith("Tidak tersambung")
    # priority visibly marked, time in WIB whatever the browser's zone, the QR visible
    assert seen["priority_mark"].startswith("★ PRIORITAS") and "Lansia" in seen["priority_mark"]
    assert "WIB" in seen["ticket_text"] and service["name"] in seen["ticket_text"]
    assert seen["qr_size"] >= 100
    # one short ticket on either roll, no heading, the number on one line
    assert seen["print"]["58"]["pages"] == 1
    for mm, printed in seen["print"].items():
        assert printed["height_mm"] < 120, (mm, printed)
        assert printed["number_lines"] == 1 and not printed["heading_printed"], (mm, printed)
        assert not printed["buttons_printed"], (mm, printed)
    # printed: back to the start; left alone (in English): back to the start, in Indonesian
    assert seen["after_print_ticket_gone"]
    assert seen["after_idle_lang"] == "id" and seen["after_idle_ticket_gone"]
    # the retry and the double tap made no extra ticket: the numbers follow each other
    first, second, third = seen["numbers_follow"]
    assert (second, third) == (first + 1, first + 2)
    assert seen["regular_has_no_mark"]
    # booking check-in
    assert "tidak ditemukan" in seen["wrong_code"].lower()
    assert seen["checked_in"].startswith(service["prefix"] + "-")
    assert "Booking" in seen["checked_in_mark"]
    # the visit: one number, both services named in order
    assert seen["visit_number"].startswith(service["prefix"] + "-")
    assert seen["visit_steps"] == [service["name"], other["name"]]
