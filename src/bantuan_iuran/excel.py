"""Shared xlsxwriter set-up for every workbook people read: text stays text (no cell is ever
turned into a formula or a number, so a NIK keeps all 16 digits and "=HYPERLINK(...)" in a name
stays inert), and a few formats used throughout."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


def new_workbook(path: Path) -> xlsxwriter.Workbook:
    return xlsxwriter.Workbook(str(path), _OPTIONS)


def formats(workbook: xlsxwriter.Workbook) -> dict[str, Any]:
    return {
        "title": workbook.add_format({"bold": True, "font_size": 13}),
        "subtitle": workbook.add_format({"italic": True, "font_color": "#444444"}),
        "header": workbook.add_format(
            {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"}
        ),
        "text": workbook.add_format({"border": 1, "valign": "top", "text_wrap": True}),
        "differs": workbook.add_format(
            {"border": 1, "valign": "top", "text_wrap": True, "bg_color": "#FFF2CC"}
        ),
        "number": workbook.add_format({"border": 1, "valign": "top", "num_format": "#,##0"}),
        "bold_number": workbook.add_format({"bold": True, "border": 1, "num_format": "#,##0"}),
        "bold": workbook.add_format({"bold": True, "border": 1}),
        # Text around a table (a decree's identification, a signature): no border, no wrap.
        "plain": workbook.add_format({}),
        "plain_bold": workbook.add_format({"bold": True}),
    }


def write_text_row(sheet, row: int, values: Sequence[object], cell_format, start: int = 0) -> None:
    """Every value as a string cell (numbers too): what officials read must not be re-typed."""
    for column, value in enumerate(values, start=start):
        sheet.write_string(row, column, "" if value is None else str(value), cell_format)


def set_widths(sheet, widths: Sequence[int]) -> None:
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)


def print_landscape(sheet, header_row: int) -> None:
    """Landscape, the header repeated on every page, fitted to the page width."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.repeat_rows(header_row)
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.set_footer("&CHalaman &P dari &N", {"margin": 0.25})


def list_layout(
    workbook,
    styles,
    sheet_name: str,
    title: str,
    columns: Sequence[tuple[str, int]],
    rows: Sequence[Sequence[object]],
) -> None:
    """One sheet: a title, a header of (name, width) columns, and every row as text."""
    sheet = workbook.add_worksheet(sheet_name)
    sheet.write_string(0, 0, title, styles["title"])
    write_text_row(sheet, 2, [name for name, _ in columns], styles["header"])
    for offset, row in enumerate(rows, start=3):
        write_text_row(sheet, offset, row, styles["text"])
    set_widths(sheet, [width for _, width in columns])
    sheet.freeze_panes(3, 0)
    print_landscape(sheet, 2)


@dataclass(frozen=True)
class WorkbookJob:
    """One workbook to write: `layout(workbook, styles, *args)` fills its sheets. Plain data and
    a module-level function only, so that the job can be handed to another process; `weight`
    (its rows) balances the shares."""

    target: Path
    layout: Callable[..., None]
    args: tuple[Any, ...] = ()
    weight: int = 1


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
        workbook = new_workbook(tmp)
        job.layout(workbook, formats(workbook), *job.args)
        workbook.close()
