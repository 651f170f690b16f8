"""The actions the back office offers come from the same rule the act path enforces: for every
state, staff role, connector kind and set of terms, an offered action is taken by ``step`` (what
``acting.transition`` runs) and an action not offered is refused by it."""
from datetime import datetime, timezone

import pytest

from services.common.errors import Forbidden, IllegalTransition, ValidationFailed
from services.permits import workflow as wf

AT = datetime(2026, 12, 7, 1, 0, tzinfo=timezone.utc)
STAFF = ("officer", "supervisor", "admin")
TERMS = [{"approval_levels": levels, "fee": fee, "connector": connector}
         for levels in (0, 1, 3) for fee in (0, 150000)
         for connector in ("manual", "webhook")]


def application(state, terms):
    return {"id": "app-1", "state": state, "terms": terms, "history_seq": 1,
            "head_hash": "0" * 64}


def taken(app, action, role):
    try:
        wf.step(app, action, role, "someone", AT, note="Alasan / reason")
    except (IllegalTransition, Forbidden, ValidationFailed):
        return False
    return True


@pytest.mark.parametrize("terms", TERMS, ids=lambda t: "{approval_levels}-{fee}-{connector}"
                         .format(**t))
def test_offered_actions_are_exactly_the_ones_the_act_path_takes(terms):
    for state in wf.FIXED_STATES + wf.approval_states(terms["approval_levels"]):
        for role in STAFF:
            app = application(state, terms)
            offered = {a["action"] for a in wf.allowed_actions(app, role)}
            accepted = {a for a in wf.ACTIONS if taken(app, a, role)}
            assert offered == accepted, (state, role)


def test_what_an_officer_sees_at_each_step_of_a_manual_permit():
    terms = {"approval_levels": 1, "fee": 0, "connector": "manual"}
    officer = {s: [a["action"] for a in wf.allowed_actions(application(s, terms), "officer")]
               for s in ("submitted", "intake_check", "accepted", "in_process", "approval_1")}
    assert officer == {"submitted": ["start_intake"],
                       "intake_check": ["accept", "reject", "return"],
                       "accepted": ["forward"],
                       "in_process": ["agency_approve", "agency_reject", "agency_return"],
                       "approval_1": []}
    supervisor = wf.allowed_actions(application("approval_1", terms), "supervisor")
    assert [(a["action"], a["label"], a["needs_reason"]) for a in supervisor] == [
        ("approve", "Setujui", False), ("cancel", "Batalkan permohonan", True),
        ("reject", "Tolak permohonan", True)]


def test_only_the_connector_decides_for_an_agency_with_a_back_office_of_its_own():
    terms = {"approval_levels": 1, "fee": 0, "connector": "webhook"}
    assert wf.allowed_actions(application("in_process", terms), "officer") == []
    with pytest.raises(Forbidden):
        wf.check_action(application("in_process", terms), "agency_approve", "officer")


def test_payment_is_offered_only_when_the_type_charges_a_fee():
    paid = {"approval_levels": 1, "fee": 150000, "connector": "manual"}
    free = dict(paid, fee=0)
    assert wf.check_action(application("approval_1", paid), "approve", "supervisor")[1] == \
        "awaiting_payment"
    assert wf.check_action(application("approval_1", free), "approve", "supervisor")[1] == \
        "approved"
    assert [a["action"] for a in wf.allowed_actions(application("awaiting_payment", paid),
                                                    "officer")] == ["pay"]
