"""The ticketing service's public contract (marshmallow 3): RPC inputs and outputs.

The requests the gateway validates too (catalogue admin: ``AgencySchema``, ``ServiceSchema``,
``CounterSchema``, ``SettingsSchema``; citizens: ``IssueTicketSchema``, ``IssueVisitSchema``,
``BookingSchema``, ``AvailabilityQuerySchema``) and the field types are defined once in
``services.contracts`` and re-exported here. Every input schema refuses unknown fields
(``RAISE``) and takes strings only where strings belong, so ``{"service_id": {"$gt": ""}}`` is
a 422 with a field message, never a Mongo operator. ``load(schema, data)`` turns marshmallow's
error into ``ValidationFailed``.

Defined here: ``BookingCodeSchema``, ``CancelBookingSchema``. Counters:
``OpenCounterSchema``, ``CounterRefSchema``, ``TicketActionSchema``, ``SkipSchema``,
``TransferSchema``, ``OverrideCallSchema`` (and the ``Officer…`` variants the RPCs take).
Out: ``PublicTicketSchema``, ``PositionSchema``, ``SlotSchema``.
"""
from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates

from services.common import clock as clk
from services.common.errors import ValidationFailed  # noqa: F401 - part of the contract
from services.common.schemas import load  # noqa: F401
from services.contracts.fields import (KEY, Bool, Int, Key, Phone, StrictSchema,  # noqa: F401
                                       key, normalise_phone)
from services.contracts.ticketing import (  # noqa: F401
    HHMM, LANGUAGES, AgencySchema, AvailabilityQuerySchema, BookingConfigSchema, BookingSchema,
    CallingRuleSchema, ContactSchema, CounterSchema, Interval, IssueTicketSchema,
    IssueVisitSchema, OpeningHoursSchema, ServiceSchema, SettingsSchema, Text)
from services.ticketing import codes


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
