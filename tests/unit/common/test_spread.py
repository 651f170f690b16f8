from services.common.spread import median_p90


def test_median_and_p90_of_ten_decisions_interpolate_between_observed_days():
    assert median_p90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == {"count": 10, "median": 5.5,
                                                           "p90": 9.1}


def test_one_value_is_its_own_median_and_p90_and_none_gives_none():
    assert median_p90([4]) == {"count": 1, "median": 4.0, "p90": 4.0}
    assert median_p90([]) == {"count": 0, "median": None, "p90": None}
    assert median_p90([None, 2, 4]) == {"count": 2, "median": 3.0, "p90": 3.8}
