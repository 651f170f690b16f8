"""Permit types as effective-dated versions, and forms validated against their schema.

A version (``schemas.PermitTypeVersionSchema`` loads and checks one)::

    {"permit_type_id": "pbg", "version": 1, "agency": "dpmptsp",
     "name": "Persetujuan Bangunan Gedung", "name_en": "Building approval",
     "effective_from": "2026-01-01", "effective_to": None,   # local dates; "to" is exclusive
     "requirements": [{"kind": "ktp", "name": "KTP pemohon", "name_en": "…", "required": True}],
     "form": [{"name": "floors", "type": "integer", "required": True, "min": 1, "max": 50,
               "label": "Jumlah lantai", "label_en": "Number of floors"}, …],
     "sla_working_days": 28, "fee": 0, "approval_levels": 2, "connector": "simulated",
     "validity_months": None}

Field ``type``: ``string`` (``min``/``max`` = length, ``pattern`` = full-match regex), ``integer``
/ ``number`` (``min``/``max`` = value; ``true``/``false`` and strings are refused), ``date``
(ISO ``YYYY-MM-DD``; ``min``/``max`` ISO dates), ``boolean`` (only ``true``/``false``), ``enum``
(``choices``). Versions are immutable once in force; a change is a new version. An application
keeps the version in force when it was filed (``workflow.terms_of``).
"""
import re
from datetime import date

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from services.common import clock as clk
from services.common.errors import NotFound, ValidationFailed
from services.contracts.messages import bilingual_fields, id_number
from services.contracts.permits import FIELD_TYPES  # noqa: F401


MSG = {
    "required": "Wajib diisi / Required.",
    "null": "Wajib diisi / Required.",
    "string": "Harus berupa teks / Must be text.",
    "integer": "Harus berupa bilangan bulat / Must be a whole number.",
    "number": "Harus berupa angka / Must be a number.",
    "date": "Harus berupa tanggal (YYYY-MM-DD) / Must be a date (YYYY-MM-DD).",
    "boolean": "Harus ya atau tidak (true/false) / Must be true or false.",
    "unknown": "Isian tidak dikenal / Unknown field.",
}


def _as_date(value):
    return value if isinstance(value, date) else date.fromisoformat(value)


def in_force(version, day):
    """Is ``version`` in force on the local date ``day``."""
    start = _as_date(version["effective_from"])
    end = version.get("effective_to")
    return start <= day and (end is None or day < _as_date(end))


def overlapping(versions):
    """Pairs ``(v1, v2)`` of version numbers whose periods overlap (should be empty)."""
    far = date.max
    spans = sorted((_as_date(v["effective_from"]),
                    _as_date(v["effective_to"]) if v.get("effective_to") else far, v["version"])
                   for v in versions)
    return [(a[2], b[2]) for i, a in enumerate(spans) for b in spans[i + 1:] if b[0] < a[1]]


def version_in_force(versions, instant, tz_name=None, retired_from=None):
    """The version in force at ``instant`` (aware) on the MPP's local calendar, or ``NotFound``.

    If periods overlap (``overlapping`` should prevent it) the latest ``effective_from`` wins,
    then the highest ``version``. A type retired from a date (``retired_from``) has none from
    that day on.
    """
    day = clk.local_day(instant, tz_name)
    retired = retired_from is not None and day >= _as_date(retired_from)
    candidates = [] if retired else [v for v in versions if in_force(v, day)]
    if not candidates:
        raise NotFound("Jenis izin tidak berlaku pada tanggal ini / Permit type not in force on "
                       "this date", {"date": day.isoformat()})
    return max(candidates, key=lambda v: (_as_date(v["effective_from"]), v["version"]))


# --- forms --------------------------------------------------------------------------------

