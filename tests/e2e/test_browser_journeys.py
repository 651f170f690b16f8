"""Browser journeys in real headless Chromium (Debian's package, scripts/browser.sh), driven
by Playwright for Python: the kiosk issues a ticket, the counter console calls it, the display
board shows it live. Screenshots go to artifacts/screenshots/. (The permit, complaint and
statistics journeys are in test_journey_office.py and test_journey_citizen.py.)

Playwright runs in a child process (this file run as a script): the test process is
eventlet-monkey-patched, which Playwright's own event loop must not share.
"""
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_kiosk_counter_and_board(base_url):
    if not os.path.exists(CHROMIUM):
        subprocess.run([str(ROOT / "scripts" / "browser.sh")], check=True)
    from tests.e2e.conftest import DEMO_PASSWORD  # the suite made the demo accounts with it

    result = _in_browser("queue", base_url, DEMO_PASSWORD)
    assert result["board_shows"] == result["ticket"] == result["called"]
    for name in ("kiosk", "counter", "board"):
        assert (SHOTS / "{}.png".format(name)).stat().st_size > 1000


def _in_browser(mode, base_url, password):
    done = subprocess.run([sys.executable, __file__, mode, base_url, password],
                          capture_output=True, text=True, timeout=240, cwd=str(ROOT))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _get(base, path, token=None):
    request = urllib.request.Request(base + path)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=20) as answer:
        return json.loads(answer.read())


def _login(base, username, password):
    request = urllib.request.Request(base + "/api/v1/auth/login", method="POST",
                                     data=json.dumps({"username": username,
                                                      "password": password}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=20) as answer:
        return json.loads(answer.read())["access_token"]


def drive(base, password):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    agency = next(a for a in _get(base, "/api/v1/agencies")["agencies"] if a["services"])
    service = agency["services"][0]
    officer = "{}.officer".format(agency["code"])
    counters = _get(base, "/api/v1/counters", _login(base, officer, password))["counters"]
    counter = next(c for c in counters if service["id"] in c["services"])
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        browser = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM,
                                                       args=ARGS, headless=True,
                                                       viewport={"width": 1280, "height": 900})
        board = browser.new_page()
        board.set_viewport_size({"width": 1920, "height": 1080})
        board.goto(base + "/board?agency=" + agency["code"])
        board.wait_for_selector("#counters")

        kiosk = browser.new_page()
        kiosk.goto(base + "/kiosk")
        kiosk.get_by_role("button", name=agency["name"]).click()
        kiosk.get_by_role("button", name=service["prefix"] + " · " + service["name"]).click()
        kiosk.get_by_role("button", name="Umum").click()
        number = kiosk.wait_for_selector("#ticket-number").inner_text().strip()
        kiosk.wait_for_selector(".ticket svg")
        kiosk.screenshot(path=str(SHOTS / "kiosk.png"), full_page=True)

        console = browser.new_page()
        console.goto(base + "/counter")
        console.fill("#u", officer)
        console.fill("#p", password)
        console.get_by_role("button", name="Masuk").click()
        console.wait_for_selector("#console:not([hidden])")
        console.select_option("#counter-id", counter["id"])
        console.wait_for_timeout(300)
        console.get_by_role("button", name="Buka loket").click()
        console.wait_for_timeout(300)
        console.get_by_role("button", name="Panggil berikutnya").click()
        called = console.wait_for_selector("#current:not(:text('–'))").inner_text().strip()
        console.screenshot(path=str(SHOTS / "counter.png"), full_page=True)

        try:
            cell = board.wait_for_selector("td.now:text('{}')".format(number), timeout=10000)
        except Exception:
            board.screenshot(path=str(SHOTS / "board-failed.png"))
            raise AssertionError("board: " + board.inner_text("body")[:500] + " called " + called)
        board.wait_for_selector("#announce:text('{}')".format(number), timeout=10000)
        board.screenshot(path=str(SHOTS / "board.png"))
        for page, name in ((browser.new_page(), "portal"), (browser.new_page(), "office")):
            page.goto(base + "/" + name)
            page.wait_for_timeout(500)
            page.screenshot(path=str(SHOTS / "{}.png".format(name)), full_page=True)
        print(json.dumps({"ticket": number, "called": called, "board_shows": cell.inner_text()}))
        browser.close()


if __name__ == "__main__":
    {"queue": drive}[sys.argv[1]](sys.argv[2], sys.argv[3])
