"""Shared xlsxwriter set-up for every workbook people read: text stays text (no cell is ever
turned into a formula or a number, so a NIK keeps all 16 digits and "=HYPERLINK(...)" in a name
stays inert), and a few formats used throughout."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import xlsxwriter

from bantuan_iuran.atomic import atomic_path
from bantuan_iuran.processes import Shared, map_shared

_OPTIONS = {
    # Assemble the file in memory: no temporary files per XML part (much faster for many files).
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


# A workbook's "created" property: fixed, so that the same inputs give the same bytes (the
# time a file was written is the file system's to tell, and the manifest's).
CREATED = datetime(2000, 1, 1, tzinfo=UTC)


# A sheet longer than this whose rows are written in order is streamed: each row goes to a
# temporary file beside the target as the next begins (xlsxwriter's constant_memory), the same
# cells, without holding every cell until the file closes: 120 MB less for a decree of 65,000
# people, in the same CPU time, but the temporary files cost a regency's report 0.7 s of wall
# time waiting for the disk, so a regency's sheets stay in memory.
STREAMED_ROWS = 20_000


def new_workbook(path: Path, streamed: bool = False) -> xlsxwriter.Workbook:
    options = _OPTIONS
    if streamed:  # the temporary files in the output's own (private) folder
        options = {**_OPTIONS, "in_memory": False, "constant_memory": True,
                   "tmpdir": str(path.parent)}  # fmt: skip
    workbook = xlsxwriter.Workbook(str(path), options)
    workbook.set_properties({"created": CREATED})
    return workbook


class Styles(dict):
    """The shared formats by name, and number formats made on demand."""

    def __init__(self, workbook: xlsxwriter.Workbook, named: dict[str, Any]) -> None:
        super().__init__(named)
        self.workbook = workbook

    def number(self, value: int, bold: bool = False):
        """A format that shows `value` with dots between thousands in every locale."""
        key = (dotted_format(value), bold)
        if key not in self:
            look = {"num_format": key[0], "border": 1, "valign": "top", "bold": bold}
            self[key] = self.workbook.add_format(look)
        return self[key]


# Number formats with the dots written in, so that an Indonesian reading 16,800 never sees
# sixteen point eight: '#,##0' shows the reader's own separator. A format holds at most two
# conditions, so three ranges of thousands: one format up to 999.999.999, one from 1.000 up.
SMALL_AMOUNTS = '[<1000]0;[<1000000]#"."000;#"."000"."000'
LARGE_AMOUNTS = '[<1000000]#"."000;[<1000000000]#"."000"."000;#"."000"."000"."000'
AXIS_FORMAT = SMALL_AMOUNTS  # a chart axis: one format for all its ticks


def dotted_format(value: int) -> str:
    """The format for a cell holding `value`, right for any other amount of its kind typed
    into it later: the cell stays a number (sums, sorting).

    >>> dotted_format(16800) == SMALL_AMOUNTS, dotted_format(2016000000) == LARGE_AMOUNTS
    (True, True)
    """
    return SMALL_AMOUNTS if abs(int(value)) < 10**9 else LARGE_AMOUNTS


def write_money(sheet, row: int, column: int, value: int, styles: Styles, bold=False) -> None:
    sheet.write_number(row, column, int(value), styles.number(value, bold))


def formats(workbook: xlsxwriter.Workbook) -> Styles:
    return Styles(
        workbook,
        {
            "title": workbook.add_format({"bold": True, "font_size": 13}),
            "header": workbook.add_format(
                {
                    "bold": True,
                    "bg_color": "#D9E1F2",
                    "border": 1,
                    "text_wrap": True,
                    "valign": "top",
                }
            ),
            "text": workbook.add_format({"border": 1, "valign": "top", "text_wrap": True}),
            "bold": workbook.add_format({"bold": True, "border": 1}),
            # Text around a table (a decree's identification, a signature): no border, no wrap.
            "plain": workbook.add_format({}),
            "plain_bold": workbook.add_format({"bold": True}),
        },
    )


def write_text_row(sheet, row: int, values: Sequence[object], cell_format, start: int = 0) -> None:
    """Every value as a string cell (numbers too): what officials read must not be re-typed."""
    for column, value in enumerate(values, start=start):
        sheet.write_string(row, column, "" if value is None else str(value), cell_format)


def set_widths(sheet, widths: Sequence[float]) -> None:
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)


# A column `width` characters wide is width * 7 + 5 pixels (Calibri 11's digit is 7 pixels
# wide), and a pixel is 3/4 of a point.
_DIGIT_PX, _EDGE_PX, _PT_PER_PX = 7, 5, 0.75
CELL_PADDING_PT = 6


def column_points(width: float, digit_px: float = _DIGIT_PX) -> float:
    """What a column of `width` characters measures, in points, at 100 %, where the
    workbook's font has a digit `digit_px` pixels wide (Calibri 11's by default)."""
    return (int(width * digit_px + 0.5) + _EDGE_PX) * _PT_PER_PX


def width_for(points: float) -> float:
    """The column width (in characters) that holds text `points` wide, with its padding."""
    pixels = (points + CELL_PADDING_PT) / _PT_PER_PX
    return math.ceil(max(pixels - _EDGE_PX, 0) / _DIGIT_PX * 10) / 10


MARGINS_IN = {"left": 0.4, "right": 0.4, "top": 0.5, "bottom": 0.6}
A4_LANDSCAPE_PT = (842.0, 595.0)


def printable_points() -> tuple[float, float]:
    """Width and height of the printed area of an A4 landscape page inside the margins."""
    width, height = A4_LANDSCAPE_PT
    inch = 72
    return (
        width - (MARGINS_IN["left"] + MARGINS_IN["right"]) * inch,
        height - (MARGINS_IN["top"] + MARGINS_IN["bottom"]) * inch,
    )


def print_scale(widths: Sequence[float]) -> int:
    """The largest whole per cent at which the columns fit across an A4 landscape page: the
    scale Excel fits them at with Calibri, the narrowest font they are printed in. A program
    that measures columns in a wider font (LibreOffice without Carlito: DejaVu Sans) fits them
    at a smaller scale, so pages cut for this one hold there too, with room to spare."""
    total = sum(column_points(width) for width in widths)
    return min(100, math.floor(printable_points()[0] / total * 100))


def print_landscape(
    sheet,
    header: int | tuple[int, int],
    widths: Sequence[float] | None = None,
    keep: Sequence[tuple[int, int]] = (),
) -> None:
    """Landscape A4, the `header` row (or rows, first and last) repeated on every page,
    "Halaman x dari y" in the footer, fitted to one page wide whatever font the program
    measures columns in. With the columns' `widths`, the rows are cut into pages where Excel
    would cut them at its scale (print_scale), the rows of each `keep` block (a chart) on one
    page: a program printing in a wider font fits the columns smaller and keeps the same
    pages, never more. Without, the caller has put the breaks (or the program does)."""
    first, last = (header, header) if isinstance(header, int) else header
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.repeat_rows(first, last)
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(**MARGINS_IN)
    sheet.set_footer("&CHalaman &P dari &N", {"margin": 0.25})
    if widths is not None:
        heights = [row_points(sheet, row) for row in range(_last_row(sheet, keep) + 1)]
        room = printable_points()[1] * 100 / print_scale(widths) - LINE_PT  # a line to spare
        sheet.set_h_pagebreaks(page_breaks(heights, (first, last), room, keep)[:1023])


def row_points(sheet, row: int) -> float:
    """A row's height in points as the layout set it (xlsxwriter keeps it, in pixels, to place
    charts by), or the default row's."""
    pixels = sheet.row_sizes.get(row, [sheet.default_row_height])[0]
    return pixels * _PT_PER_PX


