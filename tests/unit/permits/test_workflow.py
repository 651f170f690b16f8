"""The workflow table, checked cell by cell against an expectation written out independently."""
from datetime import datetime, timezone

import pytest

from services.common.errors import Forbidden, IllegalTransition, ValidationFailed
from services.permits import history, workflow as wf

ROLES = ("applicant", "officer", "supervisor", "admin", "connector", "system")
APPROVALS = tuple("approval_{}".format(k) for k in range(1, wf.MAX_APPROVAL_LEVELS + 1))
STATES = ("submitted", "intake_check", "returned", "resubmitted", "accepted", "in_process",
          "awaiting_payment", "paid", "approved", "issued", "rejected", "withdrawn",
          "cancelled", "expired", "revoked", "deemed_approved") + APPROVALS
ACTIONS = ("start_intake", "return", "accept", "reject", "resubmit", "expire", "forward",
           "agency_approve", "agency_return", "agency_reject", "approve", "pay", "issue",
           "revoke", "withdraw", "cancel", "deem_approve", "submit", "bogus")

OFFICE = {"officer", "supervisor"}
PRE_DECISION = {"submitted", "intake_check", "resubmitted", "accepted", "in_process"} | set(
    APPROVALS)
WITHDRAWABLE = {"submitted", "intake_check", "returned", "resubmitted", "accepted",
                "in_process", "awaiting_payment", "approved"} | set(APPROVALS)


def expected(state, action, levels, fee):
    """(roles, target) or None: the specification, written without looking at the table."""
    after_approvals = "awaiting_payment" if fee > 0 else "approved"
    fixed = {
        ("submitted", "start_intake"): (OFFICE, "intake_check"),
        ("resubmitted", "start_intake"): (OFFICE, "intake_check"),
        ("intake_check", "return"): (OFFICE, "returned"),
        ("intake_check", "accept"): (OFFICE, "accepted"),
        ("intake_check", "reject"): (OFFICE, "rejected"),
        ("returned", "resubmit"): ({"applicant", "officer"}, "resubmitted"),
        ("returned", "expire"): ({"system"}, "expired"),
        ("accepted", "forward"): ({"officer", "supervisor", "system"}, "in_process"),
        ("in_process", "agency_approve"): (
            {"connector"}, "approval_1" if levels else after_approvals),
        ("in_process", "agency_return"): ({"connector"}, "returned"),
        ("in_process", "agency_reject"): ({"connector"}, "rejected"),
        ("awaiting_payment", "pay"): ({"officer", "system"}, "paid"),
        ("awaiting_payment", "expire"): ({"system"}, "expired"),
        ("paid", "issue"): ({"supervisor", "system"}, "issued"),
        ("approved", "issue"): ({"supervisor", "system"}, "issued"),
        ("issued", "revoke"): ({"supervisor", "admin"}, "revoked"),
    }
    if (state, action) in fixed:
        return fixed[(state, action)]
    if state in APPROVALS:
        k = int(state.split("_")[1])
        if action == "approve":
            if k > levels:
                return "no-level"
            return {"supervisor"}, ("approval_{}".format(k + 1) if k < levels
                                    else after_approvals)
        if action == "reject":
            return {"supervisor"}, "rejected"
    if action == "withdraw" and state in WITHDRAWABLE:
        return {"applicant"}, "withdrawn"
    if action == "cancel" and state in WITHDRAWABLE | {"paid"}:
        return {"supervisor", "admin"}, "cancelled"
    if action == "deem_approve" and state in PRE_DECISION:
        return {"system"}, "deemed_approved"
    return None


CONTEXT = {"note": "alasan / reason", "sla_overdue": True}


