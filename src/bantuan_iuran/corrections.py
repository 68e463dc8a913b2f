"""The correction workbooks sent back to villages (perbaikan/<KECAMATAN>/<DESA>.xlsx).

In Indonesian: each row as the village sent it, with its row number in their file, the reason
in words, the suggested NIK, and the registry's evidence beside the village's own values, so a
clerk sees at a glance what differs. Layout only; the rules live in validate.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bantuan_iuran.excel import (
    WorkbookJob,
    print_landscape,
    set_widths,
    write_text_row,
)
from bantuan_iuran.frames import records

if TYPE_CHECKING:  # no pandas at import: helper processes lay the workbooks out
    import pandas as pd

_COLUMNS = (
    ("No", 5),
    ("File", 24),
    ("Sheet", 10),
    ("Baris", 7),
    ("NIK (dari desa)", 20),
    ("Nama (dari desa)", 24),
    ("Tgl lahir (dari desa)", 14),
    ("Masalah", 22),
    ("Keterangan", 60),
    ("NIK yang disarankan", 20),
    ("Dasar saran", 26),
    ("Nama di Dukcapil", 24),
    ("Tgl lahir di Dukcapil", 14),
    ("Desa di Dukcapil", 18),
    ("Kemiripan nama (%)", 10),
)
UNKNOWN_VILLAGE = "_DESA_TIDAK_DIKENALI"
_WIDTHS = [width for _, width in _COLUMNS]


def correction_path(outdir: Path, kecamatan: str, desa: str) -> Path:
    return outdir / _safe(kecamatan.upper()) / f"{_safe(desa.upper())}.xlsx"


def _safe(name: str) -> str:
    return re.sub(r"[^\w\- ]+", "_", name).strip() or "_"


def correction_jobs(
    validated: pd.DataFrame, ingested: pd.DataFrame, outdir: Path, year: int
) -> list[WorkbookJob]:
    """One workbook per village with rows to fix or rows turned down, as jobs in path order
    for excel.write_workbooks (or start_workbooks)."""
    jobs = [
        WorkbookJob(
            correction_path(outdir, kecamatan, desa),
            _layout,
            (rows, desa, kecamatan, year),
            weight=len(rows),
        )
        for (kecamatan, desa), rows in _rows_by_village(validated, ingested)
    ]
    return sorted(jobs, key=lambda job: job.target)


_FIELDS = [
    "status", "kecamatan", "desa", "kode_desa", "source_file", "source_sheet", "source_row",
    "reasons", "reason_text", "reason_detail", "nik_suggested", "suggestion_basis",
    "registry_name", "registry_birth_date", "registry_kode_desa", "registry_desa",
    "name_similarity",
]  # fmt: skip
_SENT = {"nik_raw": "nik_raw", "name": "name_sent", "birth_date": "birth_date_sent"}


def _rows_by_village(
    validated: pd.DataFrame, ingested: pd.DataFrame
) -> list[tuple[tuple[str, str], list[dict[str, Any]]]]:
    """The rows not eligible as plain records, with the values the village sent, per village
    in file order; rows of an unknown village go under their file's name."""
    sent = ingested[["row_id", *_SENT]].rename(columns=_SENT)
    rows = validated.loc[validated["status"] != "eligible", ["row_id", *_FIELDS]]
    rows = rows.merge(sent, on="row_id", how="left")
    similarity = rows["name_similarity"].map(lambda v: "" if v != v else f"{v:.0f}")
    villages: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for record in records(rows.assign(name_similarity=similarity), [*_FIELDS, *_SENT.values()]):
        kecamatan, desa = record["kecamatan"], record["desa"]
        if not desa:
            kecamatan, desa = UNKNOWN_VILLAGE, Path(record["source_file"]).stem
        villages.setdefault((kecamatan, desa), []).append(record)
    return list(villages.items())


def _layout(
    workbook, styles, rows: list[dict[str, Any]], desa: str, kecamatan: str, year: int
) -> None:
    for status, title in (
        ("needs_fix", "Perlu diperbaiki"),
        ("ineligible", "Tidak memenuhi syarat"),
    ):
        subset = [row for row in rows if row["status"] == status]
        if not subset:
            continue
        sheet = workbook.add_worksheet(title)
        sheet.write_string(
            0,
            0,
            f"{title.upper()} - DESA {desa.upper()} KECAMATAN {kecamatan.upper()}",
            styles["title"],
        )
        sheet.write_string(
            1,
            0,
            f"Bantuan iuran BPJS Ketenagakerjaan tahun {year}. "
            + (
                "Mohon perbaiki baris berikut pada file desa dan kirim kembali."
                if status == "needs_fix"
                else "Baris berikut tidak dapat diusulkan; keterangan ada pada setiap baris."
            ),
            styles["subtitle"],
        )
        write_text_row(sheet, 3, [c for c, _ in _COLUMNS], styles["header"])
        sheet.set_row(3, 30)
        for number, row in enumerate(subset, start=1):
            _write_row(sheet, 3 + number, number, row, styles)
        set_widths(sheet, _WIDTHS)
        sheet.freeze_panes(4, 0)
        sheet.autofilter(3, 0, 3 + len(subset), len(_COLUMNS) - 1)
        print_landscape(sheet, 3)


def _write_row(sheet, row_index: int, number: int, row: dict[str, Any], styles) -> None:
    name_differs = "NAME_MISMATCH" in row["reasons"]
    date_differs = "BIRTHDATE_MISMATCH" in row["reasons"]
    village_differs = (
        bool(row["registry_kode_desa"]) and row["registry_kode_desa"] != row["kode_desa"]
    )
    cells = [
        (str(number), "text"),
        (row["source_file"], "text"),
        (row["source_sheet"], "text"),
        (str(row["source_row"]), "text"),
        (row["nik_raw"], "differs" if row["nik_suggested"] else "text"),
        (row["name_sent"], "differs" if name_differs else "text"),
        (row["birth_date_sent"], "differs" if date_differs else "text"),
        (row["reasons"].replace(";", ", "), "text"),
        (" ".join(filter(None, [row["reason_text"], row["reason_detail"]])), "text"),
        (row["nik_suggested"], "text"),
        (row["suggestion_basis"], "text"),
        (row["registry_name"], "differs" if name_differs else "text"),
        (row["registry_birth_date"], "differs" if date_differs else "text"),
        (row["registry_desa"], "differs" if village_differs else "text"),
        (row["name_similarity"], "text"),
    ]
    for column, (value, style) in enumerate(cells):
        sheet.write_string(row_index, column, value, styles[style])
    sheet.set_row(row_index, row_height([value for value, _ in cells], _WIDTHS))


LINE_HEIGHT = 15


def row_height(texts: list[str], widths: list[int]) -> float:
    """Enough height for the longest wrapped cell: spreadsheets do not grow rows by themselves
    when a file sets its rows, and a clipped reason helps nobody."""
    lines = max(
        -(-len(text) // max(width - 1, 1)) for text, width in zip(texts, widths, strict=True)
    )
    return LINE_HEIGHT * max(lines, 1)
