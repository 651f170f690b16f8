"""IKM against hand-computed worked examples (PermenPAN-RB 14/2017)."""
from decimal import Decimal
from fractions import Fraction

import pytest

from services.common.errors import ValidationFailed
from services.feedback import ikm

CODES = [e.code for e in ikm.DEFAULT_ELEMENTS]


def everyone(value, **overrides):
    return dict({c: value for c in CODES}, **overrides)


def test_worked_example_three_respondents():
    # U1..U9 except waktu: (4+3+4)/3 = 3.6667; waktu: (4+3+2)/3 = 3.0000
    # IKM = (8 x 3.6667 + 3.0000) / 9 = 32.3336 / 9 = 3.59262.. -> 3.5926
    # unit score = 3.5926 x 25 = 89.815 -> 89.82 (half up, only here) -> A
    result = ikm.summarise([everyone(4), everyone(3), everyone(4, waktu=2)])
    by_code = {e["code"]: e for e in result["elements"]}
    assert by_code["persyaratan"]["nrr"] == "3.6667"
    assert by_code["waktu"]["nrr"] == "3.0000"
    assert result["ikm"] == "3.5926"
    assert result["score"] == "89.82"
    assert (result["grade"], result["grade_label"]) == ("A", "Sangat Baik")
    assert result["respondents"] == 3


def test_nrr_averages_over_those_who_answered_the_element():
    # biaya answered only by the second respondent: NRR 2, not (0 + 2) / 2
    # IKM = (8 x 3 + 2) / 9 = 2.88888.. -> 2.8889; x 25 = 72.2225 -> 72.22 -> C
    first = everyone(4)
    del first["biaya"]
    result = ikm.summarise([first, everyone(2)])
    by_code = {e["code"]: e for e in result["elements"]}
    assert by_code["biaya"] == dict(by_code["biaya"], nrr="2.0000", answered=1)
    assert by_code["waktu"]["nrr"] == "3.0000"
    assert (result["ikm"], result["score"], result["grade"]) == ("2.8889", "72.22", "C")


def test_weights_are_exact_ninths_not_point_eleven():
    result = ikm.summarise([everyone(4)])
    assert (result["ikm"], result["score"], result["grade"]) == ("4.0000", "100.00", "A")
    assert sum(e.weight for e in ikm.DEFAULT_ELEMENTS) == 1


@pytest.mark.parametrize("score,letter", [
    ("100", "A"), ("88.31", "A"), ("88.30", "B"), ("76.61", "B"), ("76.60", "C"),
    ("65.00", "C"), ("64.99", "D"), ("25.00", "D"),
])
def test_grade_boundaries(score, letter):
    assert ikm.grade(Decimal(score))[0] == letter


@pytest.mark.parametrize("nrr,score,letter", [
    ("3.5324", "88.31", "A"), ("3.5320", "88.30", "B"),
    ("3.0644", "76.61", "B"), ("3.0640", "76.60", "C"),
    ("2.6000", "65.00", "C"), ("2.5996", "64.99", "D"),
])
def test_grade_boundaries_through_the_index(nrr, score, letter):
    value, unit = ikm.index({c: Decimal(nrr) for c in CODES})
    assert (str(value), str(unit), ikm.grade(unit)[0]) == (nrr, score, letter)


def test_no_index_while_an_element_has_no_answer():
    answers = everyone(4)
    del answers["sarana"]
    result = ikm.summarise([answers])
    assert (result["ikm"], result["score"], result["grade"]) == (None, None, None)


def test_ratings_outside_one_to_four_are_not_counted():
    assert ikm.nrr([everyone(4, waktu=5), everyone(2)])["waktu"] == (Decimal("2.0000"), 1)


def test_configured_elements_must_sum_to_one():
    ten = [{"code": c, "weight": "1/10"} for c in CODES + ["kebersihan"]]
    elements = ikm.elements_from(ten)
    assert [e.code for e in elements][-1] == "kebersihan"
    assert sum(e.weight for e in elements) == 1
    result = ikm.summarise([dict(everyone(4), kebersihan=2)], elements)
    # (9 x 4 + 2) / 10 = 3.8 -> 95.00
    assert (result["ikm"], result["score"]) == ("3.8000", "95.00")

    rounded = [{"code": c, "weight": "0.11"} for c in CODES]  # sums to 0.99
    with pytest.raises(ValidationFailed) as err:
        ikm.elements_from(rounded)
    assert "weights" in err.value.fields

    with pytest.raises(ValidationFailed) as err:
        ikm.elements_from([{"code": "a", "weight": "1/2"}, {"code": "a", "weight": "1/2"}])
    assert "1.code" in err.value.fields
    with pytest.raises(ValidationFailed):
        ikm.elements_from([{"code": "a", "weight": "-1"}, {"code": "b", "weight": "2"}])


def test_config_round_trip_keeps_exact_weights():
    config = ikm.elements_to_config(ikm.DEFAULT_ELEMENTS)
    assert config[0]["weight"] == "1/9"
    assert ikm.elements_from(config) == ikm.DEFAULT_ELEMENTS
    assert ikm.elements_from(config)[0].weight == Fraction(1, 9)
