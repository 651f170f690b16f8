"""Secrets and codes a person holds: ticket access tokens and booking codes.

- ``access_token()``: 32 url-safe characters from ``secrets`` (192 bits); the ticket's
  tracking link carries it; compare with ``token_matches`` (constant time).
- ``booking_code()``: 6 characters from an alphabet without the look-alikes 0/O, 1/I/L, so it
  can be read aloud or over the phone (31⁶ ≈ 887 million codes). The store inserts it as the
  booking's ``_id``: a collision is a duplicate key, and it draws again.
"""
import secrets

BOOKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BOOKING_CODE_LENGTH = 6


def access_token():
    return secrets.token_urlsafe(24)


def token_matches(expected, given):
    return (isinstance(expected, str) and isinstance(given, str)
            and secrets.compare_digest(expected.encode(), given.encode()))


def booking_code(length=BOOKING_CODE_LENGTH):
    return "".join(secrets.choice(BOOKING_ALPHABET) for _ in range(length))


def normalise_booking_code(text):
    """What a person typed (``"k7m-4qx "``) -> ``"K7M4QX"``, or None if it cannot be a code."""
    if not isinstance(text, str):
        return None
    code = text.replace("-", "").replace(" ", "").upper()
    if len(code) != BOOKING_CODE_LENGTH or any(c not in BOOKING_ALPHABET for c in code):
        return None
    return code
