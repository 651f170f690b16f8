"""A ticket number typed on a phone, however it was written."""
import pytest

from services.common.errors import ValidationFailed
from services.ticketing.number_lookup import parse


@pytest.mark.parametrize("typed", ["D-014", "d014", "D 14", " d-14 "])
def test_the_ways_people_type_a_number(typed):
    assert parse(typed) == ("D", 14)


@pytest.mark.parametrize("typed", ["", "014", "D-", "D-000", "DROP-1", "D-1; x", None, 14])
def test_what_is_not_a_number_is_named_on_the_field(typed):
    with pytest.raises(ValidationFailed) as refused:
        parse(typed)
    assert "number" in refused.value.fields
