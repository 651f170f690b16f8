"""What the applicant reads as left to do once the agency has the file: the agency's decision,
each approval level, the payment (only with a fee) and the issue, each marked done or not."""
from services.permits.workflow import remaining_steps


def _view(state, levels=2, fee=150000):
    return [(s["step"], s["label"], s["done"]) for s in remaining_steps(state, levels, fee)]


def test_in_process_at_the_agency_lists_everything_still_to_come():
    assert _view("in_process") == [
        ("agency_decision", "Keputusan instansi teknis", False),
        ("approval", "Persetujuan pejabat tingkat 1", False),
        ("approval", "Persetujuan pejabat tingkat 2", False),
        ("payment", "Pembayaran retribusi Rp150.000", False),
        ("issue", "Penerbitan izin", False)]


def test_after_the_first_approval_the_decision_and_that_approval_are_done():
    assert [done for _, _, done in _view("approval_2")] == [True, True, False, False, False]


def test_awaiting_payment_then_paid_then_issued():
    assert [done for _, _, done in _view("awaiting_payment")] == [True, True, True, False,
                                                                  False]
    assert [done for _, _, done in _view("paid")] == [True, True, True, True, False]
    assert all(done for _, _, done in _view("issued"))


def test_no_fee_means_no_payment_step_and_english_labels_exist():
    steps = remaining_steps("accepted", 0, 0)
    assert [s["step"] for s in steps] == ["agency_decision", "issue"]
    assert steps[0]["label_en"] == "The agency's decision"


def test_nothing_remains_before_intake_is_done_or_once_the_application_ended():
    assert remaining_steps("submitted", 1, 0) == []
    assert remaining_steps("rejected", 1, 0) == []
    assert remaining_steps("withdrawn", 1, 0) == []
