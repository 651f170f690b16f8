"""Tracking codes and the secret that goes with them.

Code: ``7Q4M-X9KP-TZ`` (optionally prefixed, ``PBG-7Q4M-X9KP-TZ``): nine random symbols and one
check symbol from a 30-symbol alphabet, ``23456789ABCDEFGHJKMNPQRSTVWXYZ`` (Crockford's base 32
without 0/O, 1/I/L and U: nothing two people could hear or read as each other). Nine symbols
from ``secrets`` are 9·log2(30) ≈ 44.2 bits, so guessing is hopeless even before the secret.
The check symbol makes ``sum(i * value_i for i = 1..10) ≡ 0 (mod 31)``; 31 is prime and larger
than any difference of two values, so every single wrong symbol and every swap of two
neighbours (or of two symbols one apart) changes the sum and is caught. A payload whose check
value would be 30 (no symbol) is redrawn, which costs 0.05 bits. Input is forgiving:
case, spaces and hyphens do not matter (``normalise``).

Secret: a separately generated 6-digit PIN (``new_pin``), printed on the receipt and sent
with the filing notification. Not the last digits of the phone: those are known to anyone who
has the applicant's number and cannot be changed. The store keeps only
``secret_digest(code, pin, key)`` = HMAC-SHA256 under a server key (a PIN has 10⁶ values, so a
plain hash could be brute-forced from a leaked database; the key lives in config, not in Mongo).
``check_secret`` compares digests in constant time. Rate-limit lookups at the gateway.

Guessing: a per-address limit alone does not stop someone with many addresses, so wrong PINs
are also counted per application (``pin_wait``): ``FREE_FAILURES`` are free, each further one
makes the next try wait twice as long (5 s, 10 s, ... up to ``MAX_WAIT_SECONDS``), and after
``LOCK_AFTER`` the code is locked until the citizen asks for a new PIN, which is sent to the
contact they gave when filing. With a lock at 10, a guesser's odds are 10 in 10⁶ per PIN.
"""
import hashlib
import hmac
import re
import secrets

from services.common.errors import ValidationFailed
from services.contracts.fields import TRACKING_CODE_PATTERN

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
_M = len(ALPHABET)  # 30
_P = 31  # prime modulus of the check
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
RANDOM_SYMBOLS = 9
GROUPS = (4, 4, 2)  # the last group ends with the check symbol
PIN_DIGITS = 6
_PREFIX = re.compile(r"^[A-Z]{2,5}$")


def check_value(payload):
    """The value (0..30) the check symbol must have for ``payload`` (9 symbols)."""
    total = sum(i * _VALUE[c] for i, c in enumerate(payload, start=1))
    # (len+1) * v ≡ -total (mod 31)
    return (-total * pow(len(payload) + 1, -1, _P)) % _P


def check_symbol(payload):
    """The check symbol of ``payload``, or ``None`` when its check value has no symbol (30)."""
    value = check_value(payload)
    return ALPHABET[value] if value < _M else None


def _format(symbols, prefix):
    parts, i = [], 0
    for size in GROUPS:
        parts.append(symbols[i:i + size])
        i += size
    code = "-".join(parts)
    return "{}-{}".format(prefix, code) if prefix else code


def new_code(prefix=None, rng=secrets):
    """A fresh tracking code; ``prefix`` (2–5 letters, e.g. an MPP's) is decoration only."""
    if prefix is not None and not _PREFIX.match(prefix):
        raise ValueError("prefix must be 2-5 capital letters")
    while True:
        payload = "".join(rng.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
        check = check_symbol(payload)
        if check is not None:
            return _format(payload + check, prefix)


def normalise(text, prefix=None):
    """The canonical form of a code someone typed, or ``ValidationFailed``.

    Accepts any case, spaces and hyphens; with ``prefix`` the prefix may be typed or left out.
    """
    error = ValidationFailed("Kode pelacakan tidak valid / Invalid tracking code",
                             {"fields": {"tracking_code": [
                                 "Kode pelacakan tidak valid / Invalid tracking code."]}})
    if not isinstance(text, str) or len(text) > 64:
        raise error
    compact = re.sub(r"[\s\-]", "", text).upper()
    if prefix and compact.startswith(prefix) and len(compact) == len(prefix) + RANDOM_SYMBOLS + 1:
        compact = compact[len(prefix):]
    if len(compact) != RANDOM_SYMBOLS + 1 or any(c not in _VALUE for c in compact):
        raise error
    payload, check = compact[:-1], compact[-1]
    if check_symbol(payload) != check:
        raise error
    return _format(compact, prefix)


def names_nothing(text):
    """Written as a code (``TRACKING_CODE_PATTERN``, the form the API documents) but with a
    check symbol that does not fit: a mistyped code, which names no application (a 404, as
    for a code nobody was given), not a malformed request."""
    return (isinstance(text, str) and re.fullmatch(TRACKING_CODE_PATTERN, text) is not None
            and not is_valid(text))


def is_valid(text, prefix=None):
    try:
        normalise(text, prefix)
    except ValidationFailed:
        return False
    return True


FREE_FAILURES = 3
LOCK_AFTER = 10
FIRST_WAIT_SECONDS = 5
MAX_WAIT_SECONDS = 300


def pin_wait(failures, last_failure_at, now):
    """``(locked, seconds to wait)`` before the next try at a PIN after ``failures`` wrong
    ones, the last at ``last_failure_at`` (datetimes)."""
    if failures >= LOCK_AFTER:
        return True, MAX_WAIT_SECONDS
    if failures < FREE_FAILURES or last_failure_at is None:
        return False, 0
    wait = min(FIRST_WAIT_SECONDS * 2 ** (failures - FREE_FAILURES), MAX_WAIT_SECONDS)
    left = wait - (now - last_failure_at).total_seconds()
    return False, max(0, int(left + 0.999))


def new_pin(rng=secrets):
    """A 6-digit PIN (leading zeros kept) for status lookup."""
    return "".join(str(rng.randbelow(10)) for _ in range(PIN_DIGITS))


def secret_digest(code, pin, key):
    """HMAC-SHA256 hex of ``code:pin`` under the server ``key`` (bytes); what the store keeps."""
    if not isinstance(key, (bytes, bytearray)) or len(key) < 16:
        raise ValueError("the secret key must be at least 16 bytes")
    message = "{}:{}".format(code, pin).encode("utf-8")
    return hmac.new(bytes(key), message, hashlib.sha256).hexdigest()


def check_secret(stored_digest, code, candidate_pin, key):
    """Constant-time: does ``candidate_pin`` match the digest stored for ``code``."""
    if not isinstance(candidate_pin, str) or not isinstance(stored_digest, str):
        return False
    pin = re.sub(r"\s", "", candidate_pin)
    if not re.fullmatch(r"[0-9]{%d}" % PIN_DIGITS, pin):
        # still spend the HMAC so a malformed PIN takes as long as a wrong one
        hmac.compare_digest(stored_digest, secret_digest(code, "x" * PIN_DIGITS, key))
        return False
    return hmac.compare_digest(stored_digest, secret_digest(code, pin, key))
