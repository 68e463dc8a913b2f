"""The I/O floor: the same village files read by python-calamine directly, the registry's needed
columns read by pyarrow, and the same output rows written by the fastest writers, with no logic
in between. Prints one JSON line of timings (seconds)."""

from __future__ import annotations

import csv
import io
import json
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import xlsxwriter
from python_calamine import CalamineWorkbook

NEEDED = ["NIK", "NO_KK", "NAMA_LGKP", "TGL_LHR", "NO_PROP", "NO_KAB", "NO_KEC", "NO_KEL",
          "JENIS_PKRJN", "TGL_MATI"]  # fmt: skip


def read_villages(folder: Path) -> int:
    rows = 0
    for path in sorted(folder.rglob("*.*")):
        if path.suffix == ".csv":
            data = path.read_bytes()
            text = data.decode("utf-8-sig", errors="replace")
            rows += sum(1 for _ in csv.reader(io.StringIO(text), delimiter=";"))
            continue
        workbook = CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            rows += len(workbook.get_sheet_by_name(name).to_python())
    return rows


def write_outputs(work: Path, out: Path) -> None:
    """The validated table as CSV, and as many xlsx rows in as many files as the tool writes."""
    validated = pq.read_table(work / "validated.parquet")
    pa_csv.write_csv(validated, out / "validated.csv")
    rows = validated.select(["nik", "name", "birth_date", "kode_desa", "status", "reasons"])
    records = rows.to_pylist()
    eligible = [r for r in records if r["status"] == "eligible"]
    others = [r for r in records if r["status"] != "eligible"]
    files = {"eligible.xlsx": eligible, "summary.xlsx": eligible[:200]}
    by_village: dict[str, list[dict]] = {}
    for record in others:
        by_village.setdefault(record["kode_desa"], []).append(record)
    files.update({f"v{kode}.xlsx": group for kode, group in by_village.items()})
    for name, group in files.items():
        workbook = xlsxwriter.Workbook(str(out / name), {"constant_memory": True})
        sheet = workbook.add_worksheet()
        for index, record in enumerate(group):
            sheet.write_row(index, 0, [str(v) for v in record.values()])
        workbook.close()


def main() -> None:
    villages, registry, work = (Path(a) for a in sys.argv[1:4])
    timings = {}
    start = time.perf_counter()
    timings["rows_read"] = read_villages(villages)
    timings["read_villages"] = time.perf_counter() - start
    start = time.perf_counter()
    pq.read_table(registry, columns=NEEDED)
    timings["read_registry"] = time.perf_counter() - start
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        write_outputs(work, Path(out))
    timings["write_outputs"] = time.perf_counter() - start
    timings["total"] = (
        timings["read_villages"] + timings["read_registry"] + timings["write_outputs"]
    )
    print(json.dumps(timings))


if __name__ == "__main__":
    main()
