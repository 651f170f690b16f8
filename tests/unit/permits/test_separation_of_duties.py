"""The separation-of-duties rule (``workflow.duty_conflict``) on histories."""
from services.permits import workflow


def entry(action, actor, to, role="supervisor"):
    return {"action": action, "actor": actor, "to": to, "role": role}


BEFORE_APPROVAL = [entry("submit", "applicant", "submitted", "applicant"),
                   entry("agency_approve", "budi", "approval_1", "connector")]


def test_one_person_approves_one_level_only():
    history = BEFORE_APPROVAL + [entry("approve", "sari", "approval_2")]
    assert workflow.duty_conflict("approval_2", "approve", "sari", "supervisor", 2, history) \
        == workflow.SAME_APPROVER
    assert workflow.duty_conflict("approval_2", "approve", "rina", "supervisor", 2, history) \
        is None


def test_the_last_approver_does_not_issue_where_there_are_levels():
    history = BEFORE_APPROVAL + [entry("approve", "sari", "approval_2"),
                                 entry("approve", "rina", "approved")]
    assert workflow.duty_conflict("approved", "issue", "rina", "supervisor", 2, history) \
        == workflow.LAST_APPROVER_ISSUES
    assert workflow.duty_conflict("approved", "issue", "sari", "supervisor", 2, history) is None
    # the suite's own issuing (after a payment) is not a person
    assert workflow.duty_conflict("approved", "issue", "system", "system", 2, history) is None


def test_one_level_types_may_be_approved_and_issued_by_one_person():
    history = BEFORE_APPROVAL + [entry("approve", "sari", "approved")]
    assert workflow.duty_conflict("approved", "issue", "sari", "supervisor", 1, history) is None


def test_a_return_starts_the_approvals_again():
    history = BEFORE_APPROVAL + [entry("approve", "sari", "approval_2"),
                                 entry("agency_return", "budi", "returned", "connector"),
                                 entry("resubmit", "applicant", "resubmitted", "applicant"),
                                 entry("agency_approve", "budi", "approval_1", "connector")]
    assert workflow.duty_conflict("approval_1", "approve", "sari", "supervisor", 2, history) \
        is None
