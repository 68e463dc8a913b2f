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
