"""Everything the console shows: rich tables, panels and progress bars. No NIK is ever printed
in full here: callers pass masked text."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
from rich.console import Console
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bantuan_iuran.nik import mask_numbers

console = Console(stderr=False, highlight=False)
errors = Console(stderr=True, highlight=False)


@contextmanager
def progress_bar(description: str, total: int) -> Iterator[callable]:
    """A bar over `total` items; yields a function to call once per item with its label."""
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[item]}", style="dim"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task(description, total=total, item="")

        def advance(label: str = "") -> None:
            progress.update(task, advance=1, item=mask_numbers(label)[-50:])

        yield advance


def status(message: str):
    """A spinner for work with no countable steps."""
    return console.status(message)


def error_panel(message: str, hint: str = "") -> None:
    body = mask_numbers(message) + (f"\n\n[dim]{mask_numbers(hint)}[/dim]" if hint else "")
    errors.print(Panel(body, title="Error", border_style="red", expand=False))


def warning(message: str) -> None:
    errors.print(f"[yellow]Warning:[/yellow] {mask_numbers(message)}")


def info(message: str) -> None:
    console.print(mask_numbers(message))


def ingest_summary(log: pd.DataFrame) -> None:
    table = Table(title="Ingest", show_lines=False)
    for column, justify in (
        ("file", "left"),
        ("sheet", "left"),
        ("status", "left"),
        ("rows", "right"),
        ("dropped", "right"),
        ("kode_desa", "left"),
        ("message", "left"),
    ):
        table.add_column(column, justify=justify, overflow="fold")
    styles = {"ok": "green", "skipped": "dim", "failed": "bold red"}
    for entry in log.itertuples(index=False):
        table.add_row(
            entry.file,
            entry.sheet,
            f"[{styles[entry.status]}]{entry.status}[/]",
            str(entry.rows),
            str(entry.dropped),
            entry.kode_desa,
            mask_numbers(entry.message),
        )
    table.add_section()
    table.add_row(
        f"{log['file'].nunique()} files",
        "",
        "",
        str(int(log["rows"].sum())),
        str(int(log["dropped"].sum())),
        "",
        "",
    )
    console.print(table)


def counts_table(title: str, counts: pd.DataFrame) -> None:
    """A frame of labels and integer counts as a table, numbers right-aligned."""
    table = Table(title=title)
    for column in counts.columns:
        numeric = pd.api.types.is_integer_dtype(counts[column])
        table.add_column(str(column), justify="right" if numeric else "left")
    for row in counts.itertuples(index=False):
        table.add_row(*(f"{v:,}" if isinstance(v, int) else str(v) for v in row))
    console.print(table)
