"""The citizen at the kiosk (1366x768, touch), only tapping and typing: a walk-in ticket with
a phone number (one ticket for a double tap, the same ticket for a retry after a lost
answer), the printed ticket on 58 mm and 80 mm rolls, back to the start in Indonesian when
left alone, a booking check-in, a visit of several services, and the back button.

``take_ticket`` is the walk-in as a citizen does it; the counter and board journeys use it
to fill their queues."""
import re

PX_PER_MM = 96 / 25.4
ROLLS_MM = (58, 80)
SHORT_MM = 120          # a short ticket: one page of this length holds it


def tap(page, name, exact=True):
    page.get_by_role("button", name=name, exact=exact).click()


def to_start(page):
    """Wherever the kiosk is, back to its first screen ("Ke awal" or "Selesai")."""
    for label in ("Selesai", "Ke awal", "Done", "Start again"):
        button = page.get_by_role("button", name=label, exact=True)
        if button.count() and button.is_visible():
            button.click()
            break
    page.get_by_role("button", name="Ambil nomor antrean").wait_for()


def take_ticket(page, agency, service, group="Umum", phone=None):
    """Walk-in: agency → service → group → (phone) → the ticket; returns its number."""
    tap(page, "Ambil nomor antrean")
    tap(page, agency)
    tap(page, service)
    tap(page, group)
    if phone:
        page.fill("#phone", phone)
        tap(page, "Ambil tiket")
    else:
        tap(page, "Ambil tiket tanpa nomor HP")
    number = page.wait_for_selector("#ticket-number").inner_text().strip()
    return number


def _seq(number):
    return int(re.search(r"(\d+)$", number).group(1))


def _print_checks(b, page):
    """The ticket as the roll printer gets it: one short page, no heading, the number whole.
    Measured with print media at each roll's width, then printed (a PDF) on the narrowest;
    printing sends the kiosk back to its start."""
    out = {}
    page.emulate_media(media="print")
    try:
        for mm in ROLLS_MM:
            page.set_viewport_size({"width": round(mm * PX_PER_MM), "height": 900})
            ticket = page.locator("#ticket").bounding_box()
            number = page.locator("#ticket-number").bounding_box()
            size = page.locator("#ticket-number").evaluate(
                "n => parseFloat(getComputedStyle(n).fontSize)")
            out[mm] = {
                "height_mm": ticket["height"] / PX_PER_MM,
                "number_lines": round(number["height"] / (size * 1.1)),
                "heading_printed": page.locator("#title").is_visible(),
                "buttons_printed": page.locator("#print").is_visible(),
            }
            b.shot(page, "ticket-print-{}mm".format(mm))
        narrowest = min(ROLLS_MM)
        pdf = page.pdf(width="{}mm".format(narrowest), height="{}mm".format(SHORT_MM))
        out[narrowest]["pages"] = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    finally:
        page.emulate_media(media="screen")
        page.set_viewport_size({"width": 1366, "height": 768})
    return out


