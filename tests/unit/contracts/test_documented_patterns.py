"""The patterns the OpenAPI document gives a citizen's codes and numbers are the server's own
rules: any value a pattern allows, the service that reads it accepts (a client that follows the
document is never refused for a value's form), and the document carries each pattern."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from services.contracts import fields as cf
from services.contracts.permits import NIK_PATTERN, ApplicantSchema
from services.permits import tracking
from services.ticketing.codes import normalise_booking_code
from services.ticketing.number_lookup import parse as parse_ticket_number


def allowed(pattern):
    return st.from_regex(pattern, fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(allowed(cf.PHONE_PATTERN))
def test_every_documented_phone_is_a_valid_number(phone):
    assert cf.normalise_phone(phone).startswith("+628")


@settings(max_examples=300, deadline=None)
@given(allowed(NIK_PATTERN))
def test_every_documented_nik_is_accepted(nik):
    loaded = ApplicantSchema().load({"nik": nik, "name": "Siti", "phone": "081152000001"})
    assert loaded["nik"] == nik


def test_the_nik_pattern_refuses_what_the_server_refuses():
    for nik in ("0003015708900001", "6203013208900001", "6203015713900001",
                "6203015708900000", "620301570890001"):
        assert not re.fullmatch(NIK_PATTERN, nik), nik


@settings(max_examples=300, deadline=None)
@given(allowed(cf.BOOKING_CODE_PATTERN))
def test_every_documented_booking_code_is_a_code(code):
    assert normalise_booking_code(code) == code.upper()


@settings(max_examples=300, deadline=None)
@given(allowed(cf.TICKET_NUMBER_PATTERN))
def test_every_documented_ticket_number_parses(number):
    parse_ticket_number(number)


@settings(max_examples=300, deadline=None)
@given(allowed(cf.TRACKING_CODE_PATTERN))
def test_a_documented_tracking_code_is_valid_or_names_nothing(code):
    # a wrong check symbol is a mistyped code: "not found", never a malformed request
    assert tracking.is_valid(code) or tracking.names_nothing(code)


@settings(max_examples=100, deadline=None)
@given(allowed(cf.PIN_PATTERN))
def test_every_documented_pin_is_accepted(pin):
    assert cf.PIN(pin) == pin


def test_the_document_carries_the_patterns():
    import json

    from services.gateway.openapi import DOCUMENT

    text = json.dumps(json.loads(DOCUMENT.read_text()))
    for pattern in (cf.PHONE_PATTERN, NIK_PATTERN, cf.BOOKING_CODE_PATTERN,
                    cf.TICKET_NUMBER_PATTERN, cf.TRACKING_CODE_PATTERN, cf.PIN_PATTERN):
        assert json.dumps(pattern) in text, pattern
