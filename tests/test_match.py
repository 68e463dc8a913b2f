from hypothesis import given
from hypothesis import strategies as st

from bantuan_iuran.match import last_digit_variants, name_similarity, one_digit_variants


def test_similarity_ignores_word_order_and_tolerates_a_slip_in_a_long_word() -> None:
    assert name_similarity("MUHAMAD SUKARNO", "SUKARNO MUHAMAD") == 100
    assert name_similarity("KASIATI SUBAKTI", "KASIATI SUBEKTI") >= 85


def test_one_letter_makes_another_short_name() -> None:
    assert name_similarity("TRI WIBOWO", "SRI WIBOWO") < 85
    assert name_similarity("ANI", "ANIK") < 85
    assert name_similarity("SITI", "SITI AMINAH") < 85


def test_nik_variants() -> None:
    nik = "3503011205800001"
    assert last_digit_variants("3503011205800000")[1] == nik
    variants = one_digit_variants(nik)
    assert "3503011205800002" in variants  # one digit wrong
    assert "3503011250800001" in variants  # two neighbours swapped
    assert nik not in variants
    assert len(variants) == len(set(variants))


@given(st.text(), st.text())
def test_similarity_is_symmetric_and_bounded(a: str, b: str) -> None:
    score = name_similarity(a, b)
    assert 0 <= score <= 100
    assert score == name_similarity(b, a)
