"""The permits requests the gateway validates and the permits service loads: one schema serves
both sides (``services.permits.schemas`` re-exports them beside its own).

- ``FileApplicationSchema``: file an application (applicant, permit type, form, documents,
  idempotency key). The form is only checked to be an object here; the permit type version in
  force validates it.
- ``ConnectorDecisionSchema``: what a connector (or the webhook callback) reports.
- ``PermitTypeVersionSchema``: an admin's permit type version.
- ``CalendarSchema``: the MPP's working-day calendar as the admin sets it (days off by decree,
  *cuti bersama*, extra working days).

Every schema refuses unknown fields and accepts strings only where strings are meant, so
``{"nik": {"$gt": ""}}`` is a 422 with a field message, never a Mongo operator.
"""
import base64
import binascii
import re
import unicodedata
from datetime import date

from marshmallow import ValidationError, fields, post_load, validate, validates, validates_schema

from services.contracts.fields import Phone, StrictSchema, key

#: a document's largest size when the deployment sets none (``PERMITS_MAX_DOCUMENT_BYTES``)
DEFAULT_MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
#: the types a permit type's form field may have
FIELD_TYPES = ("string", "integer", "number", "date", "boolean", "enum")
#: the most approval levels a permit type may ask for
MAX_APPROVAL_LEVELS = 5
#: what an applicant may do to their own application (with the tracking code and PIN)
APPLICANT_ACTIONS = ("withdraw", "resubmit")
#: what a connector may report, in the suite's own words (an agency's own status is mapped)
CANONICAL_STATUSES = ("received", "in_review", "needs_correction", "approved", "rejected",
                      "pending_payment", "paid", "cancelled")

_KEY = key()
SLUG = validate.Regexp(r"^[a-z0-9][a-z0-9_\-]{0,49}$",
                       error="Huruf kecil, angka, - dan _ saja / Lowercase letters, digits, - "
                             "and _ only.")
FIELD_NAME = validate.Regexp(r"^[a-z][a-z0-9_]{0,39}$",
                             error="Huruf kecil, angka dan _ saja / Lowercase letters, digits "
                                   "and _ only.")
_MAX_CONTENT_B64 = (DEFAULT_MAX_DOCUMENT_BYTES * 4) // 3 + 8


def _has_control(text):
    return any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in text)


class Text(fields.String):
    """A trimmed string without control characters (newlines allowed with ``multiline``)."""

    def __init__(self, *args, multiline=False, **kwargs):
        self.multiline = multiline
        super().__init__(*args, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs).strip()
        value = unicodedata.normalize("NFC", value)
        check = value.replace("\n", "").replace("\r", "").replace("\t", "") \
            if self.multiline else value
        if _has_control(check):
            raise ValidationError("Mengandung karakter kendali / Contains control characters.")
        return value


#: 16 digits: a region code not starting 00, the birth date DDMMYY (women DD+40), and a
#: serial other than 0000 (the document carries this pattern)
NIK_PATTERN = (r"^(?:0[1-9]|[1-9][0-9])[0-9]{4}"
               r"(?:0[1-9]|[12][0-9]|3[01]|4[1-9]|[56][0-9]|7[01])(?:0[1-9]|1[0-2])[0-9]{2}"
               r"(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])$")


def is_plausible_nik(value):
    """16 digits whose birth date part (DDMMYY; women DD+40) is possible and serial not 0000."""
    return isinstance(value, str) and re.fullmatch(NIK_PATTERN, value) is not None


class Nik(fields.String):
    def __init__(self, **kwargs):
        super().__init__(metadata={"pattern": NIK_PATTERN, "example": "6203015708900001"},
                         **kwargs)
    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if not re.fullmatch(r"[0-9]{16}", value):
            raise ValidationError("NIK harus 16 angka / A NIK is exactly 16 digits.")
        if not is_plausible_nik(value):
            raise ValidationError("NIK tidak valid / Not a valid NIK.")
        return value


class ApplicantSchema(StrictSchema):
    nik = Nik(required=True)
    name = Text(required=True, validate=validate.Length(min=1, max=100))
    phone = Phone(required=True)
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=254))
    language = fields.String(load_default="id", validate=validate.OneOf(("id", "en")))

    @post_load
    def _lower_email(self, data, **kwargs):
        if data.get("email"):
            data["email"] = data["email"].lower()
        return data


