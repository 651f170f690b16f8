"""Field types and the schema base every contract is written with (marshmallow 3).

- ``StrictSchema``: unknown fields are refused, never silently dropped;
- ``key()`` / ``KEY`` / ``Key``: our own ids are letters, digits and ``-_.:`` (no ``$``, no
  spaces), so an injected ``{"$gt": ""}`` or a crafted string never reaches a query as an
  operator;
- ``normalise_phone`` / ``Phone``: any common way of writing an Indonesian number becomes
  E.164 (``+62…``) with the ``phonenumbers`` library; the one phone normaliser of the suite;
- ``Bool``, ``Int``: JSON's own ``true``/``false`` and integers only (no ``"5"``, ``5.5``,
  ``"true"``), so a client's type slip is a 422, not a silent conversion.

Loading with field messages turned into a 422 is ``services.common.schemas.load``.
"""
import phonenumbers
from marshmallow import RAISE, Schema, ValidationError, fields, validate

DEFAULT_REGION = "ID"
MAX_PHONE_CHARS = 32
KEY_MESSAGE = "Hanya huruf, angka dan -_.: / Letters, digits and -_.: only."
PHONE_MESSAGE = "Nomor telepon tidak valid / Not a valid phone number."


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


def key(max_length=200):
    """A validator for our own identifiers."""
    return validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,%d}$" % (max_length - 1),
                           error=KEY_MESSAGE)


#: the ids of the catalogue, tickets and counters (at most 100 characters)
KEY = key(100)

#: the secrets and codes citizens type, as the services check them; the OpenAPI document
#: carries the same patterns (a value they allow is never refused for its form)
PIN_PATTERN = r"^[0-9]{6}$"
PIN = validate.Regexp(PIN_PATTERN, error="PIN 6 angka / PIN is 6 digits.")
#: a booking code as printed (the alphabet without 0/O, 1/I/L; any case)
BOOKING_CODE_PATTERN = r"^[2-9A-HJKMNP-Za-hjkmnp-z]{6}$"
#: a ticket's number as printed on it (``D-014``)
TICKET_NUMBER_PATTERN = r"^[A-Za-z]{1,3}-?0{0,3}[1-9][0-9]{0,4}$"
#: an application's tracking code (``FPAY-CH2X-DC``; the last symbol is a check symbol)
_TRACKING_SYMBOL = "[2-9A-HJKMNP-TV-Za-hjkmnp-tv-z]"
TRACKING_CODE_PATTERN = r"^(?:[A-Za-z]{{2,5}}-)?{s}{{4}}-?{s}{{4}}-?{s}{{2}}$".format(
    s=_TRACKING_SYMBOL)
#: an Indonesian mobile number in the form the document asks for (``08…`` or ``+628…``):
#: every such number is one ``normalise_phone`` accepts; people may type spaces and dashes
PHONE_PATTERN = r"^(?:\+62|0)8[1-35-9][0-9]{8,10}$"


class Key(fields.String):
    """A string validated by ``KEY``."""

    def __init__(self, **kwargs):
        super().__init__(validate=KEY, **kwargs)


def normalise_phone(raw, region=DEFAULT_REGION):
    """``"0811-0000-0001"`` -> ``"+6281100000001"``; ``ValueError`` when not a valid number."""
    if not isinstance(raw, str) or len(raw) > MAX_PHONE_CHARS:
        raise ValueError("not a phone number")
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise ValueError("not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class Phone(fields.String):
    """A phone number in any common form (``0811-0000-0001``, ``+62 811…``) -> E.164; the
    document shows ``PHONE_PATTERN``, the plain form every client can send."""

    def __init__(self, **kwargs):
        metadata = dict(kwargs.pop("metadata", {}), pattern=PHONE_PATTERN,
                        example="081152000001")
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        try:
            return normalise_phone(value)
        except ValueError:
            raise ValidationError(PHONE_MESSAGE) from None


class Int(fields.Integer):
    """An integer that refuses ``"5"``, ``5.5`` and booleans."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class Bool(fields.Boolean):
    """Only JSON ``true`` / ``false``."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value
