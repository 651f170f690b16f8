"""The citizen portal on a phone: filing with mistakes (each field's message beside it, in
the chosen language; a decimal typed with a comma), booking a slot with NIK then checking in
and following the ticket live, cancelling a booking, verifying a permit."""
import re
import time

from tests.e2e.browser.counter_journey import (button, close_counter, current, opened_console,
                                               serve_and_complete)
from tests.e2e.browser.kiosk_journey import take_ticket

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def field_error(page, label):
    """The message shown beside the field labelled ``label``."""
    field = page.locator("#apply").get_by_label(label, exact=True)
    described = field.get_attribute("aria-describedby")
    return page.inner_text("#" + described).strip() if described else None


def citizen_files_with_mistakes(b, base_url, password):
    out = {}
    portal = b.page("citizen", "phone")
    portal.goto(base_url + "/portal")
    portal.wait_for_selector("#app-type option[value='izin-reklame']", state="attached")
    portal.get_by_label("Jenis izin").select_option(label="Izin Penyelenggaraan Reklame")
    out["type_info"] = b.wait_text(portal, "#type-info", lambda text: "Rp" in text)
    b.check(portal, "01-permit-type")
    # nothing filled in: every required field says so, beside itself
    portal.get_by_role("button", name="Kirim permohonan").click()
    b.wait_text(portal, "#apply [role=alert]", bool)
    out["empty"] = {label: field_error(portal, label) for label in (
        "Ukuran (m²)", "Lokasi", "Lama pemasangan (bulan)", "NIK (16 angka)", "Nama lengkap")}
    b.check(portal, "02-empty-form-errors")
    # a size below the minimum, typed the Indonesian way, and a short NIK
    portal.get_by_label("Ukuran (m²)").fill("0,2")
    portal.get_by_label("Lokasi").fill("Jl. Pemuda km 2, Kuala Kapuas")
    portal.get_by_label("Lama pemasangan (bulan)").fill("3")
    portal.locator("#apply").get_by_label("NIK (16 angka)").fill("62030157")
    portal.locator("#apply").get_by_label("Nama lengkap").fill("Budi Santoso")
    portal.locator("#apply").get_by_label("Nomor WhatsApp/HP").fill("0811-5200-0002")
    portal.get_by_label("KTP pemohon").set_input_files(pdf("ktp.pdf"))
    portal.get_by_label("Desain reklame").set_input_files(pdf("desain.pdf"))
    portal.get_by_role("button", name="Kirim permohonan").click()
    b.wait_text(portal, "#apply [role=alert]", bool)
    out["wrong_nik"] = field_error(portal, "NIK (16 angka)")
    b.check(portal, "03-wrong-nik")
    portal.locator("#apply").get_by_label("NIK (16 angka)").fill("6203015708900002")
    portal.get_by_role("button", name="Kirim permohonan").click()
    b.wait_text(portal, "#apply .field-error", bool)
    out["wrong_size"] = field_error(portal, "Ukuran (m²)")
    b.check(portal, "04-size-below-minimum")
    # the same mistake read in English: nothing typed is lost by the switch
    portal.get_by_role("button", name="English").click()
    portal.get_by_role("button", name="File the application").click()
    b.wait_text(portal, "#apply [role=alert]", lambda text: "Invalid" in text)
    out["wrong_size_en"] = field_error(portal, "Size (m²)")
    out["kept_after_switch"] = portal.get_by_label("Location").input_value()
    b.check(portal, "05-size-below-minimum-english", language=False)
    portal.get_by_role("button", name="Bahasa Indonesia").click()
    # corrected: two and a half square metres, written with a comma
    portal.get_by_label("Ukuran (m²)").fill("2,5")
    portal.locator("#apply").get_by_label("NIK (16 angka)").fill("6203015708900002")
    office = b.page("officer", "desk")  # the agency's list before the filing
    office.goto(base_url + "/office")
    office.get_by_label("Nama pengguna").fill("dpmptsp.officer")
    office.get_by_label("Kata sandi").fill(password)
    office.get_by_role("button", name="Masuk").click()
    office.wait_for_selector("#office:not([hidden])")
    b.wait_text(office, "#apps", bool)
    before = office.locator("#apps tr", has_text="B*** S******").count()
    portal.get_by_role("button", name="Kirim permohonan").dblclick()  # an impatient tap
    out["tracking_code"] = b.wait_text(portal, "#tracking-code", bool)
    out["errors_left"] = portal.locator("#apply .field-error").count()
    b.check(portal, "06-filed")
    # the agency received one application, whatever the taps
    office.get_by_role("button", name="Muat ulang daftar").click()
    b.wait_text(office, "#apps", lambda text: out["tracking_code"] in text)
    out["new_rows_for_applicant"] = office.locator(
        "#apps tr", has_text="B*** S******").count() - before
    return out


