"""Promise against practice for permits: what the public statistics and the supervisors'
broken promises are computed from."""
from datetime import datetime, timezone

from services.permits import practice, sla


def _app(type_id, changes, fee=0, sla_days=3, name="Izin praktik"):
    return {"permit_type_id": type_id, "agency": "dpmptsp", "permit_type": {"name": name},
            "terms": {"sla_working_days": sla_days, "fee": fee},
            "changes": [{"at": at, "state": state} for at, state in changes]}


def _measure(app):
    at = practice.decided_at(app)
    status = sla.clock([(c["at"], c["state"]) for c in app["changes"]],
                       app["terms"]["sla_working_days"], at)
    return practice.record(app, status, at)


# Monday 7 December 2026 09:00 WIB = 02:00Z
FAST = _app("sip", [("2026-12-07T02:00:00Z", "submitted"), ("2026-12-07T03:00:00Z", "intake_check"),
                    ("2026-12-08T03:00:00Z", "in_process"), ("2026-12-09T03:00:00Z", "issued")])
SLOW = _app("sip", [("2026-12-07T02:00:00Z", "submitted"), ("2026-12-07T03:00:00Z", "intake_check"),
                    ("2026-12-08T03:00:00Z", "in_process"), ("2026-12-16T03:00:00Z", "rejected")])
PAID = _app("sip", [("2026-12-07T02:00:00Z", "submitted"), ("2026-12-07T04:00:00Z", "in_process"),
                    ("2026-12-08T04:00:00Z", "awaiting_payment"), ("2026-12-09T04:00:00Z", "paid"),
                    ("2026-12-09T05:00:00Z", "issued")], fee=150000)


def test_a_decision_past_its_sla_is_counted_out_of_the_promise_with_its_working_days():
    rows = practice.summarise([_measure(FAST), _measure(SLOW)])
    assert len(rows) == 1
    row = rows[0]
    assert (row["decided"], row["within_sla"], row["share_within_sla"]) == (2, 1, 0.5)
    assert row["promised_working_days"] == [3]
    # the filing day is free, the decision day counts up to 10.00 WIB (10/24 of a day):
    # FAST Tue + 10/24 Wed = 1.42; SLOW six working days to Tue 15th + 10/24 = 6.42
    assert row["working_days"] == {"count": 2, "median": 3.92, "p90": 5.92}


def test_the_slowest_step_is_the_agencys_step_where_applications_waited_longest():
    row = practice.summarise([_measure(FAST), _measure(SLOW)])[0]
    assert row["slowest_steps"][0]["step"] == "in_process"
    assert row["slowest_steps"][0]["label"] == "Diproses oleh instansi"
    assert row["slowest_steps"][0]["median_hours"] == (24 + 8 * 24) / 2


def test_fees_charged_are_what_paying_applicants_paid_and_a_rejection_charges_nothing():
    row = practice.summarise([_measure(FAST), _measure(SLOW), _measure(PAID)])[0]
    assert row["fees_charged"] == [{"fee": 0, "count": 1}, {"fee": 150000, "count": 1}]
    assert row["promised_fees"] == [0, 150000]
    # the time paused awaiting payment is not the agency's step
    assert "awaiting_payment" not in {s["step"] for s in row["slowest_steps"]}


def test_an_undecided_application_has_no_decision_instant():
    assert practice.decided_at(_app("sip", [("2026-12-07T02:00:00Z", "submitted")])) is None
    assert practice.decided_at(FAST) == datetime(2026, 12, 9, 3, tzinfo=timezone.utc)


def test_a_deemed_approval_is_never_within_the_sla_the_agency_did_not_decide():
    deemed = _app("sip", [("2026-12-07T02:00:00Z", "submitted"),
                          ("2026-12-07T03:00:00Z", "deemed_approved")])
    row = practice.summarise([_measure(deemed)])[0]
    assert (row["decided"], row["within_sla"]) == (1, 0)
