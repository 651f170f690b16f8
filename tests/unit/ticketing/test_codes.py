import pytest

from services.ticketing import codes


def test_booking_codes_avoid_look_alikes():
    seen = set()
    for _ in range(2000):
        code = codes.booking_code()
        assert len(code) == 6 and not set(code) & set("0O1IL")
        assert set(code) <= set(codes.BOOKING_ALPHABET)
        seen.add(code)
    assert len(seen) > 1990   # random, not a counter


def test_alphabet():
    assert not set(codes.BOOKING_ALPHABET) & set("0O1IL")
    assert len(set(codes.BOOKING_ALPHABET)) == len(codes.BOOKING_ALPHABET) == 31


@pytest.mark.parametrize("typed,code", [
    ("k7m-4qx", "K7M4QX"), (" K7M 4QX ", "K7M4QX"), ("K7M4QX", "K7M4QX"),
    ("K7M4Q0", None), ("K7M4QI", None), ("K7M4Q", None), ("K7M4QXX", None),
    ({"$gt": ""}, None), (None, None),
])
def test_normalise_booking_code(typed, code):
    assert codes.normalise_booking_code(typed) == code


def test_access_tokens_are_long_random_and_compared_safely():
    a, b = codes.access_token(), codes.access_token()
    assert a != b and len(a) >= 32
    assert codes.token_matches(a, a)
    assert not codes.token_matches(a, b)
    assert not codes.token_matches(a, {"$ne": ""})
    assert not codes.token_matches(None, None)
