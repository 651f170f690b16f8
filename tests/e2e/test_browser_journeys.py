"""Browser journeys in real headless Chromium (Debian's package, scripts/browser.sh), driven
by Playwright for Python (the kiosk, the display board and the counter console have their own
journeys: tests/e2e/test_journey_kiosk.py, test_journey_board.py, test_journey_counter.py):
a citizen files an application with documents in the portal and follows
its status as the agency acts on it; a citizen's complaint, markup and all, reaches the back
office as plain text, and the public statistics page draws its charts. Screenshots go to
artifacts/screenshots/.

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


def test_citizen_files_an_application_and_follows_it(base_url):
    if not os.path.exists(CHROMIUM):
        subprocess.run([str(ROOT / "scripts" / "browser.sh")], check=True)
    from tests.e2e.conftest import DEMO_PASSWORD

    result = _in_browser("citizen", base_url, DEMO_PASSWORD)
    assert len(result["tracking_code"]) >= 6 and result["pin"]
    assert result["first_state"] and result["later_state"] != result["first_state"]
    assert result["history_after"] == result["history_before"] + 1
    assert "6203015708900001" not in result["page_text"]  # the NIK never comes back
    assert result["unknown_permit"].startswith("Izin tidak dikenal")
    for name in ("portal-filed", "portal-status", "verify"):
        assert (SHOTS / "{}.png".format(name)).stat().st_size > 1000


def test_a_complaint_reaches_the_back_office_as_plain_text(base_url):
    if not os.path.exists(CHROMIUM):
        subprocess.run([str(ROOT / "scripts" / "browser.sh")], check=True)
    from tests.e2e.conftest import DEMO_PASSWORD

    result = _in_browser("voice", base_url, DEMO_PASSWORD)
    assert result["complaint_id"] and result["due"]
    # what the citizen typed is shown as typed: text, never markup
    assert result["office_text"] == HOSTILE_TEXT
    assert result["markup_in_cell"] == 0 and result["alert_fired"] is False
    assert result["statistics_rows"] > 0
    for name in ("complaint", "office-complaints", "statistics"):
        assert (SHOTS / "{}.png".format(name)).stat().st_size > 1000


HOSTILE_TEXT = 'Antrean lama <img src=x onerror="alert(1)"><b>tebal</b> & "kutip"'


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


def _act(base, token, app_id, action):
    request = urllib.request.Request(
        base + "/api/v1/applications/by-id/{}/actions".format(app_id), method="POST",
        data=json.dumps({"action": action}).encode(),
        headers={"Content-Type": "application/json", "Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=20) as answer:
        return json.loads(answer.read())


def citizen(base, password):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        browser = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM,
                                                       args=ARGS, headless=True,
                                                       viewport={"width": 1280, "height": 900})
        portal = browser.new_page()
        portal.goto(base + "/portal")
        portal.wait_for_selector("#app-type option[value='sip-bidan']", state="attached")
        portal.select_option("#app-type", "sip-bidan")
        portal.fill("[data-field='str_number']", "STR-1234567")
        portal.fill("[data-field='practice_address']", "Jl. Tambun Bungai 12, Kuala Kapuas")
        for field in portal.query_selector_all("#app-docs input[type=file]"):
            field.set_input_files({"name": field.get_attribute("data-kind") + ".pdf",
                                   "mimeType": "application/pdf", "buffer": pdf})
        portal.fill("#app-nik", "6203015708900001")
        portal.fill("#app-name", "Siti Aminah")
        portal.fill("#app-phone", "0811-5200-0001")
        portal.click("#apply button")
        code = portal.wait_for_selector("#tracking-code").inner_text().strip()
        pin = portal.inner_text("#tracking-pin").strip()
        portal.screenshot(path=str(SHOTS / "portal-filed.png"), full_page=True)

        portal.click("#status button")
        first = portal.wait_for_selector("#app-state").inner_text().strip()
        before = len(portal.query_selector_all("#status-out li"))

        token = _login(base, "dpmptsp.officer", password)
        items = _get(base, "/api/v1/applications", token)["items"]
        app_id = next(i["application_id"] for i in items if i["tracking_code"] == code)
        _act(base, token, app_id, "start_intake")

        portal.click("#status button")
        for _ in range(50):  # the page's CSP forbids wait_for_function's eval: poll the text
            if portal.inner_text("#app-state").strip() != first:
                break
            portal.wait_for_timeout(200)
        later = portal.inner_text("#app-state").strip()
        after = len(portal.query_selector_all("#status-out li"))
        portal.screenshot(path=str(SHOTS / "portal-status.png"), full_page=True)
        text = portal.inner_text("body")

        verify = browser.new_page()
        verify.goto(base + "/verify?n=503%2F9999%2FDPMPTSP%2F2026&h=" + "0" * 64)
        unknown = verify.wait_for_selector("#verify-status").inner_text().strip()
        verify.screenshot(path=str(SHOTS / "verify.png"), full_page=True)
        print(json.dumps({"tracking_code": code, "pin": pin, "first_state": first,
                          "later_state": later, "history_before": before,
                          "history_after": after, "page_text": text,
                          "unknown_permit": unknown}))
        browser.close()


def voice(base, password):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        browser = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM,
                                                       args=ARGS, headless=True,
                                                       viewport={"width": 1280, "height": 900})
        alerts = []
        page = browser.new_page()
        page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
        page.goto(base + "/complaint")
        page.wait_for_selector("#c-agency option[value='dpmptsp']", state="attached")
        page.select_option("#c-kind", "pengaduan")
        page.select_option("#c-agency", "dpmptsp")
        page.fill("#c-text", HOSTILE_TEXT)
        page.click("#complaint-form button[type=submit]")
        done = page.wait_for_selector("#complaint-done:not([hidden]) strong")
        complaint_id = done.inner_text().strip()
        due = page.inner_text("#complaint-done").strip()
        page.screenshot(path=str(SHOTS / "complaint.png"), full_page=True)

        office = browser.new_page()
        office.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
        office.goto(base + "/office")
        office.fill("#u", "dpmptsp.supervisor")
        office.fill("#p", password)
        office.click("#login button")
        row = office.wait_for_selector("#complaints tr:has(td:text('{}'))".format(complaint_id))
        cell = row.query_selector_all("td")[2]
        office_text = cell.inner_text()
        markup = len(cell.query_selector_all("img, b"))
        office.screenshot(path=str(SHOTS / "office-complaints.png"), full_page=True)

        # a visitor today, so the public figures have something to show
        service = next(a for a in _get(base, "/api/v1/agencies")["agencies"]
                       if a["services"])["services"][0]
        issued = urllib.request.Request(
            base + "/api/v1/tickets", method="POST",
            data=json.dumps({"service_id": service["id"]}).encode(),
            headers={"Content-Type": "application/json"})
        urllib.request.urlopen(issued, timeout=20).close()
        stats = browser.new_page()
        rows = 0
        for _ in range(30):  # the feedback service counts the visit from its event
            stats.goto(base + "/statistics")
            stats.wait_for_selector("svg", timeout=15000)
            stats.wait_for_timeout(300)
            rows = len(stats.query_selector_all("table tr")) - 1  # the header row
            if rows > 0:
                break
            stats.wait_for_timeout(500)
        stats.screenshot(path=str(SHOTS / "statistics.png"), full_page=True)
        print(json.dumps({"complaint_id": complaint_id, "due": due, "office_text": office_text,
                          "markup_in_cell": markup, "alert_fired": bool(alerts),
                          "statistics_rows": rows}))
        browser.close()


if __name__ == "__main__":
    {"citizen": citizen, "voice": voice}[sys.argv[1]](sys.argv[2], sys.argv[3])
