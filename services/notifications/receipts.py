"""Providers' delivery reports and replies, as the gateway's provider routes pass them on.

A report is applied once: its key (the digest of the body the provider signed) is claimed
first, so a provider's retry or a replayed request changes nothing. Each receipt names our
message by the id we sent along (WhatsApp's ``biz_opaque_callback_data``, the SMS gateway's
``reference``) or by the provider's own id; a receipt for a message we do not know is
skipped. Statuses map to the lifecycle by ``lifecycle.receipt_status`` (a ``delivered``
receipt in time means no failover; a ``failed`` one fails over at once).

A reply ``STOP`` or ``BERHENTI`` (any case, alone) opts that phone number out of the channel
it came by; a reply ``YA`` confirms the number (``confirmation``: a number given on the
portal gets more than its first message once confirmed). The number is kept only as a keyed hash (``NOTIFY_PHONE_KEY``), which is what the
dispatcher looks up before planning a message to a phone.
"""
import hashlib
import hmac

from services.notifications import preferences, store

STOP_WORDS = {"STOP", "BERHENTI", "UNSUBSCRIBE", "STOP ALL"}
YES_WORDS = {"YA", "IYA", "YES", "Y"}


def phone_key(key, phone):
    """The keyed hash of a phone number in E.164 (``None`` for a number we cannot read)."""
    try:
        e164 = preferences.normalise_phone(phone if str(phone).startswith(("+", "0"))
                                           else "+" + str(phone))
    except Exception:  # noqa: BLE001 - a malformed number opts nothing out
        return None
    return hmac.new(key.encode() if isinstance(key, str) else key, e164.encode(),
                    hashlib.sha256).hexdigest()


def _is(words, text):
    return isinstance(text, str) and " ".join(text.upper().split()) in words


def is_stop(text):
    return _is(STOP_WORDS, text)


def is_yes(text):
    return _is(YES_WORDS, text)


def apply(dispatcher, db, key, channel, report_key, receipts, replies, now):
    """``receipts``: ``[{"message_id" | "provider_id", "status", "raw"}]``; ``replies``:
    ``[{"from", "text"}]``. Returns what was done (counts only: no personal data)."""
    if not store.claim_report(db, report_key, channel, now):
        return {"duplicate": True, "applied": 0, "unknown": 0, "opted_out": 0, "confirmed": 0}
    try:
        applied = unknown = opted = confirmed = 0
        for receipt in receipts:
            message_id = receipt.get("message_id")
            if not message_id and receipt.get("provider_id"):
                found = store.message_by_provider_id(db, str(receipt["provider_id"]))
                message_id = found and found["_id"]
            if not message_id or dispatcher.receipt(str(message_id), receipt.get("status"),
                                                    receipt.get("raw")) is None:
                unknown += 1
            else:
                applied += 1
        for reply in replies:
            hashed = phone_key(key, reply.get("from")) if is_stop(reply.get("text")) else None
            if hashed:
                store.add_opt_out(db, hashed, channel, now)
                opted += 1
            hashed = phone_key(key, reply.get("from")) if is_yes(reply.get("text")) else None
            if hashed:
                store.confirm_number(db, hashed, "reply", now)
                confirmed += 1
    except Exception:
        store.release_report(db, report_key)  # not applied: the provider's retry may be
        raise
    return {"duplicate": False, "applied": applied, "unknown": unknown, "opted_out": opted,
            "confirmed": confirmed}


def opted_out(db, key, phone):
    hashed = phone_key(key, phone) if phone else None
    return store.opted_out_channels(db, hashed) if hashed else []