class _StrictNumber(fields.Float):
    """A JSON number; strings and booleans are refused (marshmallow refuses bools already)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class _StrictBoolean(fields.Boolean):
    """Only JSON ``true``/``false`` (``1 == True`` in Python, so check the type)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class _IsoDate(fields.Date):
    """A date in, its ISO string out (JSON- and Mongo-safe)."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).isoformat()


def _range_messages(spec):
    lo, hi = spec.get("min"), spec.get("max")
    return {
        "min": "Minimal {} / At least {}.".format(id_number(lo), lo),
        "max": "Maksimal {} / At most {}.".format(id_number(hi), hi),
        "all": "Antara {} dan {} / Between {} and {}.".format(id_number(lo), id_number(hi), lo,
                                                             hi),
    }


def _field(spec):
    kind = spec["type"]
    required = bool(spec.get("required", False))
    common = {"required": required, "allow_none": not required,
              "error_messages": {"required": MSG["required"], "null": MSG["null"]}}
    lo, hi = spec.get("min"), spec.get("max")
    checks = []
    if kind == "string":
        minimum = lo if lo is not None else (1 if required else None)
        if minimum is not None or hi is not None:
            if minimum is not None and hi is not None:
                text = "Panjang {a}–{b} karakter / Length {a}–{b} characters."
            elif minimum is not None:
                text = "Minimal {a} karakter / At least {a} characters."
            else:
                text = "Maksimal {b} karakter / At most {b} characters."
            checks.append(validate.Length(min=minimum, max=hi,
                                          error=text.format(a=minimum, b=hi)))
        if spec.get("pattern"):
            checks.append(validate.Regexp(r"(?:{})\Z".format(spec["pattern"]),
                                          error="Format tidak sesuai / Wrong format."))
        field = fields.String(validate=checks, **common)
        field.error_messages["invalid"] = MSG["string"]
        return field
    if kind in ("integer", "number"):
        if lo is not None or hi is not None:
            m = _range_messages(spec)
            checks.append(validate.Range(min=lo, max=hi, error=(
                m["all"] if lo is not None and hi is not None else
                m["min"] if lo is not None else m["max"])))
        if kind == "integer":
            field = fields.Integer(strict=True, validate=checks, **common)
        else:
            field = _StrictNumber(allow_nan=False, validate=checks, **common)
        field.error_messages["invalid"] = MSG[kind]
        field.error_messages["special"] = MSG[kind]
        return field
    if kind == "date":
        if lo is not None or hi is not None:
            m = _range_messages(spec)
            checks.append(lambda v: _date_range(v, lo, hi, m))
        field = _IsoDate(validate=checks, **common)
        field.error_messages["invalid"] = MSG["date"]
        field.error_messages["format"] = MSG["date"]
        return field
    if kind == "boolean":
        field = _StrictBoolean(**common)
        field.error_messages["invalid"] = MSG["boolean"]
        return field
    if kind == "enum":
        choices = list(spec["choices"])
        field = fields.String(validate=validate.OneOf(
            choices, error="Pilih salah satu: {} / Choose one of: {}".format(
                ", ".join(choices), ", ".join(choices))), **common)
        field.error_messages["invalid"] = MSG["string"]
        return field
    raise ValueError("unknown field type {!r}".format(kind))


def _date_range(value, lo, hi, messages):
    day = date.fromisoformat(value)
    if lo is not None and day < _as_date(lo):
        raise ValidationError(messages["min"])
    if hi is not None and day > _as_date(hi):
        raise ValidationError(messages["max"])
    return True


def form_schema(fields_spec):
    """A marshmallow schema instance for a version's ``form`` (unknown keys raise)."""
    names = [f["name"] for f in fields_spec]
    if len(set(names)) != len(names):
        raise ValueError("duplicate field names")
    for f in fields_spec:
        if f.get("pattern"):
            re.compile(f["pattern"])
    schema_class = Schema.from_dict({f["name"]: _field(f) for f in fields_spec},
                                    name="FormSchema")
    schema = schema_class(unknown=RAISE)
    return schema


def validate_form(fields_spec, data):
    """The cleaned form data, or ``ValidationFailed`` with ``{"fields": {name: [msg]}}``.

    Optional fields left out stay out; ``null`` for an optional field is dropped too.
    """
    if not isinstance(data, dict):
        raise ValidationFailed("Data formulir tidak valid / Invalid form data",
                               {"fields": {"form": ["Harus berupa objek / Must be an object."]}})
    try:
        cleaned = form_schema(fields_spec).load(data)
    except ValidationError as err:
        messages = err.normalized_messages()
        messages = bilingual_fields(messages)
        raise ValidationFailed("Data formulir tidak valid / Invalid form data",
                               {"fields": messages})
    return {k: v for k, v in cleaned.items() if v is not None}
