"""A citizen's day on a phone, by clicking and typing (tests/e2e/browser/portal_journey.py and
public_journey.py): filing with mistakes, booking a slot, verifying a permit, the public
statistics, survey and complaint forms."""
import datetime
import re

from tests.e2e.browser import harness


def test_filing_mistakes_are_named_beside_their_fields_and_decimals_take_a_comma(base_url):
    from tests.e2e.conftest import DEMO_PASSWORD

    r = harness.run("portal_journey:citizen_files_with_mistakes", base_url,
                    password=DEMO_PASSWORD)
    assert "Rp 150.000" in r["type_info"] and "3 hari kerja" in r["type_info"]
    assert set(r["empty"].values()) == {"Wajib diisi"}
    assert r["wrong_nik"] == "NIK harus 16 angka"
    assert r["wrong_size"] == "Antara 0,5 dan 200"  # the server's message, Indonesian half
    assert r["wrong_size_en"] == "Between 0.5 and 200."
    assert r["kept_after_switch"] == "Jl. Pemuda km 2, Kuala Kapuas"
    assert r["tracking_code"] and r["errors_left"] == 0  # "2,5" went through
    assert r["new_rows_for_applicant"] == 1  # a double tap filed once


def _working_day():
    day = datetime.date.today() + datetime.timedelta(days=2)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day.isoformat()


def test_a_citizen_books_a_slot_with_nik_and_cancels_it(base_url):
    r = harness.run("portal_journey:citizen_books_a_slot", base_url,
                    service_label="Nomor Induk Berusaha (NIB)", day=_working_day())
    assert len(r["booking_code"]) >= 6 and "WIB" in r["booking"]
    assert r["second"].startswith("NIK ini sudah punya booking")
    assert r["early"].startswith("Terlalu awal untuk check-in") and "WIB" in r["early"]
    assert "Booking dibatalkan" in r["cancelled"]


def test_an_unknown_permit_is_said_to_be_unknown(base_url):
    r = harness.run("portal_journey:citizen_verifies_a_permit", base_url)
    assert r["status"].startswith("Izin tidak dikenal")


def test_a_complaint_is_filed_on_a_phone_and_answered_in_the_back_office(base_url):
    from tests.e2e.browser.public_journey import HOSTILE_TEXT
    from tests.e2e.conftest import DEMO_PASSWORD

    r = harness.run("public_journey:citizen_complains_and_the_office_reads_it", base_url,
                    password=DEMO_PASSWORD)
    assert "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu" in r["agency_options"]
    assert "dpmptsp" not in r["agency_options"]  # names, never codes
    assert r["small_radios"] == []  # every choice is a 48 px target at least
    assert r["empty_error"] == "Wajib diisi"
    # the deadline is a day in the MPP's calendar, not "00.00" of the day after
    assert r["due"].startswith("Batas tanggapan: ") and "00.00" not in r["due"]
    # what the citizen typed is shown as typed: text, never markup
    assert r["office_text"] == HOSTILE_TEXT and r["markup_in_cell"] == 0
    assert "Dijawab" in r["answered_row"] and r["alerts"] == []


def test_the_statistics_fit_a_phone(base_url):
    r = harness.run("public_journey:statistics_on_a_phone", base_url)
    assert r["scroll_width"] <= r["viewport_width"] == 390  # no horizontal scroll
    assert r["smallest_text_px"] >= 14
    assert "Dinas Penanaman Modal" in r["ikm_text"]  # the agency of today's visit, by name
    assert "dpmptsp" not in r["ikm_text"]


