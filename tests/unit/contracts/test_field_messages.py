"""Field messages people read are Bahasa Indonesia first: marshmallow's English defaults reach
a citizen as "Indonesian / English", from any schema, with the English half unchanged."""
from marshmallow import Schema, fields, validate

from services.common.errors import ValidationFailed
from services.common.schemas import load
from services.contracts.messages import bilingual


class Filing(Schema):
    nik = fields.String(required=True, validate=validate.Length(equal=16))
    name = fields.String(required=True, validate=validate.Length(max=5))
    area = fields.Float(validate=validate.Range(min=0.5, max=200))
    kind = fields.String(validate=validate.OneOf(["hunian", "usaha"]))
    applicant = fields.Nested(Schema.from_dict({"phone": fields.String(required=True)}),
                              required=True)


def refused(data):
    try:
        load(Filing(), data)
    except ValidationFailed as exc:
        return exc.fields
    raise AssertionError("accepted")


def test_every_default_message_a_citizen_meets_has_an_indonesian_half():
    problems = refused({"name": "Siti Aminah", "area": "dua", "kind": "gudang",
                        "applicant": {}, "extra": 1})
    assert problems == {
        "nik": ["Wajib diisi / Missing data for required field."],
        "name": ["Paling banyak 5 karakter / Longer than maximum length 5."],
        "area": ["Harus berupa angka / Not a valid number."],
        "kind": ["Pilih salah satu: hunian, usaha / Must be one of: hunian, usaha."],
        "applicant": {"phone": ["Wajib diisi / Missing data for required field."]},
        "extra": ["Isian tidak dikenal / Unknown field."],
    }


def test_numbers_in_the_indonesian_half_use_a_decimal_comma():
    assert refused({"nik": "1" * 16, "name": "Siti", "area": 0.2, "applicant": {"phone": "x"}}) \
        == {"area": ["Harus paling sedikit 0,5 dan paling banyak 200 / Must be greater than or "
                     "equal to 0.5 and less than or equal to 200."]}


def test_bilingual_messages_and_unknown_ones_are_left_alone():
    assert bilingual("Wajib diisi / Required.") == "Wajib diisi / Required."
    assert bilingual("Something we never wrote.") == "Something we never wrote."
    assert bilingual("Length must be 16.") == "Harus 16 karakter / Length must be 16."
