"""The decree attachment as the document an official signs: its identification, the people
grouped by kecamatan and desa with subtotals, the grand total in figures and in words, and the
signature block. Laid out once (columns sized to their widest value, pages cut by pages.py)
and written twice: as a workbook, and as a PDF (pdf.py) that prints the same on every machine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bantuan_iuran.excel import (
    CELL_PADDING_PT,
    FONT_SIZE,
    LINE_PT,
    WorkbookJob,
    column_points,
    fitted_widths,
    print_landscape,
    print_scale,
    printable_points,
    row_lines,
    set_widths,
    write_money,
    write_text_row,
    write_workbook,
)
from bantuan_iuran.fonts import text_width
from bantuan_iuran.frames import records
from bantuan_iuran.money import terbilang, thousands
from bantuan_iuran.nik import mask_nik
from bantuan_iuran.normalize import indonesian_date, normalize_rt
from bantuan_iuran.report.pages import PERSON, TOTAL, Line, decree_lines, paginate

if TYPE_CHECKING:  # neither pandas nor pydantic in the helper process that draws the PDF
    from bantuan_iuran.config import Decree
    from bantuan_iuran.report.tables import ReportResult

_MONTHS = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
MONTH_NAMES = _MONTHS.split()

TITLE_PT = 18.0
# (header, widest in characters before the text wraps)
COLUMNS = (
    ("No", 10),
    ("NIK", 26),
    ("Nama", 34),
    ("Tempat Lahir", 20),
    ("Tanggal Lahir", 14),
    ("L/P", 6),
    ("Alamat", 26),
    ("RT/RW", 12),
    ("Bulan", 8),
    ("Iuran per Bulan (Rp)", 16),
    ("Iuran Setahun (Rp)", 18),
)
NUMBER_COLUMNS = 3  # the last three: months and money, right-aligned numbers
_HEADER_ROW = 7  # rows 0-6: the title, the decree's identification, a blank row
# A value the config leaves empty prints as a place to fill in by hand, never as nothing.
BLANK = "...................................."
_FIELDS = [
    "kecamatan", "desa", "nik", "name", "birth_place", "birth_date", "sex", "address", "rt", "rw",
    "months", "premium_monthly", "premium_total",
]  # fmt: skip


@dataclass(frozen=True)
class DecreeDocument:
    """Everything both renderings print, measured and cut into pages."""

    heading: tuple[str, ...]
    identification: tuple[tuple[str, str], ...]
    widths: tuple[float, ...]  # in spreadsheet characters
    pages: list[list[Line]]
    scale: int  # per cent, so that the widths fit an A4 landscape page
    header_pt: float  # the column header's height: its names wrapped in their columns
    closing: tuple[str, ...]  # after the grand total: the amount in words and the signature
    signature_column: int  # the signature block under the right-hand columns, within the table


def period_text(report: ReportResult) -> str:
    first, last = report.schedule[0].month, report.schedule[-1].month
    span = (
        MONTH_NAMES[first - 1]
        if first == last
        else f"{MONTH_NAMES[first - 1]} - {MONTH_NAMES[last - 1]}"
    )
    return f"{span} {report.year} ({report.months} bulan)"


def decree_document(report: ReportResult, regency: str, decree: Decree) -> DecreeDocument:
    heading = (
        f"LAMPIRAN KEPUTUSAN BUPATI {regency.upper()}",
        "DAFTAR PENERIMA BANTUAN IURAN JAMINAN SOSIAL KETENAGAKERJAAN (BPJS KETENAGAKERJAAN)",
        f"TAHUN {report.year}, PERIODE {period_text(report).upper()}",
    )
    identification = (
        ("Nomor", decree.nomor or BLANK),
        ("Tanggal", decree.tanggal or BLANK),
        ("Tentang", decree.tentang or BLANK),
    )
    # `selected` is in kecamatan, desa, file order: the groups are contiguous.
    people = records(report.selected, _FIELDS)
    cells = [person_cells(number, person) for number, person in enumerate(people, start=1)]
    # The grand total is the widest amount, in bold.
    total = ("",) * (len(COLUMNS) - 1) + (thousands(report.total),)
    headers = [c[0] for c in COLUMNS]
    widths = tuple(fitted_widths(headers, cells, [c[1] for c in COLUMNS], [total]))
    scale = print_scale(widths)
    header_pt = LINE_PT * row_lines(headers, widths, bold=True, strict=True)
    # Only a column held at its widest can have a value longer than itself.
    held = [i for i, (column, width) in enumerate(zip(COLUMNS, widths, strict=True))
            if width >= column[1]]  # fmt: skip
    held_widths = tuple(widths[i] for i in held)
    lines = decree_lines(
        people, cells, lambda row: row_lines([row[i] for i in held], held_widths, strict=True)
    )
    closing = _closing(report, decree)
    first, rest = page_capacity(scale, header_pt)
    pages = paginate(lines, first, rest, tail=len(closing))
    signature = signature_column(closing[1:], widths)
    return DecreeDocument(
        heading, identification, widths, pages, scale, header_pt, closing, signature
    )


PUBLIC_MARK = "SALINAN UNTUK DIUMUMKAN: NIK DISAMARKAN, TANPA TANGGAL LAHIR"
_NIK, _BIRTH_DATE = 1, 4  # their places in a person's cells


def public_copy(document: DecreeDocument) -> DecreeDocument:
    """The copy to post on notice boards and websites: the same pages, lines and widths as
    the signed attachment, with every NIK masked and no birth date (UU 24/2013 Pasal 84)."""

    def masked(line: Line) -> Line:
        if line.kind != PERSON:
            return line
        cells = list(line.cells)
        cells[_NIK], cells[_BIRTH_DATE] = mask_nik(cells[_NIK]), ""
        return replace(line, cells=tuple(cells))

    heading = (*document.heading[:-1], f"{document.heading[-1]} - {PUBLIC_MARK}")
    pages = [[masked(line) for line in page] for page in document.pages]
    return replace(document, heading=heading, pages=pages)


def person_cells(number: int, person: dict[str, Any]) -> tuple[str, ...]:
    """A person's texts, numbers as Indonesians write them."""
    return (
        thousands(number),
        person["nik"],
        person["name"],
        person["birth_place"].upper(),
        indonesian_date(person["birth_date"]),
        person["sex"],
        person["address"],
        rt_rw(person["rt"], person["rw"]),
        str(int(person["months"])),
        thousands(int(person["premium_monthly"])),
        thousands(int(person["premium_total"])),
    )


