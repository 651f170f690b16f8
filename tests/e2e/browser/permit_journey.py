"""The permit journey, done the way the people do it: a citizen files on the portal (phone),
the agency's officer and supervisor take every step in the back office (desk), the citizen
corrects a returned application and downloads the issued permit. No step calls the API."""
import re

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NIK = "6203015708900001"


def pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def sign_in(b, page, base_url, username, password):
    page.goto(base_url + "/office")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_selector("#office:not([hidden])")


def open_application(b, page, code):
    page.get_by_role("button", name="Muat ulang daftar").click()
    page.get_by_role("button", name="Buka permohonan " + code).click()
    b.wait_text(page, "#detail-h", lambda text: code in text)


def offered(page):
    return [x.inner_text().strip() for x in page.query_selector_all("#detail-actions button")]


def act(b, page, label, state, reason=None):
    page.locator("#detail-actions").get_by_role("button", name=label, exact=True).click()
    if reason is not None:
        page.get_by_label(re.compile("Alasan")).fill(reason)
        page.locator("#reason-send").click()
    b.wait_text(page, "#detail-facts", lambda text: state in text)


def citizen_status(b, portal, code, pin, state):
    portal.get_by_label("Kode lacak").fill(code)
    portal.get_by_label("PIN").fill(pin)
    portal.get_by_role("button", name="Lihat status").click()
    return b.wait_text(portal, "#app-state", lambda text: text == state)


