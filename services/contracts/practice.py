"""Promise against practice: the query the gateway and the measuring services (permits,
ticketing, feedback) validate alike, and the agency states of onboarding."""
from marshmallow import fields, validate

from services.contracts.fields import StrictSchema, key

MONTH = validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", error="Format YYYY-MM / Format YYYY-MM.")

#: an agency being onboarded is not offered to citizens (kiosk, portal) until it is live
ONBOARDING = "onboarding"
LIVE = "live"
AGENCY_STATES = (ONBOARDING, LIVE)


class PracticeQuerySchema(StrictSchema):
    """A period's measurements: ``month`` (``YYYY-MM``, MPP-local; default this month) of one
    ``agency`` or all."""
    agency = fields.String(load_default=None, allow_none=True, validate=key())
    month = fields.String(load_default=None, allow_none=True, validate=MONTH)


class AgencyStateSchema(StrictSchema):
    state = fields.String(required=True, validate=validate.OneOf(AGENCY_STATES))
