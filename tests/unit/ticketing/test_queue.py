"""The queue's rules over plain data: lanes, liveness, the calling order, and the counts a
position is computed from, checked against the calling order itself."""
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from services.ticketing import queue

T0 = datetime(2026, 11, 30, 1, 0, tzinfo=timezone.utc)


def test_lane_for():
    assert queue.lane_for(priority=True, returned=True) == queue.PRIORITY
    assert queue.lane_for(priority=False, returned=True) == queue.RETURNED
    assert queue.lane_for(priority=False, returned=False) == queue.NEW


def test_liveness():
    entry = {"q": 1}
    assert queue.is_live(entry, {"status": "waiting", "q": 1})
    assert not queue.is_live(entry, {"status": "waiting", "q": 2})   # requeued since
    assert not queue.is_live(entry, {"status": "called", "q": 1})
    assert not queue.is_live(entry, None)
    assert queue.is_live_walk_in({"lane": "n", "q": 0, "status": "waiting"})
    assert not queue.is_live_walk_in({"lane": "p", "q": 0, "status": "waiting"})
    assert not queue.is_live_walk_in({"lane": "n", "q": 1, "status": "waiting"})


def test_fairness_rule():
    assert queue.next_class(0, 2, True, True) == queue.PRIORITY
    assert queue.next_class(2, 2, True, True) == queue.REGULAR
    assert queue.next_class(2, 2, True, False) == queue.PRIORITY   # nobody regular waits
    assert queue.next_class(9, None, True, True) == queue.PRIORITY
    assert queue.next_class(0, 0, True, True) == queue.REGULAR
    assert queue.next_class(0, 2, False, False) is None
    assert queue.streak_after(1, queue.PRIORITY) == 2
    assert queue.streak_after(5, queue.REGULAR) == 0


def ticket(name, minute):
    return {"_id": name, "arrived_at": T0 + timedelta(minutes=minute)}


def test_call_order_merges_returned_and_new_by_arrival_at_the_heads():
    returned = [ticket("r-late", 9), ticket("r-early", 1)]
    new = [ticket("n3", 3), ticket("n5", 5), ticket("n10", 10)]
    order = [x["_id"] for x in queue.call_order([], returned, new, 0, 3)]
    # the returned lane is called in its own order: r-early waits behind r-late
    assert order == ["n3", "n5", "r-late", "r-early", "n10"]


@st.composite
def a_queue(draw):
    """Lanes as the store keeps them: new in arrival order, returned in any order (earlier
    arrivals joining again), priority in the order they joined."""
    minutes = st.integers(0, 60)
    new = sorted(draw(st.lists(minutes, max_size=8)))
    returned = draw(st.lists(minutes, max_size=6))
    priority = draw(st.lists(minutes, max_size=8))
    return ([ticket("p%d" % i, m) for i, m in enumerate(priority)],
            [ticket("r%d" % i, m) for i, m in enumerate(returned)],
            [ticket("n%02d" % i, m) for i, m in enumerate(new)],
            draw(st.integers(0, 5)), draw(st.one_of(st.none(), st.integers(0, 4))))


@settings(max_examples=400, deadline=None)
@given(a_queue())
def test_position_counts_equal_the_calling_order(case):
    """``ahead`` as ``store.ahead_of`` computes it from lane counts (and the new lane's
    arrival order) equals the index of each ticket in the calling order."""
    priority, returned, new, streak, limit = case
    order = [x["_id"] for x in queue.call_order(priority, returned, new, streak, limit)]
    regular_live = len(returned) + len(new)
    for i, p in enumerate(priority):
        assert order.index(p["_id"]) == i + queue.regular_ahead(i, regular_live, streak, limit)
    returned_keys = [queue.regular_key(x) for x in returned]
    for i, x in enumerate(new):
        j = i + queue.returned_before(returned_keys, queue.regular_key(x))
        assert order.index(x["_id"]) == j + queue.priority_ahead(j, len(priority), streak,
                                                                 limit)
    for i, x in enumerate(returned):
        top = max(returned_keys[:i + 1])
        j = i + sum(1 for y in new if queue.regular_key(y) < top)
        assert order.index(x["_id"]) == j + queue.priority_ahead(j, len(priority), streak,
                                                                 limit)
