import random
import re

import pytest

from services.common.errors import ValidationFailed
from services.permits import tracking

KEY = b"k" * 32


def test_format_alphabet_and_entropy():
    assert len(tracking.ALPHABET) == 30 and len(set(tracking.ALPHABET)) == 30
    assert not set("0O1ILU") & set(tracking.ALPHABET)
    code = tracking.new_code()
    assert re.fullmatch(r"[{a}]{{4}}-[{a}]{{4}}-[{a}]{{2}}".format(a=tracking.ALPHABET), code)
    assert tracking.RANDOM_SYMBOLS * 4.9 >= 40  # log2(30) > 4.9
    assert tracking.new_code("KPS").startswith("KPS-")
    with pytest.raises(ValueError):
        tracking.new_code("kps1")


def test_codes_are_random():
    codes = {tracking.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    # every position takes many values (not a counter)
    for i in (0, 1, 2, 3, 5, 6, 7, 8, 10):
        assert len({c[i] for c in codes}) > 25


def test_round_trip_and_forgiving_input():
    code = tracking.new_code()
    assert tracking.normalise(code) == code
    assert tracking.normalise(" " + code.lower().replace("-", " ") + " ") == code
    prefixed = tracking.new_code("KPS")
    assert tracking.normalise(prefixed.lower(), prefix="KPS") == prefixed
    assert tracking.normalise(prefixed[4:], prefix="KPS") == prefixed


def _codes(n, seed):
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        payload = "".join(rng.choice(tracking.ALPHABET) for _ in range(9))
        check = tracking.check_symbol(payload)
        if check:
            out.append(payload + check)
    return out


def test_every_single_substitution_is_caught():
    for code in _codes(300, 1):
        for i in range(10):
            for symbol in tracking.ALPHABET:
                if symbol != code[i]:
                    typo = code[:i] + symbol + code[i + 1:]
                    assert not tracking.is_valid(typo), (code, typo)


def test_every_neighbour_swap_is_caught():
    for code in _codes(2000, 2):
        for i in range(9):
            if code[i] != code[i + 1]:
                swapped = code[:i] + code[i + 1] + code[i] + code[i + 2:]
                assert not tracking.is_valid(swapped), (code, swapped)


@pytest.mark.parametrize("bad", ["", "ABCD-EFGH-J", "0BCD-EFGH-JK", "ABCD-EFGH-JKL",
                                 None, 12345, {"$gt": ""}, "A" * 100])
def test_invalid_codes(bad):
    with pytest.raises(ValidationFailed) as err:
        tracking.normalise(bad)
    assert "tracking_code" in err.value.fields


def test_pin_and_secret():
    pin = tracking.new_pin()
    assert re.fullmatch(r"[0-9]{6}", pin)
    code = tracking.new_code()
    digest = tracking.secret_digest(code, pin, KEY)
    assert pin not in digest and len(digest) == 64
    assert tracking.check_secret(digest, code, pin, KEY)
    assert tracking.check_secret(digest, code, " {} ".format(pin), KEY)
    wrong = "{:06d}".format((int(pin) + 1) % 1000000)
    assert not tracking.check_secret(digest, code, wrong, KEY)
    assert not tracking.check_secret(digest, tracking.new_code(), pin, KEY)
    assert not tracking.check_secret(digest, code, pin, b"other-key-000000")
    for bad in (None, {"$gt": ""}, "12345", "١٢٣٤٥٦", "abcdef"):
        assert not tracking.check_secret(digest, code, bad, KEY)
    with pytest.raises(ValueError):
        tracking.secret_digest(code, pin, b"short")


def test_pins_keep_leading_zeros_and_vary():
    pins = {tracking.new_pin() for _ in range(500)}
    assert len(pins) > 450 and all(len(p) == 6 for p in pins)


def test_digest_is_the_hmac_and_every_character_counts():
    import hashlib
    import hmac
    code, pin = "7Q4M-X9KP-T3", "004217"
    digest = tracking.secret_digest(code, pin, KEY)
    assert digest == hmac.new(KEY, b"7Q4M-X9KP-T3:004217", hashlib.sha256).hexdigest()
    last = "0" if digest[-1] != "0" else "1"
    assert not tracking.check_secret(digest[:-1] + last, code, pin, KEY)
    assert not tracking.check_secret(digest[:-1], code, pin, KEY)
