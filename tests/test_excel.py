import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from bantuan_iuran import excel
from bantuan_iuran.excel import WorkbookJob, list_layout, write_workbooks

COLUMNS = (("NIK", 19), ("Nama", 20))


def jobs(folder: Path, count: int) -> list[WorkbookJob]:
    return [
        WorkbookJob(
            folder / f"desa_{number:02d}.xlsx",
            list_layout,
            ("Daftar", f"DESA {number}", COLUMNS, [("3503010101800001", f"=ORANG {number}")]),
            weight=number,
        )
        for number in range(count)
    ]


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Two cores and one helper per 4 workbooks; records what this process wrote itself."""
    monkeypatch.setattr(excel, "_cores", lambda: 2)
    monkeypatch.setattr(excel, "JOBS_PER_HELPER", 4)
    written_here: list[Path] = []
    write = excel.write_workbook
    monkeypatch.setattr(
        excel, "write_workbook", lambda job: (written_here.append(job.target), write(job))
    )
    return written_here


def assert_readable(paths: list[Path]) -> None:
    for number, path in enumerate(paths):
        sheet = openpyxl.load_workbook(path)["Daftar"]
        assert sheet["A1"].value == f"DESA {number}"
        assert sheet["A4"].value == "3503010101800001"
        assert sheet["B4"].value == f"=ORANG {number}" and sheet["B4"].data_type == "s"
    assert not list(paths[0].parent.glob(".*.tmp"))


def test_a_helper_process_writes_a_share_of_many_workbooks(
    tmp_path: Path, two_cores: list[Path]
) -> None:
    paths = write_workbooks(jobs(tmp_path, 10))
    assert paths == [tmp_path / f"desa_{n:02d}.xlsx" for n in range(10)]
    assert_readable(paths)
    # The helper wrote the rest; the shares were balanced by weight (rows), not by count.
    assert 0 < len(two_cores) < 10
    assert sum(int(p.stem[-2:]) for p in two_cores) in range(20, 26)


def test_a_share_a_helper_fails_on_is_written_here(
    tmp_path: Path, two_cores: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(excel, "_HELPER", "raise SystemExit(3)")
    paths = write_workbooks(jobs(tmp_path, 10))
    assert sorted(two_cores) == paths
    assert_readable(paths)


def test_few_workbooks_are_written_in_this_process(tmp_path: Path, two_cores: list[Path]) -> None:
    paths = write_workbooks(jobs(tmp_path, 3))
    assert two_cores == [tmp_path / f"desa_{n:02d}.xlsx" for n in (2, 1, 0)]
    assert_readable(paths)


def test_helper_processes_start_without_pandas() -> None:
    """A helper loads the layout modules only: loading pandas there would cost more than the
    helper saves."""
    check = (
        "import sys, bantuan_iuran.excel, bantuan_iuran.corrections; "
        "sys.exit('pandas' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", check], check=False).returncode == 0
