"""Request and response shapes of the HTTP API that are the gateway's own; the requests it
shares with a service come from ``services.contracts`` (one schema serves both sides). They
validate bodies (422 with field messages) and describe the API in the OpenAPI document."""
from marshmallow import INCLUDE, Schema, fields, validate

from services.contracts import permits as pc
from services.contracts import roles
from services.contracts import ticketing as tc
from services.gateway import auth
from services.contracts.fields import KEY, PIN, Bool, Phone, StrictSchema


class PhoneConfirmationRequest(StrictSchema):
    """The code the first message to a phone number carried, typed on the portal."""
    phone = Phone(required=True)
    code = fields.String(required=True, validate=validate.Regexp(
        r"^\s*[0-9]{6}\s*$", error="Kode 6 angka / A 6-digit code"))


class LoginRequest(StrictSchema):
    username = fields.String(required=True, validate=validate.Length(1, 64))
    password = fields.String(required=True, validate=validate.Length(1, 200))


class RefreshRequest(StrictSchema):
    refresh_token = fields.String(required=True, validate=validate.Length(1, 4000))


class PasswordChangeRequest(StrictSchema):
    current_password = fields.String(required=True, validate=validate.Length(1, 200))
    new_password = fields.String(required=True, validate=validate.Length(8, 200))


class AccountOut(Schema):
    username = fields.String()
    role = fields.String()
    agency = fields.String(allow_none=True)
    kind = fields.String()


class TokenResponse(Schema):
    access_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()
    refresh_token = fields.String()
    refresh_expires_in = fields.Integer()
    account = fields.Nested(AccountOut)


def _staff_email():
    return fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=254),
                        metadata={"description": "where the agency's alerts reach this person "
                                                 "(a supervisor: a suspended connector)"})


class AccountRequest(StrictSchema):
    username = fields.String(required=True, validate=validate.Regexp(
        auth.USERNAME.pattern, error="2-64 huruf kecil, angka, ._- / 2-64 lowercase letters, "
                                     "digits, ._-"))
    password = fields.String(required=True, validate=validate.Length(8, 200))
    role = fields.String(required=True, validate=validate.OneOf(roles.ROLES))
    agency = fields.String(load_default=None, allow_none=True, validate=KEY)
    email = _staff_email()


class ContactRequest(StrictSchema):
    email = _staff_email()


class StaffAccountOut(Schema):
    """A staff account as the admin and its owner see it (``auth.public_account``)."""
    username = fields.String()
    role = fields.String()
    agency = fields.String(allow_none=True)
    active = fields.Boolean()
    disabled = fields.Boolean()
    must_change_password = fields.Boolean()
    email = fields.String(allow_none=True)
    created_at = fields.String(allow_none=True)


class ApiKeyRequest(StrictSchema):
    agency = fields.String(required=True, validate=KEY)
    role = fields.String(load_default=roles.OFFICER, validate=validate.OneOf(roles.KEY_ROLES))
    label = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))


class IssueTicketRequest(tc.IssueTicketSchema):
    class Meta:
        exclude = ("idempotency_key",)


class FileApplicationRequest(pc.FileApplicationSchema):
    """An application as a citizen files it: the idempotency key travels as a header."""

    class Meta:
        exclude = ("idempotency_key",)


class IssueVisitRequest(tc.IssueVisitSchema):
    class Meta:
        exclude = ("service_id", "idempotency_key")


class BookingRequest(tc.BookingSchema):
    class Meta:
        exclude = ("idempotency_key",)


class PhoneRequest(StrictSchema):
    phone = Phone(required=True)


class CallTicketRequest(StrictSchema):
    ticket_id = fields.String(required=True, validate=KEY)
    reason = fields.String(required=True, validate=validate.Length(3, 300))


class TicketActionRequest(StrictSchema):
    counter_id = fields.String(required=True, validate=KEY)
    return_to_queue = Bool(load_default=False)
    target_service_id = fields.String(validate=KEY)
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(1, 300))


class ApplicationActionRequest(StrictSchema):
    action = fields.String(required=True, validate=validate.Length(1, 60))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    corrections = fields.List(fields.String(validate=validate.Length(1, 60)), load_default=list,
                              validate=validate.Length(max=50))
    expected_seq = fields.Integer(strict=True, load_default=None, allow_none=True)


class ApplicantActionRequest(StrictSchema):
    pin = fields.String(required=True, validate=PIN)
    action = fields.String(required=True, validate=validate.OneOf(pc.APPLICANT_ACTIONS))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class PreferencesRequest(StrictSchema):
    """The applicant's notification preferences (checked by notifications: phone or e-mail,
    language, channels in order, channels opted out of), behind the application's PIN."""
    pin = fields.String(required=True, validate=PIN)
    preferences = fields.Dict(required=True)


class DocumentRequest(StrictSchema):
    pin = fields.String(required=True, validate=PIN)
    kind = fields.String(required=True, validate=validate.Length(1, 50))
    filename = fields.String(load_default=None, validate=validate.Length(1, 255))
    media_type = fields.String(load_default=None, validate=validate.Length(1, 100))
    content_b64 = fields.String(load_default=None)
    reuse_sha256 = fields.String(load_default=None, validate=validate.Regexp(r"^[0-9a-f]{64}$"))


class Problem(Schema):
    """RFC 9457 problem details. Extension members are allowed (RFC 9457 section 3.2), so the
    document says so: ``details`` carries what a domain error adds (the role refused, the
    resource not found, a retry delay)."""

    class Meta:
        unknown = INCLUDE

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    errors = fields.Dict(metadata={"description": "field -> messages (422)"})
    details = fields.Dict(metadata={"description": "machine-readable details of the error"})
    reference = fields.String(metadata={"description": "log reference of a 500"})
