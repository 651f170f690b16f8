"""The ticketing service's public contract (marshmallow 3): RPC inputs and outputs.

The gateway and other services import this module (and ``services.common.errors``) only.
Every input schema refuses unknown fields (``RAISE``) and takes strings only where strings
belong, so ``{"service_id": {"$gt": ""}}`` is a 422 with a field message, never a Mongo
operator. Phones are normalised to E.164 (+62…) with ``phonenumbers``; a NIK is exactly 16
digits. ``load(schema, data)`` turns marshmallow's error into ``ValidationFailed``.

Catalogue admin: ``AgencySchema``, ``ServiceSchema`` (with ``OpeningHoursSchema``,
``BookingConfigSchema``), ``CounterSchema``, ``SettingsSchema`` (zone, ``CallingRuleSchema``,
near-front position). Citizens: ``IssueTicketSchema``, ``IssueVisitSchema``,
``BookingSchema``, ``BookingCodeSchema``, ``AvailabilityQuerySchema``. Counters:
``OpenCounterSchema``, ``CounterRefSchema``, ``TicketActionSchema``, ``SkipSchema``,
``TransferSchema``, ``OverrideCallSchema``. Out: ``PublicTicketSchema``, ``PositionSchema``,
``SlotSchema``.
"""
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import (Schema, ValidationError, fields, pre_load, validate,
                         validates)

from services.common import clock as clk
from services.common.errors import ValidationFailed  # noqa: F401 - part of the contract
from services.common.schemas import Phone, StrictSchema, key, load, normalise_phone  # noqa: F401
from services.ticketing import codes
from services.ticketing.calling import PRIORITY_GROUPS
from services.ticketing.hours import WEEKDAYS

LANGUAGES = ("id", "en")
_HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"
HHMM = validate.Regexp(_HHMM, error="Format JJ:MM / Format HH:MM.")
#: our own ids: letters, digits and ``-_.:``; no ``$``, no spaces
KEY = key(100)


class Key(fields.String):
    def __init__(self, **kwargs):
        super().__init__(validate=KEY, **kwargs)


