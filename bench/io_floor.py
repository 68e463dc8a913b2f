"""The I/O floor: the same village files read by python-calamine directly, the registry's needed
columns read by pyarrow, and the same outputs written by the fastest writers, with no logic in
between. Prints one JSON line of timings (seconds).

"The same outputs" are taken from a finished `bantuan run` work directory before the clock
starts: every table (Parquet, CSV) and every workbook's cells, sheet by sheet, so the floor
writes exactly the files, rows and columns the tool writes: Parquet and CSV through pyarrow,
workbooks through xlsxwriter with plain cells (no formats, widths or charts), and the decree's
PDF through reportlab: its workbook's rows, one line of text each in a built-in font, no grid.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import csv  # noqa: E402  (the readers' and writers' import time is part of the floor)
import io  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

import pyarrow.csv as pa_csv  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
import xlsxwriter  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

IMPORTS = time.perf_counter() - STARTED
# The fastest settings: no per-string checks for formulas, numbers or links.
WORKBOOK_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}

NEEDED = ["NIK", "NO_KK", "NAMA_LGKP", "TMPT_LHR", "TGL_LHR", "JENIS_KLMIN", "JENIS_PKRJN",
          "ALAMAT", "NO_RT", "NO_RW", "NO_PROP", "NO_KAB", "NO_KEC", "NO_KEL", "NAMA_KEC",
          "NAMA_KEL", "TGL_MATI"]  # fmt: skip


def read_villages(folder: Path) -> int:
    rows = 0
    for path in sorted(folder.rglob("*.*")):
        if path.suffix == ".csv":
            text = path.read_bytes().decode("utf-8-sig", errors="replace")
            rows += sum(1 for _ in csv.reader(io.StringIO(text), delimiter=";"))
            continue
        workbook = CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            rows += len(workbook.get_sheet_by_name(name).to_python())
    return rows


def load_outputs(run: Path) -> dict[str, object]:
    """Every output of the run, by path relative to the work directory: Arrow tables for
    Parquet and CSV, {sheet: rows of cells} for workbooks."""
    outputs: dict[str, object] = {}
    for path in sorted(run.rglob("*")):
        name = path.relative_to(run).as_posix()
        if path.suffix == ".parquet":
            outputs[name] = pq.read_table(path)
        elif path.suffix == ".csv":
            outputs[name] = pa_csv.read_csv(path)
        elif path.suffix in (".xlsx", ".pdf"):  # a PDF: the text of its workbook's rows
            workbook = CalamineWorkbook.from_path(str(path.with_suffix(".xlsx")))
            outputs[name] = {
                sheet: workbook.get_sheet_by_name(sheet).to_python()
                for sheet in workbook.sheet_names
            }
    return outputs


def write_pdf(sheets: dict[str, list], target: Path) -> None:
    canvas = Canvas(str(target), pageCompression=1)
    lines = [" ".join(str(v) for v in row if v != "") for rows in sheets.values() for row in rows]
    for start in range(0, len(lines), 40):
        for offset, line in enumerate(lines[start : start + 40]):
            canvas.drawString(20, 800 - 14 * offset, line)
        canvas.showPage()
    canvas.save()


def write_outputs(outputs: dict[str, object], out: Path) -> None:
    for name, content in outputs.items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".parquet"):
            pq.write_table(content, target)
        elif name.endswith(".csv"):
            pa_csv.write_csv(content, target)
        elif name.endswith(".pdf"):
            write_pdf(content, target)
        else:
            workbook = xlsxwriter.Workbook(str(target), WORKBOOK_OPTIONS)
            for sheet_name, rows in content.items():
                sheet = workbook.add_worksheet(sheet_name)
                for index, row in enumerate(rows):
                    sheet.write_row(index, 0, row)
            workbook.close()


def main() -> None:
    villages, registry, run = (Path(a) for a in sys.argv[1:4])
    outputs = load_outputs(run)
    timings: dict[str, float] = {"imports": IMPORTS}
    start = time.perf_counter()
    timings["rows_read"] = read_villages(villages)
    timings["read_villages"] = time.perf_counter() - start
    start = time.perf_counter()
    pq.read_table(registry, columns=NEEDED)
    timings["read_registry"] = time.perf_counter() - start
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        write_outputs(outputs, Path(out))
    timings["write_outputs"] = time.perf_counter() - start
    timings["files_written"] = len(outputs)
    timings["total"] = sum(
        timings[part] for part in ("imports", "read_villages", "read_registry", "write_outputs")
    )
    print(json.dumps(timings))


if __name__ == "__main__":
    main()
