"""The citizen portal on a phone: filing with mistakes (each field's message beside it, in
the chosen language; a decimal typed with a comma), booking a slot with NIK then checking in
and following the ticket live, cancelling a booking, verifying a permit."""
import re
import time

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


def _book(b, base_url, service_label, day, nik, name, phone):
    """On a phone: choose the service, the day and its first free slot, type NIK, name and
    number, and book; returns the page."""
    portal = b.page("citizen", "phone")
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
    return portal


def citizen_books_a_slot(b, base_url, service_label, day):
    """Book with NIK, see the booking, be refused a second one for the same NIK, try to check
    in days early (told when to come back), cancel."""
    out = {}
    portal = _book(b, base_url, service_label, day, "6203015708900003", "Rina Wati",
                   "0811-5200-0003")
    out["booking_code"] = b.wait_text(portal, "#booking-code", bool)
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
    portal = b.page("citizen", "phone")
    portal.goto(base_url + "/portal")
    portal.get_by_label("Nomor antrean").fill(number.lower().replace("-", ""))
    portal.get_by_role("button", name="Lacak").click()
    shown = b.wait_text(portal, "#ticket-number", lambda text: text == number)
    tracking = b.wait_text(portal, "#track-out", lambda text: "Perkiraan dipanggil" in text)
    b.check(portal, "01-tracking-by-number")
    portal.get_by_label("Nomor antrean").fill("Z-999")
    portal.get_by_role("button", name="Lacak").click()
    unknown = b.wait_text(portal, "#track [role=alert]", bool)
    b.check(portal, "02-unknown-number")
    return {"number": number, "shown": shown, "tracking": tracking, "unknown": unknown}


def _scan(element):
    """What a phone's camera reads from the QR code on screen (zxing-cpp on a screenshot)."""
    import io

    import zxingcpp
    from PIL import Image

    image = Image.open(io.BytesIO(element.screenshot()))
    found = zxingcpp.read_barcodes(image)
    return found[0].text if found else None


def citizen_scans_the_ticket_qr(b, base_url, agency_name, service_button):
    """A ticket from the kiosk, its QR scanned by the citizen's phone: the portal follows it.
    The token rides after ``#`` in the QR's link (no server sees that part); the page moves it
    out of the address into the tab's storage and sends it in ``X-Ticket-Token``; a reload
    still follows the ticket."""
    kiosk = b.page("kiosk", "kiosk")
    kiosk.goto(base_url + "/kiosk")
    number = take_ticket(kiosk, agency_name, service_button)
    link = _scan(kiosk.wait_for_selector("#ticket .qr svg"))
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
    portal = _book(b, base_url, service_label, day, "6203015708900004", "Dewi Lestari",
                   "0811-5200-0004")
    out["booking_code"] = b.wait_text(portal, "#booking-code", bool)
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
