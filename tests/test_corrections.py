"""The village correction form: what a clerk reads on A4, what they may change, and what the
next round needs to read their answer back."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from bantuan_iuran.config import Corrections, load_settings
from bantuan_iuran.corrections import (
    ANSWER_COLUMNS,
    CHOICES,
    DETAIL_SHEET,
    FONT_SIZE,
    FORM_SHEET,
    KEYS_SHEET,
    OTHER_HOLDER,
    REFUSED_SHEET,
    FormContext,
    correction_jobs,
    row_digest,
    shown_digest,
    village_date,
)
from bantuan_iuran.excel import printable_points, write_workbooks
from bantuan_iuran.reasons import REASONS
from bantuan_iuran.validate import run_validate
from helpers import (
    FONT_MACHINES,
    cell_overflows,
    excel_fit_scale,
    ingested_frame,
    print_with_libreoffice,
    registry_frame,
)

CONTEXT = FormContext(2027, "b4tch1d", 2, Corrections(batas_waktu="20 Januari 2027",
                      kirim_ke="Disnaker Trenggalek", kontak="0355-791234"))  # fmt: skip
HOLDER = {"NIK": "3503011205800001", "NAMA_LGKP": "BUDI SANTOSO", "TGL_LHR": "1980-05-12"}
OTHER = {"NIK": "3503015507750002", "NAMA_LGKP": "SRI WAHYUNINGSIH", "TGL_LHR": "1975-07-15"}


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> tuple[list[Path], object, object]:
    settings = load_settings()
    registry = registry_frame([HOLDER, OTHER], settings)
    ingested = ingested_frame(
        [
            {"nik_raw": "3503011205800000", "nik_is_number": True, "name": "Budi Santoso",
             "birth_date": "29353"},  # an Excel day number: 12-05-1980
            {"nik_raw": "3503015507750002", "name": "Paijo", "birth_date": "1970-01-01"},
            {"nik_raw": "3503011205800001", "name": "Budi Santoso", "birth_date": "1981-05-12"},
            {"nik_raw": "3503011205800001", "name": "Budi Santoso", "kode_desa": "3503012002",
             "source_file": "PANGGUL/Desa Terbis.xlsx", "birth_date": "12-05-1980"},
            {"nik_raw": "3503011205800001", "name": "=HYPERLINK(\"x\")"},
        ]
    )  # fmt: skip
    enrolled = registry[["nik"]].iloc[0:0]
    validated = run_validate(ingested, registry, enrolled, settings).validated
    out = tmp_path_factory.mktemp("perbaikan")
    return write_workbooks(correction_jobs(validated, ingested, out, CONTEXT)), validated, ingested


def _form(paths: list[Path], name: str = "BESUKI") -> openpyxl.Workbook:
    return openpyxl.load_workbook(next(p for p in paths if p.stem == name))


def _table(sheet) -> list[dict[str, str]]:
    header_row = next(r for r in sheet.iter_rows() if r[0].value in ("Baris di file", "File"))
    names = [c.value for c in header_row]
    rows = sheet.iter_rows(min_row=header_row[0].row + 1, values_only=True)
    return [dict(zip(names, row, strict=True)) for row in rows if row[0]]


def test_one_form_per_village_in_path_order(forms) -> None:
    paths, _, _ = forms
    assert [p.parent.name + "/" + p.name for p in paths] == ["PANGGUL/BESUKI.xlsx",
                                                             "PANGGUL/TERBIS.xlsx"]  # fmt: skip
    assert _form(paths).sheetnames == [FORM_SHEET, DETAIL_SHEET, KEYS_SHEET]
    assert _form(paths, "TERBIS").sheetnames == [REFUSED_SHEET, DETAIL_SHEET, KEYS_SHEET]


def test_each_row_shows_what_the_village_sent_and_the_problem_in_indonesian(forms) -> None:
    rows = _table(_form(forms[0])[FORM_SHEET])
    rounded, other, born, formula = rows
    assert rounded["Baris di file"] == "5" and rounded["NIK dari desa"] == "3503011205800000"
    assert rounded["Tgl lahir dari desa"] == "12-05-1980 (29353)"  # the day number beside
    assert rounded["Masalah dan saran"].startswith("NIK RUSAK OLEH EXCEL: NIK rusak oleh Excel")
    assert "Saran: NIK 3503011205800001" in rounded["Masalah dan saran"]
    assert born["Tgl lahir dari desa"] == "12-05-1981"
    assert "Tanggal lahir di Dukcapil: 12-05-1980." in born["Masalah dan saran"]
    assert formula["Nama dari desa"] == '=HYPERLINK("x")'
    assert OTHER_HOLDER in other["Masalah dan saran"]


def test_no_code_and_no_one_elses_data_on_what_the_village_reads(forms) -> None:
    paths, _, _ = forms
    codes = re.compile("|".join(REASONS))
    for path in paths:
        workbook = openpyxl.load_workbook(path)
        for sheet in workbook.worksheets:
            values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
            if sheet.title in (FORM_SHEET, REFUSED_SHEET):
                assert not [v for v in values if codes.search(v)], sheet.title
            # The holder of the NIK the village wrote for Paijo is someone else.
            assert not [v for v in values if "SRI WAHYUNINGSIH" in v or "15-07-1975" in v]
    detail = _table(_form(paths)[DETAIL_SHEET])
    assert detail[1]["Pemilik NIK di Dukcapil"] == OTHER_HOLDER
    assert not detail[1]["Tgl lahir di Dukcapil"]
    assert detail[2]["Pemilik NIK di Dukcapil"] == "BUDI SANTOSO"  # the applicant's own
    assert detail[0]["Kode masalah"] == "NIK_EXCEL_ROUNDED"


def test_cover_text_and_legend_come_from_the_config(forms) -> None:
    sheet = _form(forms[0])[FORM_SHEET]
    text = " ".join(str(c.value) for row in sheet.iter_rows(max_row=7) for c in row if c.value)
    assert "putaran 2" in text and "Kecamatan Panggul" in text
    assert "Disnaker Trenggalek" in text and "20 Januari 2027" in text and "0355-791234" in text
    assert "diisi oleh desa" in text and "berbeda dengan data Dukcapil" in text


def test_only_the_answer_cells_can_change_and_they_are_validated(forms) -> None:
    sheet = _form(forms[0])[FORM_SHEET]
    assert sheet.protection.sheet and not sheet.protection.password
    header = next(r for r in sheet.iter_rows() if r[0].value == "Baris di file")
    names = [c.value for c in header]
    answers = {names.index(name) for name, _ in ANSWER_COLUMNS}
    first = header[0].row + 1
    for row in sheet.iter_rows(min_row=first, max_row=first + 3):
        for index, cell in enumerate(row):
            assert cell.protection.locked == (index not in answers), cell.coordinate
            if index in answers:
                assert cell.number_format == "@"  # a NIK typed there stays text
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    nik = next(v for v in rules.values() if v.type == "custom")
    assert "LEN(" in nik.formula1 and "=16" in nik.formula1
    choice = next(v for v in rules.values() if v.type == "list")
    assert choice.formula1 == '"' + ",".join(CHOICES) + '"'


def test_the_hidden_sheet_lets_the_answer_be_read_back(forms) -> None:
    paths, validated, ingested = forms
    keys = _form(paths)[KEYS_SHEET]
    assert keys.sheet_state == "hidden" and keys.protection.sheet
    values = list(keys.iter_rows(values_only=True))
    assert values[1][:2] == ("batch", "b4tch1d") and values[2][:2] == ("round", "2")
    assert values[5] == ("sheet", "row", "row_id", "digest", "baris", "nik", "name",
                         "birth_date")  # fmt: skip
    form = _form(paths)[FORM_SHEET]
    for sheet_name, row_number, row_id, digest, *shown in values[6:]:
        assert sheet_name == FORM_SHEET
        assert form.cell(int(row_number), 1).value == str(
            ingested.loc[ingested["row_id"] == int(row_id), "source_row"].item()
        )
        cells = [str(form.cell(int(row_number), column).value or "") for column in (1, 2, 3, 4)]
        assert shown == [shown_digest(text) for text in cells]  # found by what it shows
        sent = ingested[ingested["row_id"] == int(row_id)].iloc[0]
        assert digest == row_digest(sent["source_file"], sent["source_sheet"],
                                    int(sent["source_row"]), sent["nik_raw"], sent["name"],
                                    sent["birth_date"])  # fmt: skip
    assert len(values[6:]) == 4


def test_printed_at_nine_points_or_more_with_page_numbers_and_text_that_fits(forms) -> None:
    for path in forms[0]:
        for sheet in openpyxl.load_workbook(path).worksheets[:-2]:  # the clerk's sheets
            setup = sheet.page_setup
            scale = excel_fit_scale(sheet)
            assert setup.orientation == "landscape" and setup.paperSize == 9
            assert FONT_SIZE * scale / 100 >= 9
            header = next(r[0].row for r in sheet.iter_rows() if r[0].value == "Baris di file")
            body = [c for row in sheet.iter_rows(min_row=header + 1) for c in row if c.value]
            assert body and all(c.font.sz * scale / 100 >= 9 for c in body)
            assert sheet.oddFooter.center.text == "Halaman &P dari &N"
            assert sheet.print_title_rows
            assert cell_overflows(sheet) == []
            _assert_pages_hold_their_rows(sheet, scale, header)


def _assert_pages_hold_their_rows(sheet, scale: int, header: int) -> None:
    """Every page cut by the form holds its rows at Excel's scale, under the repeated rows."""
    height = [sheet.row_dimensions[r].height or 15 for r in range(1, sheet.max_row + 1)]
    starts = [1, *(b.id + 1 for b in sheet.row_breaks.brk), sheet.max_row + 1]
    repeated = sum(height[header - 2 : header]) if sheet.title == FORM_SHEET else height[header - 1]
    room = printable_points()[1] * 100 / scale
    for number, (first, end) in enumerate(zip(starts, starts[1:], strict=False)):
        above = repeated if number else 0
        assert above + sum(height[first - 1 : end - 1]) <= room, (sheet.title, number)


