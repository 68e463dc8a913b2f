"""Everything the console shows: rich tables, panels and progress bars. No NIK is ever printed
in full here: callers pass masked text."""

from __future__ import annotations

import sys
from numbers import Integral
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bantuan_iuran.money import rupiah, thousands
from bantuan_iuran.nik import mask_nik, mask_numbers

# A log file (a scheduled job's output) is no terminal: tables get the width they need there
# instead of a terminal's 80 columns, so that no header is cut ("answe...").
_LOG_WIDTH = 160
console = Console(stderr=False, highlight=False,
                  width=None if sys.stdout.isatty() else _LOG_WIDTH)  # fmt: skip
errors = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else _LOG_WIDTH)


class FileProgress:
    """A bar over files whose count is known only once the folders are searched."""

    def __init__(self, description: str) -> None:
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[item]}", style="dim"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._task = self._progress.add_task(description, total=None, item="")

    def __enter__(self) -> FileProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def start(self, total: int) -> None:
        self._progress.update(self._task, total=total)

    def advance(self, label: str = "") -> None:
        self._progress.update(self._task, advance=1, item=escape(mask_numbers(label)[-50:]))


def status(message: str):
    """A spinner for work with no countable steps."""
    return console.status(message)


def error_panel(message: str, hint: str = "") -> None:
    body = escape(mask_numbers(message))
    if hint:
        body += f"\n\n[dim]{escape(mask_numbers(hint))}[/dim]"
    errors.print(Panel(body, title="Error", border_style="red", expand=False))


def warning(message: str) -> None:
    errors.print(f"[yellow]Warning:[/yellow] {escape(mask_numbers(message))}")


def warnings(messages: list[str]) -> None:
    for message in messages:
        warning(message)


def info(message: str) -> None:
    console.print(escape(mask_numbers(message)))


def layouts_to_check(log: pd.DataFrame) -> None:
    """The sheets read with a NIK or name column no header named (or one its cells contradict):
    what was read, so the analyst can check them at a glance."""
    doubtful = log[log["by_content"]]
    if doubtful.empty:
        return
    table = Table(title="Sheets read by their content: check the columns", title_justify="left")
    for column in ("file", "sheet", "header row", "columns read"):
        table.add_column(column, overflow="fold")
    for entry in doubtful.itertuples():
        header = str(entry.header_row) if entry.header_row else "none"
        cells = (entry.file, entry.sheet, header, entry.columns)
        table.add_row(*(escape(mask_numbers(str(c))) for c in cells))
    console.print(table)


def layout_hint(where: str, message: str, hint: str) -> None:
    """A sheet that could not be read: why, and the bantuan.toml lines that would read it."""
    body = (
        f"{escape(mask_numbers(message))}\n\nTo read it, add to bantuan.toml (check the letters):"
    )
    body += f"\n\n{escape(mask_numbers(hint))}"
    errors.print(
        Panel(body, title=escape(mask_numbers(where)), border_style="yellow", expand=False)
    )


def counts_table(title: str, counts: pd.DataFrame, total: bool = True) -> None:
    """A frame of labels and integer counts as a table, numbers right-aligned, with a total."""
    table = Table(title=title)
    numeric = [pd.api.types.is_integer_dtype(counts[c]) for c in counts.columns]
    for column, is_number in zip(counts.columns, numeric, strict=True):
        table.add_column(str(column), justify="right" if is_number else "left")
    for row in counts.itertuples(index=False):
        table.add_row(
            *(
                thousands(v) if isinstance(v, Integral) else escape(mask_numbers(str(v)))
                for v in row
            )
        )
    if total and len(counts) > 1:
        table.add_section()
        table.add_row(
            *(
                f"{thousands(int(counts[c].sum()))}" if is_number else ("total" if i == 0 else "")
                for i, (c, is_number) in enumerate(zip(counts.columns, numeric, strict=True))
            ),
            style="bold",
        )
    console.print(table)


