"""The correction workbooks sent back to villages (perbaikan/<KECAMATAN>/<DESA>.xlsx).

In Indonesian: each row as the village sent it, with its row number in their file, the reason
in words, the suggested NIK, and the registry's evidence beside the village's own values, so a
clerk sees at a glance what differs. Layout only; the rules live in validate.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from bantuan_iuran.atomic import atomic_path
from bantuan_iuran.excel import (
    formats,
    new_workbook,
    print_landscape,
    set_widths,
    write_text_row,
)
from bantuan_iuran.frames import plain_columns

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


def correction_path(outdir: Path, kecamatan: str, desa: str) -> Path:
    return outdir / _safe(kecamatan.upper()) / f"{_safe(desa.upper())}.xlsx"


def _safe(name: str) -> str:
    return re.sub(r"[^\w\- ]+", "_", name).strip() or "_"


def write_correction_workbooks(
    validated: pd.DataFrame, ingested: pd.DataFrame, outdir: Path, year: int
) -> list[Path]:
    """One workbook per village with rows to fix or rows turned down; returns the paths."""
    sent = ingested[["row_id", "nik_raw", "name", "birth_date"]]
    rows = validated.merge(sent, on="row_id", how="left", suffixes=("", "_sent"))
    rows = plain_columns(rows[rows["status"] != "eligible"])
    written = []
    for (kecamatan, desa, source), group in rows.groupby(
        [rows["kecamatan"], rows["desa"], rows["source_file"].where(rows["desa"] == "", "")],
        sort=True,
    ):
        if not desa:
            kecamatan, desa = UNKNOWN_VILLAGE, Path(source).stem
        path = correction_path(outdir, kecamatan, desa)
        with atomic_path(path) as tmp:
            _write_workbook(tmp, group, desa, kecamatan, year)
        written.append(path)
    return written


def _write_workbook(path: Path, rows: pd.DataFrame, desa: str, kecamatan: str, year: int) -> None:
    workbook = new_workbook(path)
    styles = formats(workbook)
    for status, title in (
        ("needs_fix", "Perlu diperbaiki"),
        ("ineligible", "Tidak memenuhi syarat"),
    ):
        subset = rows[rows["status"] == status]
        if subset.empty:
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
        for offset, row in enumerate(subset.itertuples(index=False), start=1):
            _write_row(sheet, 3 + offset, offset, row, styles)
        set_widths(sheet, [w for _, w in _COLUMNS])
        sheet.freeze_panes(4, 0)
        sheet.autofilter(3, 0, 3 + len(subset), len(_COLUMNS) - 1)
        print_landscape(sheet, 3)
    workbook.close()


def _write_row(sheet, row_index: int, number: int, row, styles) -> None:
    name_differs = "NAME_MISMATCH" in row.reasons
    date_differs = "BIRTHDATE_MISMATCH" in row.reasons
    village_differs = bool(row.registry_kode_desa) and row.registry_kode_desa != row.kode_desa
    cells = [
        (number, "text"),
        (row.source_file, "text"),
        (row.source_sheet, "text"),
        (row.source_row, "text"),
        (row.nik_raw, "differs" if row.nik_suggested else "text"),
        (row.name_sent, "differs" if name_differs else "text"),
        (row.birth_date_sent, "differs" if date_differs else "text"),
        (row.reasons.replace(";", ", "), "text"),
        (" ".join(filter(None, [row.reason_text, row.reason_detail])), "text"),
        (row.nik_suggested, "text"),
        (row.suggestion_basis, "text"),
        (row.registry_name, "differs" if name_differs else "text"),
        (row.registry_birth_date, "differs" if date_differs else "text"),
        (row.registry_desa, "differs" if village_differs else "text"),
        ("" if pd.isna(row.name_similarity) else f"{row.name_similarity:.0f}", "text"),
    ]
    for column, (value, style) in enumerate(cells):
        sheet.write_string(row_index, column, str(value), styles[style])
    sheet.set_row(row_index, row_height([str(v) for v, _ in cells], [w for _, w in _COLUMNS]))


LINE_HEIGHT = 15


def row_height(texts: list[str], widths: list[int]) -> float:
    """Enough height for the longest wrapped cell: spreadsheets do not grow rows by themselves
    when a file sets its rows, and a clipped reason helps nobody."""
    lines = max(
        -(-len(text) // max(width - 1, 1)) for text, width in zip(texts, widths, strict=True)
    )
    return LINE_HEIGHT * max(lines, 1)