def permit_from_filing_to_pdf(b, base_url, password):
    out = {}
    # -- the citizen files on a phone --------------------------------------------------------
    portal = b.page("citizen", "phone")
    portal.goto(base_url + "/portal")
    portal.wait_for_selector("#app-type option[value='sip-bidan']", state="attached")
    portal.get_by_label("Jenis izin").select_option(label="Surat Izin Praktik Bidan")
    out["type_info"] = b.wait_text(portal, "#type-info", lambda text: "hari kerja" in text)
    portal.get_by_label("Nomor STR").fill("STR-1234567")
    portal.get_by_label("Alamat tempat praktik").fill("Jl. Tambun Bungai 12, Kuala Kapuas")
    portal.get_by_label("KTP pemohon").set_input_files(pdf("ktp.pdf"))
    portal.get_by_label("Surat Tanda Registrasi (STR)").set_input_files(pdf("str.pdf"))
    portal.get_by_label("Rekomendasi organisasi profesi (IBI)").set_input_files(pdf("ibi.pdf"))
    portal.locator("#apply").get_by_label("NIK (16 angka)").fill(NIK)
    portal.locator("#apply").get_by_label("Nama lengkap").fill("Siti Aminah")
    portal.locator("#apply").get_by_label("Nomor WhatsApp/HP").fill("0811-5200-0001")
    portal.get_by_role("button", name="Kirim permohonan").click()
    code = b.wait_text(portal, "#tracking-code", bool)
    pin = portal.inner_text("#tracking-pin").strip()
    b.check(portal, "01-portal-filed")
    out.update(tracking_code=code, pin=pin)

    # -- the officer checks it and returns it for a correction ---------------------------
    officer = b.page("officer", "desk")
    refused_reads = []  # what the page asked and was refused (a 403 on load, say)
    officer.on("response", lambda r: refused_reads.append("{} {}".format(r.status, r.url))
               if r.status >= 400 and r.request.method == "GET" else None)
    sign_in(b, officer, base_url, "dpmptsp.officer", password)
    row = officer.locator("#apps tr[data-code='{}']".format(code))
    out["row"] = row.inner_text()
    b.check(officer, "02-office-work-list")
    open_application(b, officer, code)
    out["offered_submitted"] = offered(officer)
    act(b, officer, "Mulai pemeriksaan berkas", "Pemeriksaan berkas")
    out["offered_intake"] = offered(officer)
    with officer.expect_download() as document:
        officer.get_by_role("button", name="Unduh Surat Tanda Registrasi (STR)").click()
    out["document_head"] = open(document.value.path(), "rb").read(5).decode("latin-1")
    officer.locator("#detail-actions").get_by_role(
        "button", name="Kembalikan berkas untuk perbaikan").click()
    officer.locator("#reason-send").click()  # no reason yet: the form says so by the field
    out["reason_error"] = b.wait_text(officer, "#reason-form .field-error, #reason-form [role=alert]", bool)
    b.check(officer, "03-office-reason-form")
    officer.get_by_label(re.compile("Alasan")).fill("Rekomendasi IBI sudah kedaluwarsa; unggah yang terbaru.")
    officer.locator("#reason-send").click()
    b.wait_text(officer, "#detail-facts", lambda text: "dikembalikan" in text)
    b.check(officer, "04-office-returned")

    # -- the citizen reads the reason, uploads a new document and resubmits -----------------
    out["returned_state"] = citizen_status(b, portal, code, pin, "Berkas dikembalikan untuk perbaikan")
    out["reason_shown"] = portal.inner_text("#correct-reason")
    portal.get_by_label("Unggah ulang: Rekomendasi organisasi profesi (IBI)").set_input_files(
        pdf("ibi-2026.pdf"))
    b.check(portal, "05-portal-correction")
    portal.get_by_role("button", name="Kirim perbaikan").click()
    out["resubmitted_state"] = b.wait_text(portal, "#app-state",
                                           lambda text: text == "Perbaikan berkas diterima")
    b.check(portal, "06-portal-resubmitted")
    # notification settings: a wrong number is named beside its field, then only WhatsApp
    prefs = portal.locator("#prefs")
    prefs.get_by_label("Nomor WhatsApp/HP").fill("12")
    prefs.get_by_label("SMS").uncheck()
    prefs.get_by_role("button", name="Simpan pengaturan").click()
    out["prefs_error"] = b.wait_text(portal, "#prefs .field-error, #prefs [role=alert]", bool)
    prefs.get_by_label("Nomor WhatsApp/HP").fill("0811-5200-0001")
    prefs.get_by_role("button", name="Simpan pengaturan").click()
    out["prefs_saved"] = b.wait_text(portal, "#prefs p.muted", lambda text: "disimpan" in text)
    b.check(portal, "06b-portal-notification-settings")

    # -- the officer takes it through intake and the agency's decision ---------------------
    open_application(b, officer, code)
    act(b, officer, "Mulai pemeriksaan berkas", "Pemeriksaan berkas")
    act(b, officer, "Terima berkas", "Berkas lengkap dan diterima")
    act(b, officer, "Teruskan ke instansi", "Diproses oleh instansi")
    out["offered_in_process"] = offered(officer)
    act(b, officer, "Disetujui instansi", "Menunggu persetujuan tingkat 1")
    out["offered_officer_approval"] = offered(officer)
    officer.get_by_label("Kode lacak permohonan atau nomor tiket").fill(code)
    officer.get_by_role("button", name="Tampilkan").click()
    out["notifications"] = b.wait_text(officer, "#notif-out", lambda text: "Status pengiriman" in text)
    out["officer_sees_perception"] = officer.is_visible("#perception-box")
    out["officer_refused_reads"] = refused_reads
    b.check(officer, "07-office-awaiting-approval")

    # -- the supervisor approves and issues ------------------------------------------------
    supervisor = b.page("supervisor", "desk")
    sign_in(b, supervisor, base_url, "dpmptsp.supervisor", password)
    open_application(b, supervisor, code)
    out["offered_supervisor_approval"] = offered(supervisor)
    act(b, supervisor, "Setujui", "Disetujui, menunggu penerbitan")
    act(b, supervisor, "Terbitkan izin", "Izin telah terbit")
    out["history"] = supervisor.inner_text("#detail-history")
    out["supervisor_sees_perception"] = supervisor.is_visible("#perception-box")
    b.check(supervisor, "08-office-issued")

    # -- the citizen downloads the permit ----------------------------------------------------
    out["issued_state"] = citizen_status(b, portal, code, pin, "Izin telah terbit")
    b.check(portal, "09-portal-issued")
    with portal.expect_download() as download:
        portal.get_by_role("button", name="Unduh izin (PDF)").click()
    out["pdf_head"] = open(download.value.path(), "rb").read(5).decode("latin-1")
    out["pdf_name"] = download.value.suggested_filename
    out["portal_text"] = portal.inner_text("body")
    return out


