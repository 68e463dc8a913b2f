from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bantuan_iuran.nik import (
    clean_nik,
    decode_nik,
    mask_nik,
    mask_numbers,
    read_nik,
    region_is_known,
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("3503012345678901", "3503012345678901"),
        ("'3503012345678901", "3503012345678901"),
        ("3503 0123 4567 8901", "3503012345678901"),
        ("3503.0123.4567.8901", "3503012345678901"),
        ("3503-0123-4567-8901", "3503012345678901"),
        (" 3503012345678900.0 ", "3503012345678900"),
    ],
)
def test_clean_nik_strips_what_clerks_type(raw: str, clean: str) -> None:
    assert clean_nik(raw) == clean


def test_read_nik_flags_each_kind_of_damage() -> None:
    assert read_nik("").problem == "NIK_MISSING"
    assert read_nik("350301234567890").problem == "NIK_FORMAT"
    assert read_nik("35030123456789O1").problem == "NIK_FORMAT"
    scientific = read_nik("3.50301E+15")
    assert (scientific.problem, scientific.nik, scientific.known_digits) == (
        "NIK_EXCEL_ROUNDED",
        "3503010000000000",
        6,
    )
    assert read_nik("3,50301E+15").problem == "NIK_EXCEL_ROUNDED"
    number = read_nik("3503012345678900", is_number=True)
    assert (number.problem, number.known_digits, number.damaged) == ("", 15, True)
    assert not read_nik("3503012345678900", is_number=False).damaged
    assert not read_nik("3503012345678901", is_number=True).damaged


def test_decode_nik_reads_region_birth_date_and_sex() -> None:
    man = decode_nik("3503011205700001", 2027)
    assert (man.region, man.birth_date, man.sex, man.problem) == (
        "350301",
        date(1970, 5, 12),
        "L",
        "",
    )
    woman = decode_nik("3503015205700001", 2027)
    assert (woman.birth_date, woman.sex) == (date(1970, 5, 12), "P")
    assert decode_nik("3503011205100001", 2027).birth_date == date(2010, 5, 12)


@pytest.mark.parametrize(
    "nik",
    [
        "3503991205700001",  # no kecamatan 99 in Trenggalek
        "9903011205700001",  # no province 99
        "3503013205700001",  # day 32
        "3503011213700001",  # month 13
        "3503011205700000",  # serial 0000
    ],
)
def test_decode_nik_rejects_impossible_numbers(nik: str) -> None:
    assert decode_nik(nik, 2027).problem == "NIK_INVALID"


def test_retired_regency_codes_are_still_valid_prefixes() -> None:
    # Merauke was 9101 before Papua Selatan was split off (now 9301); old NIKs keep 9101.
    assert region_is_known("910101")
    assert region_is_known("930101")


def test_masking_keeps_only_the_ends() -> None:
    assert mask_nik("3503012345670001") == "3503********0001"
    assert mask_numbers("NIK 3503012345670001 and KK 3503010101100001.") == (
        "NIK 3503********0001 and KK 3503********0001."
    )


@given(st.text())
def test_nik_functions_never_raise_on_any_text(text: str) -> None:
    reading = read_nik(text)
    decode_nik(reading.nik, 2027)
    assert clean_nik(clean_nik(text)) == clean_nik(text)
    assert not any(len(run) >= 12 for run in mask_numbers(text).split("*") if run.isdigit())


@given(st.from_regex(r"\A[0-9]{16}\Z"))
def test_any_sixteen_digits_decode_without_raising(nik: str) -> None:
    facts = decode_nik(nik, 2027)
    assert facts.problem in ("", "NIK_INVALID")


@given(
    st.from_regex(r"\A[1-9][0-9]{15}\Z"),
    st.sampled_from(["{}", "'{}", " {} ", "{}.0"]),
    st.sampled_from(["", " ", ".", "-"]),
)
def test_any_way_a_clerk_types_a_nik_cleans_back_to_it(nik: str, frame: str, separator: str):
    assume(not (frame == "{}.0" and separator in ".-"))  # a number cell has no groups
    typed = separator.join(nik[i : i + 4] for i in range(0, 16, 4))
    reading = read_nik(frame.format(typed))
    assert (reading.nik, reading.problem, reading.known_digits) == (nik, "", 16)