def book(b, portal, base_url, service_label, day, nik, name, phone):
    """A slot booked on the portal (the first free one that day); returns its code."""
    portal.goto(base_url + "/portal")
    portal.wait_for_selector("#book-service option", state="attached")
    portal.get_by_label("Layanan").select_option(label=service_label)
    portal.get_by_label("Tanggal").fill(day)
    portal.get_by_label("Tanggal").dispatch_event("change")
    b.wait_text(portal, "#book-slot", lambda text: "tempat" in text)
    portal.locator("#book").get_by_label("NIK (16 angka)").fill(nik)
    portal.locator("#book").get_by_label("Nama lengkap").fill(name)
    portal.locator("#book").get_by_label("Nomor WhatsApp/HP").fill(phone)
    portal.get_by_role("button", name="Pesan jadwal").click()
    return b.wait_text(portal, "#booking-code", bool)


def citizen_books_a_slot(b, base_url, service_label, day):
    """Book with NIK, see the booking, be refused a second one for the same NIK, try to check
    in days early (told when to come back), cancel."""
    out = {}
    portal = b.page("citizen", "phone")
    out["booking_code"] = book(b, portal, base_url, service_label, day,
                               "6203015708900003", "Rina Wati", "0811-5200-0003")
    out["booking"] = portal.inner_text("#book-out")
    b.check(portal, "01-booked")
    # the same NIK cannot hold a second booking that day
    portal.get_by_role("button", name="Pesan jadwal").click()
    out["second"] = b.wait_text(portal, "#book [role=alert]", bool)
    b.check(portal, "02-second-booking-refused")
    portal.get_by_role("button", name="Check-in (saat sudah di MPP)").click()
    out["early"] = b.wait_text(portal, "#book-out .error", bool)
    b.check(portal, "03-check-in-too-early")
    portal.get_by_role("button", name="Batalkan booking").click()
    out["cancelled"] = b.wait_text(portal, "#book-out", lambda text: "dibatalkan" in text)
    b.check(portal, "04-cancelled")
    return out


def citizen_verifies_a_permit(b, base_url):
    portal = b.page("citizen", "phone")
    portal.goto(base_url + "/portal")
    portal.get_by_label("Nomor izin").fill("503/9999/DPMPTSP/2026")
    portal.get_by_role("button", name="Periksa").click()
    status = b.wait_text(portal, "#verify-status", bool)
    b.check(portal, "01-unknown-permit")
    return {"status": status}


def citizen_tracks_a_ticket_by_its_number(b, base_url, agency_name, service_button):
    """A ticket from the kiosk, followed on the phone by typing the number printed on it."""
    kiosk = b.page("kiosk", "kiosk")
    kiosk.goto(base_url + "/kiosk")
    number = take_ticket(kiosk, agency_name, service_button)
    ticket_standard = kiosk.inner_text("#ticket-standard")  # printed: where the promise is
    portal = b.page("citizen", "phone")
    portal.goto(base_url + "/portal")
    portal.get_by_label("Nomor antrean").fill(number.lower().replace("-", ""))
    portal.get_by_role("button", name="Lacak").click()
    shown = b.wait_text(portal, "#ticket-number", lambda text: text == number)
    tracking = b.wait_text(portal, "#track-out", lambda text: "Perkiraan dipanggil" in text)
    b.check(portal, "01-tracking-by-number")
    standard_link = portal.get_by_role("link", name="Standar pelayanan layanan ini").get_attribute(
        "href")
    portal.get_by_label("Nomor antrean").fill("Z-999")
    portal.get_by_role("button", name="Lacak").click()
    unknown = b.wait_text(portal, "#track [role=alert]", bool)
    b.check(portal, "02-unknown-number")
    return {"number": number, "shown": shown, "tracking": tracking, "unknown": unknown,
            "ticket_standard": ticket_standard, "standard_link": standard_link}