def test_a_kiosk_ticket_is_followed_on_a_phone_by_its_number(base_url):
    r = harness.run("portal_journey:citizen_tracks_a_ticket_by_its_number", base_url,
                    agency_name="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
                    service_button="Nomor Induk Berusaha (NIB)")
    assert r["shown"] == r["number"]  # typed in lower case without the hyphen
    assert "Menunggu dipanggil" in r["tracking"]
    eta = r["tracking"].split("Perkiraan dipanggil")[1]
    assert "belum dapat diperkirakan" in eta or "menit lagi" in eta  # never "––– min"
    assert r["unknown"] == "Nomor antrean tidak ditemukan hari ini"
    # the ticket and the followed ticket both lead to the service's published standard
    assert r["ticket_standard"].startswith("Standar pelayanan: ")
    assert r["ticket_standard"].endswith("/standards")
    assert r["standard_link"].startswith("/standards?service=")


def test_a_served_citizen_scans_the_counters_qr_and_the_statistics_count_the_answer(base_url):
    from tests.e2e import journey_setup as setup
    from tests.e2e.conftest import DEMO_PASSWORD

    agencies = setup.catalogue(base_url)
    bpjstk = setup.agency(agencies, "bpjs-ketenagakerjaan")
    service = bpjstk["services"][0]
    counter = setup.counter_serving(base_url, "bpjs-ketenagakerjaan.officer", DEMO_PASSWORD,
                                    service["id"])
    r = harness.run("survey_journey:citizen_rates_the_visit", base_url,
                    officer="bpjs-ketenagakerjaan.officer", password=DEMO_PASSWORD,
                    counter_name=counter["name"], agency=bpjstk["name"], service=service["name"],
                    codes=setup.codes(agencies))
    assert r["called"] == r["ticket"]
    # the code on the counter's screen opens this MPP's survey page, for this visit
    assert r["survey_url"].startswith(base_url + "/survey#t=")
    assert service["name"] in r["about"] and bpjstk["name"] in r["about"]
    assert r["unanswered"]  # nothing chosen: said, nothing sent
    assert r["questions"] == 9  # the nine IKM elements (PermenPAN-RB 14/2017)
    assert r["errors_left"] == 0 and r["alert_left"] == ""  # answered: the messages went
    assert "Terima kasih" in r["thanks"]
    assert r["again"] and "sudah" in r["again"]
    # the agency's IKM now has a score and one respondent
    assert re.search(re.escape(bpjstk["name"]) + r" \d+,\d\d · Mutu [A-D]", r["ikm_line"]), \
        r["ikm_line"]
    assert r["summary_before"] != r["summary_after"]


def _shift_booking_to_now(mongo_client, suite, code):
    """The day of the visit comes: the booking's slot starts in ten minutes (set-up; the
    journey cannot wait for the date it booked)."""
    start = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) + \
        datetime.timedelta(minutes=10)
    db = mongo_client["{}_ticketing".format(suite.env["MONGO_DB_PREFIX"])]
    booking = db.bookings.find_one({"code": code})
    length = booking["slot_end"] - booking["slot_start"]
    db.bookings.update_one({"_id": booking["_id"]}, {"$set": {
        "day": start.date().isoformat(), "slot_start": start, "slot_end": start + length}})


def test_a_booking_stays_on_the_phone_and_its_check_in_is_followed_live(
        base_url, suite, mongo_client, tmp_path):
    from tests.e2e import journey_setup as setup
    from tests.e2e.conftest import DEMO_PASSWORD

    agencies = setup.catalogue(base_url)
    bpn = setup.agency(agencies, "bpn")
    service = bpn["services"][0]
    counter = setup.counter_serving(base_url, "bpn.officer", DEMO_PASSWORD, service["id"])
    state = str(tmp_path / "phone.json")
    booked = harness.run("portal_journey:citizen_books_and_reloads", base_url,
                         service_label=service["name"], day=_working_day(), state_path=state)
    # a reload, and a new tab, still show the booking
    assert booked["booking_code"] in booked["after_reload"]
    assert booked["booking_code"] in booked["new_tab"]
    assert "WIB" in booked["after_reload"]

    _shift_booking_to_now(mongo_client, suite, booked["booking_code"])
    r = harness.run("portal_journey:citizen_checks_in_and_follows_live", base_url,
                    state_path=state, officer="bpn.officer", password=DEMO_PASSWORD,
                    counter_name=counter["name"], codes=setup.codes(agencies))
    assert r["number"].startswith(service["prefix"] + "-")
    assert r["number"] in r["checked_in"]
    assert "Menunggu dipanggil" in r["tracking_before"]
    assert r["buttons_left"] == 0  # checked in: no second check-in, no cancel
    assert r["called"] == r["number"]
    # the phone was not touched: the call reached it, with the counter by its name
    assert "Dipanggil, silakan ke " + counter["name"] in r["tracking_called"]


