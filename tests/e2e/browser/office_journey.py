"""The back office's clock and the MPP admin's view: applications filed on the portal, their
SLA days made to pass by the test (set-up, between the two journeys), then read by the land
office's officer in colour (on time, past 50 %, past 80 %, late) with the due day in WIB; the
MPP admin sees every agency's work list and narrows it to one agency in a picker."""
from tests.e2e.browser.permit_journey import file_skpt, pdf, sign_in

APPLICANTS = (("6203015708900021", "Rudi Hartono", "0811-5200-0021"),
              ("6203015708900022", "Sri Wahyuni", "0811-5200-0022"),
              ("6203015708900023", "Agus Salim", "0811-5200-0023"),
              ("6203015708900024", "Maria Ulfa", "0811-5200-0024"))


def _file_sip(b, portal, base_url):
    """A midwife's practice permit (DPMPTSP): another agency's work for the admin's list."""
    portal.goto(base_url + "/portal")
    portal.wait_for_selector("#app-type option[value='sip-bidan']", state="attached")
    portal.get_by_label("Jenis izin").select_option(label="Surat Izin Praktik Bidan")
    portal.get_by_label("Nomor STR").fill("STR-7654321")
    portal.get_by_label("Alamat tempat praktik").fill("Jl. Mawar 3, Kuala Kapuas")
    portal.get_by_label("KTP pemohon").set_input_files(pdf("ktp.pdf"))
    portal.get_by_label("Surat Tanda Registrasi (STR)").set_input_files(pdf("str.pdf"))
    portal.get_by_label("Rekomendasi organisasi profesi (IBI)").set_input_files(pdf("ibi.pdf"))
    portal.locator("#apply").get_by_label("NIK (16 angka)").fill("6203015708900025")
    portal.locator("#apply").get_by_label("Nama lengkap").fill("Lina Marlina")
    portal.locator("#apply").get_by_label("Nomor WhatsApp/HP").fill("0811-5200-0025")
    portal.get_by_role("button", name="Kirim permohonan").click()
    return b.wait_text(portal, "#tracking-code", bool)


def citizens_file(b, base_url):
    portal = b.page("citizen", "phone")
    codes = [file_skpt(b, portal, base_url, *who)[0] for who in APPLICANTS]
    b.check(portal, "01-portal-filed")
    return {"codes": codes, "other_agency_code": _file_sip(b, portal, base_url)}


def _badge(page, code):
    row = page.locator("#apps tr[data-code='{}']".format(code))
    badge = row.locator(".sla .badge")
    return {"text": badge.inner_text(), "due": row.locator(".sla .due").inner_text(),
            "colour": badge.evaluate("n => getComputedStyle(n).backgroundColor")}


def officer_reads_the_clock_and_admin_picks(b, base_url, password, tracking_codes,
                                            other_agency_code):
    out, codes = {}, tracking_codes
    officer = b.page("officer", "desk")
    sign_in(b, officer, base_url, "bpn.officer", password)
    b.wait_text(officer, "#apps", lambda t: all(c in t for c in codes))
    out["badges"] = [_badge(officer, c) for c in codes]
    out["officer_picker_visible"] = officer.is_visible("#of-agency")
    b.check(officer, "02-office-sla-colours")
    officer.get_by_role("button", name="English").click()
    b.wait_text(officer, "#apps", lambda t: "Past 50" in t)
    out["badges_en"] = [_badge(officer, c)["text"] for c in codes]
    b.check(officer, "03-office-sla-colours-english", language=False)

    admin = b.page("admin", "desk")
    sign_in(b, admin, base_url, "admin", password)
    b.wait_text(admin, "#apps", lambda t: all(c in t for c in codes + [other_agency_code]))
    out["picker_options"] = admin.locator("#of-agency option").all_inner_texts()
    out["all_agencies"] = sorted(set(admin.locator("#apps tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.agency)")))
    out["agency_column"] = sorted(set(admin.locator("#apps tbody tr td:nth-child(3)")
                                      .all_inner_texts()))
    b.check(admin, "04-admin-all-agencies")
    admin.get_by_label("Instansi").select_option(label="Kantor Pertanahan Kabupaten Kapuas")
    b.wait_text(admin, "#apps", lambda t: "Dinas Penanaman Modal" not in t)
    out["filtered_agencies"] = sorted(set(admin.locator("#apps tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.agency)")))
    out["filtered_codes"] = admin.locator("#apps tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.code)")
    b.check(admin, "05-admin-one-agency")
    return out
