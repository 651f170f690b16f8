"""The MPP admin's day, by clicking and typing only: onboard a new agency (the agency, a queue
service with its hours, a counter, an officer's account, a permit type with a requirement and
a form field), add a *cuti bersama* day to the calendar, look at connectors and staff
accounts; then the new officer opens the new counter, and the kiosk does not offer the agency
yet: it is still being onboarded (its services have no adopted standard)."""
import re

AGENCY = "Kantor Urusan Agama Kapuas"
SERVICE = "Legalisir buku nikah"
COUNTER = "Loket 21"
OFFICER = "kua.petugas"
OFFICER_PASSWORD = "kua-rahasia-2026"
PERMIT_TYPE = "Rekomendasi nikah"
CUTI = "2026-12-24"
CUTI_SHOWN = "Kamis, 24 Desember 2026"


def region(page, name):
    return page.get_by_role("region", name=name)


def save_permit_type(admin, name, working_days, document, fee=None):
    """On an agency's admin page: a permit type (or a new version of one of that name) with
    one required document, decided by the agency's own officers."""
    types = region(admin, "Jenis izin")
    more = types.locator("summary", has_text="Tambah jenis izin")
    if more.count():  # the form to add one more waits behind its title
        more.click()
    types.get_by_label("Nama jenis izin").fill(name)
    types.get_by_label("Lama proses (hari kerja)").fill(str(working_days))
    if fee is not None:
        types.get_by_label("Biaya (rupiah)").fill(str(fee))
    types.get_by_role("button", name="Tambah persyaratan").click()
    types.get_by_label("Nama dokumen").fill(document)
    types.get_by_role("button", name="Simpan jenis izin").click()