@pytest.mark.parametrize("levels,fee", [(0, 0), (1, 150000), (2, 0), (5, 1)])
@pytest.mark.parametrize("state", STATES)
def test_every_cell(state, levels, fee):
    context = dict(CONTEXT, approval_levels=levels, fee=fee)
    for action in ACTIONS:
        spec = expected(state, action, levels, fee)
        for role in ROLES:
            where = (state, action, role, levels, fee)
            if spec == "no-level":  # approval_k beyond the type's levels: roles still checked
                spec = ({"supervisor"}, IllegalTransition)
            if spec is None:
                with pytest.raises(IllegalTransition):
                    wf.apply(state, action, role, context)
            elif role not in spec[0]:
                with pytest.raises(Forbidden):
                    wf.apply(state, action, role, context)
            elif spec[1] is IllegalTransition:
                with pytest.raises(IllegalTransition):
                    wf.apply(state, action, role, context)
            else:
                assert wf.apply(state, action, role, context) == spec[1], where


def test_table_has_no_row_the_specification_lacks():
    for (kind, action), (roles, _) in wf.TRANSITIONS.items():
        state = "approval_1" if kind == "approval" else kind
        spec = expected(state, action, 1, 0)
        assert spec is not None and set(roles) == spec[0], (kind, action)


def test_state_is_checked_before_role():
    with pytest.raises(IllegalTransition) as err:
        wf.apply("issued", "accept", "applicant", {})
    assert "Action 'accept' is not allowed" in err.value.message
    assert err.value.message.index("tidak dapat") < err.value.message.index("not allowed")


def test_unknown_role_is_forbidden_and_unknown_state_is_a_bug():
    with pytest.raises(Forbidden):
        wf.apply("submitted", "start_intake", "root", {})
    with pytest.raises(ValueError):
        wf.apply("limbo", "accept", "officer", {})
    with pytest.raises(ValueError):
        wf.kind("approval_0")
    with pytest.raises(ValueError):
        wf.kind("approval_{}".format(wf.MAX_APPROVAL_LEVELS + 1))


@pytest.mark.parametrize("action,state", [("return", "intake_check"), ("reject", "approval_1"),
                                          ("agency_return", "in_process"),
                                          ("agency_reject", "in_process"),
                                          ("cancel", "paid"), ("revoke", "issued")])
@pytest.mark.parametrize("note", [None, "", "   ", {"$gt": ""}])
def test_reasons_are_required(action, state, note):
    role = wf.allowed_roles(state, action)[0]
    with pytest.raises(ValidationFailed) as err:
        wf.apply(state, action, role, {"note": note, "approval_levels": 1})
    assert "note" in err.value.fields


def test_deemed_approval_only_once_overdue():
    with pytest.raises(IllegalTransition):
        wf.apply("in_process", "deem_approve", "system", {"sla_overdue": False})
    with pytest.raises(IllegalTransition):
        wf.apply("in_process", "deem_approve", "system", {"sla_overdue": "yes"})
    assert wf.apply("in_process", "deem_approve", "system",
                    {"sla_overdue": True}) == "deemed_approved"
    assert "UU No. 30 Tahun 2014" in wf.DEEMED_APPROVED_LEGAL_BASIS
    assert "Pasal 53" in wf.DEEMED_APPROVED_LEGAL_BASIS
    assert "Cipta Kerja" in wf.DEEMED_APPROVED_LEGAL_BASIS


@pytest.mark.parametrize("bad", [{"approval_levels": -1}, {"approval_levels": 6},
                                 {"approval_levels": True}, {"fee": -1}, {"fee": 1.5}])
def test_bad_terms_are_bugs(bad):
    with pytest.raises(ValueError):
        wf.apply("in_process", "agency_approve", "connector", bad)


@pytest.mark.parametrize("state,mode", [
    ("submitted", "running"), ("intake_check", "running"), ("resubmitted", "running"),
    ("accepted", "running"), ("in_process", "running"), ("approval_1", "running"),
    ("approval_5", "running"), ("approved", "running"), ("paid", "running"),
    ("returned", "paused"), ("awaiting_payment", "paused"),
    ("issued", "stopped"), ("rejected", "stopped"), ("withdrawn", "stopped"),
    ("cancelled", "stopped"), ("expired", "stopped"), ("revoked", "stopped"),
    ("deemed_approved", "stopped")])
