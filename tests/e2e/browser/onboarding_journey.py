"""A new agency joins the MPP through the web client, by clicking and typing only: the MPP
admin adds it (its profile with the kind of agency), a queue service, a counter, an officer and
a supervisor, and a permit type; the go-live checklist shows what is missing and "Mulai
melayani" is refused while a service has no adopted standard; the kiosk does not offer the
agency yet; its supervisor adopts a standard for each service on the staff standards page
(/standards/manage, std-web's page: draft, consultation opened and closed, adopted); the
checklist is complete and the agency goes live; the kiosk offers it and a citizen is served at
its counter; a citizen files for its permit type on the portal and the supervisor decides it
in the back office; the public statistics page then shows each promise beside the practice,
and the supervisor's back office says no promise was broken. Last, the admin saves a permit
type version with a fee other than the adopted one, and the agency page flags it."""
import re

from tests.e2e.browser.admin_journey import region, save_permit_type
from tests.e2e.browser.permit_journey import act, open_application, pdf, sign_in

AGENCY = "PT Pos Indonesia Cabang Kuala Kapuas"
AGENCY_EN = "Pos Indonesia, Kuala Kapuas branch"
SERVICE = "Pengiriman paket dan wesel"
PREFIX = "V"
COUNTER = "Loket 30"
OFFICER = "pos.petugas"
SUPERVISOR = "pos.penyelia"
PASSWORD = "pos-rahasia-2026"
PERMIT_TYPE = "Izin penyelenggara agen pos"
DOCUMENT = "KTP calon agen"


def checklist(page):
    return page.inner_text("#view .adm-checklist")


def admin_onboards(b, base_url, admin_password):
    admin = b.page("admin", "desk")
    admin.goto(base_url + "/admin")
    admin.get_by_label("Nama pengguna").fill("admin")
    admin.get_by_label("Kata sandi", exact=True).fill(admin_password)
    admin.get_by_role("button", name="Masuk").click()
    admin.get_by_role("heading", name="Instansi di MPP").wait_for()
    admin.get_by_label("Nama instansi").fill(AGENCY)
    admin.get_by_label("Nama dalam bahasa Inggris").fill(AGENCY_EN)
    admin.get_by_label("Jenis instansi").select_option(label="BUMN")
    admin.get_by_role("button", name="Simpan instansi").click()
    admin.get_by_role("heading", name=AGENCY, level=2).wait_for()
    admin.get_by_role("heading", name="Kesiapan melayani").wait_for()
    b.check(admin, "01-new-agency-checklist")
    new_checklist = checklist(admin)

    services = region(admin, "Layanan antrean")
    services.get_by_label("Nama layanan").fill(SERVICE)
    services.get_by_label("Huruf awal nomor antrean").fill(PREFIX)
    services.get_by_role("button", name="Simpan layanan").click()
    region(admin, "Layanan antrean").get_by_role("cell", name=SERVICE, exact=True).wait_for()
    counters = region(admin, "Loket")
    counters.get_by_label("Nama loket").fill(COUNTER)
    counters.get_by_role("button", name="Simpan loket").click()
    region(admin, "Loket").get_by_role("cell", name=COUNTER, exact=True).wait_for()
    for username, role in ((OFFICER, "Petugas loket"), (SUPERVISOR, "Supervisor instansi")):
        staff = region(admin, "Akun staf instansi")
        if not staff.get_by_label("Nama pengguna").is_visible():  # a second account: "add one more"
            staff.locator("summary").click()
        staff.get_by_label("Nama pengguna").fill(username)
        staff.get_by_label("Peran").select_option(label=role)
        staff.get_by_label("Kata sandi awal").fill(PASSWORD)
        staff.get_by_role("button", name="Buat akun").click()
        region(admin, "Akun staf instansi").get_by_role("cell", name=username, exact=True).wait_for()
    save_permit_type(admin, PERMIT_TYPE, 5, DOCUMENT)
    region(admin, "Jenis izin").get_by_role("cell", name=PERMIT_TYPE, exact=True).wait_for()

    # everything but the standards: going live is refused, in words
    b.wait_text(admin, "#view .adm-checklist", lambda text: text.count("✗") == 1)
    admin.get_by_role("button", name="Mulai melayani").click()
    refused = b.wait_text(admin, ".adm-golive-result", bool)
    b.check(admin, "02-go-live-refused")
    return admin, {"new_checklist": new_checklist, "refused": refused,
                   "refused_checklist": checklist(admin)}


