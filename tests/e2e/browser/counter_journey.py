"""The officer's day at the counter console (1366x768), only clicking and typing: sign in,
open the counter, read who waits, call next, recall, skip and return, call a named ticket
with a reason, start, complete (the survey QR), transfer with a confirmation, and a reload
in the middle of serving that loses nothing. The queue is filled at the kiosk by tapping."""
from tests.e2e.browser.kiosk_journey import take_ticket, to_start


def button(page, name):
    return page.get_by_role("button", name=name, exact=True)


def said(b, page, predicate):
    """The console's spoken feedback (the status line every action writes)."""
    return b.wait_text(page, "#mpp-status", predicate)


def current(b, page, predicate=bool):
    return b.wait_text(page, "#current", predicate)


def sign_in(page, base_url, officer, password):
    page.goto(base_url + "/counter")
    page.fill("#u", officer)
    page.fill("#p", password)
    button(page, "Masuk").click()
    page.wait_for_selector("#console:not([hidden])")


def opened_console(b, base_url, officer, password, counter_name):
    """The officer signed in at ``counter_name`` and the counter opened."""
    page = b.page("counter", "desk")
    sign_in(page, base_url, officer, password)
    page.select_option("#counter-id", label=counter_name)
    b.wait_text(page, "#counter-status", bool)
    button(page, "Buka loket").click()
    said(b, page, lambda t: "dibuka" in t)
    return page


def serve_and_complete(b, page):
    button(page, "Mulai layani").click()
    b.wait_text(page, "#current-info", lambda t: "sedang dilayani" in t)
    button(page, "Selesai").click()
    said(b, page, lambda t: "selesai" in t)


def close_counter(b, page):
    button(page, "Tutup loket").click()
    said(b, page, lambda t: "ditutup" in t)


def officers_day(b, base_url, officer, password, counter_name, agency, service,
                 target_service, target_agency):
    kiosk = b.page("kiosk", "kiosk")
    kiosk.goto(base_url + "/kiosk?idle=120")
    tickets = {}
    tickets["walk_in"] = take_ticket(kiosk, agency, service, phone="0811-5200-0002")
    to_start(kiosk)
    tickets["elder"] = take_ticket(kiosk, agency, service, group="Lansia")
    to_start(kiosk)
    tickets["third"] = take_ticket(kiosk, agency, service)
    to_start(kiosk)
    tickets["fourth"] = take_ticket(kiosk, agency, service)
    to_start(kiosk)

    page = b.page("counter", "desk")
    sign_in(page, base_url, officer, password)
    page.select_option("#counter-id", label=counter_name)
    seen = {"tickets": tickets}
    seen["closed_status"] = b.wait_text(page, "#counter-status", bool)
    seen["call_disabled_when_closed"] = button(page, "Panggil berikutnya").is_disabled()
    b.check(page, "signed-in")

    button(page, "Buka loket").click()
    seen["opened_said"] = said(b, page, lambda t: "dibuka" in t)
    seen["open_status"] = b.wait_text(page, "#counter-status", lambda t: t == "Buka")
    # who waits: the elder first, each with service name, group, how they came, how long
    b.wait_text(page, "#waiting tbody", lambda t: tickets["fourth"] in t)
    rows = page.locator("#waiting tbody tr")
    seen["waiting_rows"] = [[c.strip() for c in rows.nth(i).locator("td").all_inner_texts()]
                            for i in range(rows.count())]
    seen["waiting_text"] = page.inner_text("#waiting")
    b.check(page, "waiting-list")

    # call next: the priority ticket
    button(page, "Panggil berikutnya").click()
    seen["called"] = current(b, page, lambda t: t != "–")
    seen["called_info"] = page.inner_text("#current-info")
    b.check(page, "called")
    button(page, "Panggil ulang").click()
    seen["recalled_said"] = said(b, page, lambda t: "dipanggil ulang" in t)

    # not here yet: skip, back to the queue
    button(page, "Lewati, kembalikan ke antrean").click()
    seen["skipped_said"] = said(b, page, lambda t: "dikembalikan" in t)
    current(b, page, lambda t: t == "–")
    row = page.locator("#waiting tbody tr", has_text=seen["called"])
    row.wait_for()
    seen["returned_row"] = row.inner_text()
    b.check(page, "skipped-returned")

    # call the third ticket out of order: a reason is asked for, and must be given
    third = page.locator("#waiting tbody tr", has_text=tickets["third"])
    third.get_by_role("button").click()
    page.wait_for_selector("#call-dialog[open]")
    button(page, "Panggil").click()   # no reason yet: the browser names the empty field
    seen["reason_required"] = page.locator("#call-reason").evaluate("n => n.validity.valueMissing")
    page.fill("#call-reason", "Warga membawa bayi, didahulukan")
    b.check(page, "call-with-reason")
    button(page, "Panggil").click()
    seen["called_specific"] = current(b, page, lambda t: t == tickets["third"])

    button(page, "Mulai layani").click()
    seen["serving_info"] = b.wait_text(page, "#current-info", lambda t: "sedang dilayani" in t)
    button(page, "Selesai").click()
    seen["completed_said"] = said(b, page, lambda t: "selesai" in t)
    seen["buttons_after_complete"] = {name: button(page, name).is_enabled() for name in (
        "Selesai", "Mulai layani", "Panggil ulang", "Panggil berikutnya")}
    qr = page.wait_for_selector("#survey-qr:not([hidden]) svg")
    box = qr.bounding_box()
    seen["qr_size"] = [box["width"], box["height"]]
    b.check(page, "completed-survey-qr")

    # the returned elder again, then transferred elsewhere, with a confirmation
    button(page, "Panggil berikutnya").click()
    seen["called_again"] = current(b, page, lambda t: t not in ("–", tickets["third"]))
    button(page, "Alihkan").click()
    page.wait_for_selector("#transfer-dialog[open]")
    seen["transfer_options"] = page.locator("#target option").all_inner_texts()
    page.select_option("#target", label=target_service)
    seen["transfer_confirm"] = page.inner_text("#transfer-confirm")
    b.check(page, "transfer-confirm")
    button(page, "Ya, alihkan").click()
    seen["transferred_said"] = said(b, page, lambda t: "dialihkan" in t)
    current(b, page, lambda t: t == "–")

    # serving someone, the console is reloaded: it shows the ticket and every button works
    button(page, "Panggil berikutnya").click()
    seen["before_reload"] = current(b, page, lambda t: t != "–")
    button(page, "Mulai layani").click()
    b.wait_text(page, "#current-info", lambda t: "sedang dilayani" in t)
    page.reload()
    page.wait_for_selector("#console:not([hidden])")
    seen["after_reload"] = current(b, page, lambda t: t != "–")
    seen["after_reload_info"] = b.wait_text(page, "#current-info", lambda t: "sedang dilayani" in t)
    seen["complete_enabled_after_reload"] = button(page, "Selesai").is_enabled()
    b.check(page, "reloaded-serving")
    button(page, "Selesai").click()
    seen["completed_after_reload"] = said(b, page, lambda t: "selesai" in t)
    page.wait_for_selector("#survey-qr:not([hidden]) svg")
    current(b, page, lambda t: t == "–")
    seen["page_text"] = page.inner_text("body")
    b.check(page, "day-done")
    return seen