def test_a_kiosk_tickets_qr_opens_its_page_on_a_phone_which_follows_the_calls_live(base_url):
    from tests.e2e import journey_setup as setup
    from tests.e2e.conftest import DEMO_PASSWORD

    agencies = setup.catalogue(base_url)
    imigrasi = setup.agency(agencies, "imigrasi")
    service = imigrasi["services"][0]
    counter = setup.counter_serving(base_url, "imigrasi.officer", DEMO_PASSWORD, service["id"])
    r = harness.run("portal_journey:citizen_follows_a_ticket_by_its_qr", base_url,
                    agency_name=imigrasi["name"], service_button=service["name"],
                    officer="imigrasi.officer", password=DEMO_PASSWORD,
                    counter_name=counter["name"], codes=setup.codes(agencies))
    assert r["url"].startswith(base_url + "/portal#track=")
    assert r["shown"] == r["number"] and "Menunggu dipanggil" in r["waiting"]
    assert r["called"] == r["number"]
    assert "Dipanggil, silakan ke " + counter["name"] in r["tracking_called"]
    assert "Selesai dilayani" in r["tracking_done"]
    assert r["survey_link"] == 1  # the same phone rates the service


def test_a_ticket_is_followed_from_its_qr_with_the_token_never_in_an_address(base_url):
    r = harness.run("portal_journey:citizen_scans_the_ticket_qr", base_url,
                    agency_name="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
                    service_button="Nomor Induk Berusaha (NIB)")
    # the QR's link keeps the token after "#", which browsers never send
    path, _, fragment = r["link"].partition("#")
    assert "token=" not in path and "token=" in fragment and "/portal" in path
    assert r["shown"] == r["after_reload"] == r["number"]
    assert "Menunggu dipanggil" in r["tracking"]
    # moved out of the address (and so out of the tab's history) at once, and after a reload
    assert "token" not in r["address"] and "token" not in r["address_after_reload"]
    # every request about the ticket carried it in the header, none in its address
    assert r["sent"] and all(s["token_header"] for s in r["sent"]), r["sent"]
    assert not [s for s in r["sent"] if "token" in s["url"]]


def test_a_phone_given_on_the_portal_is_confirmed_before_a_second_message(base_url, suite,
                                                                          cluster):
    """The booking's message carries a code; the citizen types it on the portal; only then
    does the cancellation reach the number (before, it would end ``phone_unconfirmed``)."""
    from tests.support import wait_for

    r = harness.run("portal_journey:citizen_confirms_the_phone", base_url,
                    service_label="Nomor Induk Berusaha (NIB)", day=_working_day(),
                    mongo_uri=suite.env["MONGO_URI"],
                    notifications_db="{}_notifications".format(suite.env["MONGO_DB_PREFIX"]))
    assert r["hint"].startswith("Kami mengirim kode 6 angka ke nomor Anda")
    assert "Kode konfirmasi nomor ini" in r["inbox"][0]
    assert r["wrong"].startswith("Kode tidak cocok")
    assert r["confirmed"].startswith("Nomor terkonfirmasi")

    def cancellation():
        found = [m for m in cluster.notifications.messages_for(r["booking_code"])
                 if m["kind"] == "booking_cancelled" and m["status"] in (
                     "delivered", "permanent_failure")]
        return found[0] if found else None
    sent = wait_for(cancellation, timeout=30, message="the cancellation message")
    assert sent["status"] == "delivered" and sent["channel"] in ("whatsapp", "sms")
