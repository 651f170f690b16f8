import pytest
from marshmallow import fields

from services.common.errors import ValidationFailed
from services.common.schemas import load
from services.contracts.fields import Phone, StrictSchema, key, normalise_phone


class Contact(StrictSchema):
    ref = fields.String(required=True, validate=key(20))
    phone = Phone(required=True)


@pytest.mark.parametrize("raw", ["0811-0000-0001", "+62 811 0000 0001", "62811-0000-0001"])
def test_phone_forms_normalise_to_e164(raw):
    assert normalise_phone(raw) == "+6281100000001"


@pytest.mark.parametrize("data, field", [
    ({"ref": {"$gt": ""}, "phone": "0811-0000-0001"}, "ref"),
    ({"ref": "a b", "phone": "0811-0000-0001"}, "ref"),
    ({"ref": "ok", "phone": "12"}, "phone"),
    ({"ref": "ok", "phone": "0811" * 20}, "phone"),
    ({"ref": "ok", "phone": "0811-0000-0001", "extra": 1}, "extra"),
])
def test_bad_input_names_the_field(data, field):
    with pytest.raises(ValidationFailed) as caught:
        load(Contact(), data)
    assert field in caught.value.fields
