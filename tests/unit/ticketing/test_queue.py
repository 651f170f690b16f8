"""The queue's rules over plain data: lanes, liveness, windows, how many are ahead."""
from services.ticketing import queue


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


def test_windows_take_the_higher_of_hint_and_own_claims():
    hints = {"h_p": 2, "t_p": 3, "t_r": 1, "h_n": 5, "t_n": 9}
    win = queue.windows(hints, {"r": 4, "n": 8})
    assert win == {"p": (2, 3), "r": (1, 4), "n": (5, 9)}
    assert queue.windows({}) == {"p": (1, 0), "r": (1, 0), "n": (1, 0)}


def test_ahead_counts_own_lane_and_the_lanes_before_it():
    win = {"p": (2, 3), "r": (1, 4), "n": (5, 9)}
    assert queue.waiting_estimate(win) == 2 + 4 + 5
    assert queue.ahead_of(win, "p", 3) == 1
    assert queue.ahead_of(win, "r", 1) == 2
    assert queue.ahead_of(win, "n", 7) == 2 + 2 + 4


def test_near_front_range_starts_after_what_was_seen():
    win = {"p": (1, 0), "r": (1, 0), "n": (5, 20)}
    assert queue.near_front_range(win, "n", 3, None) == (5, 8, 0)
    assert queue.near_front_range(win, "n", 3, 6) == (7, 8, 0)
    assert queue.near_front_range(win, "n", 3, 8) == (9, 8, 0)    # nothing new to look at