def signature_column(lines: tuple[str, ...], widths: tuple[float, ...]) -> int:
    """The rightmost column from which the signature's longest line still ends inside the
    table (text beyond the last column would print on a page of its own)."""
    longest = max(text_width(line, FONT_SIZE) for line in lines) + CELL_PADDING_PT
    room = 0.0
    for column in range(len(widths) - 1, 0, -1):
        room += column_points(widths[column])
        if room >= longest:
            return column
    return 1


def page_capacity(scale: int, header_pt: float) -> tuple[int, int]:
    """Text lines on the first page (under the title) and on the others, one line short of the
    page, so that a spreadsheet program's rounding never pushes a line over."""
    height = printable_points()[1] * 100 / scale - header_pt
    title = TITLE_PT + LINE_PT * (_HEADER_ROW - 1)
    return math.floor((height - title) / LINE_PT) - 1, math.floor(height / LINE_PT) - 1


def _closing(report: ReportResult, decree: Decree) -> tuple[str, ...]:
    """Under the grand total: the amount in words, then who signs, where and when."""
    return (f"Terbilang: {terbilang(report.total)}", "", *signature_lines(decree))


def signature_lines(decree: Decree) -> tuple[str, ...]:
    """Where and when, who signs, room for the signature, the name and NIP: under the decree
    and under its amendments alike."""
    return (
        f"{decree.tempat or BLANK}, {decree.tanggal or BLANK}",
        decree.jabatan or BLANK,
        "",
        "",
        "",
        decree.nama or f"( {BLANK} )",
        f"NIP. {decree.nip}" if decree.nip else "",
    )


def total_label(line: Line) -> str:
    return f"{line.label}: {thousands(line.people)} orang"


def rt_rw(rt: str, rw: str) -> str:
    """'2', '04' -> '002/004': RT and RW as three digits each, however they were written."""
    return "/".join(filter(None, [normalize_rt(rt), normalize_rt(rw)]))


def write_decree_workbook(document: DecreeDocument, path: Path) -> None:
    lines = sum(len(page) for page in document.pages)
    write_workbook(WorkbookJob(path, _decree_layout, (document,), lines, in_row_order=True))


def _decree_layout(workbook, styles, document: DecreeDocument) -> None:
    sheet = workbook.add_worksheet("Lampiran")
    last = len(COLUMNS) - 1
    heading = workbook.add_format({"bold": True, "border": 1})
    total = workbook.add_format({"bold": True, "border": 1, "align": "right"})
    sheet.write_string(0, 0, document.heading[0], styles["title"])
    sheet.set_row(0, TITLE_PT)
    for offset, text in enumerate(document.heading[1:], start=1):
        sheet.write_string(offset, 0, text, styles["plain"])
    start = len(document.heading)
    for offset, (label, value) in enumerate(document.identification, start=start):
        sheet.write_string(offset, 1, label, styles["plain"])
        sheet.write_string(offset, 2, f": {value}", styles["plain"])
    write_text_row(sheet, _HEADER_ROW, [c[0] for c in COLUMNS], styles["header"])
    sheet.set_row(_HEADER_ROW, document.header_pt)
    row, breaks = _HEADER_ROW + 1, []
    for page in document.pages:
        breaks.append(row)
        for line in page:
            sheet.set_row(row, LINE_PT * line.lines)
            if line.kind == PERSON:
                write_text_row(sheet, row, line.cells[:-NUMBER_COLUMNS], styles["text"])
                for column, value in enumerate(line.numbers, start=len(COLUMNS) - NUMBER_COLUMNS):
                    write_money(sheet, row, column, value, styles)
            elif line.kind == TOTAL:
                sheet.merge_range(row, 0, row, last - 1, total_label(line), total)
                write_money(sheet, row, last, line.amount, styles, bold=True)
            else:
                sheet.merge_range(row, 0, row, last, line.label, heading)
            row += 1
    sheet.write_string(row, 2, document.closing[0], styles["plain_bold"])
    for offset, text in enumerate(document.closing[1:], start=row + 1):
        if text:
            sheet.write_string(offset, document.signature_column, text, styles["plain"])
    # Spreadsheet programs keep at most 1023 manual breaks; past that they cut pages
    # themselves and the PDF is the paper of record.
    sheet.set_h_pagebreaks(breaks[1:1024])
    set_widths(sheet, document.widths)
    sheet.freeze_panes(_HEADER_ROW + 1, 0)
    print_landscape(sheet, _HEADER_ROW)
