"""The MPP admin's journey in the browser, by clicking and typing only (tests/e2e/browser/
admin_journey.py): a new agency is onboarded without a terminal, its new officer opens its
counter, and the kiosk does not offer it while it is being onboarded (test_journey_onboarding
takes an agency live and serves its first citizen); the cuti bersama day the admin adds is
listed as an Indonesian date. Every admin page state passes axe-core and the Indonesian
language check (screenshots under var/screenshots/onboard_and_serve/)."""
from tests.e2e.browser import harness

#: internal codes an admin must never read where a name exists (the demo catalogue's)
CODES = ("disdukcapil-ktp", "bank-setoran", "samsat-pkb", "dpmptsp-sip",
         "kantor-urusan-agama-kapuas")


def test_the_admin_onboards_an_agency_not_offered_to_citizens_until_live(base_url):
    from tests.e2e.conftest import DEMO_PASSWORD  # the suite made the demo accounts with it

    result = harness.run("admin_journey:onboard_and_serve", base_url,
                         admin_password=DEMO_PASSWORD, codes=CODES)

    # the agency's page lists what was onboarded, by name
    page = result["agency_page"]
    for shown in ("Kantor Urusan Agama Kapuas", "Legalisir buku nikah", "Senin–Jumat 07.30–16.00",
                  "Loket 21", "kua.petugas", "Petugas loket", "Rekomendasi nikah",
                  "3 hari kerja", "KTP calon pengantin"):
        assert shown in page, shown
    assert result["agency_code"] == "kantor-urusan-agama-kapuas"  # filled in from the name
    # the calendar lists the new cuti bersama day as an Indonesian date, not an ISO one
    assert "Kamis, 24 Desember 2026" in result["calendar_page"]
    assert "2026-12-24" not in result["calendar_page"]
    assert "kua.petugas" in result["accounts_page"]
    # being onboarded: listed for the admin with its state, not offered at the kiosk
    assert "Sedang disiapkan" in page and "Mulai melayani" in page
    assert "Kantor Urusan Agama Kapuas" not in result["kiosk"]
    assert "Dinas Kependudukan dan Pencatatan Sipil" in result["kiosk"]
    shots = harness.SHOTS / "onboard_and_serve"
    for state in ("01-sign-in", "03-new-agency", "04-prefix-taken", "08-agency-onboarded",
                  "09-calendar", "10-connectors", "11-accounts"):
        assert (shots / "{}.png".format(state)).stat().st_size > 1000, state
