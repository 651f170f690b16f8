import pytest

from services.ticketing import eta

# 8 observed services (seconds): sorted 240 300 360 420 480 540 600 1800
# nearest rank: p25 = 2nd = 300 s (5 min), p75 = 6th = 540 s (9 min)
OBSERVED = [600, 300, 1800, 420, 240, 540, 360, 480]


def test_service_minutes_from_observations():
    assert eta.service_minutes_range(OBSERVED, 10) == (5.0, 9.0, "observed")


def test_fallback_to_default_with_few_samples():
    assert eta.service_minutes_range([300, 300, 300, 300], 10) == (7.5, 12.5, "default")
    assert eta.service_minutes_range([300, None, -1, 300, 300, 300], 8) == (6.0, 10.0, "default")


@pytest.mark.parametrize("ahead,counters,lo,hi", [
    (0, 1, 0, 9),      # next: at most the current service
    (3, 1, 15, 36),    # 3×5 .. 4×9
    (3, 2, 5, 18),     # floor(3/2)=1 ×5 .. ceil(4/2)=2 ×9
    (4, 2, 10, 27),    # 2×5 .. ceil(5/2)=3 ×9
    (10, 3, 15, 36),   # 3×5 .. 4×9
])
def test_estimate_range(ahead, counters, lo, hi):
    out = eta.estimate(ahead, OBSERVED, counters, 10)
    assert out == {"position": ahead + 1, "ahead": ahead, "eta_min_minutes": lo,
                   "eta_max_minutes": hi, "basis": "observed", "samples": 8}


def test_estimate_rounds_outward():
    out = eta.estimate(1, [], 1, 7)   # 5.25 .. 8.75 per service
    assert (out["eta_min_minutes"], out["eta_max_minutes"]) == (5, 18)


def test_no_counter_open_gives_no_eta():
    out = eta.estimate(2, OBSERVED, 0, 10)
    assert out["eta_min_minutes"] is None and out["eta_max_minutes"] is None
    assert out["position"] == 3

