"""Confirming a phone number given on the portal before it gets more than one message.

Anyone on the internet may type any number into the portal's booking or filing form, so a
number given there (``booking`` and ``application`` recipients) gets the reference's *first*
message only (``FIRST_KINDS``: the booking or filing receipt), and that message carries the
number's confirmation code. Every later message to it (a cancellation, a return for
correction, the permit, a new PIN) uses the phone only once the number is confirmed: the
citizen types the code on the portal (``confirm_by_code``; five wrong codes a day per number,
then refused) or answers the message with ``YA`` (``receipts``: a provider's reply comes
from the number itself). Until then a later message goes by e-mail
when one was given, or ends ``phone_unconfirmed``.

A kiosk ticket's number is not asked to confirm: it was typed by someone standing in the hall,
its messages (your number, nearly your turn, called) are for that day's ticket only and are
the point of leaving a number, and the per-number daily cap and the +62 rule bound what the
anonymous ticket endpoint can cost.

The code is derived, never stored: HMAC of the number under ``NOTIFY_PHONE_KEY``; a confirmed
number is kept only as that key's hash (``receipts.phone_key``).
"""
import hashlib
import hmac

from services.common import clock as clk
from services.common.errors import TooManyAttempts, ValidationFailed
from services.notifications import preferences, receipts, store

#: recipients given on the portal: their numbers confirm before a second message
CONFIRMING_SOURCES = ("booking", "application")
#: the message a reference's recipient gets first (it carries the code)
FIRST_KINDS = ("booking_created", "application_submitted")
MAX_WRONG_PER_DAY = 5


def code_for(key, phone):
    """The number's 6-digit confirmation code (``phone`` in E.164)."""
    secret = key.encode() if isinstance(key, str) else key
    digest = hmac.new(secret, b"confirm-phone|" + phone.encode(), hashlib.sha256).digest()
    return "{:06d}".format(int.from_bytes(digest[:8], "big") % 10 ** 6)


def needs_confirmation(source):
    return source in CONFIRMING_SOURCES


def confirmed(db, key, phone):
    hashed = receipts.phone_key(key, phone) if phone else None
    return bool(hashed) and store.number_confirmed(db, hashed)


def confirm_by_code(db, key, phone, code, now, zone):
    """The code typed on the portal: ``{"confirmed": True}``; a wrong one is a field message,
    the sixth wrong one of the day for that number ``TooManyAttempts``."""
    e164 = preferences.normalise_phone(phone)
    hashed = receipts.phone_key(key, e164)
    if store.number_confirmed(db, hashed):
        return {"confirmed": True}
    day = clk.to_utc(now).astimezone(clk.zone(zone)).date().isoformat()
    if store.confirm_failures(db, hashed, day) >= MAX_WRONG_PER_DAY:
        raise TooManyAttempts("Terlalu banyak kode salah; coba lagi besok / Too many wrong "
                              "codes; try again tomorrow", {"retry_after": 3600, "locked": True})
    if not (isinstance(code, str) and hmac.compare_digest(code.strip(), code_for(key, e164))):
        store.record_confirm_failure(db, hashed, day, now)
        raise ValidationFailed("Kode konfirmasi salah / Wrong confirmation code", {"fields": {
            "code": ["Kode tidak cocok dengan yang dikirim ke nomor ini / The code does not "
                     "match the one sent to this number."]}})
    store.confirm_number(db, hashed, "code", now)
    return {"confirmed": True}
