"""The notifications service's public contract (marshmallow 3).

The gateway and other services import this module (and ``services.common.errors``) only.
Every input schema refuses unknown fields and accepts strings only where strings are meant,
so ``{"id": {"$gt": ""}}`` is a 422, never a Mongo operator.

- ``PreferencesSchema``: a recipient's preferences in (phone normalised to E.164).
- ``StatusQuerySchema``: a message's status by ``id`` *or* by ``reference``.
- ``CountsQuerySchema`` / ``CountsSchema``: counts per channel and status for operators.
- ``MessageStatusSchema``: a message's status and history out; no recipient, no body.

``load(schema, data)`` turns marshmallow's error into ``ValidationFailed`` (422 with fields).
"""
import re

from marshmallow import (Schema, ValidationError, fields, post_load, validate, validates,
                         validates_schema)

from services.common import clock as clk
# the shared building blocks of every contract; ``load`` re-exported for ``schemas.load(...)``
from services.common.schemas import load  # noqa: F401
from services.contracts.fields import Phone, StrictSchema, key  # noqa: F401
from services.notifications import lifecycle, preferences, templates

CHANNELS = ("whatsapp", "sms", "email", "webhook")
PERSON_CHANNELS = preferences.PERSON_CHANNELS
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
#: ids and references are our own keys: letters, digits and ``-_.:``, no ``$``, no spaces.
_KEY = key()


class QuietHoursSchema(StrictSchema):
    start = fields.String(required=True, validate=validate.Regexp(_HHMM, error="HH:MM"))
    end = fields.String(required=True, validate=validate.Regexp(_HHMM, error="HH:MM"))


class PreferencesSchema(StrictSchema):
    phone = Phone(allow_none=True, load_default=None)
    email = fields.Email(allow_none=True, load_default=None, validate=validate.Length(max=254))
    webhook_url = fields.Url(allow_none=True, load_default=None, schemes={"http", "https"},
                             require_tld=False)
    language = fields.String(load_default="id", validate=validate.OneOf(preferences.LANGUAGES))
    channels = fields.List(fields.String(validate=validate.OneOf(CHANNELS)),
                           load_default=lambda: list(preferences.DEFAULT_ORDER),
                           validate=validate.Length(min=1, max=len(CHANNELS)))
    opt_out = fields.List(fields.String(validate=validate.OneOf(CHANNELS)),
                          load_default=list, validate=validate.Length(max=len(CHANNELS)))
    quiet_hours = fields.Nested(QuietHoursSchema, allow_none=True, load_default=None)

    @validates("channels")
    def _unique(self, value, **kwargs):
        if len(set(value)) != len(value):
            raise ValidationError("Saluran ganda / Duplicate channel.")

    @validates_schema
    def _reachable(self, data, **kwargs):
        if not (data.get("phone") or data.get("email") or data.get("webhook_url")):
            raise ValidationError(
                "Isi nomor telepon atau e-mail / Give a phone number or an e-mail address.",
                "_schema")

    @post_load
    def _normalise(self, data, **kwargs):
        data["opt_out"] = sorted(set(data["opt_out"]))
        return data


class StatusQuerySchema(StrictSchema):
    """Exactly one of ``id`` (the message id) or ``reference`` (ticket, booking, application)."""

    id = fields.String(validate=_KEY)
    reference = fields.String(validate=_KEY)

    @validates_schema
    def _one(self, data, **kwargs):
        if ("id" in data) == ("reference" in data):
            raise ValidationError("Isi salah satu: id atau reference / Give either id or "
                                  "reference.", "_schema")


class CountsQuerySchema(StrictSchema):
    since = fields.AwareDateTime(load_default=None, allow_none=True)
    until = fields.AwareDateTime(load_default=None, allow_none=True)
    channel = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(CHANNELS))


class UtcDateTime(fields.DateTime):
    """Dumps UTC ISO-8601 with ``Z``; naive datetimes (as pymongo returns them) are UTC."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else clk.iso(value)


class HistoryEntrySchema(Schema):
    status = fields.String()
    at = UtcDateTime()
    channel = fields.String(allow_none=True)
    attempt = fields.Integer(allow_none=True)
    detail = fields.String(allow_none=True)  # e.g. "smtp 550", "ticket_called": no personal data


class MessageStatusSchema(Schema):
    """A message as the status API shows it. Dump only; personal data is not in it."""

    id = fields.String()
    reference = fields.String()
    kind = fields.String(validate=validate.OneOf(list(templates.EVENTS)))
    status = fields.String(validate=validate.OneOf(lifecycle.STATUSES))
    channel = fields.String(allow_none=True)
    channels = fields.List(fields.String())
    attempt = fields.Integer(allow_none=True)
    language = fields.String(allow_none=True)
    template = fields.String(allow_none=True)
    template_version = fields.String(allow_none=True)
    provider_id = fields.String(allow_none=True)
    critical = fields.Boolean()
    created_at = UtcDateTime()
    updated_at = UtcDateTime(allow_none=True)
    send_after = UtcDateTime(allow_none=True)
    expires_at = UtcDateTime(allow_none=True)
    history = fields.List(fields.Nested(HistoryEntrySchema))


class CountSchema(Schema):
    channel = fields.String(allow_none=True)
    status = fields.String()
    count = fields.Integer()


class CountsSchema(Schema):
    """``{"items": [{"channel", "status", "count"}], "total": n}``."""

    items = fields.List(fields.Nested(CountSchema))
    total = fields.Integer()