def report_totals(report) -> None:
    """The year's totals, with the formula they come from."""
    table = Table(title=f"Premium {report.year}", show_header=False)
    table.add_column("item")
    table.add_column("value", justify="right")
    monthly = report.flat_monthly
    per_month = rupiah(monthly) if monthly is not None else "varies by month"
    table.add_row("Eligible people", thousands(report.eligible_count))
    table.add_row("Months paid", str(report.months))
    table.add_row("Premium a person a month", per_month)
    table.add_row("Premium a person for the year", rupiah(report.per_person))
    if report.budget is not None:
        table.add_row("Budget", rupiah(report.budget))
        table.add_row("People paid for", thousands(len(report.selected)))
        table.add_row("Waiting list (budget too small)", thousands(len(report.waiting)))
    table.add_section()
    people = len(report.selected)
    formula = (
        f"{thousands(people)} people x {report.months} months x {per_month} = "
        f"{rupiah(report.total)}"
        if monthly is not None
        else f"{thousands(people)} people x {rupiah(report.per_person)} a year = "
        f"{rupiah(report.total)}"
    )
    table.add_row("[bold]Total for the year[/bold]", f"[bold]{rupiah(report.total)}[/bold]")
    console.print(table)
    console.print(f"[bold]{formula}[/bold]", soft_wrap=True)
    if report.budget is not None and len(report.waiting):
        console.print(
            f"The budget of {rupiah(report.budget)} covers {thousands(people)} of the "
            f"{thousands(report.eligible_count)} eligible people; {thousands(len(report.waiting))} "
            "are on the "
            f"waiting list (cadangan_{report.year}.csv), in priority order.",
            soft_wrap=True,
        )


def budget_lines(lines, year: int) -> None:
    """The budget's detail lines as the finance officer will enter them."""
    table = Table(title=f"Budget lines {year} (rincian_anggaran_{year}.xlsx)")
    for name, justify in (("Account", "left"), ("Volume", "right"), ("Unit", "left"),
                          ("Price", "right"), ("Total", "right")):  # fmt: skip
        table.add_column(name, justify=justify)
    for line in lines:
        table.add_row(line.rekening, thousands(line.volume), line.satuan, rupiah(line.harga),
                      rupiah(line.total))  # fmt: skip
    total = sum(line.total for line in lines)
    table.add_section()
    table.add_row("[bold]Total[/bold]", "", "", "", f"[bold]{rupiah(total)}[/bold]")
    console.print(table)


def answers_summary(answers: pd.DataFrame) -> None:
    """What became of every answer the ledger holds and every row of the forms sent back, as
    a table by outcome and field."""
    named = answers.assign(field=answers["field"].replace("", "(row)"))
    counts = pd.crosstab(named["outcome"], named["field"]).reset_index()
    counts = counts.astype({c: "int64" for c in counts.columns if c != "outcome"})
    files = answers.loc[answers["file"] != "", "file"].nunique()
    counts_table(f"Answers from the villages ({files} files; line by line: answers.csv)", counts)


def decisions_table(title: str, decisions: pd.DataFrame) -> None:
    """The ledger's decisions, NIKs masked; values and times kept whole on one line."""
    text_table(title, decisions, whole=("received", "value", "kind", "field"))


def text_table(title: str, frame: pd.DataFrame, whole: tuple[str, ...] = ()) -> None:
    """A frame of text as a table (NIKs masked), nothing when it is empty; the `whole`
    columns are never wrapped."""
    if frame.empty:
        return
    table = Table(title=title, title_justify="left")
    for column in frame.columns:
        table.add_column(column, no_wrap=column in whole, overflow="fold")
    for row in frame.itertuples(index=False):
        table.add_row(*(escape(mask_numbers(str(value))) for value in row))
    console.print(table)


def revisions(replacements, possible) -> None:
    """Which lists replaced which, and the pairs that only look like versions."""
    for r in replacements:
        village = f" of village {r.kode_desa}" if r.kode_desa else ""
        info(f"{r.old}: its rows{village} are replaced by {r.new} ({r.why}).")
    for p in possible:
        warning(
            f"{p.first} and {p.second} may be two versions of one village's list ({p.why}); "
            f"both are read. If the second replaces the first, add to the config:\n{p.rule}"
        )


