"""A supervisor's back office when the link to their agency's system has stopped: the banner
says which agency, since when and why, in Indonesian; after the cause is fixed, one click
resumes the connector and the banner goes away.

The language check runs on the banner itself: the rest of the back office (its counters
table still shows raw states such as ``closed``) is the back office page's to fix."""
from tests.e2e.browser.harness import JourneyFailed, language_problems


def _signed_in(b, base_url, username, password, name):
    page = b.page(name)
    page.goto(base_url + "/office")
    page.fill("#u", username)
    page.fill("#p", password)
    page.click("#login button")
    page.wait_for_selector("#office:not([hidden])")
    return page


def supervisor_sees_the_stopped_link(b, base_url, username, password):
    page = _signed_in(b, base_url, username, password, "supervisor")
    text = b.wait_text(page, "#connector-alerts", lambda t: "berhenti sejak" in t)
    b.check(page, "banner", language=False)
    problems = language_problems(text)
    if problems:
        raise JourneyFailed("banner: {}".format("; ".join(problems)))
    return {"banner": text}


def supervisor_resumes_it(b, base_url, username, password):
    page = _signed_in(b, base_url, username, password, "supervisor")
    b.wait_text(page, "#connector-alerts", lambda t: "Jalankan lagi" in t)
    page.click("#connector-alerts button")
    said = b.wait_text(page, "#mpp-status", lambda t: "berjalan lagi" in t)
    page.wait_for_selector("#connector-alerts", state="hidden")
    b.check(page, "resumed", language=False)
    return {"said": said}
