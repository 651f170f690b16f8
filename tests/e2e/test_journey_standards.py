"""Issue 23's journey in the browser, by clicking and typing only (tests/e2e/browser/
standards_journey.py): a new agency's supervisor drafts a service standard for its new permit
type, consults the public (two citizens comment on their phones, one anonymously, one with a
name), answers, records the forum, is refused adoption while a comment is unanswered, adopts;
the berita acara and the maklumat download as PDFs with their Indonesian titles; a citizen
filing against the type on the portal is shown the standard's promised time. Every state
passes axe-core and the Indonesian language check (var/screenshots/standard_from_draft_to_
promise/)."""
from tests.e2e.browser import harness
from tests.e2e.browser.standards_journey import (
    ANONYMOUS_COMMENT, COMMENTER, NAMED_COMMENT, PROMISED_DAYS, TYPE)


def test_a_standard_is_drafted_consulted_adopted_and_promised_on_the_portal(base_url):
    from tests.e2e.conftest import DEMO_PASSWORD

    r = harness.run("standards_journey:standard_from_draft_to_promise", base_url,
                    admin_password=DEMO_PASSWORD)

    assert r["admin_links_standards"] == "/standards/manage"
    # the draft started from what runs today: the type's document and its 10 working days
    assert r["prefilled"]["requirement"] == "KTP pemilik usaha"
    assert r["prefilled"]["time"] == "10"
    assert r["prefilled"]["title"] == "Standar Pelayanan " + TYPE
    assert r["missing_title"] == "Wajib diisi"

    # the public reads both comments and never the commenter's name; the agency reads it
    comments = r["public_comments"]
    assert ANONYMOUS_COMMENT in comments and NAMED_COMMENT in comments
    assert "Tanpa nama" in comments
    assert "Dengan nama (hanya diketahui instansi) · Dunia usaha" in comments
    assert COMMENTER not in r["public_page"]
    assert COMMENTER + " · Dunia usaha" in r["staff_comments"]

    # adoption waited for the last answer, and said why
    assert r["refused"].startswith("Belum dapat ditetapkan: 1 tanggapan masyarakat belum "
                                   "dijawab"), r["refused"]
    assert "Ditetapkan" in r["staff_page"] or "Berlaku" in r["staff_page"]

    # the public standard: in force, its promise in plain words, the pledge
    public = r["public_standard"]
    assert "Berlaku" in public and PROMISED_DAYS + " hari kerja" in public
    assert "Maklumat Pelayanan" in public and "sanggup menyelenggarakan pelayanan" in public
    assert "Diterima sebagian" in public  # the answers stay on the record

    english = r["english"]
    assert "Service standards" in english and PROMISED_DAYS + " working days" in english
    assert "Free of charge" in english and "Partly accepted" in english

    for pdf, title in ((r["berita_acara"], "BERITA ACARA"),
                       (r["maklumat"], "MAKLUMAT PELAYANAN")):
        assert pdf["head"] == "%PDF-", pdf["name"]
        assert pdf["filename"].endswith(".pdf"), pdf["filename"]
        assert title in pdf["text"].upper(), pdf["name"]

    # the portal promises what the standard promises
    assert r["promise"] == ("Janji waktu penyelesaian menurut standar pelayanan: {} hari "
                            "kerja".format(PROMISED_DAYS))
    assert r["tracking_code"] and r["filed_promise"] == r["promise"]

    shots = harness.SHOTS / "standard_from_draft_to_promise"
    for state in ("02-staff-empty-list", "03-draft-title-missing", "05-consultation-open",
                  "07-public-two-comments", "08-adoption-refused", "09-adopted",
                  "10-public-standard-adopted", "11-portal-filed-with-promise"):
        assert (shots / "{}.png".format(state)).stat().st_size > 1000, state
