from datetime import datetime, timedelta, timezone

import pytest

from services.common.errors import IllegalTransition, ValidationFailed
from services.ticketing import calling, queue

UTC = timezone.utc
T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)   # 08:00 WIB


def t(id_, minute, group=None, service="ktp", **kw):
    at = T0 + timedelta(minutes=minute)
    return dict({"_id": id_, "service_id": service, "priority_group": group, "arrived_at": at,
                 "issued_at": at, "status": "waiting"}, **kw)


QUEUE = [t("R1", 0), t("R2", 1), t("P1", 2, "lansia"), t("P2", 3, "disabilitas"),
         t("P3", 4, "ibu_hamil"), t("P4", 5, "appointment"), t("P5", 6, "lansia")]


def lanes_of(queue, rule):
    """The queue as issuing lays it out: priority tickets in the priority lane, regular ones
    in the new lane (all in arrival order)."""
    lanes = {"p": [], "r": [], "n": []}
    for x in sorted(queue, key=lambda x: x["arrived_at"]):
        lanes["p" if calling.is_priority(x, rule) else "n"].append(x)
    return lanes


def simulate(lanes, limit, streak=0):
    """Call next repeatedly the way ``counter_desk.call_next`` does: the rule
    (``calling.service_next``) on the lanes' heads, the streak carried from call to call."""
    lanes = {k: list(v) for k, v in lanes.items()}
    order = []
    while True:
        heads = {k: v[0] for k, v in lanes.items() if v}
        chosen = calling.service_next(heads, streak, limit)
        if chosen is None:
            return order
        ticket, lane, _ = chosen
        lanes[lane].pop(0)
        order.append(ticket["_id"])
        streak = queue.streak_after(streak, "p" if lane == "p" else "regular")


@pytest.mark.parametrize("limit,expected", [
    (3, ["P1", "P2", "P3", "R1", "P4", "P5", "R2"]),
    (1, ["P1", "R1", "P2", "R2", "P3", "P4", "P5"]),
    (None, ["P1", "P2", "P3", "P4", "P5", "R1", "R2"]),
    (0, ["R1", "R2", "P1", "P2", "P3", "P4", "P5"]),      # regular first
])
def test_calling_rule_with_n(limit, expected):
    rule = {"priority_groups": list(calling.PRIORITY_GROUPS), "max_priority_in_row": limit}
    assert simulate(lanes_of(QUEUE, rule), limit) == expected


def test_the_issue_example_priority_calls_in_a_row_at_most_n():
    """With N = 2: p0 p1 r0 p2 p3 r1 r2 r3: never more than two priority calls in a row
    while a regular ticket waits."""
    regular = [t("r%d" % i, i) for i in range(4)]
    priority = [t("p%d" % i, 10 + i, "lansia") for i in range(4)]
    rule = {"priority_groups": ["lansia"], "max_priority_in_row": 2}
    assert simulate(lanes_of(regular + priority, rule), 2) == \
        ["p0", "p1", "r0", "p2", "p3", "r1", "r2", "r3"]


def test_streak_carries_over_from_earlier_calls():
    lanes = lanes_of(QUEUE, None)
    assert simulate(lanes, 3, streak=3)[:2] == ["R1", "P1"]
    assert simulate(lanes, 3, streak=2)[:2] == ["P1", "R1"]


def test_regular_tickets_by_arrival_across_returned_and_new():
    heads = {"r": t("back", 0), "n": t("new", 5)}
    assert calling.service_next(heads, 0, 3)[:2] == (heads["r"], "r")
    heads = {"r": t("back", 9), "n": t("new", 5)}
    assert calling.service_next(heads, 0, 3)[:2] == (heads["n"], "n")


def test_group_not_in_rule_counts_as_regular():
    rule = {"priority_groups": ["lansia"], "max_priority_in_row": None}
    assert not calling.is_priority(t("A", 0, "appointment"), rule)
    assert calling.is_priority(t("L", 0, "lansia"), rule)
    assert calling.DEFAULT_RULE["max_priority_in_row"] == 3


def test_limit_per_service_overrides_the_mpps():
    rule = {"priority_groups": ["lansia"], "max_priority_in_row": 3}
    assert calling.priority_limit({"_id": "ktp"}, rule) == 3
    assert calling.priority_limit({"_id": "ktp", "max_priority_in_row": 1}, rule) == 1
    assert calling.priority_limit({"_id": "ktp", "max_priority_in_row": None}, rule) is None


def test_a_counter_of_several_services_calls_due_and_priority_first_then_by_arrival():
    kk = calling.service_next({"n": t("K1", 2, service="kk")}, 0, 3)
    ktp = calling.service_next({"n": t("A1", 1)}, 0, 3)
    kk_p = calling.service_next({"p": t("K2", 3, "lansia", service="kk")}, 0, 3)
    assert calling.choose([kk, ktp])[0]["_id"] == "A1"
    assert calling.choose([kk, ktp, kk_p])[0]["_id"] == "K2"
    due = calling.service_next({"p": t("K3", 0, "lansia"), "n": t("A9", 2)}, 3, 3)
    assert due[0]["_id"] == "A9" and due[2] is True
    assert calling.choose([kk_p, due])[0]["_id"] == "A9"


COUNTER = {"_id": "c1", "status": "open", "officer": "budi", "services": ["ktp"]}


def test_override_record():
    target = dict(QUEUE[1], number="A-002")
    record = calling.override_record(target, COUNTER, "budi", "  Lupa ambil nomor prioritas ",
                                     T0)
    assert record == {"kind": "override_call", "ticket_id": "R2", "number": "A-002",
                      "service_id": "ktp", "counter_id": "c1", "officer": "budi",
                      "reason": "Lupa ambil nomor prioritas", "at": T0}


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