def kiosk_agencies(b, base_url, name="kiosk"):
    """The agency names the kiosk offers a citizen taking a number."""
    kiosk = b.page(name, "kiosk")
    kiosk.goto(base_url + "/kiosk")
    walk_in = kiosk.get_by_role("button", name="Ambil nomor antrean")
    disdukcapil = kiosk.get_by_role("button", name=re.compile("Kependudukan"))
    walk_in.or_(disdukcapil).first.wait_for()
    if walk_in.is_visible():
        walk_in.click()
    disdukcapil.wait_for()
    return kiosk, kiosk.inner_text("main")


def adopt_standard(b, staff, subject_hint, requirement=None, shot=None):
    """Draft the standard of the service whose choice contains ``subject_hint``, open its
    public consultation, close it and adopt it (the staff standards page)."""
    staff.get_by_role("heading", name=re.compile("Susun rancangan standar")).wait_for()
    subject = staff.get_by_label("Layanan yang distandarkan")
    label = next(o.inner_text() for o in subject.locator("option").all() if subject_hint in o.inner_text())
    subject.select_option(label=label)
    if requirement:
        staff.get_by_role("button", name="Tambah persyaratan").click()
        staff.get_by_label("Nama persyaratan").last.fill(requirement)
    staff.get_by_label("Dasar pengenaan biaya").fill("Tidak dipungut biaya")
    staff.get_by_label("Dasar hukum", exact=True).fill("UU 25/2009 tentang Pelayanan Publik\n"
                                                      "UU 38/2009 tentang Pos")
    staff.get_by_label("Jumlah pelaksana (orang)").fill("2")
    staff.get_by_label("Jaminan pelayanan", exact=True).fill("Dilayani sesuai janji ini.")
    staff.get_by_label("Sarana, prasarana dan/atau fasilitas").fill("Loket Pos di MPP")
    staff.get_by_label("Kompetensi pelaksana").fill("Memahami layanan pos dan layanan prima")
    staff.get_by_label("Pengawasan internal").fill("Kepala kantor cabang")
    staff.get_by_label("Jaminan keamanan dan keselamatan pelayanan").fill(
        "Data pelanggan hanya dibaca petugas yang berwenang")
    staff.get_by_label("Evaluasi kinerja pelaksana").fill("Setiap triwulan oleh kepala cabang")
    staff.get_by_role("button", name="Simpan rancangan").click()
    staff.get_by_role("heading", name="Buka konsultasi publik").wait_for()
    staff.get_by_role("button", name="Buka konsultasi publik").click()
    staff.get_by_role("heading", name="Tanggapan masyarakat dan jawabannya").wait_for()
    staff.get_by_role("button", name="Tutup konsultasi publik").click()
    b.wait_text(staff, "#mpp-status", lambda t: "ditutup" in t)
    region(staff, "Tetapkan standar pelayanan").get_by_role("button", name="Tetapkan").click()
    b.wait_text(staff, "#mpp-status", lambda t: "ditetapkan" in t)
    if shot:
        b.check(staff, shot)
    staff.get_by_role("link", name="Kembali ke daftar").click()


