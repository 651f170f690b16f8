"""The survey as a citizen meets it: served at the counter, the citizen scans the QR code the
console shows after "Selesai" with the phone (read from the screen by a QR reader), answers
the IKM survey on the page it opens, and the public statistics count the answer."""
from tests.e2e.browser.counter_journey import (button, close_counter, current, opened_console,
                                               serve_and_complete)
from tests.e2e.browser.kiosk_journey import take_ticket


def _ikm_of(b, page, base_url, agency):
    """The statistics' IKM line of ``agency`` (read again until it is there)."""
    for _ in range(30):
        page.goto(base_url + "/statistics")
        b.wait_text(page, "#ikm-chart", bool)
        line = [r for r in page.locator("#ikm-chart > *").all_inner_texts() if agency in r]
        if line:
            return " ".join(line[0].split())
        page.wait_for_timeout(500)
    return ""


def citizen_rates_the_visit(b, base_url, officer, password, counter_name, agency, service):
    out = {}
    phone = b.page("citizen", "phone")
    phone.goto(base_url + "/statistics")
    b.wait_text(phone, "#summary", bool)
    out["summary_before"] = phone.inner_text("#summary")

    kiosk = b.page("kiosk", "kiosk")
    kiosk.goto(base_url + "/kiosk?idle=120")
    out["ticket"] = take_ticket(kiosk, agency, service)

    console = opened_console(b, base_url, officer, password, counter_name)
    button(console, "Panggil berikutnya").click()
    out["called"] = current(b, console, lambda t: t == out["ticket"])
    serve_and_complete(b, console)
    console.wait_for_selector("#survey-qr:not([hidden]) svg")
    b.check(console, "01-counter-survey-qr")
    # the citizen's phone reads the code on the counter's screen
    out["survey_url"] = b.qr_text(console, "#survey-qr .qr")

    phone.goto(out["survey_url"])
    b.wait_text(phone, "#survey-about", lambda t: service in t)
    out["about"] = phone.inner_text("#survey-about")
    b.check(phone, "02-survey-open")
    phone.get_by_role("button", name="Kirim penilaian").click()  # nothing chosen yet
    out["unanswered"] = b.wait_text(phone, "#survey-form [role=alert]", bool)
    questions = phone.locator("#elements fieldset")
    out["questions"] = questions.count()
    for i in range(out["questions"]):
        # "4 · Sangat baik"-style choices: the best mark for all but the waiting time
        choices = questions.nth(i).get_by_role("radio")
        choices.nth(choices.count() - (2 if i == 0 else 1)).check()
    out["errors_left"] = phone.locator("#survey-form .field-error").count()
    out["alert_left"] = phone.inner_text("#survey-form [role=alert]")
    phone.get_by_label("Saran atau komentar (tidak wajib)").fill("Petugas ramah, antrean cepat.")
    b.check(phone, "03-survey-answered")
    phone.get_by_role("button", name="Kirim penilaian").click()
    out["thanks"] = b.wait_text(phone, "#survey-done", bool)
    b.check(phone, "04-survey-thanks")
    # the same link again: already answered, said so
    phone.goto(out["survey_url"])
    out["again"] = b.wait_text(phone, "#survey-done", bool)

    out["ikm_line"] = _ikm_of(b, phone, base_url, agency)
    out["summary_after"] = phone.inner_text("#summary")
    b.check(phone, "05-statistics-after")

    close_counter(b, console)
    return out
