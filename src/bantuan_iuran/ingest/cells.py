"""Reading sheets into rows of cells, one reader for every format villages send.

A cell keeps its text exactly as the sheet shows it and whether it was a number: a number cell
is where Excel destroys a NIK's 16th digit, and validation must know.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import NamedTuple

from bantuan_iuran.money import thousands
from bantuan_iuran.textfiles import decode_text_bytes, sniff_delimiter

# Web-page tables (.htm, or saved as .xls) and Excel 2003 XML spreadsheets open in Excel too.
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".htm", ".html", ".xml")
# Text exports: CSV from Excel (`,` or `;`), DTKS/SIKS-NG (`|`), tab-separated copies.
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
INPUT_SUFFIXES = SPREADSHEET_SUFFIXES + CSV_SUFFIXES
# Formats whose native reader this module cannot check before it runs (check_zip_container
# guards .xlsx): read in a helper process only (ingest/__init__.py).
ISOLATED_SUFFIXES = (".xls", ".ods")


# A village list is a few megabytes unpacked; anything near these limits is hostile or broken.
MAX_UNPACKED_BYTES = 256 * 2**20
MAX_PACKING_RATIO = 500
_CHUNK = 2**20
# Entities are declared only in a DTD: no spreadsheet part needs one, every XML bomb does.
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")


class UnreadableFile(Exception):
    """The file is not a spreadsheet this tool can read; the message says why, in plain words."""


class Cell(NamedTuple):
    """A tuple, not a dataclass: a regency batch makes a quarter of a million of them."""

    text: str
    is_number: bool = False


EMPTY = Cell("")


@dataclass(frozen=True)
class Sheet:
    """One sheet's cells; rows[i] is the row a person sees as number i + 1."""

    name: str
    rows: list[list[Cell]]


def cell_from_value(value: object) -> Cell:
    if isinstance(value, str):  # most cells: checked first
        text = value.strip()
        return Cell(text) if text else EMPTY
    if value is None:
        return EMPTY
    if isinstance(value, bool):
        return Cell("TRUE" if value else "FALSE")
    if isinstance(value, int):
        return Cell(str(value), is_number=True)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e17:
            return Cell(str(int(value)), is_number=True)
        return Cell(repr(value), is_number=True)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return Cell(value.date().isoformat())
        return Cell(value.isoformat(sep=" "))
    if isinstance(value, date):
        return Cell(value.isoformat())
    if isinstance(value, timedelta | time):
        return Cell(str(value))
    return Cell(str(value).strip())


def read_sheets(path: Path) -> list[Sheet]:
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise UnreadableFile("the file is empty (0 bytes)")
    if suffix in CSV_SUFFIXES:
        return [read_csv(path)]
    return read_workbook(path)


