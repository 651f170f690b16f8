"""Promise against practice: a promise is kept, broken (with why) or not yet measured."""
from services.gateway.practice import broken, compare


def _standard(sid, kind, subject, time, fee=0, status="adopted"):
    return {"id": sid, "agency": "dpmptsp", "subject": {"kind": kind, "id": subject},
            "status": status, "title": "Standar " + subject, "title_en": None, "version": 1,
            "components": {"time": time, "cost": {"fee": fee, "legal_basis": "Perda 1/2024"}}}


PERMIT_ROW = {"permit_type_id": "sip", "decided": 4, "within_sla": 3, "share_within_sla": 0.75,
              "working_days": {"count": 4, "median": 2.5, "p90": 4.2},
              "fees_charged": [{"fee": 100000, "count": 2}, {"fee": 150000, "count": 1}],
              "slowest_steps": [{"step": "in_process", "label": "Diproses oleh instansi",
                                 "label_en": "In process", "median_hours": 30.0,
                                 "p90_hours": 50.0}]}
QUEUE_ROW = {"service_id": "ktp", "issued": 10, "served": 9,
             "wait": {"count": 9, "median": 12.0, "p90": 30.0},
             "service": {"count": 9, "median": 8.0, "p90": 14.0}}


def test_a_late_decision_and_a_fee_other_than_promised_break_the_permit_promise():
    [row] = compare([_standard("s1", "permit_type", "sip", {"working_days": 3}, 100000)],
                    [PERMIT_ROW], [], [])
    assert row["kept"] is False
    assert row["reasons"] == [
        {"kind": "late_decisions", "late": 1, "decided": 4, "promised_working_days": 3},
        {"kind": "fee_differs", "promised": 100000, "charged": [100000, 150000]}]
    assert row["slowest_steps"][0]["label"] == "Diproses oleh instansi"
    assert broken([row]) == [row]


def test_a_queue_service_served_within_its_minutes_kept_its_promise_and_its_ikm_is_shown():
    rows = compare([_standard("s2", "queue_service", "ktp", {"minutes": 15})], [], [QUEUE_ROW],
                   [{"agency": "dpmptsp", "service_id": "ktp", "ikm": "3.5400",
                     "score": "88.50", "grade": "A", "respondents": 12}])
    assert rows[0]["kept"] is True and rows[0]["reasons"] == []
    assert rows[0]["ikm"] == {"score": "88.50", "grade": "A", "respondents": 12}
    slower = compare([_standard("s2", "queue_service", "ktp", {"minutes": 10})], [],
                     [QUEUE_ROW], [])
    assert slower[0]["reasons"] == [{"kind": "slow_service", "p90_minutes": 14.0,
                                     "promised_minutes": 10}]


def test_nothing_measured_is_neither_kept_nor_broken_and_drafts_are_not_promises():
    rows = compare([_standard("s1", "permit_type", "sip", {"working_days": 3}),
                    _standard("s3", "permit_type", "pbg", {"working_days": 3}, status="draft")],
                   [], [], [])
    assert [(r["standard_id"], r["kept"], r["measured"]) for r in rows] == [("s1", None, None)]
    assert broken(rows) == []
