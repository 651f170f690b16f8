"""A new agency joins the MPP through the web client, by clicking and typing only (tests/e2e/
browser/onboarding_journey.py): the admin onboards it; the go-live checklist shows what is
missing and going live is refused while a service has no adopted standard (the kiosk does not
offer the agency); its supervisor adopts a standard for each service on the staff standards
page; the agency goes live, the kiosk offers it and its first citizen is served; after a
permit decision the public statistics show each promise beside the practice; a permit type
whose running fee differs from its standard is flagged on the admin page. Every state passes
axe-core and the Indonesian language check (var/screenshots/agency_joins_and_keeps_its_
promises/)."""
from tests.e2e.browser import harness
from tests.e2e.browser.onboarding_journey import AGENCY, PERMIT_TYPE, SERVICE


def test_an_agency_goes_live_only_with_its_standards_adopted_and_its_promises_are_measured(
        base_url):
    from tests.e2e.conftest import DEMO_PASSWORD

    r = harness.run("onboarding_journey:agency_joins_and_keeps_its_promises", base_url,
                    admin_password=DEMO_PASSWORD)

    # a new agency: everything but its profile still to do, shown item by item
    assert "✓ Lengkap Profil instansi" in r["new_checklist"]
    assert "✗ Belum Layanan" in r["new_checklist"]
    assert "– Tidak perlu Loket" in r["new_checklist"]  # no queue service yet
    # only the standards missing, both services named; going live refused in words
    assert "belum ada standar pelayanan yang ditetapkan untuk: " in r["refused_checklist"]
    assert SERVICE in r["refused_checklist"] and PERMIT_TYPE in r["refused_checklist"]
    assert r["refused"].startswith("Belum dapat mulai melayani")
    assert "Standar pelayanan" in r["refused"]
    assert AGENCY not in r["kiosk_before"]

    # adopted standards complete the list; the agency goes live and the kiosk offers it
    assert r["complete_checklist"].count("✓") == 6
    assert AGENCY in r["went_live"]
    assert "Sudah melayani" in r["live_page"] and "Mulai melayani" not in r["live_page"]
    assert AGENCY in r["kiosk_after"]
    assert r["ticket"].startswith("V-")
    assert "5 hari kerja" in r["promise_on_portal"]

    # the statistics: the permit promise kept (decided the day it was filed) and the queue's
    stats = r["statistics"]
    assert "selesai dalam 5 hari kerja" in stats
    assert "1 dari 1 permohonan diputus tepat waktu (100 %)" in stats
    assert "dilayani dalam 10 menit" in stats
    assert "separuh warga dilayani dalam" in stats
    assert stats.count("Janji ditepati") >= 2
    assert "Janji tidak ditepati" not in stats
    assert "Semua janji layanan ditepati bulan ini" in r["broken_box"]

    # the running fee now differs from the adopted standard: flagged, with both figures
    assert "Berbeda dari standar pelayanan yang ditetapkan: biaya" in r["drift_note"]
    assert "Rp25.000" in r["drift_note"]
    shots = harness.SHOTS / "agency_joins_and_keeps_its_promises"
    for state in ("01-new-agency-checklist", "02-go-live-refused", "04-checklist-complete",
                  "05-agency-live", "06-kiosk-ticket", "07-office-no-broken-promise",
                  "08-statistics-promise-and-practice", "09-permit-type-differs-from-standard"):
        assert (shots / "{}.png".format(state)).stat().st_size > 1000, state
