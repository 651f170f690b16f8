"""Every page of the web client, in Indonesian and then (where the page has the switch) in
English: a screenshot, axe-core and, in Indonesian, the language check of each. Staff pages
are read signed in, as the officer, supervisor or admin reads them."""

#: (path, who signs in or None, what shows once the page has loaded)
PAGES = (
    ("/", None, "main"),
    ("/kiosk", None, "text=Ambil nomor antrean"),
    ("/board", None, "#unlock"),
    ("/counter", "officer", "#console:not([hidden])"),
    ("/portal", None, "#app-type option"),
    ("/office", "supervisor", "#office:not([hidden])"),
    ("/statistics", None, "#ikm-chart *"),
    ("/survey", None, "#c-agency option[value]"),
    ("/complaint", None, "#c-agency option[value]"),
    ("/verify", None, "#verify"),
    ("/admin", "admin", "#admin:not([hidden])"),
    ("/standards", None, "main"),
)


def _sign_in(page, username, password):
    page.fill("#u", username)
    page.fill("#p", password)
    page.get_by_role("button", name="Masuk", exact=True).click()


def every_page(b, base_url, password, accounts):
    out = {"checked": [], "english": [], "missing": []}
    for path, who, ready in PAGES:
        name = path.strip("/") or "home"
        device = {"/kiosk": "kiosk", "/board": "board", "/portal": "phone",
                  "/survey": "phone", "/complaint": "phone", "/verify": "phone"}.get(path, "desk")
        page = b.page(name, device)
        answer = page.goto(base_url + path)
        if answer is None or answer.status == 404:
            out["missing"].append(path)
            continue
        if who:
            _sign_in(page, accounts[who], password)
        page.wait_for_selector(ready, state="attached")
        page.wait_for_timeout(800)  # the page's own reads have come back
        out["lang_" + name] = page.get_attribute("html", "lang")
        b.check(page, "{}-id".format(name))
        out["checked"].append(path)
        switch = page.locator("#lang")
        if switch.count() and switch.is_visible():
            switch.click()
            page.wait_for_selector("html[lang='en']")
            page.wait_for_timeout(500)
            b.check(page, "{}-en".format(name), language=False)
            out["english"].append(path)
            out["text_en_" + name] = page.inner_text("body")
            switch.click()  # back to Indonesian: the choice is remembered for the next page
            page.wait_for_selector("html[lang='id']")
    return out