class Text(fields.String):
    """Human text: stripped, not blank, bounded."""

    def __init__(self, max_length=200, **kwargs):
        super().__init__(validate=validate.Length(min=1, max=max_length), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


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


def _priority_group():
    return fields.String(allow_none=True, load_default=None,
                         validate=validate.OneOf(PRIORITY_GROUPS))


def _language():
    return fields.String(load_default="id", validate=validate.OneOf(LANGUAGES))


def _idempotency_key():
    return fields.String(allow_none=True, load_default=None,
                         validate=validate.Length(min=1, max=128))


# -- catalogue admin ---------------------------------------------------------------------------

class Interval(fields.Field):
    """``["07:30", "16:00"]``, or a list of such pairs (a break); open before close."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, list) or not value:
            raise ValidationError("Daftar [buka, tutup] / A list [open, close].")
        pairs = [value] if isinstance(value[0], str) else value
        out = []
        for pair in pairs:
            if (not isinstance(pair, list) or len(pair) != 2
                    or not all(isinstance(x, str) and re.match(_HHMM, x) for x in pair)):
                raise ValidationError("Format [\"JJ:MM\", \"JJ:MM\"] / Format [\"HH:MM\", \"HH:MM\"].")
            if pair[0] >= pair[1]:
                raise ValidationError("Jam buka harus sebelum jam tutup / Opening must be before "
                                      "closing.")
            out.append(list(pair))
        out.sort()
        if any(a[1] > b[0] for a, b in zip(out, out[1:])):
            raise ValidationError("Jam tumpang tindih / Overlapping hours.")
        return out[0] if len(out) == 1 else out


OpeningHoursSchema = StrictSchema.from_dict(
    {day: Interval(allow_none=True) for day in WEEKDAYS}, name="OpeningHoursSchema")


class BookingConfigSchema(StrictSchema):
    slot_minutes = Int(load_default=30, validate=validate.Range(5, 240))
    capacity_per_slot = Int(load_default=3, validate=validate.Range(1, 100))
    checkin_early_minutes = Int(load_default=30, validate=validate.Range(0, 240))
    checkin_late_minutes = Int(load_default=15, validate=validate.Range(0, 240))
    max_days_ahead = Int(load_default=30, validate=validate.Range(0, 365))


class CallingRuleSchema(StrictSchema):
    priority_groups = fields.List(fields.String(validate=validate.OneOf(PRIORITY_GROUPS)),
                                  load_default=lambda: list(PRIORITY_GROUPS))
    max_regular_passed_over = Int(allow_none=True, load_default=3,
                                  validate=validate.Range(0, 100))

    @validates("priority_groups")
    def _unique(self, value, **kwargs):
        if len(set(value)) != len(value):
            raise ValidationError("Kelompok ganda / Duplicate group.")


class AgencySchema(StrictSchema):
    code = Key(required=True)
    name = Text(required=True)
    name_en = Text(load_default=None)


class ServiceSchema(StrictSchema):
    id = Key(required=True)
    agency = Key(required=True)
    prefix = fields.String(required=True, validate=validate.Regexp(
        r"^[A-Z]{1,2}$", error="1-2 huruf besar / 1-2 capital letters."))
    name = Text(required=True)
    name_en = Text(load_default=None)
    opening_hours = fields.Nested(OpeningHoursSchema, load_default=dict)
    daily_quota = Int(allow_none=True, load_default=None, validate=validate.Range(1, 100000))
    booking = fields.Nested(BookingConfigSchema, load_default=lambda: BookingConfigSchema().load({}))
    default_service_minutes = Int(load_default=10, validate=validate.Range(1, 480))


class CounterSchema(StrictSchema):
    id = Key(required=True)
    agency = Key(required=True)
    name = Text(required=True, max_length=60)
    services = fields.List(Key(), required=True, validate=validate.Length(min=1, max=50))

    @validates("services")
    def _unique(self, value, **kwargs):
        if len(set(value)) != len(value):
            raise ValidationError("Layanan ganda / Duplicate service.")


class SettingsSchema(StrictSchema):
    timezone = fields.String(load_default="Asia/Jakarta")
    calling_rule = fields.Nested(CallingRuleSchema, load_default=lambda: CallingRuleSchema().load({}))
    near_front_position = Int(load_default=3, validate=validate.Range(1, 50))

    @validates("timezone")
    def _zone(self, value, **kwargs):
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValidationError("Zona waktu tidak dikenal / Unknown time zone.")


# -- citizens ----------------------------------------------------------------------------------

class ContactSchema(StrictSchema):
    phone = Phone(allow_none=True, load_default=None)
    email = fields.Email(allow_none=True, load_default=None, validate=validate.Length(max=254))


class IssueTicketSchema(StrictSchema):
    service_id = Key(required=True)
    priority_group = _priority_group()
    contact = fields.Nested(ContactSchema, allow_none=True, load_default=None)
    language = _language()
    idempotency_key = _idempotency_key()


class IssueVisitSchema(IssueTicketSchema):
    """A multi-step visit: ``steps`` replaces ``service_id``."""

    service_id = None
    steps = fields.List(Key(), required=True, validate=validate.Length(min=2, max=6))

    class Meta:
        exclude = ("service_id",)

    @validates("steps")
    def _no_repeat(self, value, **kwargs):
        if any(a == b for a, b in zip(value, value[1:])):
            raise ValidationError("Layanan sama berurutan / The same service twice in a row.")


class BookingSchema(StrictSchema):
    service_id = Key(required=True)
    date = fields.Date(required=True)
    slot_start = fields.String(required=True, validate=HHMM)
    name = Text(required=True, max_length=100)
    phone = Phone(required=True)
    nik = fields.String(allow_none=True, load_default=None, validate=validate.Regexp(
        r"^\d{16}$", error="NIK harus 16 digit / NIK must be exactly 16 digits."))
    language = _language()
    idempotency_key = _idempotency_key()


class BookingCodeSchema(StrictSchema):
    code = fields.String(required=True)

    @pre_load
    def _normalise(self, data, **kwargs):
        if isinstance(data, dict) and isinstance(data.get("code"), str):
            normal = codes.normalise_booking_code(data["code"])
            if normal is not None:
                data = dict(data, code=normal)
        return data

    @validates("code")
    def _valid(self, value, **kwargs):
        if codes.normalise_booking_code(value) != value:
            raise ValidationError("Kode booking tidak valid / Not a valid booking code.")


class AvailabilityQuerySchema(StrictSchema):
    service_id = Key(required=True)
    date = fields.Date(required=True)


# -- counters ----------------------------------------------------------------------------------

class CounterRefSchema(StrictSchema):
    counter_id = Key(required=True)


class OpenCounterSchema(CounterRefSchema):
    officer = Key(required=True)


class TicketActionSchema(CounterRefSchema):
    """recall / start / complete at a counter."""

    ticket_id = Key(required=True)


class SkipSchema(TicketActionSchema):
    return_to_queue = Bool(load_default=False)


class TransferSchema(TicketActionSchema):
    target_service_id = Key(required=True)
    reason = Text(allow_none=True, load_default=None, max_length=300)


class OverrideCallSchema(TicketActionSchema):
    officer = Key(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=3, max=300))

    @validates("reason")
    def _not_blank(self, value, **kwargs):
        if len(value.strip()) < 3:
            raise ValidationError("Alasan wajib diisi / A reason is required.")


class UtcDateTime(fields.DateTime):
    """Dumps ``2026-11-28T01:00:00Z`` (naive values, as pymongo returns them, are UTC)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else clk.iso(value)


# -- out ---------------------------------------------------------------------------------------

class PublicTicketSchema(Schema):
    """What a ticket holder or the board sees: no contact details."""

    id = fields.String(attribute="_id")
    number = fields.String()
    service_id = fields.String()
    status = fields.String()
    priority_group = fields.String(allow_none=True)
    day = fields.String()
    issued_at = UtcDateTime()
    counter_id = fields.String(allow_none=True)


class PositionSchema(Schema):
    position = fields.Integer()
    ahead = fields.Integer()
    eta_min_minutes = fields.Integer(allow_none=True)
    eta_max_minutes = fields.Integer(allow_none=True)
    basis = fields.String()
    samples = fields.Integer()


class SlotSchema(Schema):
    start = UtcDateTime()
    end = UtcDateTime()
    local = fields.String()
    capacity = fields.Integer()
    booked = fields.Integer()
    free = fields.Integer()
    bookable = fields.Boolean()


# -- counter actions as the RPCs take them (the officer is part of every action) ---------------

class OfficerActionSchema(TicketActionSchema):
    """recall / start / complete: ``ticket_id``, ``counter_id``, ``officer``."""

    officer = Key(required=True)


class OfficerSkipSchema(OfficerActionSchema, SkipSchema):
    """``SkipSchema`` with the ``officer``."""


class OfficerTransferSchema(OfficerActionSchema, TransferSchema):
    """``TransferSchema`` with the ``officer``."""


class TicketTokenSchema(StrictSchema):
    ticket_id = Key(required=True)
    access_token = fields.String(required=True, validate=validate.Length(min=1, max=200))


class DayQuerySchema(StrictSchema):
    day = fields.Date(allow_none=True, load_default=None)
    agency = Key(allow_none=True, load_default=None)


class CancelBookingSchema(BookingCodeSchema):
    phone = Phone(required=True)
