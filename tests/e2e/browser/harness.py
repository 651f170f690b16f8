"""What every browser journey uses: real headless Chromium (Debian's, ``scripts/browser.sh``)
driven by Playwright for Python, in a child process of its own.

A journey is a plain function ``journey(b, base_url, **params) -> dict`` in a module of this
package. It only clicks and types, as the person would; set-up may load the catalogue, but no
step calls the API. ``run("kiosk_journey:citizen_takes_a_ticket", base_url, ...)`` runs it in
a child (the test process is eventlet-monkey-patched, which Playwright's own event loop must
not share) and returns what it returned.

``b`` (a ``Browser``) gives:

- ``b.page(name, device)``: a page in a fresh browser context of its own (one person: its
  own cookies and storage), at a role's screen size (``DEVICES``). The browser's zone is UTC
  and its locale en-US on purpose: pages must show the MPP's zone and Indonesian formats
  whatever the browser's own settings are.
- ``b.check(page, state)``: a screenshot under ``var/screenshots/<journey>/<state>.png`` (kept
  out of git, for a reviewer to look at), then axe-core (vendored from the npm package) with no
  ``serious`` or ``critical`` violation allowed, then the language check (``language_problems``)
  when the page is in Indonesian. Any problem fails the journey with what and where.
- ``b.small_targets(page, selector, minimum=48)``: the elements matching ``selector`` smaller
  than ``minimum`` CSS pixels either way (kiosk touch targets).
- ``b.wait_text(page, selector, predicate)``: poll a text (the pages' CSP forbids the eval
  ``wait_for_function`` needs).
- ``b.page(..., voices=[{"name", "lang", "localService"}])``: headless Chromium has no voices
  and plays no sound, so such a page gets a recording ``speechSynthesis`` (an init script) with
  these voices; ``b.spoken(page)`` lists what the page said: ``{text, lang, voice, volume}``.
  Real audio stays untested.
- ``b.qr_text(page, selector)``: the text of the QR code shown in ``selector``, read from a
  screenshot of it by zxing-cpp, as a phone's camera would.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SHOTS = ROOT / "var" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--autoplay-policy=user-gesture-required"]

# The screen each person uses: kiosk and counter 1366x768, the hall's TV 1920x1080, a phone
# 390x844 (touch), the back office and admin 1366x768.
DEVICES = {
    "kiosk": {"viewport": {"width": 1366, "height": 768}, "has_touch": True},
    "board": {"viewport": {"width": 1920, "height": 1080}},
    "desk": {"viewport": {"width": 1366, "height": 768}},
    "phone": {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True,
              "device_scale_factor": 2},
}

# Words seen on the pages in English while Indonesian was chosen, and raw workflow states.
ENGLISH_WORDS = ("called", "serving", "completed", "closed", "waiting", "skipped", "cancelled",
                 "Invalid data", "Application submitted", "Submit", "Loading", "Error",
                 "Counter", "Queue", "Ticket", "Status:", "min ")
_DECIMAL_POINT = re.compile(r"(?<![\d.])(\d+\.\d|\d{3,}\.\d{1,2}|\d\.\d{2})(?![\d.])")
_SNAKE_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def language_problems(text, codes=()):
    """What a reader of Indonesian should not see in ``text``: English words of the list above,
    internal codes (``codes``: ids that have a name, such as ``bank-setoran``, and any
    snake_case token such as ``in_process``), and decimal points (Indonesian writes ``1,5``;
    ``07.30`` is a time and ``1.234`` a thousands separator, both allowed)."""
    problems = []
    for word in ENGLISH_WORDS:
        # a word listed with its trailing space ("min ") is a word's start: "admin " is not it
        pattern = r"(?<![\w-]){}(?![\w-])".format(re.escape(word.strip())) if word.strip() == word \
            else r"(?<![\w-])" + re.escape(word)
        if re.search(pattern, text):
            problems.append("English word {!r}".format(word.strip()))
    for code in codes:
        # "dpmptsp.officer" is a user name, not the agency's code shown for its name
        if re.search(r"(?<![\w-]){}(?![\w-]|\.\w)".format(re.escape(code)), text):
            problems.append("internal code {!r}".format(code))
    for match in _SNAKE_CODE.findall(text):
        problems.append("internal code {!r}".format(match))
    for match in _DECIMAL_POINT.findall(text):
        problems.append("decimal point in {!r}".format(match))
    return problems


# What ``speechSynthesis`` a page sees when a journey gives it voices: the page's own code runs
# unchanged; each utterance it speaks is recorded instead of played.
_SPEECH_RECORDER = """
(() => {
  const voices = %s;
  const spoken = window.__mppSpoken = [];
  class Utterance { constructor(text) { this.text = text; this.lang = ""; this.voice = null;
    this.volume = 1; this.rate = 1; } }
  window.SpeechSynthesisUtterance = Utterance;
  const synth = {
    getVoices: () => voices.slice(), speak: u => spoken.push({text: u.text, lang: u.lang,
      voice: u.voice ? u.voice.name : null, volume: u.volume}),
    cancel: () => {}, pause: () => {}, resume: () => {}, speaking: false, pending: false,
    addEventListener: () => {}, removeEventListener: () => {}, onvoiceschanged: null};
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
})();
"""


class JourneyFailed(AssertionError):
    pass


class Browser:
    def __init__(self, playwright, journey, codes=()):
        self.journey = journey
        self.codes = tuple(codes)
        self.browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS,
                                                  headless=True)
        self.contexts = []
        self.axe = AXE.read_text()
        (SHOTS / journey).mkdir(parents=True, exist_ok=True)

    def page(self, name, device="desk", voices=None, **options):
        settings = dict(DEVICES[device], locale="en-US", timezone_id="UTC",
                        accept_downloads=True)
        settings.update(options)
        context = self.browser.new_context(**settings)
        if voices is not None:
            context.add_init_script(_SPEECH_RECORDER % json.dumps(voices))
        context.set_default_timeout(15000)
        self.contexts.append(context)
        page = context.new_page()
        page.mpp_name = name
        return page

    def shot(self, page, state):
        path = SHOTS / self.journey / "{}.png".format(state)
        page.screenshot(path=str(path), full_page=True)
        return path

    def axe_violations(self, page):
        page.evaluate(self.axe)
        return page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
              .map(v => ({id: v.id, impact: v.impact, help: v.help,
                          where: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
        }""")

    def check(self, page, state, language=True):
        """Screenshot, accessibility and (in Indonesian) language of ``page`` as it is now."""
        self.shot(page, state)
        problems = ["axe {impact} {id}: {help} at {where}".format(**v)
                    for v in self.axe_violations(page)]
        if language and (page.get_attribute("html", "lang") or "id").startswith("id"):
            problems += language_problems(page.inner_text("body"), self.codes)
        if problems:
            raise JourneyFailed("{} / {}: {}".format(self.journey, state, "; ".join(problems)))

    @staticmethod
    def spoken(page):
        return page.evaluate("() => window.__mppSpoken || []")

    @staticmethod
    def qr_text(page, selector):
        import io

        import zxingcpp
        from PIL import Image

        image = Image.open(io.BytesIO(page.locator(selector).screenshot()))
        found = zxingcpp.read_barcodes(image)
        if not found:
            raise JourneyFailed("no QR code readable in {}".format(selector))
        return found[0].text

    def small_targets(self, page, selector, minimum=48):
        small = []
        for element in page.query_selector_all(selector):
            box = element.bounding_box()
            if box and (box["width"] < minimum or box["height"] < minimum):
                small.append("{} ({:.0f}x{:.0f})".format(element.inner_text()[:30],
                                                         box["width"], box["height"]))
        return small

    def wait_text(self, page, selector, predicate, timeout=15.0):
        deadline = time.monotonic() + timeout
        text = None
        while time.monotonic() < deadline:
            element = page.query_selector(selector)
            text = element.inner_text().strip() if element else None
            if text is not None and predicate(text):
                return text
            page.wait_for_timeout(200)
        self.shot(page, "timeout")
        raise JourneyFailed("{}: {} never matched (last text {!r})".format(
            self.journey, selector, text))

    def close(self):
        for context in self.contexts:
            context.close()
        self.browser.close()


def run(journey, base_url, timeout=600, **params):
    """Run ``"module:function"`` of this package in a child process; returns its dict."""
    if not os.path.exists(CHROMIUM):
        subprocess.run([str(ROOT / "scripts" / "browser.sh")], check=True)
    done = subprocess.run(
        [sys.executable, "-m", "tests.e2e.browser.harness", journey, base_url,
         json.dumps(params)],
        capture_output=True, text=True, timeout=timeout, cwd=str(ROOT),
        env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-6000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _child(journey, base_url, params):
    import importlib

    from playwright.sync_api import sync_playwright

    module_name, function_name = journey.split(":")
    function = getattr(importlib.import_module("tests.e2e.browser." + module_name),
                       function_name)
    with sync_playwright() as playwright:
        b = Browser(playwright, function_name, codes=params.pop("codes", ()))
        try:
            result = function(b, base_url, **params)
        finally:
            b.close()
    print(json.dumps(result or {}))


if __name__ == "__main__":
    tempfile.tempdir = None
    _child(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]))