def agency_joins_and_keeps_its_promises(b, base_url, admin_password):
    admin, out = admin_onboards(b, base_url, admin_password)
    _, out["kiosk_before"] = kiosk_agencies(b, base_url, "kiosk-before")

    # the agency's supervisor adopts a standard for each of its services
    supervisor = b.page("supervisor", "desk")
    sign_in(b, supervisor, base_url, SUPERVISOR, PASSWORD)
    supervisor.get_by_role("link", name="Kelola standar pelayanan").click()
    adopt_standard(b, supervisor, PERMIT_TYPE, shot="03-permit-standard-adopted")
    adopt_standard(b, supervisor, SERVICE, requirement="Identitas pengirim")

    # the checklist is complete: the agency goes live
    admin.reload()
    admin.get_by_role("heading", name="Kesiapan melayani").wait_for()
    b.wait_text(admin, "#view .adm-checklist", lambda text: "✗" not in text and text.count("✓") == 6)
    out["complete_checklist"] = checklist(admin)
    b.check(admin, "04-checklist-complete")
    admin.get_by_role("button", name="Mulai melayani").click()
    out["went_live"] = b.wait_text(admin, "#mpp-status", lambda t: "melayani warga" in t)
    out["live_page"] = b.wait_text(admin, "#view", lambda t: "Sudah melayani" in t)
    b.check(admin, "05-agency-live")

    # the kiosk offers it; a citizen takes a number and the officer serves them
    officer = b.page("officer", "desk")
    officer.goto(base_url + "/counter")
    officer.get_by_label("Nama pengguna").fill(OFFICER)
    officer.get_by_label("Kata sandi").fill(PASSWORD)
    officer.get_by_role("button", name="Masuk").click()
    b.wait_text(officer, "#counter-id", lambda text: COUNTER in text)
    b.wait_text(officer, "#counter-status", lambda text: text == "Tutup")
    officer.get_by_role("button", name="Buka loket").click()
    b.wait_text(officer, "#counter-status", lambda text: text == "Buka")
    kiosk, out["kiosk_after"] = kiosk_agencies(b, base_url, "kiosk-after")
    kiosk.get_by_role("button", name=AGENCY).click()
    kiosk.get_by_role("button", name=re.compile(SERVICE)).click()
    kiosk.get_by_role("button", name="Umum").click()
    no_phone = kiosk.get_by_role("button", name="Ambil tiket tanpa nomor HP")
    ticket = kiosk.locator("#ticket-number")
    no_phone.or_(ticket).first.wait_for()
    if no_phone.is_visible():
        no_phone.click()
    out["ticket"] = b.wait_text(kiosk, "#ticket-number", lambda t: re.fullmatch(PREFIX + r"-\d{3}", t))
    b.check(kiosk, "06-kiosk-ticket")
    officer.get_by_role("button", name="Panggil berikutnya").click()
    b.wait_text(officer, "#current", lambda text: text.startswith(PREFIX + "-"))
    officer.get_by_role("button", name="Mulai layani").click()
    officer.get_by_role("button", name="Selesai", exact=True).click()
    b.wait_text(officer, "body", lambda text: "Layanan {} selesai".format(out["ticket"]) in text
                or out["ticket"] + " · completed" in text)

    # a citizen files for the permit type; the supervisor decides it (rejects, with a reason)
    portal = b.page("applicant", "phone")
    portal.goto(base_url + "/portal")
    portal.get_by_label("Jenis izin").select_option(label=PERMIT_TYPE)
    out["promise_on_portal"] = b.wait_text(portal, "#promised-time", bool)
    portal.get_by_label(DOCUMENT).set_input_files(pdf("ktp.pdf"))
    portal.locator("#apply").get_by_label("NIK (16 angka)").fill("6203015708900003")
    portal.locator("#apply").get_by_label("Nama lengkap").fill("Rahmat Hidayat")
    portal.locator("#apply").get_by_label("Nomor WhatsApp/HP").fill("0811-5200-0003")
    portal.get_by_role("button", name="Kirim permohonan").click()
    code = b.wait_text(portal, "#tracking-code", bool)
    supervisor.goto(base_url + "/office")
    supervisor.wait_for_selector("#office:not([hidden])")
    open_application(b, supervisor, code)
    act(b, supervisor, "Mulai pemeriksaan berkas", "Pemeriksaan berkas")
    act(b, supervisor, "Tolak permohonan", "ditolak",
        reason="Lokasi agen berada di luar wilayah layanan cabang.")

    # the supervisor's back office: no promise broken this month
    supervisor.reload()
    out["broken_box"] = b.wait_text(supervisor, "#broken", lambda t: "janji" in t.lower())
    supervisor.locator("#broken-box").scroll_into_view_if_needed()
    b.check(supervisor, "07-office-no-broken-promise")

    # the public statistics: each promise beside the month's practice
    stats = b.page("public", "phone")
    stats.goto(base_url + "/statistics")
    section = region(stats, "Janji layanan dan kenyataannya")
    section.get_by_role("cell", name=re.compile(PERMIT_TYPE)).first.wait_for()
    b.wait_text(stats, "#practice", lambda t: "diputus tepat waktu" in t and "dilayani dalam" in t)
    out["statistics"] = stats.inner_text("#practice")
    section.scroll_into_view_if_needed()
    b.check(stats, "08-statistics-promise-and-practice")

    # the running permit type drifts from its standard: a new version with a fee
    save_permit_type(admin, PERMIT_TYPE, 5, DOCUMENT, fee=25000)
    out["drift"] = b.wait_text(admin, "#view", lambda t: "Berbeda dari standar" in t)
    admin.locator(".adm-drift").first.scroll_into_view_if_needed()
    b.check(admin, "09-permit-type-differs-from-standard")
    out["drift_note"] = admin.inner_text(".adm-drift")
    return out
