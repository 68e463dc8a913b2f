"""Who leaves the programme during the year, each with a reason and the day it happened: from
a newer registry extract (a death date; a residence outside the regency) and from reports
that reach the office (a list of NIKs with what happened, in any layout: 'meninggal',
'pindah', 'bekerja di pabrik', 'mengundurkan diri'). Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from bantuan_iuran.ingest.cells import Sheet
from bantuan_iuran.ingest.layout import Layout, find_layout
from bantuan_iuran.ingest.notes import read_action
from bantuan_iuran.ingest.rows import rows_by_nik
from bantuan_iuran.nik import clean_nik
from bantuan_iuran.normalize import normalize_date

DECEASED, MOVED, WAGE_EARNER, WITHDRAWN = "DECEASED", "MOVED", "WAGE_EARNER", "WITHDRAWN"
# What the office and the branch read; the deactivation sheet's code per reason.
LEAVING = {
    DECEASED: ("Meninggal dunia", ""),
    MOVED: ("Pindah domisili ke luar kabupaten", "2"),
    WAGE_EARNER: ("Bekerja sebagai penerima upah (didaftarkan pemberi kerja)", "3"),
    WITHDRAWN: ("Mengundurkan diri", "1"),
}
_WAGE_WORDS = re.compile(r"(?i)\b(bekerja|kerja|karyawan|buruh pabrik|pabrik|perusahaan|ppu|"
                         r"penerima upah|pegawai)\b")  # fmt: skip
_ACTION_REASONS = {"meninggal": DECEASED, "pindah": MOVED, "mengundurkan diri": WITHDRAWN,
                   "bukan warga": MOVED}  # fmt: skip


@dataclass(frozen=True)
class Leaver:
    nik: str
    reason: str  # a code of LEAVING
    on: str  # ISO day it happened ('' when the source does not say)
    source: str  # where it was read: 'dukcapil_2027_06.parquet', 'laporan.xlsx Sheet1 baris 4'


def from_registry(
    people: pd.DataFrame, registry: pd.DataFrame, regency: str, extract: str, as_of: date
) -> list[Leaver]:
    """Registered people the newer extract shows dead, or living outside the regency (the
    move's day unknown: the extract's own day, `as_of`)."""
    found = []
    rows = registry.drop_duplicates("nik").set_index("nik")
    for nik in people["nik"]:
        if nik not in rows.index:
            continue
        row = rows.loc[nik]
        if row["death_date"]:
            found.append(Leaver(nik, DECEASED, row["death_date"], extract))
        elif row["kode_desa"] and not row["kode_desa"].startswith(regency):
            found.append(Leaver(nik, MOVED, as_of.isoformat(), extract))
    return found


def from_reports(sheets: Sequence[Sheet], file_name: str) -> tuple[list[Leaver], list[str]]:
    """Each row with a NIK and what happened (any column holding the words), with its date
    (any other date on the row than a birth date); the rows whose words say nothing known."""
    leavers, unread = [], []
    for sheet in sheets:
        layout = find_layout(sheet.rows, {})
        if not isinstance(layout, Layout) or layout.index_of("nik") is None:
            continue
        born = layout.index_of("birth_date")
        keyed = rows_by_nik(sheet.name, sheet.rows, layout)
        unread += [f"{file_name} {where}" for where in keyed.unread]
        for number, nik, row in keyed.rows:
            others = [c.text for i, c in enumerate(row) if c.text and i != born]
            where = f"{file_name} {sheet.name} baris {number}"
            reason = reported_reason(" ".join(others))
            if reason:
                leavers.append(Leaver(nik, reason, _event_day(others), where))
            else:
                unread.append(where)
    return leavers, unread


def reported_reason(text: str) -> str:
    """The reason a report gives, or ''.

    >>> reported_reason("Alm. meninggal 3 Mei"), reported_reason("kerja di pabrik rokok")
    ('DECEASED', 'WAGE_EARNER')
    >>> reported_reason("pindah ke Tulungagung"), reported_reason("tidak bersedia lagi")
    ('MOVED', 'WITHDRAWN')
    """
    action = read_action(text)
    if action.value.startswith("dibatalkan: "):
        reason = _ACTION_REASONS.get(action.value.removeprefix("dibatalkan: "))
        if reason:
            return reason
    return WAGE_EARNER if _WAGE_WORDS.search(text) else ""


def _event_day(texts: list[str]) -> str:
    for text in texts:
        if re.search(r"\d", text) and not re.fullmatch(r"\d{16}", clean_nik(text)):
            day = normalize_date(text, latest_year=2100)
            if day:
                return day
    return ""
