"""Per-file layouts the analyst writes in the config (`[[layout]]`), for the sheet detection
cannot read or reads wrongly. An override wins over detection and is recorded in the manifest
with the rest of the configuration.

    [[layout]]
    file = "PANGGUL/Desa Besuki.xlsx"   # as ingest_log.csv names it; * and ? match any text
    sheet = "Sheet1"                     # optional: every sheet when left out
    header_row = 5                       # the row number Excel shows; 0 when there is none
    nik = "C"
    name = "B"
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from bantuan_iuran.errors import ConfigError
from bantuan_iuran.ingest.cells import Cell
from bantuan_iuran.ingest.headers import FIELDS
from bantuan_iuran.ingest.layout import Found, Layout, column_letter

_COLUMN = re.compile(r"^[A-Z]{1,3}$")
_KEYS = {"file", "sheet", "header_row", "data_row"}
_COLUMN_FIELDS = tuple(f for f in FIELDS if f != "number")


@dataclass(frozen=True)
class LayoutOverride:
    file: str
    sheet: str | None
    header_row: int  # as a person sees it; 0 = no header row
    data_row: int  # the first row of people, as a person sees it
    columns: dict[str, int]

    def applies_to(self, file: str, sheet: str) -> bool:
        return fnmatchcase(file, self.file) and (self.sheet is None or self.sheet == sheet)


def column_index(letters: str) -> int:
    """'A' -> 0, 'AB' -> 27."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def parse_overrides(entries: Any) -> tuple[LayoutOverride, ...]:
    """The config's [[layout]] tables, every mistake named with the entry it is in."""
    if not isinstance(entries, list):
        raise ConfigError("`layout` must be a list of [[layout]] tables.")
    return tuple(_parse_entry(entry, number) for number, entry in enumerate(entries, start=1))


def _parse_entry(entry: Any, number: int) -> LayoutOverride:
    where = f"[[layout]] number {number}"
    if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
        raise ConfigError(f"{where} needs `file`, the file as ingest_log.csv names it.")
    unknown = set(entry) - _KEYS - set(_COLUMN_FIELDS)
    if unknown:
        raise ConfigError(
            f"{where} ({entry['file']}) has unknown keys: {', '.join(sorted(unknown))}.",
            hint=f"Columns can be given for: {', '.join(_COLUMN_FIELDS)}.",
        )
    columns = {}
    for name in _COLUMN_FIELDS:
        if name in entry:
            letters = str(entry[name]).strip().upper()
            if not _COLUMN.match(letters):
                raise ConfigError(f"{where}: {name} = {entry[name]!r} is not a column letter.")
            columns[name] = column_index(letters)
    if "nik" not in columns or not columns.keys() & {"name", "name_first"}:
        raise ConfigError(f"{where} ({entry['file']}) must give the `nik` and `name` columns.")
    header_row = _row_number(entry.get("header_row", 1), f"{where}: header_row", minimum=0)
    data_row = _row_number(entry.get("data_row", header_row + 1), f"{where}: data_row", 1)
    sheet = entry.get("sheet")
    return LayoutOverride(entry["file"], None if sheet is None else str(sheet), header_row,
                          data_row, columns)  # fmt: skip


def _row_number(value: Any, what: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(f"{what} must be a whole row number of at least {minimum}.")
    return value


def find_override(
    overrides: Sequence[LayoutOverride], file: str, sheet: str
) -> LayoutOverride | None:
    return next((o for o in overrides if o.applies_to(file, sheet)), None)


def layout_from_override(override: LayoutOverride, rows: Sequence[Sequence[Cell]]) -> Layout:
    header_index = override.header_row - 1 if override.header_row else None
    header = rows[header_index] if header_index is not None and header_index < len(rows) else []
    texts = {i: c.text for i, c in enumerate(header)}
    columns = {index: name for name, index in override.columns.items()}
    found = {
        name: Found(index, texts.get(index, ""), "override")
        for name, index in override.columns.items()
    }
    extra = {i: t for i, t in texts.items() if t and i not in columns}
    return Layout(header_index, override.data_row - 1, columns, extra, found)


def override_problem(override: LayoutOverride, rows: Sequence[Sequence[Cell]]) -> str:
    """What makes a [[layout]] impossible for this sheet ('' when nothing): a row or column
    outside the sheet reads nothing, and must say so rather than read nothing silently."""
    width = max((len(row) for row in rows), default=0)
    for what, row in (("header_row", override.header_row), ("data_row", override.data_row)):
        if row > len(rows):
            return f"[[layout]] {what} = {row} is outside the sheet (it has {len(rows)} rows)"
    for name, index in sorted(override.columns.items(), key=lambda item: item[1]):
        if index >= width:
            return (
                f'[[layout]] {name} = "{column_letter(index)}" is outside the sheet (its last '
                f"column is {column_letter(width - 1) if width else 'none'})"
            )
    return ""


def suggest_override(
    file: str, sheet: str, header_row: int | None, columns: Mapping[str, int]
) -> str:
    """The [[layout]] lines that read a sheet, to paste into bantuan.toml and correct."""
    lines = ["[[layout]]", f"file = {_quoted(file)}"]
    if sheet:
        lines.append(f"sheet = {_quoted(sheet)}")
    lines.append(f"header_row = {0 if header_row is None else header_row + 1}")
    for name in ("nik", "name", *[f for f in _COLUMN_FIELDS if f not in ("nik", "name")]):
        if name in columns:
            lines.append(f'{name} = "{column_letter(columns[name])}"')
        elif name in ("nik", "name"):
            lines.append(f'{name} = "?"  # the column letter of the {name.upper()}')
    return "\n".join(lines)


def _quoted(text: str) -> str:
    """A TOML basic string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
