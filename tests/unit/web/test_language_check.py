"""The language check the browser journeys apply to every page shown in Indonesian."""
from tests.e2e.browser.harness import language_problems


def test_indonesian_text_with_times_and_thousands_passes():
    text = "Senin, 7 Desember 2026 07.30 WIB · 1.234 tiket · perkiraan 1,5 menit · 100 %"
    assert language_problems(text, codes=("bank-setoran",)) == []


def test_decimal_points_are_found():
    assert language_problems("0.2 mnt") == ["decimal point in '0.2'"]
    assert language_problems("100.0 %") == ["decimal point in '100.0'"]
    assert language_problems("2.75 m²") == ["decimal point in '2.75'"]


def test_english_words_and_internal_codes_are_found():
    problems = language_problems("Loket 1 · closed · bank-setoran · in_process",
                                 codes=("bank-setoran",))
    assert "English word 'closed'" in problems
    assert "internal code 'bank-setoran'" in problems
    assert "internal code 'in_process'" in problems


def test_a_code_inside_a_longer_word_is_not_a_code():
    assert language_problems("Setoran Bank Kalteng", codes=("bank",)) == []


def test_an_english_word_inside_an_indonesian_one_is_not_english():
    # "min " is the English abbreviation only as a word of its own
    assert language_problems("Masuk sebagai admin Keluar") == []
    assert language_problems("tunggu 5 min lagi") == ["English word 'min'"]


def test_a_user_name_is_not_the_agency_code_it_starts_with():
    # "dpmptsp.officer" signs in; "dpmptsp" alone, or ending a sentence, is the code
    assert language_problems("Masuk sebagai dpmptsp.officer", codes=("dpmptsp",)) == []
    assert language_problems("Instansi: dpmptsp.", codes=("dpmptsp",)) == \
        ["internal code 'dpmptsp'"]