def _last_row(sheet, keep: Sequence[tuple[int, int]]) -> int:
    return max([sheet.dim_rowmax or 0, *(end for _, end in keep)])


def page_breaks(
    heights: Sequence[float],
    header: tuple[int, int],
    room: float,
    keep: Sequence[tuple[int, int]] = (),
) -> list[int]:
    """The rows that start a new page, for rows of these `heights` (points) on pages `room`
    points tall, the `header` rows (first, last) repeated at the top of every page after the
    first; a `keep` block (first, last row) moves whole to the next page when it does not fit.

    >>> page_breaks([20, 10, 10, 10, 10], (0, 0), 40)
    [3]
    >>> page_breaks([20, 10, 10, 10, 10], (0, 0), 40, keep=[(2, 3)])
    [2, 4]
    """
    repeated = sum(heights[header[0] : header[1] + 1])
    blocks = {start: end for start, end in keep}
    breaks: list[int] = []
    used = sum(heights[: header[1] + 1])
    row = header[1] + 1
    while row < len(heights):
        end = min(blocks.get(row, row), len(heights) - 1)
        height = sum(heights[row : end + 1])
        if used + height > room and used > repeated:
            breaks.append(row)
            used = repeated
        used += height
        row = end + 1
    return breaks


def list_layout(
    workbook,
    styles,
    sheet_name: str,
    title: str,
    columns: Sequence[tuple[str, int]],
    rows: Sequence[Sequence[object]],
    notes: Sequence[str] = (),
) -> None:
    """One sheet: a title and its notes, a header of (name, widest) columns, and every row as
    text, each column as wide as its values need (up to `widest`, then wrapped, the row made
    taller)."""
    sheet = workbook.add_worksheet(sheet_name)
    sheet.write_string(0, 0, title, styles["title"])
    for offset, note in enumerate(notes, start=1):
        sheet.write_string(offset, 0, note, styles["plain"])
    top = len(notes) + 2
    texts = [["" if value is None else str(value) for value in row] for row in rows]
    widths = fitted_widths([name for name, _ in columns], texts, [w for _, w in columns])
    write_fitted_row(sheet, top, [name for name, _ in columns], widths, styles["header"], True)
    for offset, row in enumerate(texts, start=top + 1):
        write_fitted_row(sheet, offset, row, widths, styles["text"])
    set_widths(sheet, widths)
    sheet.freeze_panes(top + 1, 0)
    print_landscape(sheet, top, widths)