def citizen_books_and_reloads(b, base_url, service_label, day, state_path):
    """Book a slot, then reload the page (and open it again in a new tab): the booking is
    still there. The phone's storage is saved to ``state_path`` for the day of the visit."""
    out = {}
    portal = b.page("citizen", "phone")
    out["booking_code"] = book(b, portal, base_url, service_label, day,
                               "6203015708900007", "Dewi Lestari", "0811-5200-0007")
    out["booked"] = portal.inner_text("#book-out")
    portal.reload()
    out["after_reload"] = b.wait_text(portal, "#book-out", lambda t: out["booking_code"] in t)
    b.check(portal, "01-booking-after-reload")
    again = portal.context.new_page()
    again.goto(base_url + "/portal")
    out["new_tab"] = b.wait_text(again, "#book-out", lambda t: out["booking_code"] in t)
    portal.context.storage_state(path=state_path)
    return out


def _called_while_watched(b, portal, base_url, officer, password, counter_name, out):
    """The counter opens and calls the next ticket while the phone is left alone; the phone
    shows the call by itself (its 15 s re-reading is far slower than this wait)."""
    console = opened_console(b, base_url, officer, password, counter_name)
    button(console, "Panggil berikutnya").click()
    out["called"] = current(b, console, lambda t: t != "–")
    out["tracking_called"] = b.wait_text(portal, "#track-out", lambda t: "Dipanggil" in t,
                                         timeout=8)
    b.check(portal, "02-called-live")
    return console


def citizen_checks_in_and_follows_live(b, base_url, state_path, officer, password, counter_name):
    """The day of the visit, at the MPP: the phone still has the booking; "Check-in" gives a
    ticket, which the page then follows live; when the counter calls it, the page says so by
    itself (no tap, no reload)."""
    out = {}
    portal = b.page("citizen", "phone", storage_state=state_path)
    portal.goto(base_url + "/portal")
    b.wait_text(portal, "#book-out", lambda t: "Kode booking" in t)
    portal.get_by_role("button", name="Check-in (saat sudah di MPP)").click()
    out["checked_in"] = b.wait_text(portal, "#checkin-number", bool)
    out["number"] = b.wait_text(portal, "#ticket-number", bool)
    out["tracking_before"] = b.wait_text(portal, "#track-out", lambda t: "Menunggu" in t)
    # no second check-in and no cancel (the phone's confirmation form may stay: it is for
    # the messages about the ticket)
    out["buttons_left"] = sum(portal.locator("#book-out").get_by_role("button", name=n).count()
                              for n in ("Check-in (saat sudah di MPP)", "Batalkan booking"))
    b.check(portal, "01-checked-in")
    console = _called_while_watched(b, portal, base_url, officer, password, counter_name, out)
    serve_and_complete(b, console)
    close_counter(b, console)
    return out


def citizen_follows_a_ticket_by_its_qr(b, base_url, agency_name, service_button, officer,
                                       password, counter_name):
    """A kiosk ticket's QR code, scanned by the phone, opens the ticket's page; the page
    changes by itself when the counter calls the ticket."""
    out = {}
    kiosk = b.page("kiosk", "kiosk")
    kiosk.goto(base_url + "/kiosk?idle=120")
    out["number"] = take_ticket(kiosk, agency_name, service_button)
    kiosk.wait_for_selector("#ticket .qr svg")
    out["url"] = b.qr_text(kiosk, "#ticket .qr")
    portal = b.page("citizen", "phone")
    portal.goto(out["url"])
    out["shown"] = b.wait_text(portal, "#ticket-number", lambda t: t == out["number"])
    out["waiting"] = b.wait_text(portal, "#track-out", lambda t: "Menunggu" in t)
    b.check(portal, "01-tracking-by-qr")
    console = _called_while_watched(b, portal, base_url, officer, password, counter_name, out)
    serve_and_complete(b, console)
    out["tracking_done"] = b.wait_text(portal, "#track-out", lambda t: "Selesai dilayani" in t,
                                       timeout=8)
    survey = portal.get_by_role("link", name="Survei kepuasan masyarakat")
    survey.first.wait_for()
    out["survey_link"] = survey.count()
    b.check(portal, "03-served-live")
    close_counter(b, console)
    return out




