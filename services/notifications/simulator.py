"""Test mode: reserved numbers and addresses that exercise every status without any provider.

A message to a simulator address never leaves the process, whatever the configuration; with
``config["test_mode"]`` true, *every* message is simulated (as ``delivered`` unless its address
is a simulator one), like GOV.UK Notify's test keys. The demo and the tests use these.

=====================  ===========================================================  ==========
phone (E.164)          e-mail / webhook                                             outcome
=====================  ===========================================================  ==========
+62 811-0000-0001      delivered@simulator.mpp.test  https://simulator.mpp.test/delivered  delivered
+62 811-0000-0002      temporary-failure@…           …/temporary-failure     temporary_failure on
                                                                             attempts 1 and 2 of a
                                                                             channel, delivered
                                                                             from attempt 3
+62 811-0000-0003      permanent-failure@…           …/permanent-failure     permanent_failure
+62 811-0000-0004      technical-failure@…           …/technical-failure     technical_failure
+62 811-0000-0005      no-receipt@…                  …/no-receipt            sending (accepted,
                                                                             no receipt ever)
=====================  ===========================================================  ==========

The outcome depends only on the address and ``message["attempt"]`` (1-based, per channel), so
a retried message behaves the same on every worker: no state in the simulator.
"""
import hashlib
from urllib.parse import urlsplit

DOMAIN = "simulator.mpp.test"
FAILS_BEFORE_SUCCESS = 2  # temporary-failure address: attempts 1..2 fail, 3 is delivered

_OUTCOMES = ("delivered", "temporary_failure", "permanent_failure", "technical_failure",
             "no_receipt")
PHONES = {"+628110000000{}".format(i): outcome for i, outcome in enumerate(_OUTCOMES, 1)}
EMAILS = {"{}@{}".format(o.replace("_", "-"), DOMAIN): o for o in _OUTCOMES}
WEBHOOKS = {"https://{}/{}".format(DOMAIN, o.replace("_", "-")): o for o in _OUTCOMES}

PHONE_DELIVERED, PHONE_TEMPORARY, PHONE_PERMANENT, PHONE_TECHNICAL, PHONE_NO_RECEIPT = PHONES
EMAIL_DELIVERED, EMAIL_TEMPORARY, EMAIL_PERMANENT, EMAIL_TECHNICAL, EMAIL_NO_RECEIPT = EMAILS


def outcome_for(address):
    """The reserved outcome of an address, or ``None`` if it is not a simulator address."""
    if not isinstance(address, str):
        return None
    address = address.strip()
    if address in PHONES:
        return PHONES[address]
    if address.lower() in EMAILS:
        return EMAILS[address.lower()]
    parts = urlsplit(address)
    if parts.hostname == DOMAIN:
        return WEBHOOKS.get("https://{}{}".format(DOMAIN, parts.path.rstrip("/")), "delivered")
    return None


def status_for(outcome, attempt):
    if outcome == "temporary_failure" and attempt > FAILS_BEFORE_SUCCESS:
        return "delivered"
    if outcome == "no_receipt":
        return "sending"
    return outcome


def simulate(message, test_mode=False):
    """``(status, provider_id, raw)`` for a simulated send, or ``None`` when the message must
    really go out (not a simulator address and not test mode)."""
    outcome = outcome_for(message.get("to"))
    if outcome is None:
        if not test_mode:
            return None
        outcome = "delivered"
    attempt = int(message.get("attempt") or 1)
    status = status_for(outcome, attempt)
    seed = "{}|{}|{}".format(message.get("id"), message.get("channel"), attempt)
    provider_id = "sim-" + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:16]
    raw = {"simulated": True, "outcome": outcome, "attempt": attempt, "status": status}
    return status, provider_id, raw
