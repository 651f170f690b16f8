"""From filing to a verifiable permit, with the simulated agency deciding; refusals change
nothing; two officers at once: exactly one wins."""
import base64

import eventlet
import pytest

from services.common.errors import Conflict, Forbidden, IllegalTransition, ValidationFailed
from services.permits.connectors.simulated import SimulatedConnector
from tests.integration.permits.conftest import filing, snapshot, staff, wait_state
from tests.support import wait_for


def test_filing_to_issued_with_the_simulated_agency(runner_factory, config, permits, events,
                                                    pdb):
    runner_factory(config, SimulatedConnector).start()
    filed = permits.permits.file_application(filing("pbg"))
    app_id = filed["application_id"]
    for action in ("start_intake", "accept", "forward"):
        staff(permits, app_id, action)
    wait_state(permits, app_id, "approval_1")  # the simulated agency approved
    forwarded = events["application_forwarded.simulated"]
    assert [e["application_id"] for e in forwarded] == [app_id]
    assert "nik" not in repr(forwarded)
    staff(permits, app_id, "approve", role="supervisor")
    # each level by another person, and the last approver does not issue alone
    done = staff(permits, app_id, "approve", role="supervisor", actor="supervisor-2")
    assert done["state"] == "approved"  # fee 0: no payment step
    issued = staff(permits, app_id, "issue", role="supervisor")
    year = issued["permit_number"].rsplit("/", 1)[1]
    assert issued["permit_number"] == "503/0001/DPMPTSP/{}".format(year)

    public = permits.permits.get_application_public(filed["tracking_code"], filed["pin"])
    assert public["state"] == "issued" and public["permit_number"] == issued["permit_number"]
    assert [h["to"] for h in public["history"]] == [
        "submitted", "intake_check", "accepted", "in_process", "approval_1", "approval_2",
        "approved", "issued"]
    assert {k: v for k, v in permits.permits.verify_history(app_id).items()
            if k in ("ok", "first_bad_seq")} == {"ok": True, "first_bad_seq": None}

    verdict = permits.permits.verify_permit(issued["permit_number"])
    assert verdict["status"] == "valid" and "Siti" not in repr(verdict)
    event = wait_for(lambda: events["permit_issued"], message="permit_issued")[0]
    assert event["verify_url"].startswith("https://mpp.example/verify?")
    changed = wait_for(lambda: len(events["application_status_changed"]) == 7 and
                       events["application_status_changed"], message="7 status changes")
    assert [e["to"] for e in changed] == [h["to"] for h in public["history"][1:]]

    # one changed byte in the PDF, or in the stored record, fails verification
    pdf = base64.b64decode(permits.permits.get_permit_pdf(issued["permit_number"]))
    assert pdf.startswith(b"%PDF")
    assert permits.permits.verify_permit(issued["permit_number"],
                                         pdf_b64=base64.b64encode(pdf).decode())["status"] \
        == "valid"
    tampered = bytearray(pdf)
    tampered[len(pdf) // 2] ^= 0x01
    assert permits.permits.verify_permit(
        issued["permit_number"], pdf_b64=base64.b64encode(bytes(tampered)).decode()
    )["status"] == "unknown"
    stored = pdb.permits.find_one({"_id": issued["permit_number"]})
    title = stored["record"]["title"]
    pdb.permits.update_one({"_id": issued["permit_number"]},
                           {"$set": {"record.title": title[:-1] + chr(ord(title[-1]) ^ 1)}})
    assert permits.permits.verify_permit(issued["permit_number"])["status"] == "unknown"
    assert permits.permits.verify_permit("503/9999/DPMPTSP/2026")["status"] == "unknown"

    # and one changed byte in the history shows where
    pdb.history.update_one({"_id": app_id + ":000003"}, {"$set": {"actor": "officer-2"}})
    checked = permits.permits.verify_history(app_id)
    assert (checked["ok"], checked["first_bad_seq"]) == (False, 3)


def test_revoked_permit_verifies_as_revoked(permits, events):
    filed = permits.permits.file_application(filing("sip"))
    app_id = filed["application_id"]
    for action in ("start_intake", "accept", "forward"):
        staff(permits, app_id, action)
    # manual connector: the officers are the agency's back office
    staff(permits, app_id, "agency_approve")
    staff(permits, app_id, "approve", role="supervisor")
    number = staff(permits, app_id, "issue", role="supervisor")["permit_number"]
    staff(permits, app_id, "revoke", role="supervisor", note="Izin dicabut atas permintaan")
    assert permits.permits.verify_permit(number)["status"] == "revoked"
    assert wait_for(lambda: events["permit_revoked"], message="permit_revoked")[0][
        "permit_number"] == number


@pytest.mark.parametrize("action, role, agency, note, error", [
    ("accept", "officer", "dpmptsp", None, IllegalTransition),      # not from submitted
    ("issue", "supervisor", "dpmptsp", None, IllegalTransition),
    ("start_intake", "officer", "polres", None, Forbidden),         # another agency
    ("start_intake", "connector", "dpmptsp", None, Forbidden),      # not a staff role
    ("start_intake", "system", "dpmptsp", None, Forbidden),
    ("start_intake", "applicant", "dpmptsp", None, Forbidden),
    ("agency_approve", "officer", "dpmptsp", None, Forbidden),      # pbg's connector decides
    ("deem_approve", "admin", None, None, Forbidden),
    ("no_such_action", "officer", "dpmptsp", None, ValidationFailed),
    ("revoke", "supervisor", "dpmptsp", None, ValidationFailed),    # a reason is required
])
def test_refused_actions_change_nothing(permits, pdb, action, role, agency, note, error):
    app_id = permits.permits.file_application(filing("pbg"))["application_id"]
    before = snapshot(pdb)
    with pytest.raises(error):
        permits.permits.act(app_id, action, "someone", role, agency, note=note)
    assert snapshot(pdb) == before


def test_role_may_not_take_an_action_of_another_role(permits, pdb):
    app_id = permits.permits.file_application(filing("pbg"))["application_id"]
    staff(permits, app_id, "start_intake")
    before = snapshot(pdb)
    with pytest.raises(Forbidden):
        staff(permits, app_id, "accept", role="admin", agency=None)
    with pytest.raises(Conflict):  # stale view of the application
        staff(permits, app_id, "accept", expected_seq=1)
    assert snapshot(pdb) == before
    assert staff(permits, app_id, "accept", expected_seq=2)["state"] == "accepted"


def test_concurrent_officers_exactly_one_wins(runner_factory, config, permits, pdb):
    # a second permits instance: the race is between processes, decided by the database
    from services.permits.service import PermitsService

    runner_factory(dict(config, max_workers=20), PermitsService).start()
    app_ids = [permits.permits.file_application(filing("pbg"))["application_id"]
               for _ in range(3)]
    for app_id in app_ids:
        staff(permits, app_id, "start_intake")
        calls = [permits.permits.act.call_async(
            app_id, action, "officer-{}".format(i), "officer", "dpmptsp",
            note="Berkas kurang" if action in ("return", "reject") else None)
            for i, action in enumerate(["accept", "return", "reject", "accept"] * 3)]
        wins, conflicts = [], 0
        for call in calls:
            try:
                wins.append(call.result())
            except Conflict:
                conflicts += 1
        assert len(wins) == 1 and conflicts == len(calls) - 1
        app = permits.permits.get_application(app_id, "dpmptsp")
        assert app["state"] == wins[0]["state"] and app["history_seq"] == 3
        assert permits.permits.verify_history(app_id)["ok"]
        assert pdb.history.count_documents({"application_id": app_id}) == 3


def test_work_list_by_state_with_sla(permits):
    ids = [permits.permits.file_application(filing("pbg"))["application_id"] for _ in range(5)]
    staff(permits, ids[1], "start_intake")
    staff(permits, ids[3], "start_intake")
    submitted = permits.permits.list_applications("dpmptsp", "submitted", limit=2)
    assert [i["application_id"] for i in submitted["items"]] == [ids[0], ids[2]]
    rest = permits.permits.list_applications("dpmptsp", "submitted", limit=2,
                                             after=submitted["next"])
    assert [i["application_id"] for i in rest["items"]] == [ids[4]]
    assert rest["next"] is None
    checking = permits.permits.list_applications("dpmptsp", "intake_check")["items"]
    assert [i["application_id"] for i in checking] == [ids[1], ids[3]]
    assert checking[0]["sla"]["mode"] == "running" and checking[0]["sla"]["due_at"]
    everything = permits.permits.list_applications("dpmptsp")["items"]
    assert [i["application_id"] for i in everything] == ids[::-1]
    assert permits.permits.list_applications("polres", "submitted")["items"] == []
    with pytest.raises(ValidationFailed):
        permits.permits.list_applications("dpmptsp", "nonsense")
    staff_view = permits.permits.get_application(ids[0], "dpmptsp")
    assert staff_view["applicant"]["name"] == "Siti Aminah"
    assert "6203015708900001" not in repr(staff_view)
    assert staff_view["applicant"]["nik_masked"] == "6203********0001"


def test_decision_delivered_twice_is_applied_once(permits):
    app_id = permits.permits.file_application(filing("pbg"))["application_id"]
    for action in ("start_intake", "accept", "forward"):
        staff(permits, app_id, action)
    decision = {"application_id": app_id, "decision_id": "sicantik-77", "status": "approved",
                "reference": "SC/2026/77"}
    calls = [permits.permits.record_decision.call_async("dpmptsp", decision) for _ in range(4)]
    results = [c.result() for c in calls]
    assert sum(r["applied"] for r in results) == 1
    assert all(r["duplicate"] for r in results if not r["applied"])
    again = permits.permits.record_decision("dpmptsp", decision)
    assert again["duplicate"] and not again["applied"]
    app = permits.permits.get_application(app_id, "dpmptsp")
    assert app["state"] == "approval_1" and app["history_seq"] == 5
    with pytest.raises(Forbidden):  # another agency cannot decide this application
        permits.permits.record_decision("polres", dict(decision, decision_id="x-1"))
    eventlet.sleep(0)
