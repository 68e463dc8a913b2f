"""The numbered amendment to the decree as an official signs it: who leaves the list (with the
reason and since when) and who replaces them (from which month, for how many months, at what
cost), the totals, and the signature; printed on A4 landscape like the decree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from bantuan_iuran.config import Decree
from bantuan_iuran.excel import (
    WorkbookJob,
    fitted_widths,
    print_landscape,
    set_widths,
    write_fitted_row,
    write_workbook,
)
from bantuan_iuran.money import rupiah, thousands
from bantuan_iuran.monthly.changes import LEAVING
from bantuan_iuran.normalize import indonesian_date
from bantuan_iuran.report.decree import BLANK, MONTH_NAMES, signature_lines

COLUMNS = (("No", 6), ("NIK", 20), ("Nama", 28), ("Desa", 16), ("Kecamatan", 14),
           ("Alasan / Mulai", 30), ("Sejak / Bulan", 12), ("Iuran (Rp)", 14))  # fmt: skip


@dataclass(frozen=True)
class Amendment:
    number: int
    year: int
    regency: str
    start: str  # YYYY-MM: from when the replacements are covered
    removed: pd.DataFrame  # nik, name, desa, kecamatan, left_reason, left_on
    added: pd.DataFrame  # nik, name, desa, kecamatan, months, premium_total


def write_amendment(amendment: Amendment, decree: Decree, path: Path) -> None:
    write_workbook(WorkbookJob(path, _layout, (amendment, decree)))


def _layout(workbook, styles, amendment: Amendment, decree: Decree) -> None:
    sheet = workbook.add_worksheet("Perubahan")
    year, month = (int(part) for part in amendment.start.split("-"))
    start = f"{MONTH_NAMES[month - 1]} {year}"
    lines = [
        f"LAMPIRAN PERUBAHAN KE-{amendment.number} KEPUTUSAN BUPATI {amendment.regency.upper()}",
        f"Tentang: {decree.tentang or BLANK} tahun {amendment.year}",
        f"Nomor: {BLANK}    Tanggal: {BLANK}",
        f"Berlaku mulai {start}.",
    ]
    for row, text in enumerate(lines):
        sheet.write_string(row, 0, text, styles["title"] if row == 0 else styles["plain"])
    removed = [_removed_cells(n, p) for n, p in enumerate(amendment.removed.itertuples(), 1)]
    added = [_added_cells(n, p, start) for n, p in enumerate(amendment.added.itertuples(), 1)]
    headers = [name for name, _ in COLUMNS]
    widths = fitted_widths(headers, removed + added or [[""] * len(COLUMNS)],
                           [width for _, width in COLUMNS])  # fmt: skip
    row = len(lines) + 1
    for title, cells in (("I. DIKELUARKAN DARI DAFTAR", removed),
                         ("II. DITAMBAHKAN SEBAGAI PENGGANTI", added)):  # fmt: skip
        sheet.write_string(row, 0, title, styles["plain_bold"])
        write_fitted_row(sheet, row + 1, headers, widths, styles["header"], bold=True)
        for offset, values in enumerate(cells or [["", "(tidak ada)", *[""] * 6]], start=row + 2):
            write_fitted_row(sheet, offset, values, widths, styles["text"])
        row += len(cells or [0]) + 3
    cost = int(amendment.added["premium_total"].sum()) if len(amendment.added) else 0
    total = (
        f"Jumlah: {thousands(len(removed))} orang dikeluarkan, {thousands(len(added))} orang "
        f"ditambahkan; iuran pengganti {rupiah(cost)} untuk sisa tahun."
    )
    sheet.write_string(row, 0, total, styles["plain_bold"])
    for offset, text in enumerate(signature_lines(decree), start=row + 2):
        if text:
            sheet.write_string(offset, 5, text, styles["plain"])
    set_widths(sheet, widths)
    print_landscape(sheet, 0, widths)


def _removed_cells(number: int, person) -> list[str]:
    reason = LEAVING.get(person.left_reason, (person.left_reason, ""))[0]
    since = indonesian_date(person.left_on) if person.left_on else ""
    return [str(number), person.nik, person.name, person.desa, person.kecamatan, reason, since, ""]


def _added_cells(number: int, person, start: str) -> list[str]:
    cost = thousands(int(person.premium_total))
    return [str(number), person.nik, person.name, person.desa, person.kecamatan,
            f"mulai {start}", f"{person.months} bulan", cost]  # fmt: skip
