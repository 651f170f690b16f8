"""Promise against practice: the query the gateway and the measuring services (permits,
ticketing, feedback) validate alike, and the agency states of onboarding."""
from marshmallow import Schema, fields, validate

from services.contracts.fields import StrictSchema, key
from services.contracts.standards import SubjectOutSchema

#: a month of this century (year 0 or 9999 would overflow the period's bounds)
MONTH_PATTERN = r"^20[0-9]{2}-(0[1-9]|1[0-2])$"
MONTH = validate.Regexp(MONTH_PATTERN, error="Format YYYY-MM (tahun 2000-2099) / Format YYYY-MM "
                                             "(years 2000-2099).")

#: an agency being onboarded is not offered to citizens (kiosk, portal) until it is live
ONBOARDING = "onboarding"
LIVE = "live"
AGENCY_STATES = (ONBOARDING, LIVE)
#: what ticketing (tickets, bookings) and permits (filing) answer, 409, for an agency that is
#: not live yet: nothing is made for it, not even for its own staff (the go-live checklist
#: needs no test ticket, and one would enter the queue numbers and the measured practice)
NOT_LIVE = ("Instansi ini belum melayani di MPP (masih dalam persiapan) / This agency does "
            "not serve at the MPP yet (it is being onboarded)")


class PracticeQuerySchema(StrictSchema):
    """A period's measurements: ``month`` (``YYYY-MM``, MPP-local; default this month) of one
    ``agency`` or all."""
    agency = fields.String(load_default=None, allow_none=True, validate=key())
    month = fields.String(load_default=None, allow_none=True, validate=MONTH)


class AgencyStateSchema(StrictSchema):
    state = fields.String(required=True, validate=validate.OneOf(AGENCY_STATES))


# --- what the promise-against-practice and onboarding routes answer (OpenAPI success bodies)
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