class DocumentInputSchema(StrictSchema):
    """A new upload (``filename``, ``media_type``, ``content`` base64) or a reuse of a file on
    file for this applicant (``reuse_sha256``). Loaded ``content`` is bytes."""

    kind = fields.String(required=True, validate=SLUG)
    filename = fields.String(validate=validate.Length(min=1, max=255))
    media_type = fields.String(validate=validate.Length(min=1, max=100))
    content = fields.String(validate=validate.Length(min=1, max=_MAX_CONTENT_B64))
    reuse_sha256 = fields.String(validate=validate.Regexp(r"^[0-9a-f]{64}$",
                                                          error="sha256 hex"))

    @validates_schema
    def _one_source(self, data, **kwargs):
        upload = "content" in data
        if upload == ("reuse_sha256" in data):
            raise ValidationError("Lampirkan berkas atau pilih berkas yang sudah ada / Give "
                                  "either content or reuse_sha256.", "_schema")
        if upload:
            missing = {k: ["Wajib diisi / Required."] for k in ("filename", "media_type")
                       if k not in data}
            if missing:
                raise ValidationError(missing)

    @post_load
    def _decode(self, data, **kwargs):
        if "content" in data:
            try:
                data["content"] = base64.b64decode(data["content"], validate=True)
            except (binascii.Error, ValueError):
                raise ValidationError({"content": ["Base64 tidak valid / Not valid base64."]})
        return data


class FileApplicationSchema(StrictSchema):
    applicant = fields.Nested(ApplicantSchema, required=True)
    permit_type_id = fields.String(required=True, validate=SLUG)
    form = fields.Dict(keys=fields.String(validate=FIELD_NAME), values=fields.Raw(),
                       load_default=dict)
    documents = fields.List(fields.Nested(DocumentInputSchema), load_default=list,
                            validate=validate.Length(max=30))
    idempotency_key = fields.String(required=True, validate=[_KEY, validate.Length(min=8)])


class ConnectorDecisionSchema(StrictSchema):
    """A connector's report. ``status`` is canonical, or give the agency's own
    ``agency_status`` and the connector maps it (``services.permits.connectors.vocabulary.map_status``).
    ``decision_id`` makes a report delivered twice apply once."""

    application_id = fields.String(required=True, validate=_KEY)
    decision_id = fields.String(required=True, validate=_KEY)
    status = fields.String(validate=validate.OneOf(CANONICAL_STATUSES))
    agency_status = Text(validate=validate.Length(min=1, max=100))
    note = Text(load_default=None, allow_none=True, multiline=True,
                validate=validate.Length(max=2000))
    reference = Text(load_default=None, allow_none=True, validate=validate.Length(max=100))
    corrections = fields.List(fields.String(validate=validate.Length(min=1, max=60)),
                              load_default=list, validate=validate.Length(max=50))
    decided_at = fields.AwareDateTime(load_default=None, allow_none=True)

    @validates_schema
    def _status(self, data, **kwargs):
        if "status" not in data and "agency_status" not in data:
            raise ValidationError("Isi status / Give status or agency_status.", "status")
        if data.get("status") in ("rejected", "needs_correction") and not data.get("note"):
            raise ValidationError("Alasan wajib diisi / A reason is required.", "note")


class RequirementSchema(StrictSchema):
    kind = fields.String(required=True, validate=SLUG)
    name = Text(required=True, validate=validate.Length(min=1, max=200))
    name_en = Text(load_default=None, allow_none=True, validate=validate.Length(max=200))
    required = fields.Boolean(load_default=True)


