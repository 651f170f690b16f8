"""The permit journey in the browser, every step by clicking and typing: filed on the portal
(phone), checked, returned, corrected, accepted, decided, approved and issued in the back office
(desk), downloaded as PDF on the portal (tests/e2e/browser/permit_journey.py)."""
import re

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


def test_a_permit_with_a_fee_waits_for_its_payment_and_is_issued_after_it(base_url):
    from tests.e2e.conftest import DEMO_PASSWORD

    r = harness.run("permit_journey:permit_with_a_fee", base_url, password=DEMO_PASSWORD)
    assert "Rp 50.000" in r["type_info"] and "5 hari kerja" in r["type_info"]
    # approved, it waits for the fee: the supervisor cannot issue yet
    assert "Terbitkan izin" not in r["offered_supervisor_awaiting_payment"]
    assert r["offered_officer_awaiting_payment"] == ["Catat pembayaran"]
    # the citizen reads what to pay, in rupiah, and where
    assert r["awaiting_state"] == "Menunggu pembayaran retribusi"
    assert "Rp 50.000" in r["pay_hint"] and "loket pembayaran" in r["pay_hint"]
    assert "Terbitkan izin" not in r["offered_officer_paid"]  # the officer records, not issues
    steps = r["history"]
    assert "Retribusi telah dibayar\tbpn.officer" in steps
    assert "Izin telah terbit\tbpn.supervisor" in steps
    assert r["issued_state"] == "Izin telah terbit" and r["pay_hint_after"] == 0
    assert r["pdf_head"] == "%PDF-"


def _file_days_earlier(mongo_client, suite, code, percent_wanted):
    """Time passes for one application (set-up between the journeys): its SLA clock is moved
    back until the pure SLA rule says ``percent_wanted`` % or so of its working days are
    used, as the services' own clock would after as many days."""
    import datetime

    from services.common import clock as clk
    from services.permits import sla

    db = mongo_client["{}_permits".format(suite.env["MONGO_DB_PREFIX"])]
    app = db.applications.find_one({"tracking_code": code})
    stored = db.settings.find_one({"_id": "calendar"}) or {}
    calendar = sla.WorkingCalendar.from_dict(
        dict({k: v for k, v in stored.items() if k != "_id"}, timezone="Asia/Jakarta"))
    now = datetime.datetime.now(datetime.timezone.utc)

    def shifted(hours):
        return [dict(c, at=clk.iso(clk.to_utc(sla.instant(c["at"]))
                                   - datetime.timedelta(hours=hours))) for c in app["changes"]]

    def used(hours):
        changes = [(c["at"], c["state"]) for c in shifted(hours)]
        return sla.clock(changes, app["terms"]["sla_working_days"], now, calendar).percent_used

    hours = min(range(0, 24 * 40, 3), key=lambda h: abs(used(h) - percent_wanted))
    filed = clk.to_utc(sla.instant(app["filed_at"])) - datetime.timedelta(hours=hours)
    db.applications.update_one({"_id": app["_id"]}, {"$set": {
        "changes": shifted(hours),
        "filed_at": clk.iso(filed) if isinstance(app["filed_at"], str) else filed}})
    return used(hours)


def test_the_sla_colours_pass_with_time_and_the_admin_picks_an_agency(base_url, suite,
                                                                       mongo_client):
    from tests.e2e.conftest import DEMO_PASSWORD

    filed = harness.run("office_journey:citizens_file", base_url)
    codes = filed["codes"]
    used = [_file_days_earlier(mongo_client, suite, code, wanted)
            for code, wanted in zip(codes[1:], (65, 90, 140))]
    assert 50 <= used[0] < 80 and 80 <= used[1] < 100 and used[2] >= 100, used
    r = harness.run("office_journey:officer_reads_the_clock_and_admin_picks", base_url,
                    password=DEMO_PASSWORD, tracking_codes=codes,
                    other_agency_code=filed["other_agency_code"])
    texts = [x["text"] for x in r["badges"]]
    assert texts == ["Tepat waktu", "Lewat 50 %", "Lewat 80 %", "Terlambat"], texts
    assert r["badges_en"] == ["On time", "Past 50 %", "Past 80 %", "Late"]
    # four colours, one per band, and each due day a day of the MPP's calendar, in words
    assert len({x["colour"] for x in r["badges"]}) == 4
    assert all(re.fullmatch(r"batas \w+, \d+ \w+ 2\d{3}", x["due"]) for x in r["badges"]), \
        [x["due"] for x in r["badges"]]
    assert r["officer_picker_visible"] is False  # an agency's officer sees only its own
    # the admin: every agency's work by default, each row named by its agency; then one
    assert r["picker_options"][0] == "Semua instansi"
    assert "Kantor Pertanahan Kabupaten Kapuas" in r["picker_options"]
    assert "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu" in r["picker_options"]
    assert {"bpn", "dpmptsp"} <= set(r["all_agencies"])
    assert "Kantor Pertanahan Kabupaten Kapuas" in r["agency_column"]
    assert r["filtered_agencies"] == ["bpn"]
    assert set(codes) <= set(r["filtered_codes"])
