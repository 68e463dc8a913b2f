"""Where a village's table is: the header row, what each column holds, and which rows are people.

Clerks put one to five title rows above the header, sometimes a second header row under merged
cells, a row of column numbers, and totals and a signature block under the table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bantuan_iuran.ingest.cells import EMPTY, Cell

HEADER_SEARCH_ROWS = 15
REQUIRED = ("nik", "name")

_HEADER_TEXT = re.compile(r"[^A-Z0-9]+")
_TOTAL = re.compile(r"^(JUMLAH|TOTAL|JML)\b|^\d+\s*(ORANG|ORG|JIWA|KK|PESERTA)\b", re.IGNORECASE)
_SIGNATURE = re.compile(
    r"MENGETAHUI|KEPALA DESA|KADES\b|LURAH\b|SEKRETARIS|CAMAT\b|PETINGGI|NIP[.:\s]|^TTD|"
    r"DIBUAT OLEH|YANG MEMBUAT|PENANGGUNG JAWAB|PERANGKAT DESA|^\(.*\)$|"
    # The place and date line of a signature: "Trenggalek, 14 Oktober 2026".
    r"^[A-Z .]+,\s*\d{1,2}\s+[A-Z]+\s+\d{4}$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d")


def header_key(text: str) -> str:
    """'No. NIK' -> 'NO NIK', 'Tempat, Tgl Lahir' -> 'TEMPAT TGL LAHIR'."""
    return _HEADER_TEXT.sub(" ", text.upper()).strip()


def alias_lookup(headers: Mapping[str, Sequence[str]]) -> dict[str, str]:
    return {header_key(alias): column for column, aliases in headers.items() for alias in aliases}


@dataclass
class Layout:
    """A sheet's table: `columns` maps a column index to its canonical name; `extra` keeps the
    headers of columns the alias table does not know."""

    header_row: int
    data_start: int
    columns: dict[int, str]
    extra: dict[int, str] = field(default_factory=dict)

    def index_of(self, column: str) -> int | None:
        return next((i for i, c in self.columns.items() if c == column), None)


def _map_row(row: Sequence[Cell], lookup: Mapping[str, str]) -> dict[int, str]:
    mapped: dict[int, str] = {}
    for index, cell in enumerate(row):
        column = lookup.get(header_key(cell.text)) if cell.text else None
        if column and column not in mapped.values():
            mapped[index] = column
    return mapped


def _looks_like_data(row: Sequence[Cell]) -> bool:
    return any(len(_DIGITS.findall(c.text)) >= 10 for c in row)


def _has_required(columns: Mapping[int, str]) -> bool:
    present = set(columns.values())
    return "nik" in present and ("name" in present)


def find_layout(rows: Sequence[Sequence[Cell]], lookup: Mapping[str, str]) -> Layout | None:
    """The first row in the top 15 that names a NIK and a name column, merged with a sub-header
    row under it when the header used merged cells ("TEMPAT, TGL LAHIR" over two columns)."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = _map_row(row, lookup)
        data_start = index + 1
        below = _map_row(rows[index + 1], lookup) if index + 1 < len(rows) else {}
        if columns and below and not _looks_like_data(rows[index + 1]):
            columns = {i: c for i, c in columns.items() if c not in below.values()} | below
            data_start = index + 2
        if _has_required(columns):
            extra = {
                i: cell.text
                for i, cell in enumerate(row)
                if cell.text and i not in columns and header_key(cell.text)
            }
            return Layout(index, data_start, columns, extra)
    return None


def cell_at(row: Sequence[Cell], index: int | None) -> Cell:
    if index is None or index >= len(row):
        return EMPTY
    return row[index]


def classify_row(row: Sequence[Cell], layout: Layout, lookup: Mapping[str, str]) -> str:
    """'applicant', or why the row is not one: blank, header, numbering, total, signature."""
    texts = [c.text for c in row if c.text]
    if not texts:
        return "blank"
    if len(_map_row(row, lookup)) >= 2:
        return "header"
    if _is_numbering(texts):
        return "numbering"
    nik = cell_at(row, layout.index_of("nik")).text
    name = cell_at(row, layout.index_of("name")).text
    if not _DIGITS.search(nik) and any(_TOTAL.search(t) for t in texts):
        return "total"
    # Signature blocks are sparse rows; an applicant row with a birth date is not one.
    if len(texts) <= 2 and any(_SIGNATURE.search(t) for t in texts) and not nik:
        return "signature"
    if not nik and not name:
        return "other"
    return "applicant"


def _is_numbering(texts: Sequence[str]) -> bool:
    """The row of column numbers (1, 2, 3, ...) printed under many headers."""
    if len(texts) < 3 or not all(t.isdigit() for t in texts):
        return False
    return [int(t) for t in texts] == list(range(int(texts[0]), int(texts[0]) + len(texts)))
