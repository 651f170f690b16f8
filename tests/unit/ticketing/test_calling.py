from datetime import datetime, timedelta, timezone

import pytest

from services.common.errors import IllegalTransition, ValidationFailed
from services.ticketing import calling

UTC = timezone.utc
T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)   # 08:00 WIB


def t(id_, minute, group=None, service="ktp", **kw):
    at = T0 + timedelta(minutes=minute)
    return dict({"_id": id_, "service_id": service, "priority_group": group, "arrived_at": at,
                 "issued_at": at, "status": "waiting"}, **kw)


QUEUE = [t("R1", 0), t("R2", 1), t("P1", 2, "lansia"), t("P2", 3, "disabilitas"),
         t("P3", 4, "ibu_hamil"), t("P4", 5, "appointment"), t("P5", 6, "lansia")]


def simulate(queue, rule):
    """Call next repeatedly, keeping a call log, as a service would."""
    waiting, calls, order = [dict(x) for x in queue], [], []
    now = T0 + timedelta(minutes=10)
    while waiting:
        ranked = calling.order_candidates(calling.with_passed_over(waiting, calls), rule)
        chosen = ranked[0]
        order.append(chosen["_id"])
        calls.append({"service_id": chosen["service_id"], "arrived_at": chosen["arrived_at"],
                      "called_at": now})
        waiting = [x for x in waiting if x["_id"] != chosen["_id"]]
        now += timedelta(minutes=1)
    return order


@pytest.mark.parametrize("limit,expected", [
    (3, ["P1", "P2", "P3", "R1", "R2", "P4", "P5"]),
    (1, ["P1", "R1", "R2", "P2", "P3", "P4", "P5"]),
    (None, ["P1", "P2", "P3", "P4", "P5", "R1", "R2"]),
    (0, ["R1", "R2", "P1", "P2", "P3", "P4", "P5"]),      # nobody passed over: arrival order
])
def test_calling_rule_with_n(limit, expected):
    rule = {"priority_groups": list(calling.PRIORITY_GROUPS), "max_regular_passed_over": limit}
    assert simulate(QUEUE, rule) == expected


def test_no_regular_is_passed_over_more_than_n_times():
    many = [t("R%d" % i, i) for i in range(5)] + \
           [t("P%d" % i, 10 + i, "lansia") for i in range(20)]
    rule = {"priority_groups": ["lansia"], "max_regular_passed_over": 2}
    order = simulate(many, rule)
    for i in range(5):
        rid = "R%d" % i
        passed = sum(1 for x in order[:order.index(rid)] if x.startswith("P"))
        assert passed <= 2


def test_priority_that_arrived_earlier_goes_before_a_due_regular():
    rule = {"priority_groups": ["lansia"], "max_regular_passed_over": 3}
    due = t("R", 5, passed_over=3)
    early = t("P", 1, "lansia")
    late = t("Q", 9, "lansia")
    assert [x["_id"] for x in calling.order_candidates([late, due, early], rule)] == \
        ["P", "R", "Q"]


def test_group_not_in_rule_counts_as_regular():
    rule = {"priority_groups": ["lansia"], "max_regular_passed_over": None}
    queue = [t("A", 0, "appointment"), t("L", 5, "lansia")]
    assert [x["_id"] for x in calling.order_candidates(queue, rule)] == ["L", "A"]


def test_default_rule_and_ties_by_id():
    queue = [t("b", 0), t("a", 0), t("c", 3, "ibu_hamil")]
    assert [x["_id"] for x in calling.order_candidates(queue)] == ["c", "a", "b"]
    assert calling.DEFAULT_RULE["max_regular_passed_over"] == 3


def test_order_spans_the_services_of_a_counter():
    queue = [t("K1", 2, service="kk"), t("A1", 1, service="ktp"),
             t("K2", 3, "lansia", service="kk")]
    assert [x["_id"] for x in calling.order_candidates(queue)] == ["K2", "A1", "K1"]


def test_count_passed_over():
    me = t("R", 5)
    calls = [
        {"service_id": "ktp", "arrived_at": T0 + timedelta(minutes=7),
         "called_at": T0 + timedelta(minutes=8)},        # later arrival called: counts
        {"service_id": "ktp", "arrived_at": T0 + timedelta(minutes=1),
         "called_at": T0 + timedelta(minutes=9)},        # arrived earlier: not passing
        {"service_id": "kk", "arrived_at": T0 + timedelta(minutes=7),
         "called_at": T0 + timedelta(minutes=9)},        # other service
        {"service_id": "ktp", "arrived_at": T0 + timedelta(minutes=6),
         "called_at": T0 + timedelta(minutes=4)},        # before I was waiting
    ]
    assert calling.count_passed_over(me, calls) == 1


def test_passed_over_counts_from_requeue():
    me = t("R", 0, requeued_at=T0 + timedelta(minutes=30))
    calls = [{"service_id": "ktp", "arrived_at": T0 + timedelta(minutes=5),
              "called_at": T0 + timedelta(minutes=20)}]
    assert calling.count_passed_over(me, calls) == 0


def test_ahead_of():
    queue = [dict(x, passed_over=0) for x in QUEUE]
    r1 = queue[0]
    assert calling.ahead_of(r1, queue) == 5          # five priority tickets
    assert calling.ahead_of(queue[2], queue) == 0    # P1 is next
    assert calling.ahead_of(dict(r1, passed_over=3), queue) == 0


COUNTER = {"_id": "c1", "status": "open", "officer": "budi", "services": ["ktp"]}


def test_override_record():
    ordered = calling.order_candidates(QUEUE)
    target = dict(QUEUE[1], number="A-002")
    record = calling.override_record(target, COUNTER, "budi", "  Lupa ambil nomor prioritas ",
                                     T0, ordered)
    assert record == {"kind": "override_call", "ticket_id": "R2", "number": "A-002",
                      "service_id": "ktp", "counter_id": "c1", "officer": "budi",
                      "reason": "Lupa ambil nomor prioritas", "at": T0,
                      "rule_next_ticket_id": "P1", "passed": 6}


@pytest.mark.parametrize("reason", [None, "", "  ", "ok", {"$gt": ""}])
def test_override_needs_a_reason(reason):
    with pytest.raises(ValidationFailed):
        calling.override_record(QUEUE[0], COUNTER, "budi", reason, T0)


def test_override_at_closed_counter_or_of_a_called_ticket_is_illegal():
    with pytest.raises(IllegalTransition):
        calling.override_record(QUEUE[0], dict(COUNTER, status="closed"), "budi", "alasan", T0)
    with pytest.raises(IllegalTransition):
        calling.override_record(dict(QUEUE[0], status="called"), COUNTER, "budi", "alasan", T0)
    with pytest.raises(IllegalTransition):
        calling.override_record(t("X", 0, service="kk"), COUNTER, "budi", "alasan", T0)