def citizen_scans_the_ticket_qr(b, base_url, agency_name, service_button):
    """A ticket from the kiosk, its QR scanned by the citizen's phone: the portal follows it.
    The token rides after ``#`` in the QR's link (no server sees that part); the page moves it
    out of the address into the tab's storage and sends it in ``X-Ticket-Token``; a reload
    still follows the ticket."""
    kiosk = b.page("kiosk", "kiosk")
    kiosk.goto(base_url + "/kiosk")
    number = take_ticket(kiosk, agency_name, service_button)
    kiosk.wait_for_selector("#ticket .qr svg")
    link = b.qr_text(kiosk, "#ticket .qr")
    portal = b.page("citizen", "phone")
    sent = []
    portal.on("request", lambda r: sent.append(
        {"url": r.url, "token_header": bool(r.headers.get("x-ticket-token"))})
        if "/api/v1/tickets" in r.url else None)
    portal.goto(link)
    shown = b.wait_text(portal, "#ticket-number", lambda text: text == number)
    tracking = b.wait_text(portal, "#track-out", lambda text: "Perkiraan dipanggil" in text)
    address = portal.url
    b.check(portal, "01-followed-from-the-qr")
    portal.reload()
    after_reload = b.wait_text(portal, "#ticket-number", lambda text: text == number)
    b.check(portal, "02-after-reload")
    return {"number": number, "link": link, "shown": shown, "tracking": tracking,
            "address": address, "after_reload": after_reload, "sent": sent,
            "address_after_reload": portal.url}


def _phone_inbox(mongo_uri, database, reference):
    """The texts the citizen's phone received about ``reference`` (the simulated provider
    keeps what it sent in the notifications database): the citizen reading their phone."""
    from pymongo import MongoClient

    with MongoClient(mongo_uri) as client:
        deadline = time.time() + 30
        while time.time() < deadline:
            texts = [m["content"]["text"] for m in client[database].messages.find(
                {"reference": reference, "content.text": {"$exists": True}})]
            if texts:
                return texts
            time.sleep(0.3)
    return []


def citizen_confirms_the_phone(b, base_url, service_label, day, mongo_uri, notifications_db):
    """Book with a phone number; the booking's message carries a code; a wrong code is named
    beside the field, the right one confirms the number; then cancel (a message that goes
    only to a confirmed number)."""
    out = {}
    portal = b.page("citizen", "phone")
    out["booking_code"] = book(b, portal, base_url, service_label, day,
                               "6203015708900004", "Dewi Lestari", "0811-5200-0004")
    out["hint"] = b.wait_text(portal, "#book-confirm", bool)
    b.check(portal, "01-booked-confirm-asked")
    inbox = _phone_inbox(mongo_uri, notifications_db, out["booking_code"])
    out["inbox"] = inbox
    code = re.search(r"\b(\d{6})\b", inbox[0]).group(1)
    portal.get_by_label("Kode konfirmasi").fill("000000" if code != "000000" else "111111")
    portal.get_by_role("button", name="Konfirmasi nomor").click()
    out["wrong"] = b.wait_text(portal, "#book-confirm .field-error", bool)
    b.check(portal, "02-wrong-code")
    portal.get_by_label("Kode konfirmasi").fill(code)
    portal.get_by_role("button", name="Konfirmasi nomor").click()
    out["confirmed"] = b.wait_text(portal, "#book-confirmed", bool)
    b.check(portal, "03-number-confirmed")
    portal.get_by_role("button", name="Batalkan booking").click()
    out["cancelled"] = b.wait_text(portal, "#book-out", lambda text: "dibatalkan" in text)
    return out
