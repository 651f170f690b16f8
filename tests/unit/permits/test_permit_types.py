from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from services.common.errors import NotFound, ValidationFailed
from services.permits import permit_types as pt

WIB = ZoneInfo("Asia/Jakarta")


def version(n, start, end=None, **extra):
    return dict({"permit_type_id": "pbg", "version": n, "agency": "dpmptsp", "name": "PBG",
                 "effective_from": start, "effective_to": end, "requirements": [], "form": [],
                 "sla_working_days": 28, "fee": 0, "approval_levels": 2,
                 "connector": "simulated"}, **extra)


VERSIONS = [version(1, "2026-01-01", "2026-07-01"), version(2, "2026-07-01", fee=50000)]


@pytest.mark.parametrize("instant,expected", [
    (datetime(2026, 1, 1, 0, 0, tzinfo=WIB), 1),
    (datetime(2026, 6, 30, 23, 59, tzinfo=WIB), 1),
    (datetime(2026, 7, 1, 0, 0, tzinfo=WIB), 2),
    # 30 June 17:30 UTC is already 1 July in Jakarta
    (datetime(2026, 6, 30, 17, 30, tzinfo=timezone.utc), 2),
    (datetime(2030, 1, 1, tzinfo=WIB), 2),
])
def test_version_in_force(instant, expected):
    assert pt.version_in_force(VERSIONS, instant)["version"] == expected


def test_before_the_first_version():
    with pytest.raises(NotFound):
        pt.version_in_force(VERSIONS, datetime(2025, 12, 31, 23, 0, tzinfo=WIB))
    ended = [version(1, "2026-01-01", "2026-02-01")]
    with pytest.raises(NotFound):
        pt.version_in_force(ended, datetime(2026, 2, 1, 8, 0, tzinfo=WIB))


def test_overlaps_found_and_latest_wins():
    overlapping = [version(1, "2026-01-01"), version(2, "2026-03-01")]
    assert pt.overlapping(overlapping) == [(1, 2)]
    assert pt.overlapping(VERSIONS) == []
    assert pt.version_in_force(overlapping, datetime(2026, 4, 1, tzinfo=WIB))["version"] == 2


SPEC = [
    {"name": "building_function", "type": "enum", "required": True,
     "choices": ["hunian", "usaha"], "label": "Fungsi", "label_en": "Function"},
    {"name": "floor_area_m2", "type": "number", "min": 1, "max": 100000, "required": True,
     "label": "Luas"},
    {"name": "floors", "type": "integer", "min": 1, "max": 50, "required": True,
     "label": "Lantai"},
    {"name": "address", "type": "string", "max": 300, "required": True, "label": "Alamat"},
    {"name": "str_number", "type": "string", "pattern": "^[0-9A-Z./-]{6,40}$",
     "label": "STR"},
    {"name": "start_date", "type": "date", "min": "2026-01-01", "max": "2026-12-31",
     "label": "Mulai"},
    {"name": "has_parking", "type": "boolean", "label": "Parkir"},
]
GOOD = {"building_function": "hunian", "floor_area_m2": 120.5, "floors": 2,
        "address": "Jl. Tambun Bungai 1", "str_number": "ABC/123-45", "start_date": "2026-05-04",
        "has_parking": False}


def test_valid_form_is_cleaned():
    assert pt.validate_form(SPEC, GOOD) == GOOD
    minimal = {k: GOOD[k] for k in ("building_function", "floor_area_m2", "floors", "address")}
    assert pt.validate_form(SPEC, dict(minimal, floor_area_m2=120)) == dict(minimal,
                                                                          floor_area_m2=120.0)
    assert pt.validate_form(SPEC, dict(minimal, str_number=None)) == minimal


@pytest.mark.parametrize("field,value", [
    ("building_function", "pabrik"), ("building_function", {"$gt": ""}),
    ("building_function", None), ("floor_area_m2", "120"), ("floor_area_m2", True),
    ("floor_area_m2", 0.5), ("floor_area_m2", float("nan")), ("floors", 2.5), ("floors", "2"),
    ("floors", 51), ("floors", 0), ("address", ""), ("address", "x" * 301), ("address", 12),
    ("str_number", "abc"), ("str_number", "ABC123\n"), ("start_date", "2025-12-31"),
    ("start_date", "04/05/2026"), ("start_date", 20260504), ("has_parking", "yes"),
    ("has_parking", 1), ("has_parking", {"$ne": False})])
def test_field_errors(field, value):
    with pytest.raises(ValidationFailed) as err:
        pt.validate_form(SPEC, dict(GOOD, **{field: value}))
    assert list(err.value.fields) == [field]
    assert " / " in err.value.fields[field][0]


def test_missing_and_unknown_fields():
    data = dict(GOOD, extra="x")
    del data["floors"]
    with pytest.raises(ValidationFailed) as err:
        pt.validate_form(SPEC, data)
    assert err.value.fields == {"floors": ["Wajib diisi / Required."],
                                "extra": ["Isian tidak dikenal / Unknown field."]}


def test_form_must_be_an_object():
    for bad in (None, [], "x"):
        with pytest.raises(ValidationFailed) as err:
            pt.validate_form(SPEC, bad)
        assert "form" in err.value.fields


def test_bad_spec_is_a_bug():
    with pytest.raises(ValueError):
        pt.form_schema([{"name": "a", "type": "blob"}])
    with pytest.raises(ValueError):
        pt.form_schema([{"name": "a", "type": "string"}, {"name": "a", "type": "string"}])