def issue(b, supervisor, code, state):
    """The supervisor issues the permit; returns the history the back office shows."""
    open_application(b, supervisor, code)
    act(b, supervisor, "Terbitkan izin", "Izin telah terbit")
    b.check(supervisor, state)
    return supervisor.inner_text("#detail-history")


def downloaded_pdf_head(portal):
    """The permit downloaded on the portal: its first five bytes."""
    with portal.expect_download() as download:
        portal.get_by_role("button", name="Unduh izin (PDF)").click()
    return open(download.value.path(), "rb").read(5).decode("latin-1")


def reopen_until(b, page, code, state, attempts=40):
    """Reload the list and reopen ``code`` until it shows ``state`` (the agency's own system
    decides in its own time)."""
    for _ in range(attempts):
        open_application(b, page, code)
        if state in page.inner_text("#detail-facts"):
            return
        page.wait_for_timeout(500)
    b.shot(page, "timeout")
    raise AssertionError("{} never reached {!r}".format(code, state))


def building_approval_through_two_levels(b, base_url, password, second_supervisor):
    """PBG: decimals in the form, the agency's system deciding, two approval levels by two
    people (separation of duties), the permit issued by one who did not give the last
    approval."""
    out = {}
    portal = b.page("citizen", "phone")
    portal.goto(base_url + "/portal")
    portal.wait_for_selector("#app-type option[value='pbg']", state="attached")
    portal.get_by_label("Jenis izin").select_option(label="Persetujuan Bangunan Gedung")
    portal.get_by_label("Fungsi bangunan").select_option(label="hunian")
    portal.get_by_label("Luas lantai (m²)").fill("120,5")
    portal.get_by_label("Jumlah lantai").fill("2")
    portal.get_by_label("Alamat bangunan").fill("Jl. Seth Adji 7, Kuala Kapuas")
    for label in ("KTP pemohon", "Bukti kepemilikan tanah", "Gambar teknis bangunan"):
        portal.get_by_label(label).set_input_files(pdf(label.split()[0].lower() + ".pdf"))
    portal.locator("#apply").get_by_label("NIK (16 angka)").fill("6203015708900005")
    portal.locator("#apply").get_by_label("Nama lengkap").fill("Yohanes Dilan")
    portal.locator("#apply").get_by_label("Nomor WhatsApp/HP").fill("0811-5200-0005")
    portal.get_by_role("button", name="Kirim permohonan").click()
    code = b.wait_text(portal, "#tracking-code", bool)
    pin = portal.inner_text("#tracking-pin").strip()
    b.check(portal, "01-portal-filed")

    officer = b.page("officer", "desk")
    sign_in(b, officer, base_url, "dpmptsp.officer", password)
    open_application(b, officer, code)
    out["form_shown"] = officer.inner_text("#detail-form")
    act(b, officer, "Mulai pemeriksaan berkas", "Pemeriksaan berkas")
    act(b, officer, "Terima berkas", "Berkas lengkap dan diterima")
    act(b, officer, "Teruskan ke instansi", "Diproses oleh instansi")
    out["offered_in_process"] = offered(officer)  # the agency's own system decides
    b.check(officer, "02-office-forwarded")

    supervisor = b.page("supervisor", "desk")
    sign_in(b, supervisor, base_url, "dpmptsp.supervisor", password)
    reopen_until(b, supervisor, code, "Menunggu persetujuan tingkat 1")
    act(b, supervisor, "Setujui", "Menunggu persetujuan tingkat 2")
    out["offered_after_own_approval"] = offered(supervisor)  # not a second approval
    b.check(supervisor, "03-office-level-2")

    head = b.page("second-supervisor", "desk")
    sign_in(b, head, base_url, second_supervisor, password)
    open_application(b, head, code)
    act(b, head, "Setujui", "Disetujui, menunggu penerbitan")
    out["offered_to_last_approver"] = offered(head)  # not the issue: a second pair of eyes
    b.check(head, "04-office-approved")

    out["history"] = issue(b, supervisor, code, "05-office-issued")

    out["issued_state"] = citizen_status(b, portal, code, pin, "Izin telah terbit")
    out["pdf_head"] = downloaded_pdf_head(portal)
    b.check(portal, "06-portal-issued")
    return out