FONT_SIZE = 11  # xlsxwriter's default (Calibri 11)
LINE_PT = 15.0
# A further line of wrapped text, in its font size: Calibri's line (1.22) rounded up to the
# pixels Excel draws it in.
LINE_SPACING = 1.3


def row_height(lines: int, size: float = FONT_SIZE) -> float:
    """A row of `lines` lines of text at `size` points: the first as tall as Excel makes a
    row (15 pt at 11 pt), each further one a line of the font."""
    return LINE_PT * size / FONT_SIZE + (lines - 1) * LINE_SPACING * size


def fitted_widths(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widest: Sequence[float],
    bold_rows: Sequence[Sequence[str]] = (),
) -> list[float]:
    """Each column as wide as its widest value (`bold_rows` in bold: totals), but no wider than
    `widest`, where longer values wrap; never so narrow that its header takes more than two
    lines or breaks inside a word."""
    from bantuan_iuran.fonts import text_width

    widths = []
    for column, header in enumerate(headers):
        longest = max(
            [text_width(value, FONT_SIZE) for value in {row[column] for row in rows}]
            + [text_width(row[column], FONT_SIZE, bold=True) for row in bold_rows],
            default=0.0,
        )
        word = max((text_width(w, FONT_SIZE, bold=True) for w in header.split()), default=0.0)
        half = text_width(header, FONT_SIZE, bold=True) / 2
        widths.append(max(min(width_for(longest), widest[column]), width_for(max(word, half))))
    return widths