class _Bound(fields.Raw):
    """A form field's min/max: a JSON number, or an ISO date string for ``date`` fields."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValidationError("Harus angka atau tanggal / Must be a number or a date.")
        if isinstance(value, float) and value != value:
            raise ValidationError("Harus angka / Must be a number.")
        return value


def _iso_date(value):
    if not isinstance(value, str):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


class FormFieldSchema(StrictSchema):
    name = fields.String(required=True, validate=FIELD_NAME)
    type = fields.String(required=True, validate=validate.OneOf(FIELD_TYPES))
    required = fields.Boolean(load_default=False)
    min = _Bound(load_default=None, allow_none=True)
    max = _Bound(load_default=None, allow_none=True)
    pattern = fields.String(load_default=None, allow_none=True,
                            validate=validate.Length(max=200))
    choices = fields.List(fields.String(validate=validate.Length(min=1, max=100)),
                          load_default=None, allow_none=True, validate=validate.Length(max=100))
    label = Text(required=True, validate=validate.Length(min=1, max=200))
    label_en = Text(load_default=None, allow_none=True, validate=validate.Length(max=200))

    @validates_schema
    def _coherent(self, data, **kwargs):
        kind, lo, hi = data.get("type"), data.get("min"), data.get("max")
        if kind is None:
            return
        errors = {}
        if kind == "enum" and not data.get("choices"):
            errors["choices"] = ["Wajib untuk enum / Required for enum."]
        if kind != "enum" and data.get("choices"):
            errors["choices"] = ["Hanya untuk enum / Only for enum."]
        if data.get("pattern") is not None:
            if kind != "string":
                errors["pattern"] = ["Hanya untuk string / Only for string."]
            else:
                try:
                    re.compile(data["pattern"])
                except re.error:
                    errors["pattern"] = ["Pola tidak valid / Invalid regular expression."]
        if data.get("choices") and len(set(data["choices"])) != len(data["choices"]):
            errors["choices"] = ["Pilihan ganda / Duplicate choice."]
        for key, value in (("min", lo), ("max", hi)):
            if value is None:
                continue
            if kind == "date":
                if not _iso_date(value):
                    errors[key] = ["Harus tanggal YYYY-MM-DD / Must be a YYYY-MM-DD date."]
            elif kind in ("boolean", "enum") or isinstance(value, str):
                errors[key] = ["Tidak berlaku untuk jenis ini / Not for this type."]
            elif kind == "string" and (not isinstance(value, int) or value < 0):
                errors[key] = ["Panjang harus bilangan bulat ≥ 0 / Length must be an int ≥ 0."]
        if not errors and lo is not None and hi is not None and (
                date.fromisoformat(lo) > date.fromisoformat(hi) if kind == "date" else lo > hi):
            errors["min"] = ["min > max"]
        if errors:
            raise ValidationError(errors)


class PermitTypeVersionSchema(StrictSchema):
    permit_type_id = fields.String(required=True, validate=SLUG)
    version = fields.Integer(strict=True, required=True, validate=validate.Range(min=1))
    agency = fields.String(required=True, validate=SLUG)
    name = Text(required=True, validate=validate.Length(min=1, max=200))
    name_en = Text(load_default=None, allow_none=True, validate=validate.Length(max=200))
    effective_from = fields.Date(required=True)
    effective_to = fields.Date(load_default=None, allow_none=True)
    requirements = fields.List(fields.Nested(RequirementSchema), load_default=list,
                               validate=validate.Length(max=30))
    form = fields.List(fields.Nested(FormFieldSchema), load_default=list,
                       validate=validate.Length(max=60))
    sla_working_days = fields.Integer(strict=True, required=True,
                                      validate=validate.Range(min=1, max=365))
    fee = fields.Integer(strict=True, required=True, validate=validate.Range(min=0, max=10**12))
    approval_levels = fields.Integer(strict=True, load_default=1, validate=validate.Range(
        min=0, max=MAX_APPROVAL_LEVELS))
    connector = fields.String(required=True, validate=SLUG)
    validity_months = fields.Integer(strict=True, load_default=None, allow_none=True,
                                     validate=validate.Range(min=1, max=1200))

    @validates("requirements")
    def _unique_kinds(self, value, **kwargs):
        kinds = [r.get("kind") for r in value if isinstance(r, dict)]
        if len(set(kinds)) != len(kinds):
            raise ValidationError("Jenis dokumen ganda / Duplicate document kind.")

    @validates("form")
    def _unique_names(self, value, **kwargs):
        names = [f.get("name") for f in value if isinstance(f, dict)]
        if len(set(names)) != len(names):
            raise ValidationError("Nama isian ganda / Duplicate field name.")

    @validates_schema
    def _period(self, data, **kwargs):
        if data.get("effective_to") and data.get("effective_from") and \
                data["effective_to"] <= data["effective_from"]:
            raise ValidationError("Harus setelah effective_from / Must be after effective_from.",
                                  "effective_to")

    @post_load
    def _iso(self, data, **kwargs):
        data["effective_from"] = data["effective_from"].isoformat()
        if data.get("effective_to"):
            data["effective_to"] = data["effective_to"].isoformat()
        data["name_en"] = data.get("name_en") or data["name"]
        return data


class WebhookAgencySchema(StrictSchema):
    """An agency whose system the webhook connector calls, set through the admin API:
    where to POST, how long to wait, and whether to issue a new shared secret (the first
    setting always issues one; it is shown once)."""

    url = fields.Url(required=True, schemes={"http", "https"}, require_tld=False,
                     validate=validate.Length(max=500))
    timeout_seconds = fields.Float(load_default=10, validate=validate.Range(min=1, max=60))
    rotate_secret = fields.Boolean(load_default=False)
    #: the agency's own words in its callbacks (``agency_status``) -> canonical statuses
    status_mapping = fields.Dict(keys=Text(validate=validate.Length(min=1, max=100)),
                                 values=fields.String(validate=validate.OneOf(
                                     CANONICAL_STATUSES)),
                                 load_default=dict, validate=validate.Length(max=100))


class CalendarSchema(StrictSchema):
    """The admin's calendar: ``days_off`` (cuti bersama and other days off by decree),
    ``working_days`` (a weekend or holiday made a working day) and whether the national
    joint-holiday list applies. A date in both lists is refused by permits (422)."""

    days_off = fields.List(fields.Date(), load_default=list, validate=validate.Length(max=400))
    working_days = fields.List(fields.Date(), load_default=list,
                               validate=validate.Length(max=400))
    joint_holidays = fields.Boolean(load_default=False)


class RetirePermitTypeSchema(StrictSchema):
    """Retire a permit type: from this local date on it is no longer in force."""
    retired_from = fields.Date(required=True)
