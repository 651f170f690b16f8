"""The ticketing requests the gateway validates and the ticketing service loads: one schema
serves both sides (``services.ticketing.schemas`` re-exports them beside its own).

Catalogue admin: ``AgencySchema``, ``ServiceSchema`` (with ``OpeningHoursSchema``,
``BookingConfigSchema``), ``CounterSchema``, ``SettingsSchema`` (zone, ``CallingRuleSchema``,
near-front position). Citizens: ``IssueTicketSchema``, ``IssueVisitSchema``, ``BookingSchema``,
``AvailabilityQuerySchema``.

Every schema refuses unknown fields and takes strings only where strings belong, so
``{"service_id": {"$gt": ""}}`` is a 422 with a field message, never a Mongo operator. A NIK is
exactly 16 digits; phones become E.164 (``fields.Phone``).
"""
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import ValidationError, fields, validate, validates

from services.contracts.fields import Key, Int, Phone, StrictSchema

#: the languages a citizen is answered in
LANGUAGES = ("id", "en")
#: the priority groups a ticket may be issued for, in the default calling order
PRIORITY_GROUPS = ("lansia", "disabilitas", "ibu_hamil", "appointment")
#: the days of a service's opening hours
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"
HHMM = validate.Regexp(_HHMM, error="Format JJ:MM / Format HH:MM.")


class Text(fields.String):
    """Human text: stripped, not blank, bounded."""

    def __init__(self, max_length=200, **kwargs):
        super().__init__(validate=validate.Length(min=1, max=max_length), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


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
    # after this many priority calls in a row, the next call goes to the regular ticket that
    # has waited longest (None: priority always first)
    max_priority_in_row = Int(allow_none=True, load_default=3, validate=validate.Range(0, 100))

    @validates("priority_groups")
    def _unique(self, value, **kwargs):
        if len(set(value)) != len(value):
            raise ValidationError("Kelompok ganda / Duplicate group.")


#: what kind of body an agency is (its onboarding profile): a regional government office,
#: a vertical (central government) agency's office, a state or regional enterprise, other
AGENCY_KINDS = ("regional_office", "vertical_agency", "state_enterprise",
                "regional_enterprise", "other")


class AgencySchema(StrictSchema):
    code = Key(required=True)
    name = Text(required=True)
    name_en = Text(load_default=None)
    kind = fields.String(load_default=None, allow_none=True,
                         validate=validate.OneOf(AGENCY_KINDS))


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
    # the calling rule's limit for this service (absent: the MPP's calling rule; None:
    # priority always first)
    max_priority_in_row = Int(allow_none=True, validate=validate.Range(0, 100))


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


class AvailabilityQuerySchema(StrictSchema):
    service_id = Key(required=True)
    date = fields.Date(required=True)
