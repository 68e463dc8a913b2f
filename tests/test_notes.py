"""What clerks type in the follow-up and the note, read by stems and typo tolerance; and the
reading of a returned form's cells, which never crashes on what a spreadsheet gives back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bantuan_iuran.corrections import FORM_MARK, FORM_VERSION
from bantuan_iuran.ingest.answers import read_form, tie_rows
from bantuan_iuran.ingest.cells import Cell, Sheet
from bantuan_iuran.ingest.notes import KEEP, full_date, read_action, read_note


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("Meninggal dunia", "meninggal"), ("MENINGGAL", "meninggal"), ("sdh meningal", "meninggal"),
        ("almarhum", "meninggal"), ("Alm.", "meninggal"), ("wafat 2024", "meninggal"),
        ("Pindah", "pindah"), ("pindah ke Malang", "pindah"), ("pindah domisili", "pindah"),
        ("Mengundurkan diri", "mengundurkan diri"), ("mundur", "mengundurkan diri"),
        ("tdk bersedia", "mengundurkan diri"), ("tidak bersedia ikut", "mengundurkan diri"),
        ("bukan warga desa", "bukan warga"), ("bkn penduduk sini", "bukan warga"),
        ("batal", "batal"), ("DIBATALKAN", "batal"), ("coret", "batal"),
        ("dibatalkan: pindah", "pindah"),
    ],
)  # fmt: skip
def test_a_withdrawal_however_typed(typed: str, reason: str) -> None:
    assert read_action(typed).value == f"dibatalkan: {reason}"


@pytest.mark.parametrize("typed", ["tetap diusulkan", "Tetap", "lanjut", "LANJUTKAN", "ya, benar",
                                   "masih hidup"])  # fmt: skip
def test_a_row_kept_however_typed(typed: str) -> None:
    assert read_action(typed).value == KEEP


@pytest.mark.parametrize("typed", ["menurut keterangan keluarga", "tanya pak kasun", "?", "-"])
def test_what_is_not_a_follow_up_is_not_guessed(typed: str) -> None:
    assert read_action(typed).value == ""


@pytest.mark.parametrize(
    ("note", "nik", "born", "name", "action"),
    [
        ("nik yg benar 3503.0411.0580.0003", "3503041105800003", "", "", ""),
        ("NIK: 3503 0411 0580 0003", "3503041105800003", "", "", ""),
        ("3503041105800003", "3503041105800003", "", "", ""),
        ("tgl lahir 12/05/1980", "", "12/05/1980", "", ""),
        ("nama sesuai ktp SITI AMINAH", "", "", "SITI AMINAH", ""),
        ("sudah meninggal th 2024", "", "", "", "dibatalkan: meninggal"),
        ("meninggal 12-03-2024", "", "", "", "dibatalkan: meninggal"),
        ("no KK 3503041205090001", "", "", "", ""),
    ],
)  # fmt: skip
def test_a_note_is_read_for_what_it_answers(note, nik, born, name, action) -> None:
    reading = read_note(note)
    assert (reading.nik, reading.birth_date, reading.name, reading.action) == (
        nik, born, name, action,
    )  # fmt: skip


def test_a_note_that_says_more_is_kept_for_the_analyst() -> None:
    assert read_note("menurut keterangan keluarga").rest == "menurut keterangan keluarga"
    assert read_note("nik yg benar 3503041105800003").rest == ""


def test_two_digit_years_take_the_century_of_the_niks_birth_year() -> None:
    assert full_date("12/5/80", "3503041205800003", 2027) == "12-05-1980"
    assert full_date("3-1-05", "3503040301050003", 2027) == "03-01-2005"
    assert full_date("3-1-05", "", 2027) == "03-01-2005"
    assert full_date("3-1-30", "", 2027) == "03-01-1930"


@given(st.text(max_size=80))
def test_reading_free_text_never_crashes_and_is_stable(text: str) -> None:
    action = read_action(text)
    assert read_action(action.value).value == action.value  # read again, the same
    note = read_note(text)
    assert read_note(text) == note
    full_date(text, text, 2027)


_CELL = st.one_of(st.text(max_size=12), st.sampled_from(["inf", "nan", "-1", "1e308", "", "7"]))


@given(st.lists(st.lists(_CELL, max_size=9), max_size=12), st.lists(st.lists(_CELL, max_size=11),
                                                                      max_size=12))  # fmt: skip
def test_a_damaged_form_is_read_without_crashing(
    keys: list[list[str]], rows: list[list[str]]
) -> None:
    header = ["Baris di file", "NIK dari desa", "Nama dari desa", "Tgl lahir dari desa"]
    hidden = Sheet("_bantuan", [[Cell(FORM_MARK), Cell(FORM_VERSION)],
                                *[[Cell(t) for t in row] for row in keys]])  # fmt: skip
    form_sheet = Sheet("Sheet1", [[Cell(t) for t in header], *[[Cell(t) for t in r] for r in rows]])
    form = read_form("f.xlsx", [form_sheet, hidden])
    ties = tie_rows(form)
    assert set(ties) == {(row.row, row.sheet) for row in form.rows}
