"""The display board on the hall's TV (1920x1080), with what the hall does: someone clicks
"Aktifkan suara" once; citizens take tickets at the kiosk; an officer calls and recalls at
the counter console. The board shows the call large, says how it announces (chime and
Indonesian voice, or chime alone), lists the waiting per service by name without clipping,
and after the gateway restarts (``blip_ready``/``blip_done``: the test restarts it between
the two) it reconnects by itself and shows the next call without a reload."""
import time
from pathlib import Path

from tests.e2e.browser.counter_journey import (button, close_counter, current, opened_console,
                                               said, sign_in)
from tests.e2e.browser.kiosk_journey import take_ticket, to_start


def _announcements(page):
    return int(page.get_attribute("#announce", "data-count") or 0)


def _wait_announcements(b, page, at_least, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _announcements(page) >= at_least:
            return _announcements(page)
        page.wait_for_timeout(200)
    b.shot(page, "timeout")
    raise AssertionError("the board announced {} times, not {}".format(
        _announcements(page), at_least))


def _clipped_rows(page):
    """Waiting rows that do not fit wholly inside their box (what the hall could not read)."""
    box = page.locator("#waiting-box").bounding_box()
    out = []
    for row in page.locator("#waiting tr").all():
        r = row.bounding_box()
        if r is None or r["y"] < box["y"] - 1 or r["y"] + r["height"] > box["y"] + box["height"] + 1:
            out.append(row.inner_text())
    return out


def _console(b, base_url, officer, password, counter_name):
    page = b.page("counter", "desk")
    sign_in(page, base_url, officer, password)
    page.select_option("#counter-id", label=counter_name)
    b.wait_text(page, "#counter-status", bool)
    return page


def board_calls(b, base_url, officer, password, counter_name, agency, service,
                blip_ready=None, blip_done=None):
    seen = {}
    board = b.page("board", "board")
    board.goto(base_url + "/board")
    board.get_by_role("button", name="Aktifkan suara").wait_for()
    b.check(board, "start-screen")
    board.get_by_role("button", name="Aktifkan suara").click()
    board.wait_for_selector("#board:not([hidden])")
    board.wait_for_timeout(500)
    seen["fullscreen"] = board.evaluate("() => !!document.fullscreenElement")
    seen["sound_mode"] = board.get_attribute("#sound-mode", "data-mode")
    seen["sound_text"] = board.inner_text("#sound-mode")
    seen["id_voices"] = board.evaluate(
        "() => speechSynthesis.getVoices().filter(v => /^id([-_]|$)/i.test(v.lang)).length")
    seen["chrome"] = [e.inner_text() for e in board.locator("header, nav, #lang, a").all()
                      if e.is_visible()]
    seen["waiting_names"] = b.wait_text(board, "#waiting", lambda t: len(t) > 0)
    seen["clipped"] = _clipped_rows(board)
    seen["pages"] = board.inner_text("#waiting-page")
    b.check(board, "waiting")

    kiosk = b.page("kiosk", "kiosk")
    kiosk.goto(base_url + "/kiosk?idle=120")
    tickets = []
    for _ in range(3):
        tickets.append(take_ticket(kiosk, agency, service))
        to_start(kiosk)
    seen["tickets"] = tickets
    seen["service_listed"] = b.wait_text(board, "#waiting", lambda t: service in t, timeout=40)

    console = _console(b, base_url, officer, password, counter_name)
    button(console, "Buka loket").click()
    said(b, console, lambda t: "dibuka" in t)
    before = _announcements(board)
    button(console, "Panggil berikutnya").click()
    seen["called"] = current(b, console, lambda t: t != "–")
    seen["board_number"] = b.wait_text(board, "#call-number", lambda t: t == seen["called"])
    seen["board_counter"] = board.inner_text("#call-counter")
    seen["board_service"] = b.wait_text(board, "#call-service", lambda t: t == service)
    seen["number_height"] = board.locator("#call-number").bounding_box()["height"]
    seen["card"] = b.wait_text(board, "#counters", lambda t: seen["called"] in t)
    seen["announced"] = _wait_announcements(b, board, before + 1) - before
    b.check(board, "called")

    button(console, "Panggil ulang").click()
    said(b, console, lambda t: "ulang" in t)
    seen["announced_after_recall"] = _wait_announcements(b, board, before + 2) - before
    board.wait_for_timeout(1500)  # the snapshot after the recall has come
    seen["last_calls"] = board.locator("#last li .l-num").all_inner_texts()
    b.check(board, "recalled")

    if blip_ready:
        # the test restarts the gateway now; the board is left alone meanwhile
        Path(blip_ready).write_text("ready")
        deadline = time.monotonic() + 120
        while not Path(blip_done).exists() and time.monotonic() < deadline:
            board.wait_for_timeout(300)
        seen["blip"] = Path(blip_done).exists()
        # the officer signs in again (the restarted gateway knows no earlier session)
        console = _console(b, base_url, officer, password, counter_name)
        seen["after_blip_current"] = current(b, console, lambda t: t == seen["called"])
        button(console, "Lewati").click()
        said(b, console, lambda t: "dilewati" in t)
        button(console, "Panggil berikutnya").click()
        seen["called_after_blip"] = current(b, console, lambda t: t not in ("–", seen["called"]))
        seen["board_after_blip"] = b.wait_text(board, "#call-number",
                                               lambda t: t == seen["called_after_blip"],
                                               timeout=40)
        seen["card_after_blip"] = b.wait_text(board, "#counters",
                                              lambda t: seen["called_after_blip"] in t)
        seen["link_state_after"] = board.inner_text("#link-state")
        b.check(board, "after-reconnect")
    # the officer's day ends: the ticket still called is skipped and the counter closed, as
    # the console offers (the suite's other tests find no counter of this agency left open)
    if button(console, "Lewati").is_enabled():
        button(console, "Lewati").click()
        said(b, console, lambda t: "dilewati" in t)
    button(console, "Tutup loket").click()
    said(b, console, lambda t: "ditutup" in t)
    return seen


#: what the TV's browser reports (a recording speechSynthesis stands in for the real one):
#: an English voice, an Indonesian network voice and an Indonesian local id-ID voice
VOICES = [{"name": "English (United States)", "lang": "en-US", "localService": True},
          {"name": "Bahasa Indonesia (jaringan)", "lang": "id", "localService": False},
          {"name": "Damayanti", "lang": "id-ID", "localService": True}]


def board_speaks(b, base_url, officer, password, counter_name, agency, service, voices=VOICES):
    """What the board says when a number is called: the words, their language and the
    voice it chose (headless Chromium has no voices and plays nothing: the page's speech is
    recorded, not heard)."""
    seen = {}
    board = b.page("board", "board", voices=voices)
    board.goto(base_url + "/board")
    board.get_by_role("button", name="Aktifkan suara").click()
    board.wait_for_selector("#board:not([hidden])")
    seen["sound_mode"] = board.get_attribute("#sound-mode", "data-mode")
    seen["sound_text"] = board.inner_text("#sound-mode")
    b.check(board, "01-voice-on")

    kiosk = b.page("kiosk", "kiosk")
    kiosk.goto(base_url + "/kiosk?idle=120")
    seen["ticket"] = take_ticket(kiosk, agency, service)
    console = opened_console(b, base_url, officer, password, counter_name)
    before = _announcements(board)
    button(console, "Panggil berikutnya").click()
    seen["called"] = current(b, console, lambda t: t == seen["ticket"])
    _wait_announcements(b, board, before + 1)
    deadline = time.monotonic() + 10
    while len([u for u in b.spoken(board) if u["text"].strip()]) < 1 and \
            time.monotonic() < deadline:
        board.wait_for_timeout(200)
    seen["spoken"] = b.spoken(board)
    b.check(board, "02-called")
    button(console, "Lewati").click()
    said(b, console, lambda t: "dilewati" in t)
    close_counter(b, console)
    return seen
