"""The feedback requests the gateway validates and the feedback service loads, and the complaint
as staff see it: one schema serves both sides (``services.feedback.schemas`` re-exports them
beside its own).

Inputs refuse unknown fields; ids are our own keys (``key()``), so an injected
``{"$gt": ""}`` is a 422, never a query operator. Free text is kept as the citizen wrote it
(bounded in length) and always travels as JSON data: whoever shows it renders it as text.
"""
from marshmallow import fields, validate

from services.contracts.fields import StrictSchema, key

#: what a citizen may send: a complaint, a suggestion, an input
KINDS = ("pengaduan", "saran", "masukan")
#: a complaint's statuses, in order; the first is where every complaint starts
STATUSES = ("received", "in_progress", "answered", "closed")

_KEY = key()
MAX_TEXT = 4000
REQUIRED = {"required": "Wajib diisi / Required."}


class SurveyAnswerSchema(StrictSchema):
    """``answers``: ``{element code: 1..4}`` (an element may be skipped); ``text``: free text."""
    answers = fields.Dict(keys=fields.String(validate=_KEY),
                          values=fields.Integer(strict=True, validate=validate.Range(1, 4, error=(
                              "Nilai 1 sampai 4 / A rating from 1 to 4."))),
                          required=True, error_messages=REQUIRED)
    text = fields.String(load_default=None, allow_none=True,
                         validate=validate.Length(max=2000))
    language = fields.String(load_default="id", validate=validate.OneOf(("id", "en")))


class ComplaintSchema(StrictSchema):
    """A complaint, suggestion or input. ``reference``: the ticket id or the application's
    tracking code it is about (the agency is then taken from it); else ``agency``."""
    kind = fields.String(required=True, validate=validate.OneOf(KINDS),
                         error_messages=REQUIRED)
    text = fields.String(required=True, validate=validate.Length(min=10, max=MAX_TEXT, error=(
        "Tulis 10 sampai 4000 karakter / Write 10 to 4000 characters.")),
        error_messages=REQUIRED)
    agency = fields.String(load_default=None, allow_none=True, validate=_KEY)
    service_id = fields.String(load_default=None, allow_none=True, validate=_KEY)
    reference = fields.String(load_default=None, allow_none=True, validate=_KEY)
    occurred_on = fields.Date(load_default=None, allow_none=True)
    language = fields.String(load_default="id", validate=validate.OneOf(("id", "en")))


class ComplaintReplySchema(StrictSchema):
    """What an officer sends: the next status and, to answer, the response."""
    status = fields.String(required=True, validate=validate.OneOf(STATUSES[1:]),
                           error_messages=REQUIRED)
    response = fields.String(load_default=None, allow_none=True,
                             validate=validate.Length(min=1, max=MAX_TEXT))


class ElementSchema(StrictSchema):
    code = fields.String(required=True, validate=_KEY)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    name_en = fields.String(load_default=None, validate=validate.Length(max=200))
    weight = fields.String(required=True, validate=validate.Regexp(
        r"^\d+(\.\d+)?(/\d+)?$", error="Bobot seperti 1/9 atau 0.1 / A weight like 1/9 or 0.1."))


class ElementsSchema(StrictSchema):
    elements = fields.List(fields.Nested(ElementSchema), required=True,
                           validate=validate.Length(min=1, max=30))


class ComplaintOutSchema(StrictSchema):
    """A complaint as staff see it (the public see only id, status, deadline, response)."""
    id = fields.String()
    kind = fields.String()
    text = fields.String()
    agency = fields.String()
    service_id = fields.String(allow_none=True)
    service_name = fields.String(allow_none=True)
    reference = fields.String(allow_none=True)
    occurred_on = fields.String(allow_none=True)
    status = fields.String()
    status_label = fields.String()
    received_at = fields.String()
    due_at = fields.String()
    overdue = fields.Boolean()
    response = fields.String(allow_none=True)
    history = fields.List(fields.Dict())
