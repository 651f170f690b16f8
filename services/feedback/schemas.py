"""The feedback service's public contract (marshmallow 3): what the gateway sends and gets.

The requests the gateway validates too (``SurveyAnswerSchema``, ``ComplaintSchema``,
``ComplaintReplySchema``, ``ElementsSchema``) and ``ComplaintOutSchema`` are defined once in
``services.contracts.feedback`` and re-exported here. Inputs refuse unknown fields; ids are
our own keys (``key()``), so an injected ``{"$gt": ""}`` is a 422, never a query operator.
"""
from marshmallow import fields, validate

from services.common.schemas import load  # noqa: F401
from services.contracts.feedback import (  # noqa: F401
    MAX_TEXT, REQUIRED, ComplaintOutSchema, ComplaintReplySchema, ComplaintSchema, ElementSchema,
    ElementsSchema, SurveyAnswerSchema)
from services.contracts.fields import StrictSchema, key  # noqa: F401
from services.contracts.practice import MONTH
from services.feedback import complaints

_KEY = key()


class ReferenceSchema(StrictSchema):
    reference = fields.String(required=True, validate=_KEY)


class ComplaintUpdateSchema(ComplaintReplySchema):
    officer = fields.String(required=True, validate=_KEY)


class ComplaintQuerySchema(StrictSchema):
    agency = fields.String(load_default=None, allow_none=True, validate=_KEY)
    status = fields.String(load_default=None, allow_none=True,
                           validate=validate.OneOf(complaints.STATUSES))
    month = fields.String(load_default=None, allow_none=True, validate=MONTH)


class PeriodQuerySchema(StrictSchema):
    agency = fields.String(load_default=None, allow_none=True, validate=_KEY)
    month = fields.String(load_default=None, allow_none=True, validate=MONTH)
