"""What the promise-against-practice and onboarding routes answer (OpenAPI success bodies)."""
from marshmallow import Schema, fields

from services.contracts.standards import SubjectOutSchema


class PromiseOut(Schema):
    working_days = fields.Integer(allow_none=True)
    minutes = fields.Integer(allow_none=True)
    fee = fields.Integer(allow_none=True)


class IkmOut(Schema):
    score = fields.String(allow_none=True)
    grade = fields.String(allow_none=True)
    respondents = fields.Integer()


class StepOut(Schema):
    step = fields.String()
    label = fields.String()
    label_en = fields.String()
    median_hours = fields.Float()
    p90_hours = fields.Float()


class PracticeRowOut(Schema):
    standard_id = fields.String()
    agency = fields.String()
    subject = fields.Nested(SubjectOutSchema)
    title = fields.String(allow_none=True)
    title_en = fields.String(allow_none=True)
    version = fields.Integer(allow_none=True)
    effective_from = fields.String(allow_none=True)
    promised = fields.Nested(PromiseOut)
    measured = fields.Dict(allow_none=True)
    ikm = fields.Nested(IkmOut, allow_none=True)
    kept = fields.Boolean(allow_none=True)
    reasons = fields.List(fields.Dict())
    slowest_steps = fields.List(fields.Nested(StepOut))


class PracticeOut(Schema):
    month = fields.String()
    agency = fields.String(allow_none=True)
    standards = fields.List(fields.Nested(PracticeRowOut))


class BrokenOut(Schema):
    month = fields.String()
    agency = fields.String(allow_none=True)
    measured = fields.Integer()
    broken = fields.List(fields.Nested(PracticeRowOut))


class AdminAgenciesOut(Schema):
    agencies = fields.List(fields.Dict())
    timezone = fields.String()


class ChecklistItemOut(Schema):
    item = fields.String()
    done = fields.Boolean()
    missing = fields.List(fields.String())
    applicable = fields.Boolean()


class OnboardingOut(Schema):
    agency = fields.String()
    state = fields.String()
    complete = fields.Boolean()
    items = fields.List(fields.Nested(ChecklistItemOut))
    drift = fields.List(fields.Dict())