def read_workbook(path: Path) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    from bantuan_iuran.ingest.markup import markup_kind, read_markup

    with path.open("rb") as handle:
        head = handle.read(4096)
    kind = markup_kind(head)
    if kind:
        if path.stat().st_size > MAX_UNPACKED_BYTES:
            raise UnreadableFile("the file is too large for a village list; refused")
        return read_markup(path.read_bytes(), kind)
    if head.startswith(b"\xd0\xcf\x11\xe0") and path.suffix.lower() != ".xls":
        # An OLE container named .xlsx/.ods is how Office saves a password-protected workbook.
        raise UnreadableFile("the workbook is password-protected (encrypted); save it without one")
    if zipfile.is_zipfile(path):
        check_zip_container(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = []
        for name in workbook.sheet_names:
            values = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            rows = [[cell_from_value(v) for v in row] for row in values]
            sheets.append(Sheet(name, split_text_rows(rows)))
    except Exception as exc:  # calamine raises many types for many broken files
        raise UnreadableFile(describe_read_error(exc, head)) from exc
    return sheets


def split_text_rows(rows: list[list[Cell]]) -> list[list[Cell]]:
    """A sheet whose every row is one cell of delimited text ('NIK;NAMA;TGL LAHIR'): a CSV
    opened where the list separator is another and saved as a workbook. Read as the CSV it
    was; any other sheet as it is.

    >>> rows = split_text_rows([[Cell("NIK;NAMA;LAHIR")], [Cell("3503;SITI;1980")], []])
    >>> [[cell.text for cell in row] for row in rows]
    [['NIK', 'NAMA', 'LAHIR'], ['3503', 'SITI', '1980'], []]
    """
    filled = [row for row in rows if any(cell.text for cell in row)]
    if len(filled) < 2 or any(sum(1 for c in row if c.text) != 1 or not row[0].text
                              for row in filled):  # fmt: skip
        return rows
    delimiter = sniff_delimiter("\n".join(row[0].text for row in filled))
    fields = [len(next(csv.reader([row[0].text], delimiter=delimiter))) for row in filled]
    if 2 * sum(count >= 3 for count in fields) < len(fields):
        return rows  # not a table (a sheet of notes, of one column): titles may stand above
    return [
        [Cell(v.strip()) if v.strip() else EMPTY
         for v in next(csv.reader([row[0].text], delimiter=delimiter))] if row else []
        for row in rows
    ]  # fmt: skip


def check_zip_container(path: Path) -> None:
    """Refuse zip and XML bombs before any reader expands them: every part is inflated here in
    bounded chunks (a zip header's declared size can lie), stopping at the first limit crossed."""
    try:
        with zipfile.ZipFile(path) as archive:
            _refuse_other_office_files(archive.namelist())
            unpacked = 0
            for info in archive.infolist():
                unpacked += _scan_member(archive, info, MAX_UNPACKED_BYTES - unpacked)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise UnreadableFile(f"the workbook is damaged ({type(exc).__name__})") from exc
    packed = max(path.stat().st_size, 1)
    if unpacked > 10 * 2**20 and unpacked / packed > MAX_PACKING_RATIO:
        raise UnreadableFile(
            f"the workbook unpacks to {unpacked // 2**20} MB from {packed // 1024} KB "
            "(a zip bomb?); refused"
        )


def _refuse_other_office_files(names: list[str]) -> None:
    for folder, kind in (("word/", "a Word document"), ("ppt/", "a PowerPoint file")):
        if any(n.startswith(folder) for n in names) and not any(n.startswith("xl/") for n in names):
            raise UnreadableFile(
                f"the file is {kind} renamed as a workbook; ask for the Excel file"
            )


def _scan_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> int:
    size, tail = 0, b""
    extent = _Extent() if info.filename.startswith("xl/worksheets/") else None
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            size += len(chunk)
            if size > budget:
                raise UnreadableFile(
                    f"the workbook unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB "
                    "(a zip bomb?); refused"
                )
            window = tail + chunk
            if any(marker in window for marker in _DTD_MARKERS):
                raise UnreadableFile(
                    f"{info.filename} declares XML entities (a possible XML bomb); refused"
                )
            if extent is not None:
                # A cell tag cut at the chunk's end is whole in the next window.
                extent.add(
                    window[: len(window) - _CELL_TAG_MAX] if len(chunk) == _CHUNK else window
                )
                tail = window[len(window) - _CELL_TAG_MAX :] if len(chunk) == _CHUNK else b""
            else:
                tail = chunk[-16:]
    if extent is not None:
        extent.check(info.filename)
    return size


# The sheet area a reader lays out in memory, at most: a 100,000-row, 200-column village list
# fits ten times over; one cell at XFD1048576 asks for 17 billion.
MAX_SHEET_CELLS = 200_000_000
_CELL_TAG_MAX = 512
# The last `<row r="N"` of the XML seen so far (rows come in order), and the rightmost cell
# that holds something (`<c r="B7" t="s"><v>..`, not the formatting-only `<c r="B7"/>`): found
# by searches in C over the XML, never by a loop over its cells.
_ROW_TAG = b'<row r="'
_ROW_NUMBER = re.compile(rb"[0-9]{1,7}")
_COLUMNS = [
    re.compile(rb'<c\b[^>]*?\br="([A-Z]{%d})[0-9]{1,7}"[^>]*?(?<!/)>' % width) for width in (3, 2)
]


class _Extent:
    """How far down and right the cells with a value reach in a sheet's XML."""

    def __init__(self) -> None:
        self.rows = 1
        self.columns = 26

    def add(self, xml: bytes) -> None:
        last_row = xml.rfind(_ROW_TAG)
        if last_row >= 0:
            number = _ROW_NUMBER.match(xml, last_row + len(_ROW_TAG))
            self.rows = max(self.rows, int(number.group()) if number else 1)
        for pattern in _COLUMNS:  # the widest column names first; max() of equal-length names
            letters = max(pattern.findall(xml), default=b"")  # is the rightmost column
            if letters:
                self.columns = max(self.columns, _column_number(letters))
                break

    def check(self, part: str) -> None:
        if self.rows * self.columns > MAX_SHEET_CELLS:
            raise UnreadableFile(
                f"a sheet ({part}) reaches row {thousands(self.rows)} and column "
                f"{thousands(self.columns)}: a stray cell far from the table; delete it and save "
                "again"
            )


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def describe_read_error(exc: Exception, head: bytes) -> str:
    message = str(exc).lower()
    if "password" in message or "encrypt" in message:
        return "the workbook is password-protected (encrypted); save it without one"
    if head.lstrip().startswith((b"<", b"\xef\xbb\xbf<")):
        return "the file is XML or HTML but no spreadsheet or table; ask for the Excel file"
    if head.startswith(b"%PDF"):
        return "the file is a PDF, not a workbook; ask the village for the Excel file"
    if head.startswith(b"PK"):
        return f"the workbook is damaged or not an Excel/ODS file ({type(exc).__name__})"
    return f"not a readable spreadsheet ({type(exc).__name__}: {str(exc)[:120]})"


def read_csv(path: Path) -> Sheet:
    text = decode_text_bytes(path.read_bytes())
    if "\x00" in text:
        raise UnreadableFile("the file is binary, not a CSV text file")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    rows: list[list[Cell]] = []
    try:
        for record in reader:
            # A quoted field may span lines; the row number is the line it started on.
            while len(rows) < reader.line_num - 1 - _extra_lines(record):
                rows.append([])
            rows.append([Cell(v.strip()) if v.strip() else EMPTY for v in record])
    except csv.Error as exc:
        raise UnreadableFile(f"the CSV is malformed near line {reader.line_num}: {exc}") from exc
    return Sheet("", rows)


def _extra_lines(record: list[str]) -> int:
    return sum(v.count("\n") for v in record)
