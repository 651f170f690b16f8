"""Every page of the web client in Indonesian, then in English where it has the switch
(tests/e2e/browser/pages_journey.py): axe-core finds nothing serious or critical, and the
Indonesian pages show no English word of the list, no internal code and no decimal point."""
from tests.e2e import journey_setup as setup
from tests.e2e.browser import harness
from tests.e2e.browser.pages_journey import PAGES


def test_every_page_in_indonesian_and_in_english(base_url):
    from tests.e2e.conftest import DEMO_PASSWORD

    agencies = setup.catalogue(base_url)
    r = harness.run("pages_journey:every_page", base_url, password=DEMO_PASSWORD,
                    accounts={"officer": "dpmptsp.officer", "supervisor": "dpmptsp.supervisor",
                              "admin": "admin"},
                    codes=setup.codes(agencies))
    # every page is served (/standards once the standards pages are in)
    assert r["missing"] in ([], ["/standards"]), r["missing"]
    assert [p for p, _, _ in PAGES if p not in r["missing"]] == r["checked"]
    for path in r["checked"]:
        assert r["lang_" + (path.strip("/") or "home")] == "id", path
    # the TV has no switch; every other page reads in English on it
    assert "/board" not in r["english"]
    assert set(r["checked"]) - {"/board"} <= set(r["english"])
    for path in r["english"]:
        text = r["text_en_" + (path.strip("/") or "home")]
        assert "Kirim" not in text and "Masuk" not in text, path
