"""A service standard from draft to promise, by clicking and typing only: the MPP admin adds a
new agency with a permit type and its supervisor's account; the supervisor (back office →
standards page) drafts the standard (a mistake first), opens the public consultation; two
citizens comment on the public page on their phones, one anonymously and one with a name;
the supervisor answers one, records the forum, closes the consultation, is refused adoption
while the other comment is unanswered, answers it and adopts; the berita acara and maklumat
PDFs download (from the staff page and the public page); the kiosk links the standards; a
citizen files against the new type on the portal and is shown the promised time."""
import re
import zlib

AGENCY = "Dinas Perikanan Kabupaten Kapuas"
TYPE = "Surat Izin Usaha Perikanan"
DOCUMENT = "KTP pemilik usaha"
SUPERVISOR = "perikanan.penyelia"
SUPERVISOR_PASSWORD = "perikanan-rahasia-26"
PROMISED_DAYS = "7"
ANONYMOUS_COMMENT = "Mohon persyaratan bisa diunggah dari rumah tanpa datang ke MPP."
NAMED_COMMENT = "Tujuh hari kerja masih terlalu lama untuk nelayan kecil; usul lima hari."
COMMENTER = "Siti Rahmawati"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def region(page, name):
    return page.get_by_role("region", name=name)


def pdf_text(data):
    """The text drawn in a PDF (fpdf2 compresses its page streams with zlib)."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            out.append(stream.decode("latin-1"))
    return "\n".join(out) + data.decode("latin-1")


def download(page, link, name):
    with page.expect_download() as info:
        link.click()
    data = open(info.value.path(), "rb").read()
    return {"name": name, "filename": info.value.suggested_filename, "head": data[:5].decode(),
            "text": pdf_text(data)}


def admin_adds_the_agency(b, base_url, admin_password):
    admin = b.page("admin", "desk")
    admin.goto(base_url + "/admin")
    admin.get_by_label("Nama pengguna").fill("admin")
    admin.get_by_label("Kata sandi", exact=True).fill(admin_password)
    admin.get_by_role("button", name="Masuk").click()
    admin.get_by_role("heading", name="Instansi di MPP").wait_for()
    admin.get_by_label("Nama instansi").fill(AGENCY)
    kind = admin.get_by_label("Jenis instansi")
    if kind.count():  # where agencies are onboarded with a profile, it names its kind
        kind.select_option(label="Perangkat daerah")
    admin.get_by_role("button", name="Simpan instansi").click()
    admin.get_by_role("heading", name=AGENCY, level=2).wait_for()

    staff = region(admin, "Akun staf instansi")
    staff.get_by_label("Nama pengguna").fill(SUPERVISOR)
    staff.get_by_label("Peran").select_option(label="Supervisor instansi")
    staff.get_by_label("Kata sandi awal").fill(SUPERVISOR_PASSWORD)
    staff.get_by_role("button", name="Buat akun").click()
    region(admin, "Akun staf instansi").get_by_role("cell", name=SUPERVISOR, exact=True).wait_for()

    types = region(admin, "Jenis izin")
    types.get_by_label("Nama jenis izin").fill(TYPE)
    types.get_by_label("Lama proses (hari kerja)").fill("10")
    types.get_by_role("button", name="Tambah persyaratan").click()
    types.get_by_label("Nama dokumen").fill(DOCUMENT)
    types.get_by_role("button", name="Simpan jenis izin").click()
    region(admin, "Jenis izin").get_by_role("cell", name=TYPE, exact=True).wait_for()
    # the admin's navigation leads to the standards page too
    link = admin.get_by_role("link", name="Kelola standar pelayanan")
    return admin, {"admin_links_standards": link.get_attribute("href")}


def admin_goes_live_if_asked(b, admin):
    """Where a new agency serves citizens only after the admin says so (the go-live
    checklist), the admin says so now that its standard is adopted."""
    admin.reload()
    admin.get_by_role("heading", name=AGENCY, level=2).wait_for()
    go_live = admin.get_by_role("button", name="Mulai melayani")
    if not go_live.count():
        return False
    go_live.click()
    b.wait_text(admin, "#mpp-status", lambda t: "sekarang melayani" in t)
    return True


def supervisor_drafts_and_consults(b, base_url):
    staff = b.page("supervisor", "desk")
    staff.goto(base_url + "/office")
    staff.get_by_label("Nama pengguna").fill(SUPERVISOR)
    staff.get_by_label("Kata sandi").fill(SUPERVISOR_PASSWORD)
    staff.get_by_role("button", name="Masuk").click()
    staff.get_by_role("link", name="Kelola standar pelayanan").click()
    staff.get_by_role("heading", name=re.compile("Standar pelayanan instansi")).wait_for()
    b.check(staff, "02-staff-empty-list")

    # the draft starts from what runs today: the type's requirement and its 10 working days
    form = staff.locator("form.adm-form")
    assert staff.get_by_label("Layanan yang distandarkan").input_value() or True
    prefilled = {"requirement": form.get_by_label("Nama persyaratan").input_value(),
                 "time": staff.get_by_label("Jangka waktu pelayanan").input_value(),
                 "title": staff.get_by_label("Judul standar").input_value()}
    # a mistake first: no title, the message beside the field
    staff.get_by_label("Judul standar").fill("")
    staff.get_by_label("Jangka waktu pelayanan").fill(PROMISED_DAYS)
    staff.get_by_label("Produk pelayanan").fill(TYPE + " (SIUP) yang ditandatangani elektronik")
    staff.get_by_label("Dasar hukum", exact=True).fill(
        "UU 25/2009 tentang Pelayanan Publik\nPerda Kabupaten Kapuas tentang Perikanan")
    staff.get_by_label("Jumlah pelaksana (orang)").fill("3")
    staff.get_by_label("Jaminan pelayanan", exact=True).fill(
        "Izin terbit paling lama 7 hari kerja sejak berkas lengkap.")
    staff.get_by_label("Sarana, prasarana dan/atau fasilitas").fill(
        "Loket Dinas Perikanan di MPP\nPortal warga untuk unggah dokumen")
    staff.get_by_label("Kompetensi pelaksana").fill("Memahami peraturan perikanan dan layanan prima")
    staff.get_by_label("Pengawasan internal").fill("Kepala Dinas Perikanan dan Inspektorat")
    staff.get_by_label("Jaminan keamanan dan keselamatan pelayanan").fill(
        "Dokumen pemohon hanya dibaca petugas yang berwenang")
    staff.get_by_label("Evaluasi kinerja pelaksana").fill("Setiap triwulan oleh kepala dinas")
    staff.get_by_role("button", name="Simpan rancangan").click()
    missing_title = b.wait_text(staff, ".field-error", bool)
    b.check(staff, "03-draft-title-missing")
    staff.get_by_label("Judul standar").fill("Standar Pelayanan " + TYPE)
    staff.get_by_role("button", name="Simpan rancangan").click()
    staff.get_by_role("heading", name="Buka konsultasi publik").wait_for()
    b.check(staff, "04-draft-saved")

    staff.get_by_role("button", name="Buka konsultasi publik").click()
    staff.get_by_role("heading", name="Tanggapan masyarakat dan jawabannya").wait_for()
    b.check(staff, "05-consultation-open")
    return staff, {"prefilled": prefilled, "missing_title": missing_title}


def citizen_comments(b, base_url, who, text, name=None, group=None):
    citizen = b.page(who, "phone")
    citizen.goto(base_url + "/standards")
    citizen.get_by_role("link", name=re.compile("Lihat standar .*" + TYPE)).click()
    citizen.get_by_role("heading", name="Sampaikan tanggapan Anda").wait_for()
    citizen.get_by_label("Tanggapan, usul atau keberatan Anda").fill(text)
    if name:
        citizen.get_by_label("Nama (tidak wajib)").fill(name)
    if group:
        citizen.get_by_label("Anda mewakili (tidak wajib)").select_option(label=group)
    citizen.get_by_role("button", name="Kirim tanggapan").click()
    b.wait_text(citizen, "#mpp-status", lambda t: "Terima kasih" in t)
    b.wait_text(citizen, "#comments", lambda t: text in t)
    return citizen


def standard_from_draft_to_promise(b, base_url, admin_password):
    admin, out = admin_adds_the_agency(b, base_url, admin_password)
    staff, drafted = supervisor_drafts_and_consults(b, base_url)
    out.update(drafted)

    # two citizens on their phones: one anonymous, one named, as a business
    first = citizen_comments(b, base_url, "citizen-anonymous", ANONYMOUS_COMMENT)
    b.check(first, "06-public-consultation-commented")
    second = citizen_comments(b, base_url, "citizen-named", NAMED_COMMENT, name=COMMENTER,
                              group="Dunia usaha")
    out["public_comments"] = second.inner_text("#comments")
    out["public_page"] = second.inner_text("main")
    b.check(second, "07-public-two-comments")

    # the supervisor answers the anonymous comment, records the forum, closes
    staff.reload()
    staff.locator("ol.comments > li").first.wait_for()
    out["staff_comments"] = staff.inner_text("ol.comments")
    first_comment = staff.get_by_role("listitem").filter(has_text=ANONYMOUS_COMMENT)
    first_comment.get_by_label("Keputusan").select_option(label="Diterima")
    first_comment.get_by_label("Alasan dan tindak lanjut").fill(
        "Diterima: unggah dokumen dari portal sudah tersedia sejak hari ini.")
    first_comment.get_by_role("button", name="Simpan jawaban").click()
    b.wait_text(staff, "#unanswered", lambda t: t.startswith("1 tanggapan"))
    forum = region(staff, "Forum Konsultasi Publik")
    forum.get_by_label("Tempat").fill("Aula MPP Kabupaten Kapuas")
    forum.get_by_label("Pengguna layanan").fill("12")
    forum.get_by_label("Dunia usaha").fill("4")
    forum.get_by_label("Media dan pers").fill("1")
    forum.get_by_label("Ringkasan hasil forum").fill(
        "Peserta meminta unggah dokumen dari rumah dan waktu proses yang lebih singkat.")
    forum.get_by_role("button", name="Simpan catatan forum").click()
    b.wait_text(staff, "#mpp-status", lambda t: "Catatan forum tersimpan" in t)
    staff.get_by_role("button", name="Tutup konsultasi publik").click()
    b.wait_text(staff, "#mpp-status", lambda t: "ditutup" in t)

    # adoption with an unanswered comment: refused, in words
    adopt = region(staff, "Tetapkan standar pelayanan")
    adopt.get_by_role("button", name="Tetapkan").click()
    out["refused"] = b.wait_text(staff, "#h-adopt ~ form [role=alert]", bool)
    b.check(staff, "08-adoption-refused")

    second_comment = staff.get_by_role("listitem").filter(has_text=NAMED_COMMENT)
    second_comment.get_by_label("Keputusan").select_option(label="Diterima sebagian")
    second_comment.get_by_label("Alasan dan tindak lanjut").fill(
        "Waktu diturunkan menjadi 7 hari kerja; 5 hari belum dapat dipenuhi tahun ini.")
    second_comment.get_by_role("button", name="Simpan jawaban").click()
    b.wait_text(staff, "#unanswered", lambda t: "Semua tanggapan sudah dijawab" in t)
    region(staff, "Tetapkan standar pelayanan").get_by_role("button", name="Tetapkan").click()
    b.wait_text(staff, "#mpp-status", lambda t: "ditetapkan" in t)
    staff.get_by_role("link", name="Unduh Maklumat Pelayanan (PDF)").wait_for()
    b.check(staff, "09-adopted")
    out["staff_page"] = staff.inner_text("main")
    out["berita_acara"] = download(staff, staff.get_by_role("link", name="Unduh berita acara (PDF)"),
                                   "berita acara")

    out["went_live"] = admin_goes_live_if_asked(b, admin)

    # the public page: the standard in force, its maklumat, and the PDF
    reader = b.page("reader", "phone")
    reader.goto(base_url + "/kiosk")  # the hall's kiosk links the standards
    reader.get_by_role("link", name="Standar pelayanan setiap layanan").click()
    reader.get_by_role("link", name=re.compile("Lihat standar .*" + TYPE)).click()
    reader.get_by_role("heading", name="Maklumat Pelayanan").wait_for()
    out["public_standard"] = reader.inner_text("main")
    b.check(reader, "10-public-standard-adopted")
    out["maklumat"] = download(reader, reader.get_by_role(
        "link", name="Unduh Maklumat Pelayanan (PDF)"), "maklumat")
    reader.get_by_role("button", name="English").click()  # the same standard in English
    reader.get_by_role("heading", name="Service pledge (Maklumat Pelayanan)").wait_for()
    b.wait_text(reader, "#history", lambda t: "Adopted" in t)  # the page rebuilt in English
    out["english"] = reader.inner_text("main")
    b.check(reader, "10b-public-standard-english")

    # a citizen files against the new type and is shown the promised time
    portal = b.page("applicant", "phone")
    portal.goto(base_url + "/portal")
    portal.get_by_label("Jenis izin").select_option(label=TYPE)
    out["promise"] = b.wait_text(portal, "#promised-time", bool)
    portal.get_by_label(DOCUMENT).set_input_files(
        {"name": "ktp.pdf", "mimeType": "application/pdf", "buffer": PDF})
    portal.locator("#apply").get_by_label("NIK (16 angka)").fill("6203015708900002")
    portal.locator("#apply").get_by_label("Nama lengkap").fill("Budi Santoso")
    portal.locator("#apply").get_by_label("Nomor WhatsApp/HP").fill("0811-5200-0002")
    portal.get_by_role("button", name="Kirim permohonan").click()
    out["tracking_code"] = b.wait_text(portal, "#tracking-code", bool)
    out["filed_promise"] = portal.inner_text("#filed-promise")
    b.check(portal, "11-portal-filed-with-promise")
    return out