_PROGRESS_HEADERS = {"answered": "answered", "fixed": "fixed", "still_to_fix": "to fix",
                     "newly_wrong": "new wrong", "withdrawn": "withdrawn", "new": "new rows",
                     "gone": "gone", "unchanged": "same"}  # fmt: skip


def progress_columns(progress: pd.DataFrame) -> pd.DataFrame:
    """The per-village progress as the console shows it: narrow enough for 80 columns."""
    twice = progress["desa"].duplicated(keep=False)  # one name in two kecamatan
    desa = progress["desa"].where(~twice, progress["desa"] + " (" + progress["kecamatan"] + ")")
    shown = progress.drop(columns="kecamatan").assign(
        desa=desa, answered=progress["answered"].map({True: "yes", False: "no"})
    )
    return shown.rename(columns=_PROGRESS_HEADERS)


def handover(outcome, workdir: Path) -> None:
    """What a hand-over wrote, who it left out and why, and the register by state."""
    from bantuan_iuran.handover.plan import EXCLUSIONS

    plan = outcome.plan
    if outcome.number:
        info(
            f"Hand-over {outcome.number}: {thousands(len(plan.people))} people, cover asked "
            f"from {plan.start:%m-%Y} -> {workdir / 'serah_terima' / str(outcome.number)}"
        )
    else:
        info("Nobody to hand over: every person of the decree is handed over already.")
    for code, count in plan.excluded["exclusion"].value_counts().sort_index().items():
        warnings([f"{thousands(int(count))} left out: {code} ({EXCLUSIONS[code]})"])
    register(outcome.states)


def register(states) -> None:
    """People per state in the register (register.csv)."""
    from bantuan_iuran.handover.register import STATE_LABELS, state_counts

    table = Table(title="Register (register.csv)")
    table.add_column("State")
    table.add_column("", style="dim")
    table.add_column("People", justify="right")
    counts = state_counts(states)
    for state, count in counts.items():
        table.add_row(state, STATE_LABELS[state], thousands(count))
    table.add_section()
    table.add_row("[bold]total[/bold]", "", f"[bold]{thousands(sum(counts.values()))}[/bold]")
    console.print(table)


def branch_result(outcome, workdir: Path) -> None:
    """What became of each row of the branch's results, the files that could not be read,
    and the register by state."""
    warnings([f"Not read: {line}" for line in outcome.unreadable])
    log = outcome.log
    if len(log):
        counts = log.groupby(["outcome", "result"]).size().reset_index(name="rows")
        table = Table(title="Branch results")
        for name in ("Outcome", "Branch said", "Rows"):
            table.add_column(name, justify="right" if name == "Rows" else "left")
        for row in counts.itertuples(index=False):
            table.add_row(row.outcome, row.result or "(not said)", thousands(int(row.rows)))
        console.print(table)
        info(f"Row by row -> {workdir / 'serah_terima' / 'hasil_pendaftaran.csv'}")
    for line in log[log["message"] != ""].head(20).itertuples(index=False):
        warnings([f"{line.file} {line.sheet} row {line.row} ({mask_nik(line.nik)}): "
                  f"{line.outcome}: {line.message}"])  # fmt: skip
    register(outcome.states)


