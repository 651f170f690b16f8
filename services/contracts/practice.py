"""Promise against practice: the query the gateway and the measuring services (permits,
ticketing, feedback) validate alike, and the agency states of onboarding."""
from marshmallow import fields, validate

from services.contracts.fields import StrictSchema, key

MONTH = validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", error="Format YYYY-MM / Format YYYY-MM.")

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
