"""Schema building blocks every service's contract (``<service>/schemas.py``) shares.

- ``load(schema, data)``: marshmallow's field messages become ``ValidationFailed`` (422);
  given a schema class, it loads with the process's one instance of it (``shared``);
- ``StrictSchema``: unknown fields are refused, never silently dropped;
- ``key()``: our own ids are letters, digits and ``-_.:`` (no ``$``, no spaces), so an
  injected ``{"$gt": ""}`` or a crafted string never reaches a query as an operator;
- ``Phone``: any common way of writing an Indonesian number becomes E.164 (``+62…``) with
  the ``phonenumbers`` library.
"""
import functools

import phonenumbers
from marshmallow import RAISE, Schema, ValidationError, fields, validate

from services.common.errors import ValidationFailed

DEFAULT_REGION = "ID"
MAX_PHONE_CHARS = 32
KEY_MESSAGE = "Hanya huruf, angka dan -_.: / Letters, digits and -_.: only."
PHONE_MESSAGE = "Nomor telepon tidak valid / Not a valid phone number."


@functools.lru_cache(maxsize=None)
def shared(schema_class):
    """The process's one instance of ``schema_class``. Building a marshmallow schema
    deep-copies its declared fields (a few percent of a request's CPU); loading with a
    built one keeps no state between calls, so each is built once and reused."""
    return schema_class()


def load(schema, data):
    """``schema.load(data)`` or ``ValidationFailed`` with marshmallow's field messages;
    ``schema`` is an instance, or a class (loaded with its ``shared`` instance)."""
    if isinstance(schema, type):
        schema = shared(schema)
    try:
        return schema.load(data)
    except ValidationError as err:
        raise ValidationFailed.from_marshmallow(err)


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


def key(max_length=200):
    """A validator for our own identifiers."""
    return validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,%d}$" % (max_length - 1),
                           error=KEY_MESSAGE)


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
    """A phone number in any common form (``0811-0000-0001``, ``+62 811…``) -> E.164."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        try:
            return normalise_phone(value)
        except ValueError:
            raise ValidationError(PHONE_MESSAGE) from None
