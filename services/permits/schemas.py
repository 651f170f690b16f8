"""The permits service's public contract (marshmallow 3).

The requests the gateway validates too (``FileApplicationSchema``,
``ConnectorDecisionSchema``, ``PermitTypeVersionSchema``) and the field types are defined once
in ``services.contracts`` and re-exported here. Every input schema refuses unknown fields
(``RAISE``) and accepts strings only where strings are meant, so ``{"nik": {"$gt": ""}}`` is
a 422 with a field message, never a Mongo operator.

Input:
- ``FileApplicationSchema``: file an application (applicant, permit type, form, documents,
  idempotency key). The form is only checked to be an object here; the permit type version in
  force validates it (``permit_types.validate_form``).
- ``TransitionSchema``: an officer's/applicant's action on an application.
- ``ConnectorDecisionSchema``: what a connector (or the webhook callback) reports.
- ``PermitTypeVersionSchema``: an admin's permit type version.
- ``StatusLookupSchema``: public status lookup (tracking code + PIN).

Output (dump only, no personal data): ``PublicStatusSchema``, ``HistoryEntrySchema``.

``load(schema, data)`` turns marshmallow's error into ``ValidationFailed`` (422 with fields).
"""
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from services.common.errors import ValidationFailed
# ``load`` and the field types are the shared building blocks of every contract; re-exported
# here so callers keep writing ``schemas.load(...)``.
from services.common.schemas import load  # noqa: F401
from services.contracts.fields import Phone, StrictSchema, key, normalise_phone  # noqa: F401
from services.contracts.permits import (  # noqa: F401
    FIELD_NAME, SLUG, ApplicantSchema, ConnectorDecisionSchema, DocumentInputSchema,
    FileApplicationSchema, FormFieldSchema, Nik, PermitTypeVersionSchema, RequirementSchema,
    RetirePermitTypeSchema, Text, is_plausible_nik)
from services.permits import tracking, workflow


class TransitionSchema(StrictSchema):
    """``corrections``: the form fields / document kinds the applicant must correct (on a return).
    ``expected_seq``: the history seq the actor saw; a stale one is a conflict."""

    action = fields.String(required=True, validate=validate.OneOf(workflow.ACTIONS))
    note = Text(load_default=None, allow_none=True, multiline=True,
                validate=validate.Length(max=2000))
    corrections = fields.List(fields.String(validate=validate.Length(min=1, max=60)),
                              load_default=list, validate=validate.Length(max=50))
    expected_seq = fields.Integer(strict=True, load_default=None, allow_none=True,
                                  validate=validate.Range(min=1))

    @validates_schema
    def _note(self, data, **kwargs):
        if data.get("action") in workflow.NOTE_REQUIRED and not data.get("note"):
            raise ValidationError("Alasan wajib diisi / A reason is required.", "note")


class StatusLookupSchema(StrictSchema):
    tracking_code = fields.String(required=True, validate=validate.Length(min=1, max=64))
    pin = fields.String(required=True, validate=validate.Regexp(
        r"^[0-9]{%d}$" % tracking.PIN_DIGITS, error="PIN 6 angka / PIN is 6 digits."))

    @post_load
    def _normalise(self, data, **kwargs):
        try:
            data["tracking_code"] = tracking.normalise(data["tracking_code"])
        except ValidationFailed as exc:
            raise ValidationError(exc.fields)
        return data


# --- output ------------------------------------------------------------------------------

class HistoryEntrySchema(Schema):
    """A history entry as the applicant's status page shows it: no actor id."""

    seq = fields.Integer()
    at = fields.String()
    role = fields.String()
    from_ = fields.String(data_key="from", attribute="from", allow_none=True)
    to = fields.String()
    to_label = fields.Function(lambda entry: workflow.label(entry["to"]))
    action = fields.String()
    note = fields.String(allow_none=True)
    # the chain's links: a citizen checks each prev_hash is the previous hash
    prev_hash = fields.String()
    hash = fields.String()


class PublicStatusSchema(Schema):
    """Public status by tracking code + PIN: no NIK, name, phone, e-mail, form or documents."""

    tracking_code = fields.String()
    permit_type_id = fields.String()
    agency = fields.String()
    state = fields.String()
    state_label = fields.Function(lambda app: workflow.label(app["state"]))
    filed_at = fields.String()
    updated_at = fields.String()
    permit_number = fields.String(allow_none=True)
    sla = fields.Dict(allow_none=True)
    history = fields.List(fields.Nested(HistoryEntrySchema))
