"""The SLA sweep (warnings once, deemed approval at the deadline, nothing while paused), the
admin's calendar, and effective-dated permit type versions."""
from datetime import date, datetime, timedelta, timezone

import pytest

from services.common.errors import Conflict, ValidationFailed
from services.permits import sla, workflow
from tests.integration.permits.conftest import filing, staff
from tests.support import wait_for


def test_sweep_warns_once_and_deems_approved_at_the_deadline(permits, events):
    running = permits.permits.file_application(filing("sip"))["application_id"]
    paused = permits.permits.file_application(filing("sip"))["application_id"]
    staff(permits, paused, "start_intake")
    staff(permits, paused, "return", note="KTP buram")

    later = (datetime.now(timezone.utc) + timedelta(days=16)).isoformat()
    first = permits.permits.sla_sweep(at=later)
    assert first["warnings"] == 3 and first["deemed_approved"] == 1, first
    assert permits.permits.sla_sweep(at=later)["warnings"] == 0

    warnings = wait_for(lambda: len(events["application_sla_warning"]) == 3 and
                        events["application_sla_warning"], message="three warnings")
    assert sorted(w["threshold"] for w in warnings) == [50, 80, 100]
    assert {w["application_id"] for w in warnings} == {running}
    app = permits.permits.get_application(running, "dpmptsp")
    assert app["state"] == "deemed_approved"
    last = permits.permits.history(running)[-1]
    assert last["role"] == "system" and "Pasal 53" in last["details"]["legal_basis"]
    assert permits.permits.get_application(paused, "dpmptsp")["state"] == "returned"


def test_calendar_day_off_moves_the_due_date(permits):
    filed = permits.permits.file_application(filing("sip"))
    app_id = filed["application_id"]
    due = permits.permits.get_application(app_id, "dpmptsp")["sla"]["due_at"]
    calendar = permits.permits.get_calendar()
    assert calendar["timezone"] == "Asia/Jakarta" and calendar["days_off"] == []
    # declare the first working day of the window a day off (cuti bersama by decree)
    day = datetime.now(timezone.utc).astimezone(sla.clk.zone()).date()
    day = sla.next_working_day(day)
    saved = permits.permits.set_calendar({"days_off": [day.isoformat()]})
    assert saved["days_off"] == [day.isoformat()]
    moved = permits.permits.get_application(app_id, "dpmptsp")["sla"]["due_at"]
    assert moved > due
    with pytest.raises(ValidationFailed):
        permits.permits.set_calendar({"days_off": ["2026-13-01"]})
    with pytest.raises(ValidationFailed):
        permits.permits.set_calendar({"days_off": [day.isoformat()],
                                      "working_days": [day.isoformat()]})


def test_setting_the_calendar_announces_it_as_get_calendar_shows_it(permits, events):
    day = sla.next_working_day(datetime.now(timezone.utc).astimezone(sla.clk.zone()).date())
    permits.permits.set_calendar({"days_off": [day.isoformat()], "joint_holidays": True})
    changed = wait_for(lambda: events["calendar_changed"], message="calendar_changed")
    assert len(changed) == 1
    event = dict(changed[0])
    assert event.pop("event_id") and event.pop("occurred_at") and event.pop("version") == 1
    assert event == permits.permits.get_calendar()
    assert event["days_off"] == [day.isoformat()] and event["joint_holidays"] is True
    # a refused calendar changes nothing and announces nothing
    with pytest.raises(ValidationFailed):
        permits.permits.set_calendar({"days_off": ["2026-13-01"]})
    permits.permits.set_calendar({})
    wait_for(lambda: len(events["calendar_changed"]) == 2, message="the second calendar")
    assert events["calendar_changed"][1]["days_off"] == []


def test_application_keeps_the_version_in_force_when_filed(permits):
    old = permits.permits.file_application(filing("sip"))["application_id"]
    today = datetime.now(timezone.utc).astimezone(sla.clk.zone()).date()
    new_version = {
        "permit_type_id": "sip", "version": 2, "agency": "dpmptsp",
        "name": "Surat Izin Praktik Bidan", "effective_from": today.isoformat(),
        "sla_working_days": 10, "fee": 50000, "approval_levels": 0, "connector": "manual",
        "requirements": [{"kind": "ktp", "name": "KTP"}],
        "form": [{"name": "str_number", "type": "string", "required": True, "label": "STR"}]}
    assert permits.permits.upsert_permit_type(new_version)["version"] == 2
    with pytest.raises(Conflict):
        permits.permits.upsert_permit_type(new_version)
    listed = {t["id"]: t for t in permits.permits.list_permit_types("dpmptsp")}
    assert listed["sip"]["version"] == 2 and listed["sip"]["fee"] == 50000
    assert set(listed["pbg"]) >= {"id", "agency", "name", "name_en", "sla_working_days", "fee",
                                  "requirements", "form"}
    new = permits.permits.file_application(filing("sip"))["application_id"]
    assert permits.permits.get_application(old, "dpmptsp")["terms"]["fee"] == 0
    terms = permits.permits.get_application(new, "dpmptsp")["terms"]
    assert terms["fee"] == 50000 and terms["version"] == 2
    # approval_levels 0 and a fee: the agency's approval leads straight to payment
    for action in ("start_intake", "accept", "forward", "agency_approve"):
        result = staff(permits, new, action)
    assert result["state"] == workflow.AWAITING_PAYMENT
    with pytest.raises(ValidationFailed):
        permits.permits.upsert_permit_type(dict(new_version, version=3, fee=-1))
    assert date.fromisoformat(listed["sip"]["effective_from"]) == today
