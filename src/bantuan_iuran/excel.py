"""Shared xlsxwriter set-up for every workbook people read: text stays text (no cell is ever
turned into a formula or a number, so a NIK keeps all 16 digits and "=HYPERLINK(...)" in a name
stays inert), and a few formats used throughout."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

from bantuan_iuran.atomic import atomic_path

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
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)


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


# Below this many workbooks per process, starting a process costs more than it saves.
JOBS_PER_HELPER = 16
_HELPER = "from bantuan_iuran.excel import write_jobs_from_stdin; write_jobs_from_stdin()"


def write_workbooks(jobs: Sequence[WorkbookJob]) -> list[Path]:
    """Writes every job (atomically) and returns the paths in job order.

    xlsxwriter is pure Python and holds the interpreter's lock, so with many workbooks and
    several cores, helper processes write shares of them beside this one. A helper is a fresh
    interpreter fed its share through a pipe: nothing re-runs the caller's script, no personal
    data rests in a temporary file, and a share a helper failed on is written here instead."""
    shares = _shares(jobs, 1 + min(_cores() - 1, len(jobs) // JOBS_PER_HELPER))
    helpers = [_start_helper(share) for share in shares[1:]]
    for job in shares[0]:
        write_workbook(job)
    for (process, feeder), share in zip(helpers, shares[1:], strict=True):
        feeder.join()
        if process.wait() != 0:
            for job in share:
                write_workbook(job)
    return [job.target for job in jobs]


def write_workbook(job: WorkbookJob) -> None:
    with atomic_path(job.target) as tmp:
        workbook = new_workbook(tmp)
        job.layout(workbook, formats(workbook), *job.args)
        workbook.close()


def write_jobs_from_stdin() -> None:
    """A helper process's whole life: read its share, write it, exit 0."""
    for job in pickle.load(sys.stdin.buffer):
        write_workbook(job)


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _shares(jobs: Sequence[WorkbookJob], count: int) -> list[list[WorkbookJob]]:
    """The heaviest job first to the lightest share: shares end close to each other."""
    shares: list[list[WorkbookJob]] = [[] for _ in range(count)]
    loads = [0] * count
    for job in sorted(jobs, key=lambda j: -j.weight):
        lightest = loads.index(min(loads))
        shares[lightest].append(job)
        loads[lightest] += job.weight
    return shares


def _start_helper(share: list[WorkbookJob]) -> tuple[subprocess.Popen, threading.Thread]:
    package_root = str(Path(__file__).resolve().parents[1])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])),
    }
    process = subprocess.Popen(
        [sys.executable, "-c", _HELPER],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    # Fed from a thread: the pipe fills long before the helper has started to read.
    feeder = threading.Thread(target=_feed, args=(process, share), daemon=True)
    feeder.start()
    return process, feeder


def _feed(process: subprocess.Popen, share: list[WorkbookJob]) -> None:
    try:
        with process.stdin:
            pickle.dump(share, process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:
        pass  # the helper died early: its exit code says so, and its share is written here
