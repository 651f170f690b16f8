"""The public pages on a phone: a complaint (labelled fields, large radio targets, agency
names, the response deadline as a date in WIB) that reaches the back office as plain text; the
statistics readable at 390 px (no horizontal scroll, text at a legible size)."""
from tests.e2e.browser.kiosk_journey import take_ticket

HOSTILE_TEXT = 'Antrean lama <img src=x onerror="alert(1)"><b>tebal</b> & "kutip"'


def citizen_complains_and_the_office_reads_it(b, base_url, password):
    out, alerts = {}, []
    page = b.page("citizen", "phone")
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    page.goto(base_url + "/complaint")
    page.wait_for_selector("#c-agency option[value='dpmptsp']", state="attached")
    out["agency_options"] = page.inner_text("#c-agency")
    out["small_radios"] = b.small_targets(page, "label.choice")
    page.get_by_role("button", name="Kirim").click()  # empty: said beside the text field
    out["empty_error"] = b.wait_text(page, "#complaint-form .field-error", bool)
    b.check(page, "01-complaint-empty")
    page.get_by_label("Pengaduan", exact=True).check()
    page.get_by_label("Instansi").select_option(
        label="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu")
    page.get_by_label("Isi (paling sedikit 10 karakter)").fill(HOSTILE_TEXT)
    page.get_by_role("button", name="Kirim").click()
    out["complaint_id"] = b.wait_text(page, "#complaint-id", bool)
    out["due"] = page.inner_text("#complaint-due")
    b.check(page, "02-complaint-filed")

    office = b.page("supervisor", "desk")
    office.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    office.goto(base_url + "/office")
    office.get_by_label("Nama pengguna").fill("dpmptsp.supervisor")
    office.get_by_label("Kata sandi").fill(password)
    office.get_by_role("button", name="Masuk").click()
    row = office.wait_for_selector("#complaints tr:has(td:text('{}'))".format(out["complaint_id"]))
    cell = row.query_selector_all("td")[2]
    out["office_text"] = cell.inner_text()
    out["markup_in_cell"] = len(cell.query_selector_all("img, b"))
    out["office_row"] = row.inner_text()
    row.query_selector("button:text('Jawab')").click()
    office.get_by_label("Tanggapan untuk warga · " + out["complaint_id"]).fill(
        "Terima kasih, antrean loket 4 kami tambah petugas.")
    office.get_by_role("button", name="Kirim tanggapan").click()
    out["answered_row"] = b.wait_text(
        office, "#complaints tr:has(td:text('{}'))".format(out["complaint_id"]),
        lambda text: "Dijawab" in text or "dijawab" in text)
    b.check(office, "03-office-answered")
    out["alerts"] = alerts
    return out


def statistics_on_a_phone(b, base_url):
    # a visit today, taken at the kiosk as a citizen does: the figures have an agency to show
    kiosk = b.page("kiosk", "kiosk")
    kiosk.goto(base_url + "/kiosk")
    take_ticket(kiosk, "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
                "Nomor Induk Berusaha (NIB)")
    page = b.page("citizen", "phone")
    page.goto(base_url + "/statistics")
    b.wait_text(page, "#ikm-chart", bool)
    b.wait_text(page, "#detail", bool)
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    sizes = page.evaluate("""() => [...document.querySelectorAll('.bar-text, .bar-label, td')]
        .map(e => parseFloat(getComputedStyle(e).fontSize))""")
    b.check(page, "01-statistics-phone")
    desk = b.page("visitor", "desk")
    desk.goto(base_url + "/statistics")
    b.wait_text(desk, "#detail", bool)
    b.check(desk, "02-statistics-desk")
    return {"scroll_width": widths[0], "viewport_width": widths[1],
            "smallest_text_px": min(sizes) if sizes else None,
            "ikm_text": page.inner_text("#ikm-chart"), "detail": page.inner_text("#detail")}