def onboard_and_serve(b, base_url, admin_password):
    admin = b.page("admin", "desk")
    admin.goto(base_url + "/admin")
    admin.get_by_role("heading", name="Administrasi MPP").wait_for()
    b.check(admin, "01-sign-in")
    admin.get_by_label("Nama pengguna").fill("admin")
    admin.get_by_label("Kata sandi", exact=True).fill(admin_password)
    admin.get_by_role("button", name="Masuk").click()
    admin.get_by_role("heading", name="Instansi di MPP").wait_for()
    b.check(admin, "02-agencies")

    # the agency: its name; the code fills itself in from the name
    admin.get_by_label("Nama instansi").fill(AGENCY)
    admin.get_by_label("Nama dalam bahasa Inggris").fill("Office of Religious Affairs Kapuas")
    agency_code = admin.get_by_label("Kode instansi").input_value()
    admin.get_by_role("button", name="Simpan instansi").click()
    admin.get_by_role("heading", name=AGENCY, level=2).wait_for()
    b.wait_text(admin, "#mpp-status", lambda text: AGENCY in text)
    b.check(admin, "03-new-agency")

    # its queue service, open Monday to Friday (the default) with a daily quota
    services = region(admin, "Layanan antrean")
    services.get_by_label("Nama layanan").fill(SERVICE)
    services.get_by_label("Huruf awal nomor antrean").fill("A")  # Disdukcapil's letter
    services.get_by_label("Kuota harian (nomor antrean per hari)").fill("40")
    services.get_by_role("button", name="Simpan layanan").click()
    services.get_by_text("Huruf ini sudah dipakai layanan lain").wait_for()
    b.check(admin, "04-prefix-taken")
    services.get_by_label("Huruf awal nomor antrean").fill("R")
    services.get_by_role("button", name="Simpan layanan").click()
    region(admin, "Layanan antrean").get_by_role("cell", name=SERVICE, exact=True).wait_for()
    b.check(admin, "05-service-saved")

    counters = region(admin, "Loket")
    counters.get_by_label("Nama loket").fill(COUNTER)
    counters.get_by_role("button", name="Simpan loket").click()
    region(admin, "Loket").get_by_role("cell", name=COUNTER, exact=True).wait_for()

    staff = region(admin, "Akun staf instansi")
    staff.get_by_label("Nama pengguna").fill(OFFICER)
    staff.get_by_label("Peran").select_option(label="Petugas loket")
    staff.get_by_label("Kata sandi awal").fill("pendek")
    staff.get_by_role("button", name="Buat akun").click()
    staff.locator(".field-error").first.wait_for()
    b.check(admin, "06-account-password-too-short")
    staff.get_by_label("Kata sandi awal").fill(OFFICER_PASSWORD)
    staff.get_by_role("button", name="Buat akun").click()
    region(admin, "Akun staf instansi").get_by_role("cell", name=OFFICER, exact=True).wait_for()

    types = region(admin, "Jenis izin")
    types.get_by_label("Nama jenis izin").fill(PERMIT_TYPE)
    types.get_by_label("Lama proses (hari kerja)").fill("3")
    types.get_by_role("button", name="Tambah persyaratan").click()
    types.get_by_label("Nama dokumen").fill("KTP calon pengantin")
    types.get_by_role("button", name="Tambah isian").click()
    types.get_by_label("Pertanyaan yang dibaca pemohon").fill("Tanggal rencana akad nikah")
    types.get_by_label("Jenis jawaban").select_option(label="Tanggal")
    types.get_by_label("Wajib diisi").check()
    b.check(admin, "07-permit-type-form")
    types.get_by_role("button", name="Simpan jenis izin").click()
    region(admin, "Jenis izin").get_by_role("cell", name=PERMIT_TYPE, exact=True).wait_for()
    b.check(admin, "08-agency-onboarded")
    agency_page = admin.inner_text("main")

    # the calendar: a cuti bersama day, listed as an Indonesian date
    admin.get_by_role("link", name="Kalender kerja").click()
    days_off = region(admin, "Cuti bersama dan hari libur yang ditetapkan")
    days_off.get_by_label("Tanggal").fill(CUTI)
    days_off.get_by_role("button", name="Tambahkan").click()
    region(admin, "Cuti bersama dan hari libur yang ditetapkan").get_by_text(CUTI_SHOWN).wait_for()
    b.check(admin, "09-calendar")
    calendar_page = admin.inner_text("main")

    admin.get_by_role("link", name="Konektor").click()
    admin.get_by_role("heading", name="Konektor sistem instansi").wait_for()
    admin.wait_for_load_state("networkidle")
    b.check(admin, "10-connectors")
    connectors_page = admin.inner_text("main")

    admin.get_by_role("link", name="Akun staf").click()
    admin.get_by_role("heading", name="Akun staf", level=2).wait_for()
    admin.get_by_role("cell", name=OFFICER, exact=True).wait_for()
    b.check(admin, "11-accounts")
    accounts_page = admin.inner_text("main")

    # the new officer opens the new counter
    officer = b.page("counter", "desk")
    officer.goto(base_url + "/counter")
    officer.get_by_label("Nama pengguna").fill(OFFICER)
    officer.get_by_label("Kata sandi").fill(OFFICER_PASSWORD)
    officer.get_by_role("button", name="Masuk").click()
    b.wait_text(officer, "#counter-id", lambda text: COUNTER in text)  # the console has it
    shows_state = officer.query_selector("#counter-status") is not None
    if shows_state:  # a console that shows the counter's state: it has loaded the counter
        b.wait_text(officer, "#counter-status", lambda text: text == "Tutup")
    else:  # the older console: its queue table appears once the counter is loaded
        b.wait_text(officer, "#queue", lambda text: "Menunggu" in text)
    officer.get_by_role("button", name="Buka loket").click()
    if shows_state:
        b.wait_text(officer, "#counter-status", lambda text: text == "Buka")

    # the agency is still being onboarded (no adopted standard yet): the kiosk does not offer
    # it (tests/e2e/browser/onboarding_journey.py takes an agency live and serves its first
    # citizen)
    kiosk = b.page("kiosk", "kiosk")
    kiosk.goto(base_url + "/kiosk")
    walk_in = kiosk.get_by_role("button", name="Ambil nomor antrean")
    disdukcapil = kiosk.get_by_role("button", name=re.compile("Kependudukan"))
    walk_in.or_(disdukcapil).first.wait_for()  # a kiosk may first ask what the citizen came for
    if walk_in.is_visible():
        walk_in.click()
    disdukcapil.wait_for()
    return {"agency_code": agency_code, "agency_page": agency_page,
            "calendar_page": calendar_page, "connectors_page": connectors_page,
            "accounts_page": accounts_page, "kiosk": kiosk.inner_text("main")}