def file_skpt(b, portal, base_url, nik, name, phone, title_number="M.123/2019"):
    """The land office's SKPT filed on the portal; returns (tracking code, PIN)."""
    portal.goto(base_url + "/portal")
    portal.wait_for_selector("#app-type option[value='skpt']", state="attached")
    portal.get_by_label("Jenis izin").select_option(
        label="Surat Keterangan Pendaftaran Tanah (SKPT)")
    b.wait_text(portal, "#type-info", lambda text: "Rp" in text)
    portal.get_by_label("Nomor sertipikat").fill(title_number)
    portal.get_by_label("Letak tanah").fill("Jl. Cilik Riwut km 3, Selat Hulu")
    portal.get_by_label("KTP pemohon").set_input_files(pdf("ktp.pdf"))
    portal.get_by_label("Salinan sertipikat tanah").set_input_files(pdf("sertipikat.pdf"))
    portal.locator("#apply").get_by_label("NIK (16 angka)").fill(nik)
    portal.locator("#apply").get_by_label("Nama lengkap").fill(name)
    portal.locator("#apply").get_by_label("Nomor WhatsApp/HP").fill(phone)
    portal.get_by_role("button", name="Kirim permohonan").click()
    code = b.wait_text(portal, "#tracking-code", bool)
    return code, portal.inner_text("#tracking-pin").strip()


def permit_with_a_fee(b, base_url, password):
    """A paid permit decided by hand: filed on the portal, taken through intake and the
    land office's own decision by its officer, approved by its supervisor, then it waits
    for the fee; the citizen reads how much, the officer records the payment, the
    supervisor issues it and the citizen downloads it."""
    out = {}
    portal = b.page("citizen", "phone")
    code, pin = file_skpt(b, portal, base_url, "6203015708900011", "Ahmad Yani", "0811-5200-0011")
    out["type_info"] = portal.inner_text("#type-info")
    b.check(portal, "01-portal-filed")

    officer = b.page("officer", "desk")
    sign_in(b, officer, base_url, "bpn.officer", password)
    open_application(b, officer, code)
    act(b, officer, "Mulai pemeriksaan berkas", "Pemeriksaan berkas")
    act(b, officer, "Terima berkas", "Berkas lengkap dan diterima")
    act(b, officer, "Teruskan ke instansi", "Diproses oleh instansi")
    act(b, officer, "Disetujui instansi", "Menunggu persetujuan tingkat 1")
    b.check(officer, "02-office-decided")

    supervisor = b.page("supervisor", "desk")
    sign_in(b, supervisor, base_url, "bpn.supervisor", password)
    open_application(b, supervisor, code)
    act(b, supervisor, "Setujui", "Menunggu pembayaran retribusi")
    b.wait_text(supervisor, "#detail-actions", lambda text: "Setujui" not in text)
    out["offered_supervisor_awaiting_payment"] = offered(supervisor)
    b.check(supervisor, "03-office-awaiting-payment")

    out["awaiting_state"] = citizen_status(b, portal, code, pin, "Menunggu pembayaran retribusi")
    out["pay_hint"] = portal.inner_text("#pay-hint")
    out["portal_facts"] = portal.inner_text("#status-out")
    b.check(portal, "04-portal-pay")

    open_application(b, officer, code)
    b.wait_text(officer, "#detail-facts", lambda text: "Menunggu pembayaran" in text)
    out["offered_officer_awaiting_payment"] = offered(officer)
    act(b, officer, "Catat pembayaran", "Retribusi telah dibayar")
    out["offered_officer_paid"] = offered(officer)
    b.check(officer, "05-office-paid")

    out["history"] = issue(b, supervisor, code, "06-office-issued")

    out["issued_state"] = citizen_status(b, portal, code, pin, "Izin telah terbit")
    out["pay_hint_after"] = portal.locator("#pay-hint").count()
    out["pdf_head"] = downloaded_pdf_head(portal)
    b.check(portal, "07-portal-issued")
    return out
