"""The permit journey in the browser, every step by clicking and typing: filed on the portal
(phone), checked, returned, corrected, accepted, decided, approved and issued in the back office
(desk), downloaded as PDF on the portal (tests/e2e/browser/permit_journey.py)."""
from tests.e2e.browser import harness


def test_a_permit_goes_from_the_portal_to_pdf_through_the_back_office(base_url):
    from tests.e2e.conftest import DEMO_PASSWORD

    r = harness.run("permit_journey:permit_from_filing_to_pdf", base_url,
                    password=DEMO_PASSWORD)
    # before filing, the citizen saw what the type asks, costs and takes
    assert "Gratis" in r["type_info"] and "5 hari kerja" in r["type_info"]
    assert "KTP pemohon" in r["type_info"]
    # the work list: masked applicant, the type's name, the filing date and due day in WIB
    assert "S*** A*****" in r["row"] and "Siti Aminah" not in r["row"]
    assert "Surat Izin Praktik Bidan" in r["row"] and "WIB" in r["row"]
    assert "Tepat waktu" in r["row"] and "batas" in r["row"]
    # the actions offered are the workflow's, for this user in this state
    assert r["offered_submitted"] == ["Mulai pemeriksaan berkas"]
    assert sorted(r["offered_intake"]) == ["Kembalikan berkas untuk perbaikan",
                                           "Terima berkas", "Tolak permohonan"]
    assert sorted(r["offered_in_process"]) == ["Dikembalikan instansi untuk perbaikan",
                                               "Disetujui instansi", "Ditolak instansi"]
    assert r["offered_officer_approval"] == []
    assert "Setujui" in r["offered_supervisor_approval"]
    # documents open for the agency's staff; a reason is asked in a form, and required
    assert r["document_head"] == "%PDF-"
    assert r["reason_error"]
    # the citizen read the reason, corrected and resubmitted
    assert r["returned_state"] == "Berkas dikembalikan untuk perbaikan"
    assert "Rekomendasi IBI sudah kedaluwarsa" in r["reason_shown"]
    assert r["resubmitted_state"] == "Perbaikan berkas diterima"
    # the citizen's notification settings: the phone's message by its field, then saved
    assert r["prefs_error"] and "Pengaturan pemberitahuan disimpan" in r["prefs_saved"]
    # notification status by the tracking code; perception for supervisors only
    assert "Permohonan diterima" in r["notifications"]
    assert r["officer_sees_perception"] is False and r["supervisor_sees_perception"] is True
    assert r["officer_refused_reads"] == []  # no 403 on the officer's page loads
    # the history says who did what
    assert "dpmptsp.officer" in r["history"] and "dpmptsp.supervisor" in r["history"]
    assert "Izin telah terbit" in r["history"]
    # the citizen downloads the permit
    assert r["issued_state"] == "Izin telah terbit"
    assert r["pdf_head"] == "%PDF-" and r["pdf_name"].endswith(".pdf")
    assert "6203015708900001" not in r["portal_text"]


def test_a_building_approval_passes_the_agency_and_two_approval_levels(base_url, cluster):
    from services.common.errors import Conflict
    from tests.e2e.conftest import DEMO_PASSWORD

    # set-up: the agency has a second supervisor (its head), as two approval levels need
    try:
        cluster.gateway.create_account_rpc("dpmptsp.kepala", DEMO_PASSWORD, "supervisor",
                                           "dpmptsp")
    except Conflict:  # made by an earlier test of this session
        pass
    r = harness.run("permit_journey:building_approval_through_two_levels", base_url,
                    password=DEMO_PASSWORD, second_supervisor="dpmptsp.kepala")
    assert "120,5" in r["form_shown"]  # typed with a comma, kept as a number
    assert r["offered_in_process"] == []  # the agency's own system decides, not the officer
    steps = r["history"]
    assert "Menunggu persetujuan tingkat 1\tSistem instansi" in steps
    assert "Menunggu persetujuan tingkat 2\tdpmptsp.supervisor" in steps
    assert "Disetujui, menunggu penerbitan\tdpmptsp.kepala" in steps
    assert "Izin telah terbit\tdpmptsp.supervisor" in steps
    # separation of duties, as the back office offers it
    assert "Setujui" not in r["offered_after_own_approval"]
    assert "Terbitkan izin" not in r["offered_to_last_approver"]
    assert r["issued_state"] == "Izin telah terbit" and r["pdf_head"] == "%PDF-"