@lru_cache(maxsize=1 << 16)  # reasons, places and dates repeat down every list
def wrapped_line_count(
    text: str, width: float, bold: bool = False, size: float = FONT_SIZE, strict: bool = False
) -> int:
    """How many lines `text` takes in a column `width` characters wide, wrapped between words
    as a spreadsheet program wraps it. The program sizes a column by its own font's digit, so
    the text is measured in digits (fonts.digits_wide: in DejaVu Sans or Liberation Sans,
    whichever is wider): in Calibri or Carlito it takes no more lines. `strict` measures
    Vera in points against Calibri's column (for a document to sign, where nothing may be cut
    even where columns and text are measured in different fonts)."""
    from bantuan_iuran.fonts import digits_wide, text_width, widest_digits

    if strict:
        measure, room = text_width, column_points(width) - CELL_PADDING_PT
    else:  # the padding in digits of the narrowest font, Calibri's
        measure = digits_wide
        room = width - (CELL_PADDING_PT / _PT_PER_PX - _EDGE_PX) / _DIGIT_PX
        short = len(text) * widest_digits(bold) * size / FONT_SIZE <= room
        if short and "\n" not in text and text.isascii():
            return 1  # short enough whatever its letters: no measuring
    if "\n" not in text and measure(text, size, bold) <= room:
        return 1  # most values: one measure, no words
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split(" "):
            wide = measure(word if used == 0 else " " + word, size, bold)
            if used and used + wide > room:
                lines += 1
                wide = measure(word, size, bold)
                used = 0.0
            if wide > room:  # a word longer than the column is cut across lines
                lines += int(wide // room)
                wide %= room
            used += wide
    return lines


def row_lines(
    values: Sequence[str],
    widths: Sequence[float],
    bold: bool = False,
    size: float = FONT_SIZE,
    strict: bool = False,
) -> int:
    """The lines a row takes: its longest wrapped value's (wrapped_line_count)."""
    counts = [
        wrapped_line_count(value, width, bold, size, strict)
        for value, width in zip(values, widths, strict=True)
    ]
    return max(counts, default=1)


def write_fitted_row(
    sheet,
    row: int,
    values: Sequence[str],
    widths: Sequence[float],
    cell_format,
    bold: bool = False,
    size: float = FONT_SIZE,
) -> None:
    """A row of text cells, as tall as its longest wrapped value: spreadsheet programs do not
    grow a row by themselves when a file sets heights, and a clipped reason helps nobody."""
    write_text_row(sheet, row, values, cell_format)
    sheet.set_row(row, row_height(row_lines(values, widths, bold, size), size))


@dataclass(frozen=True)
class WorkbookJob:
    """One workbook to write: `layout(workbook, styles, *args)` fills its sheets. Plain data and
    a module-level function only, so that the job can be handed to another process; `weight`
    (its rows) balances the shares; `in_row_order`: the layout writes each sheet's rows top to
    bottom, never going back, so a long one can be streamed (STREAMED_ROWS)."""

    target: Path
    layout: Callable[..., None]
    args: tuple[Any, ...] = ()
    weight: int = 1
    in_row_order: bool = False


def write_workbooks(jobs: Sequence[WorkbookJob]) -> list[Path]:
    """Writes every job (atomically) and returns the paths in job order; xlsxwriter is pure
    Python, so many workbooks are shared out among processes (processes.py)."""
    map_shared(write_workbook, jobs, [job.weight for job in jobs])
    return [job.target for job in jobs]


def start_workbooks(jobs: Sequence[WorkbookJob], in_background: bool) -> Shared:
    """Starts writing the jobs on helper processes and returns at once; `results()` writes this
    process's share (none `in_background`, when there is a spare core) and waits."""
    return Shared(write_workbook, jobs, [job.weight for job in jobs], in_background)


def write_workbook(job: WorkbookJob) -> None:
    with atomic_path(job.target) as tmp:
        workbook = new_workbook(tmp, job.in_row_order and job.weight > STREAMED_ROWS)
        job.layout(workbook, formats(workbook), *job.args)
        workbook.close()
