from pathlib import Path

import openpyxl

from bantuan_iuran.config import load_settings
from bantuan_iuran.corrections import correction_jobs
from bantuan_iuran.excel import write_workbooks
from bantuan_iuran.validate import run_validate
from helpers import ingested_frame, registry_frame


def test_village_workbook_shows_the_row_the_reason_the_suggestion_and_evidence(
    tmp_path: Path,
) -> None:
    settings = load_settings()
    registry = registry_frame(
        [{"NIK": "3503011205800001", "NAMA_LGKP": "BUDI SANTOSO", "TGL_LHR": "1980-05-12"}],
        settings,
    )
    ingested = ingested_frame(
        [
            {"nik_raw": "3503011205800000", "nik_is_number": True, "name": "Budi Santoso"},
            {"nik_raw": "3503011205800001", "name": "=HYPERLINK(\"x\")"},
            {"nik_raw": "3503011205800001", "name": "Budi Santoso", "kode_desa": "3503012002",
             "source_file": "PANGGUL/Desa Terbis.xlsx"},
            {"nik_raw": "3503011205800001", "name": "Budi Santoso"},
        ]
    )  # fmt: skip
    enrolled = registry[["nik"]].iloc[0:0]
    validated = run_validate(ingested, registry, enrolled, settings).validated
    paths = write_workbooks(correction_jobs(validated, ingested, tmp_path, 2027))
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == [
        "PANGGUL/BESUKI.xlsx",
        "PANGGUL/TERBIS.xlsx",
    ]
    workbook = openpyxl.load_workbook(paths[0])
    sheet = workbook["Perlu diperbaiki"]
    header = [c.value for c in sheet[4]]
    first = dict(zip(header, [c.value for c in sheet[5]], strict=True))
    assert first["Baris"] == "5"
    assert first["NIK (dari desa)"] == "3503011205800000"
    assert first["Masalah"] == "NIK_EXCEL_ROUNDED"
    assert "rusak oleh Excel" in first["Keterangan"]
    assert first["NIK yang disarankan"] == "3503011205800001"
    second = dict(zip(header, [c.value for c in sheet[6]], strict=True))
    assert second["Nama (dari desa)"] == '=HYPERLINK("x")'
    assert second["Nama di Dukcapil"] == "BUDI SANTOSO"
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", "no cell may be a formula"
            assert not isinstance(cell.value, int | float), "NIKs and numbers stay text"
    assert sheet.page_setup.orientation == "landscape"
    terbis = openpyxl.load_workbook(paths[1])
    assert terbis.sheetnames == ["Tidak memenuhi syarat"]
