"""Lists that write each person over two rows: the number, name and NIK on the first, the
address and family card on the second, with a second header row to match:

    No | Nama          | NIK              | Tgl Lahir
       | Alamat        | No. KK           |
    1  | BUDI SANTOSO  | 3503011205800001 | 12-05-1980
       | Dsn Krajan    | 3503010101105001 |

Before the table is looked for, each person's second row is joined to the first: its cells
become columns at the end of the row, headed by the second header row, and the second row
itself stays, as a note that says whose continuation it is (dropped.csv lists it). A list is
taken for one only on evidence: a header row naming the number, name and NIK, a second header
row naming other fields and holding no NIK, and data rows that alternate, numbered and not.
"""

from __future__ import annotations

from bantuan_iuran.ingest.cells import EMPTY, Cell, Sheet
from bantuan_iuran.ingest.headers import match_header

_HEADER_SEARCH = 60
_SAMPLE = 20
_ALTERNATING = 0.8


def join_two_row_persons(sheet: Sheet) -> Sheet:
    """The sheet with every person's two rows joined into one (the same sheet otherwise)."""
    found = _two_row_header(sheet.rows)
    if found is None:
        return sheet
    header, number = found
    width = max(len(row) for row in sheet.rows)
    rows = [list(row) + [EMPTY] * (width - len(row)) for row in sheet.rows]
    second = header + 1
    if not _alternates(rows, second + 1, number):
        return sheet
    extra = [c for c in range(width) if rows[second][c].text]
    rows[header] = rows[header] + [rows[second][c] for c in extra]
    rows[second] = [Cell(f"(baris judul kedua, digabung ke baris {header + 1})")]
    index = second + 1
    while index < len(rows):
        first = rows[index]
        if (
            _numbered(first, number)
            and index + 1 < len(rows)
            and _continues(rows[index + 1], number)
        ):
            continuation = rows[index + 1]
            rows[index] = first + [continuation[c] for c in extra]
            text = " | ".join(cell.text for cell in continuation if cell.text)
            rows[index + 1] = [Cell(f"(lanjutan baris {index + 1}) {text}")]
            index += 2
            continue
        rows[index] = first + [EMPTY] * len(extra)
        index += 1
    return Sheet(sheet.name, rows)


def _two_row_header(rows: list[list[Cell]]) -> tuple[int, int] | None:
    """(header row, number column) when a header naming the number, name and NIK has a second
    header row under it that names other fields and holds no number of a person."""
    for index, row in enumerate(rows[:_HEADER_SEARCH]):
        fields = {match_header(cell.text).field: column for column, cell in enumerate(row)
                  if cell.text}  # fmt: skip
        if not {"nik", "name", "number"} <= fields.keys() or index + 1 >= len(rows):
            continue
        below = [match_header(cell.text).field for cell in rows[index + 1] if cell.text]
        named = [field for field in below if field and field not in fields]
        if named and len(named) == len(below) and not any(c.text[:1].isdigit()
                                                          for c in rows[index + 1]):  # fmt: skip
            return index, fields["number"]
        return None
    return None


def _numbered(row: list[Cell], number: int) -> bool:
    return number < len(row) and row[number].text.rstrip(".").isdigit()


def _continues(row: list[Cell], number: int) -> bool:
    return not _numbered(row, number) and any(cell.text for cell in row)


def _alternates(rows: list[list[Cell]], start: int, number: int) -> bool:
    """Most numbered rows among the first are followed by an unnumbered one."""
    numbered = [i for i in range(start, min(len(rows) - 1, start + 2 * _SAMPLE))
                if _numbered(rows[i], number)]  # fmt: skip
    followed = sum(_continues(rows[i + 1], number) for i in numbered)
    return len(numbered) >= 2 and followed >= _ALTERNATING * len(numbered)