def test_clock_modes(state, mode):
    assert wf.clock_mode(state) == mode


def test_every_state_has_a_bilingual_label():
    for state in STATES:
        text = wf.label(state)
        assert " / " in text and text.split(" / ")[0] != text.split(" / ")[1]
    assert wf.label("returned") == "Berkas dikembalikan untuk perbaikan / Returned for correction"
    assert wf.label("approval_2", "en") == "Awaiting approval, level 2"
    assert wf.label("approval_2", "id") == "Menunggu persetujuan tingkat 2"
    assert set(wf.ACTION_LABELS) == set(wf.ACTIONS)


def test_available_actions():
    assert wf.available_actions("intake_check", "officer") == ("accept", "reject", "return")
    assert wf.available_actions("returned", "applicant") == ("resubmit", "withdraw")
    assert wf.available_actions("issued", "applicant") == ()
    assert wf.available_actions("approval_3", "supervisor") == (
        "approve", "cancel", "reject")


AT = datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc)
VERSION = {"permit_type_id": "izin-reklame", "version": 3, "agency": "dpmptsp",
           "sla_working_days": 3, "fee": 150000, "approval_levels": 2, "connector": "webhook",
           "name": "Izin Reklame"}


def _filed():
    return wf.new_application("app-1", VERSION, {"nik": "6203015708900001", "name": "Siti",
                                                 "phone": "+6281152000001", "email": None},
                              {"months": 3}, [], "7Q4M-X9KP-T3", "d" * 64, "k" * 64,
                              "idem-0001", AT, "citizen-1", "applicant")


def test_a_whole_journey_builds_a_verifiable_history():
    app, first = _filed()
    assert app["state"] == "submitted" and first["from"] is None and first["seq"] == 1
    assert app["terms"] == {"permit_type_id": "izin-reklame", "version": 3,
                            "agency": "dpmptsp", "sla_working_days": 3, "fee": 150000,
                            "approval_levels": 2, "connector": "webhook"}
    entries = [first]
    steps = [("start_intake", "officer", None), ("return", "officer", "KTP buram"),
             ("resubmit", "applicant", None), ("start_intake", "officer", None),
             ("accept", "officer", None), ("forward", "system", None),
             ("agency_approve", "connector", None), ("approve", "supervisor", None),
             ("approve", "supervisor", None), ("pay", "system", None),
             ("issue", "system", None)]
    states = []
    for action, role, note in steps:
        changes, entry = wf.step(app, action, role, "actor-" + role, AT, note=note)
        app.update(changes)
        entries.append(entry)
        states.append(app["state"])
    assert states == ["intake_check", "returned", "resubmitted", "intake_check", "accepted",
                      "in_process", "approval_1", "approval_2", "awaiting_payment", "paid",
                      "issued"]
    assert entries[8]["details"] == {"approval_level": 1}
    assert history.verify(entries, app["head_hash"]) == (True, None)
    assert app["history_seq"] == 12


def test_step_refuses_and_changes_nothing():
    app, _ = _filed()
    before = dict(app)
    with pytest.raises(IllegalTransition):
        wf.step(app, "issue", "system", "x", AT)
    with pytest.raises(Forbidden):
        wf.step(app, "start_intake", "applicant", "x", AT)
    assert app == before


def test_deemed_approval_records_its_legal_basis():
    app, _ = _filed()
    changes, entry = wf.step(app, "deem_approve", "system", "sla-timer", AT, sla_overdue=True)
    assert changes["state"] == "deemed_approved"
    assert entry["details"]["legal_basis"] == wf.DEEMED_APPROVED_LEGAL_BASIS


def test_only_applicants_and_officers_file():
    with pytest.raises(Forbidden):
        wf.new_application("a", VERSION, {}, {}, [], "c", "d", "k", "i", AT, "x", "connector")
