from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bantuan_iuran.normalize import (
    normalize_date,
    normalize_name,
    normalize_rt,
    normalize_sex,
    pad_code,
    parse_date,
    split_place_date,
    split_rt_rw,
)


@pytest.mark.parametrize(
    ("messy", "registry"),
    [
        ("H. Moch. Soekarno, S.Pd", "MUHAMMAD SUKARNO"),
        ("M. Ali", "MUHAMMAD ALI"),
        ("Muh. Ali", "MUHAMAD ALI"),
        ("Hj. Siti Aminah", "SITI AMINAH"),
        ("Drs. Tjipto", "CIPTO"),
        ("Djoko Santoso", "JOKO SANTOSO"),
        ("Jusuf", "YUSUF"),
        ("Sri Wahyuni S.E.", "SRI WAHYUNI"),
        ("Ir. Bambang, M.M.", "BAMBANG"),
        ("Setjowati", "SETYOWATI"),
        ("Sjamsul", "SYAMSUL"),
        ("Njoman", "NYOMAN"),
        ("Achmad", "AKHMAD"),
        ("  budi   SANTOSO ", "BUDI SANTOSO"),
    ],
)
def test_name_spellings_meet_the_registry_spelling(messy: str, registry: str) -> None:
    assert normalize_name(messy) == normalize_name(registry)


def test_different_names_stay_different() -> None:
    assert normalize_name("Sri Wibowo") != normalize_name("Tri Wibowo")
    assert normalize_name("Sumarni") != normalize_name("Suwarni")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 Mei 1970", date(1970, 5, 12)),
        ("12-Agustus-1980", date(1980, 8, 12)),
        ("1 Nopember 1975", date(1975, 11, 1)),
        ("12-05-1970", date(1970, 5, 12)),
        ("12/05/1970", date(1970, 5, 12)),
        ("12.05.1970", date(1970, 5, 12)),
        ("1970-05-12", date(1970, 5, 12)),
        ("1970-05-12 00:00:00", date(1970, 5, 12)),
        ("25700", date(1970, 5, 12)),
        ("25700.0", date(1970, 5, 12)),
        ("TRENGGALEK, 12-05-1970", date(1970, 5, 12)),
        ("12-Agt-79", date(1979, 8, 12)),
        ("05-Mei-90", date(1990, 5, 5)),
        ("30-Nov-69", date(1969, 11, 30)),
        ("3 Sept 1985", date(1985, 9, 3)),
        ("17-Des-1977", date(1977, 12, 17)),
        ("09 Oct 81", date(1981, 10, 9)),
        ("31-02-1970", None),
        ("Mei 1970", None),
        ("", None),
    ],
)
def test_dates_in_every_form_villages_write(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "sex"),
    [("L", "L"), ("LK", "L"), ("Laki-laki", "L"), ("P", "P"), ("PR", "P"), ("Perempuan", "P")],
)
def test_sex_codes(text: str, sex: str) -> None:
    assert normalize_sex(text) == sex


def test_rt_rw_and_region_codes() -> None:
    assert normalize_rt("RT 2") == "002"
    assert normalize_rt("2.0") == "002"
    assert split_rt_rw("002/003") == ("002", "003")
    assert split_rt_rw("RT 2 RW 3") == ("002", "003")
    assert pad_code("1", 2) == "01"
    assert pad_code("2001.0", 4) == "2001"
    assert split_place_date("TRENGGALEK, 12-05-1970") == ("TRENGGALEK", "12-05-1970")
    assert split_place_date("Trenggalek 12 Mei 1970") == ("Trenggalek", "12 Mei 1970")


@given(st.text())
def test_name_normalisation_is_idempotent_and_total(text: str) -> None:
    once = normalize_name(text)
    assert normalize_name(once) == once


@given(st.text())
def test_date_and_code_normalisers_never_raise_and_are_idempotent(text: str) -> None:
    once = normalize_date(text)
    assert normalize_date(once) == once
    assert normalize_sex(normalize_sex(text)) == normalize_sex(text)
    assert normalize_rt(normalize_rt(text)) == normalize_rt(text)
    split_rt_rw(text)
    split_place_date(text)
