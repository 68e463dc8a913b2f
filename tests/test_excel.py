import dataclasses
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from bantuan_iuran import processes
from bantuan_iuran.excel import WorkbookJob, list_layout, write_workbooks

COLUMNS = (("NIK", 19), ("Nama", 20))


@pytest.mark.parametrize("cores", [1, 2])
def test_every_workbook_is_written_whole_with_text_cells(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cores: int
) -> None:
    monkeypatch.setattr(processes, "_cores", lambda: cores)
    monkeypatch.setattr(processes, "MIN_SHARE", 4)
    jobs = [
        WorkbookJob(
            tmp_path / f"desa_{number:02d}.xlsx",
            list_layout,
            ("Daftar", f"DESA {number}", COLUMNS, [("3503010101800001", f"=ORANG {number}")]),
        )
        for number in range(10)
    ]
    paths = write_workbooks(jobs)
    assert paths == [tmp_path / f"desa_{n:02d}.xlsx" for n in range(10)]
    for number, path in enumerate(paths):
        sheet = openpyxl.load_workbook(path)["Daftar"]
        assert sheet["A1"].value == f"DESA {number}"
        assert sheet["A4"].value == "3503010101800001"
        assert sheet["B4"].value == f"=ORANG {number}" and sheet["B4"].data_type == "s"
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_money_cell_shows_dots_for_any_amount_typed_into_it(tmp_path: Path) -> None:
    """What a reader sees, as LibreOffice writes it to CSV: the amount the cell was made for,
    and any other amount typed over it later."""
    from bantuan_iuran.excel import formats, new_workbook, write_money

    typed = [0, 7, 999, 1000, 16800, 201600, 1234567, 999999999]
    large = [1000, 16800, 2016000000, 123456789012]
    workbook = new_workbook(tmp_path / "money.xlsx")
    styles, sheet = formats(workbook), workbook.add_worksheet()
    for row, value in enumerate(typed):
        write_money(sheet, row, 0, 16800, styles)  # made for 16.800 ...
        sheet.write_number(row, 0, value, styles.number(16800))  # ... and typed over
    for row, value in enumerate(large):
        sheet.write_number(row, 1, value, styles.number(2016000000))
    workbook.close()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true',
         "--outdir", str(tmp_path), str(tmp_path / "money.xlsx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    rows = [line.split(",") for line in (tmp_path / "money.csv").read_text().splitlines()]
    assert [row[0] for row in rows] == [
        "0", "7", "999", "1.000", "16.800", "201.600", "1.234.567", "999.999.999"
    ]  # fmt: skip
    assert [row[1] for row in rows[: len(large)]] == [
        "1.000", "16.800", "2.016.000.000", "123.456.789.012"
    ]  # fmt: skip


def test_a_long_sheet_written_in_row_order_is_streamed_with_the_same_cells(
    tmp_path: Path, monkeypatch
) -> None:
    """Above STREAMED_ROWS a list is streamed row by row (constant memory): the cells, their
    formats, heights and the print set-up are those of the sheet held in memory."""
    from bantuan_iuran import excel

    rows = [
        (str(n), f"Nama ke-{n} " * (n % 4 + 1), "Desa\nBaru" if n % 7 else "") for n in range(40)
    ]
    columns = (("No", 6), ("Nama", 20), ("Desa", 10))
    layout = ("Daftar", "JUDUL", columns, rows, ("catatan",))
    job = excel.WorkbookJob(tmp_path / "memory.xlsx", excel.list_layout, layout, len(rows), True)
    excel.write_workbook(job)
    monkeypatch.setattr(excel, "STREAMED_ROWS", 10)
    excel.write_workbook(dataclasses.replace(job, target=tmp_path / "streamed.xlsx"))
    held, streamed = (
        openpyxl.load_workbook(tmp_path / n).active for n in ("memory.xlsx", "streamed.xlsx")
    )
    assert b"inlineStr" in zipfile.ZipFile(tmp_path / "streamed.xlsx").read(
        "xl/worksheets/sheet1.xml"
    )
    for a, b in zip(held.iter_rows(), streamed.iter_rows(), strict=True):
        for x, y in zip(a, b, strict=True):
            shown = [(c.value, c.font.b, c.alignment.wrap_text, c.border.left) for c in (x, y)]
            assert shown[0] == shown[1]
    assert [held.row_dimensions[r].height for r in range(1, 45)] == [
        streamed.row_dimensions[r].height for r in range(1, 45)
    ]
    sheets = (held, streamed)
    set_up = [(w.freeze_panes, w.print_title_rows, w.page_setup.fitToWidth) for w in sheets]
    assert set_up[0] == set_up[1]
    assert [b.id for b in held.row_breaks.brk] == [b.id for b in streamed.row_breaks.brk]
