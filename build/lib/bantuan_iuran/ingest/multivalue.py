"""Cells that hold two labelled values, as clerks fit a NIK and a family card number into one
cell under a header `NIK / NO. KK`:

    NIK : 3503011205800001
    KK  : 3503010101105001

Such a column is split before the table is looked for: the cell keeps the first labelled
value, and each other label gets a column of its own at the end of the row, headed with its
label, so that header words and content find them like any column.
"""

from __future__ import annotations

import re

from bantuan_iuran.ingest.cells import EMPTY, Cell, Sheet

# "NIK : 3503...", "No. KK: 3503...", "KK = 3503..." (labels of ID numbers only: the values
# split are numbers, so no name or address is ever cut).
_LABELLED = re.compile(
    r"(?i)(?P<label>\b(?:nik|no\.?\s*kk|nomor\s*kk|kk|no\.?\s*ktp|ktp)\b)\s*[:=.]?\s*"
    r"(?P<value>'?\d[\d .\-]{10,24}\d)"
)
# A column is split when most of its first filled cells hold two labelled values.
_MOST = 0.5
_MIN_CELLS = 2
_SAMPLE = 50


def split_labelled_cells(sheet: Sheet) -> Sheet:
    """The sheet with every column of labelled multi-value cells split (the same sheet when
    there is none)."""
    width = max((len(row) for row in sheet.rows), default=0)
    columns = [c for c in range(width) if _is_labelled_column(sheet.rows, c)]
    if not columns:
        return sheet
    rows = [list(row) + [EMPTY] * (width - len(row)) for row in sheet.rows]
    for column in columns:
        labels = _labels(rows, column)
        for row in rows:
            found = _parts(row[column].text)
            if found:
                row[column] = Cell(found.get(labels[0], ""))
                row.extend(Cell(found.get(label, "")) for label in labels[1:])
            elif _is_header_of(row[column].text, labels):
                names = [part.strip() for part in re.split(r"[/&,]", row[column].text)]
                row[column] = Cell(names[0])
                row.extend(Cell(name) for name in (names[1:] + labels)[: len(labels) - 1])
            else:
                row.extend([EMPTY] * (len(labels) - 1))
    return Sheet(sheet.name, rows)


def _parts(text: str) -> dict[str, str]:
    """'NIK' or 'KK' -> value, for a cell with both (No. KK, Nomor KK, KTP are read as such)."""
    found = {
        "KK" if "KK" in m.group("label").upper() else "NIK": m.group("value")
        for m in _LABELLED.finditer(text)
    }
    return found if len(found) >= 2 else {}


def _is_labelled_column(rows: list[list[Cell]], column: int) -> bool:
    filled = [row[column].text for row in rows if column < len(row) and row[column].text]
    filled = filled[:_SAMPLE]
    if sum(":" in text or "=" in text for text in filled) < _MIN_CELLS:
        return False  # most columns: no label anywhere, decided without a regex
    labelled = sum(bool(_parts(text)) for text in filled)
    return labelled >= _MIN_CELLS and labelled >= _MOST * len(filled)


def _labels(rows: list[list[Cell]], column: int) -> list[str]:
    """The column's labels in the order its cells write them."""
    labels: list[str] = []
    for row in rows:
        for label in _parts(row[column].text):
            if label not in labels:
                labels.append(label)
    return labels


def _is_header_of(text: str, labels: list[str]) -> bool:
    """'NIK / NO. KK': a header that names the labels of the cells under it."""
    words = re.sub(r"[\s.]", "", text).upper()
    return len(labels) > 1 and sum(label in words for label in labels) >= 2
