"""Guessing an applicant's PIN: failures are counted per tracking code (on every instance,
not per address), each failure past the third makes the next try wait longer, and the tenth
locks the code until the citizen asks for a new PIN, which goes to the phone or e-mail they
gave when filing. A right PIN clears the count."""
from datetime import datetime, timezone

import pytest

from services.common.clock import FixedClock
from services.common.errors import NotFound, TooManyAttempts
from services.permits import tracking
from tests.integration.permits.conftest import filing
from tests.support import wait_for

MONDAY = datetime(2026, 11, 30, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock():
    return FixedClock(MONDAY)


def _wrong(pin):
    return "{:06d}".format((int(pin) + 1) % 10 ** 6)


def test_failures_slow_then_lock_and_a_new_pin_lifts_the_lock(clocked, clock, events):
    permits = clocked.permits
    filed = permits.file_application(filing())
    code, pin = filed["tracking_code"], filed["pin"]
    for _ in range(tracking.FREE_FAILURES):
        with pytest.raises(NotFound):
            permits.get_application_public(code, _wrong(pin))
    # past the free tries, the next one waits, even with the right PIN
    with pytest.raises(TooManyAttempts) as waited:
        permits.get_application_public(code, pin)
    # (over RPC nameko carries the details' values as text)
    first_wait = int(waited.value.details["retry_after"])
    assert first_wait > 0 and str(waited.value.details["locked"]) == "False"
    clock.advance(seconds=first_wait)
    with pytest.raises(NotFound):
        permits.get_application_public(code, _wrong(pin))
    with pytest.raises(TooManyAttempts) as longer:
        permits.get_application_public(code, pin)
    assert int(longer.value.details["retry_after"]) > first_wait
    # the right PIN, once the wait is over, works and clears the count
    clock.advance(seconds=int(longer.value.details["retry_after"]))
    assert permits.get_application_public(code, pin)["state"] == "submitted"
    for _ in range(tracking.LOCK_AFTER):
        clock.advance(seconds=tracking.MAX_WAIT_SECONDS)
        with pytest.raises(NotFound):
            permits.get_application_public(code, _wrong(pin))
    clock.advance(hours=24)
    with pytest.raises(TooManyAttempts) as locked:
        permits.get_application_public(code, pin)
    assert str(locked.value.details["locked"]) == "True"

    # the citizen asks for a new PIN: it goes to the contact they gave, not in the answer
    answer = permits.request_new_pin(code)
    assert pin not in repr(answer) and "pin" not in answer
    sent = wait_for(lambda: events["application_pin_reissued"],
                    message="application_pin_reissued")[0]
    assert sent["contact"]["phone"].endswith("52000001") and sent["tracking_code"] == code
    new_pin = sent["pin"]
    assert new_pin != pin
    with pytest.raises(NotFound):
        permits.get_application_public(code, pin)
    assert permits.get_application_public(code, new_pin)["state"] == "submitted"
    # an unknown code gets the same answer (no probing which codes exist)
    assert permits.request_new_pin(tracking.new_code()) == answer
