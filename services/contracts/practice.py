"""Promise against practice: the query the gateway and the measuring services (permits,
ticketing, feedback) validate alike, and the agency states of onboarding."""
from marshmallow import fields, validate

from services.contracts.fields import StrictSchema, key

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