def citizen_at_the_kiosk(b, base_url, agency, service, other_agency, other_service,
                         booking_code, idle_seconds=10):
    page = b.page("kiosk", "kiosk")
    page.goto(base_url + "/kiosk?idle={}".format(idle_seconds))
    page.get_by_role("button", name="Ambil nomor antrean").wait_for()
    b.check(page, "start")
    result = {"small_targets": {}}
    result["small_targets"]["start"] = b.small_targets(page, "button")

    # back button: agency → service → back → the agencies again
    tap(page, "Ambil nomor antrean")
    tap(page, agency)
    page.get_by_role("button", name=service).wait_for()
    b.check(page, "services")
    result["small_targets"]["services"] = b.small_targets(page, "button")
    result["no_codes_on_service_buttons"] = all(
        "·" not in t for t in page.locator(".tile").all_inner_texts())
    tap(page, "← Kembali")
    result["back_shows_agencies"] = page.get_by_role("button", name=agency).is_visible()
    tap(page, agency)
    tap(page, service)
    b.check(page, "groups")
    result["small_targets"]["groups"] = b.small_targets(page, "button")
    tap(page, "Lansia")

    # a wrong number is named next to its field; nothing is issued
    page.fill("#phone", "12345")
    tap(page, "Ambil tiket")
    error = page.wait_for_selector("#phone-error")
    result["phone_error"] = error.inner_text().strip()
    b.check(page, "phone-error")
    result["small_targets"]["phone"] = b.small_targets(page, "button, input")

    # the answer to the first tap is lost on the way back: the retry gets the same ticket
    page.fill("#phone", "0811-5200-0001")
    keys = []

    def lose_answer(route):
        keys.append(route.request.headers.get("idempotency-key"))
        if len(keys) == 1:
            route.fetch()            # the ticket is made ...
            route.abort("failed")    # ... and its answer never arrives
        else:
            route.continue_()
    page.route("**/api/v1/tickets", lose_answer)
    tap(page, "Ambil tiket")
    page.get_by_role("button", name="Coba lagi").wait_for()
    result["offline_message"] = page.inner_text("[role=alert]").strip()
    b.check(page, "answer-lost")
    tap(page, "Coba lagi")
    first = page.wait_for_selector("#ticket-number").inner_text().strip()
    page.unroute("**/api/v1/tickets")
    result["retry_keys"] = keys
    result["first"] = first
    result["priority_mark"] = page.inner_text("#ticket-priority").strip()
    result["ticket_text"] = page.inner_text("#ticket")
    page.click("#ticket-number")
    page.wait_for_selector("#ticket .qr svg")
    result["qr_size"] = page.locator("#ticket .qr svg").bounding_box()["width"]
    b.check(page, "ticket")
    result["small_targets"]["ticket"] = b.small_targets(page, "button")
    result["print"] = _print_checks(b, page)

    # printed: back to the start for the next person
    page.get_by_role("button", name="Ambil nomor antrean").wait_for()
    result["after_print_ticket_gone"] = page.locator("#ticket").count() == 0

    # a double tap is one ticket: the next ticket of the service follows the first directly
    tap(page, "Ambil nomor antrean")
    tap(page, agency)
    tap(page, service)
    tap(page, "Umum")
    page.get_by_role("button", name="Ambil tiket tanpa nomor HP").dblclick()
    second = page.wait_for_selector("#ticket-number").inner_text().strip()
    result["second"] = second
    result["regular_has_no_mark"] = page.locator("#ticket-priority").count() == 0

    # switched to English, then left alone: back to the start, in Indonesian
    page.click("#lang")
    page.get_by_role("button", name="Print").wait_for()
    b.check(page, "ticket-english", language=False)
    page.get_by_role("button", name="Ambil nomor antrean").wait_for(timeout=(idle_seconds + 10) * 1000)
    result["after_idle_lang"] = page.get_attribute("html", "lang")
    result["after_idle_ticket_gone"] = page.locator("#ticket").count() == 0
    b.check(page, "after-idle")
    third = take_ticket(page, agency, service)
    result["third"] = third
    result["numbers_follow"] = [_seq(first), _seq(second), _seq(third)]
    to_start(page)

    # booking check-in: a wrong code is refused in words, the right one gives a ticket
    tap(page, "Saya punya kode booking")
    page.fill("#code", "ZZZZ99")  # a code of the right form that no one booked
    tap(page, "Lapor kedatangan")
    result["wrong_code"] = b.wait_text(page, "form [role=alert]", bool)
    b.check(page, "checkin-wrong-code")
    page.fill("#code", booking_code.lower())
    tap(page, "Lapor kedatangan")
    result["checked_in"] = page.wait_for_selector("#ticket-number").inner_text().strip()
    result["checked_in_mark"] = page.inner_text("#ticket-priority").strip()
    b.check(page, "checked-in")
    to_start(page)

    # a visit of two services at two agencies: one number, the steps on the ticket
    tap(page, "Beberapa layanan sekaligus")
    tap(page, service)
    tap(page, other_service)
    b.check(page, "visit-chosen")
    result["small_targets"]["visit"] = b.small_targets(page, ".tile, #visit-next, .remove")
    tap(page, "Lanjut")
    tap(page, "Umum")
    tap(page, "Ambil tiket tanpa nomor HP")
    result["visit_number"] = page.wait_for_selector("#ticket-number").inner_text().strip()
    result["visit_steps"] = page.locator("#ticket .t-visit li").all_inner_texts()
    b.check(page, "visit-ticket")
    tap(page, "Selesai")
    page.get_by_role("button", name="Ambil nomor antrean").wait_for()
    return result