def test_village_dates_show_a_day_number_beside_the_date() -> None:
    assert village_date("33365", "1991-05-06") == "06-05-1991 (33365)"
    assert village_date("33365.0", "1991-05-06") == "06-05-1991 (33365.0)"
    assert village_date("6 Mei 1991", "1991-05-06") == "06-05-1991"
    assert village_date("31/02/1990", "") == "31/02/1990"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("machine", FONT_MACHINES)
def test_libreoffice_prints_the_form_on_the_pages_it_cut_with_any_font(
    forms, tmp_path, machine
) -> None:
    path = next(p for p in forms[0] if p.stem == "BESUKI")
    sheets = [s for s in openpyxl.load_workbook(path).worksheets if s.sheet_state == "visible"]
    cut = [len(sheet.row_breaks.brk) + 1 for sheet in sheets]
    printed = print_with_libreoffice(path, tmp_path, machine)
    assert len(printed.pages) == sum(cut)
    texts = [page.extract_text() for page in printed.pages]
    assert "PERBAIKAN USULAN" in texts[0] and "NIK_" not in texts[0]
    for number, text in enumerate(texts, start=1):
        assert f"Halaman {number} dari {sum(cut)}" in text
    for text in texts[: cut[0]]:  # the answer columns on the page, to the last one
        assert "Catatan" in text and "Tindak lanjut" in text