def month(outcome) -> None:
    """The month's findings and amounts, the deaths found, refunds due, the payment's date."""
    from bantuan_iuran.monthly.reconcile import FINDINGS
    from bantuan_iuran.monthly.workbook import month_words

    result = outcome.result
    for leaver in outcome.left:
        warning(f"Recorded as deceased on {leaver.on} ({leaver.source}): {mask_nik(leaver.nik)}")
    for path in outcome.files:
        info(f"-> {path}")
    table = Table(title=f"Bill {month_words(*result.month)}")
    for name in ("Finding", "People", "Billed", "Due"):
        table.add_column(name, justify="left" if name == "Finding" else "right")
    for finding in FINDINGS:
        part = result.lines[result.lines["finding"] == finding]
        if len(part):
            table.add_row(finding, thousands(len(part)), rupiah(int(part["billed"].sum())),
                          rupiah(int(part["due"].sum())))  # fmt: skip
    table.add_section()
    table.add_row("[bold]To pay[/bold]", "", rupiah(result.billed),
                  f"[bold]{rupiah(result.to_pay)}[/bold]")  # fmt: skip
    console.print(table)
    if result.expected is not None:
        warning(f"The bill has no lines per person: checked by its totals only (the members "
                f"covered cost {rupiah(result.expected)})")  # fmt: skip
    if result.disputed:
        warning(f"Disputed: {rupiah(result.disputed)} (the findings other than MATCHED and "
                "WRONG_AMOUNT, and wrong amounts above the rate)")  # fmt: skip
    if len(outcome.refunds):
        total = rupiah(int(outcome.refunds["amount"].sum()))
        warning(f"Refunds due from the branch: {total} for {thousands(len(outcome.refunds))} "
                "months of premium paid after a death (bulanan/pengembalian.csv)")  # fmt: skip
    if outcome.payments.warning:
        warning(outcome.payments.warning)
    info(f"Reconciliation -> {outcome.folder}")


def changes(outcome) -> None:
    """Who left, by reason, the papers written, and report rows not understood."""
    from collections import Counter

    from bantuan_iuran.monthly.changes import LEAVING

    if not outcome.leavers:
        info("Nobody new leaves the programme.")
    for reason, count in sorted(Counter(x.reason for x in outcome.leavers).items()):
        info(f"{thousands(count)} left: {reason} ({LEAVING[reason][0]})")
    warnings([f"Not understood (no known reason): {where}" for where in outcome.unread])
    for path in outcome.files:
        info(f"-> {path}")


def replacements(outcome) -> None:
    """The budget left, who left, who replaces them, and the amendment written."""
    budget = outcome.budget
    if budget is not None:
        table = Table(title="Budget left for replacements", show_header=False)
        table.add_column("item")
        table.add_column("value", justify="right")
        table.add_row("Allocation", rupiah(budget.allocation))
        table.add_row("Billed to pay so far", rupiah(budget.spent))
        table.add_row("Members still covered, months not billed", rupiah(budget.committed))
        table.add_row("[bold]Left[/bold]", f"[bold]{rupiah(budget.left)}[/bold]")
        table.add_row("One replacement, to the year's end", rupiah(budget.per_replacement))
        console.print(table)
    if not outcome.number:
        info("Nobody left the programme unreplaced: no amendment.")
        return
    info(f"Amendment {outcome.number}: {thousands(len(outcome.removed))} removed, "
         f"{thousands(len(outcome.added))} added -> {outcome.files[0]}")  # fmt: skip
    if len(outcome.added) < len(outcome.removed):
        warning(f"{thousands(len(outcome.removed) - len(outcome.added))} not replaced: the budget "
                "left or the waiting list does not reach")  # fmt: skip


def year(tables, path: Path) -> None:
    """Per month the amounts billed, due and paid; the semesters against the allocation."""
    table = Table(title="The year, month by month")
    for name in ("Month", "Billed", "Due", "Paid", "Paid on"):
        table.add_column(name, justify="left" if name in ("Month", "Paid on") else "right")
    for m in tables.months.itertuples(index=False):
        table.add_row(m.month, rupiah(int(m.billed)), rupiah(int(m.due)), rupiah(int(m.paid)),
                      m.paid_on or "[yellow]unpaid[/yellow]")  # fmt: skip
    table.add_section()
    total = tables.semesters.iloc[-1]
    table.add_row("[bold]total[/bold]", rupiah(int(tables.months["billed"].sum())),
                  rupiah(int(total["due"])), rupiah(int(total["paid"])), "")  # fmt: skip
    console.print(table)
    if int(total["allocation"]):
        info(f"Realised: {rupiah(int(total['paid']))} of {rupiah(int(total['allocation']))} "
             f"({total['realised_percent']:.1f} %)")  # fmt: skip
    info(f"Per person, per month, per semester -> {path}")
