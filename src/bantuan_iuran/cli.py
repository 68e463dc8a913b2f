"""The `bantuan` command: parse arguments, load config, call a stage, render, exit.

Exit codes: 0 done; 1 done, but some input could not be used; 2 usage, configuration, input or
file-system error; 3 an unexpected error (a bug: `--debug` shows where).
Heavy libraries are imported inside the commands so that `bantuan --help` stays instant.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bantuan_iuran import __version__
from bantuan_iuran.errors import BantuanError, ConfigError
from bantuan_iuran.money import thousands

if TYPE_CHECKING:
    from bantuan_iuran.pipeline import PendingWorkbooks
    from bantuan_iuran.validate import Acceptance


def _flags_without_a_type() -> None:
    """A flag takes no value, yet typer 0.29 prints `<bool>` beside every one in --help (its
    own --help too): the help shows the type of options that take a value only."""
    from typer.core import TyperOption

    shown = TyperOption.display_type_rich

    def display_type_rich(self, ctx):
        return None if getattr(self, "is_flag", False) else shown(self, ctx)

    TyperOption.display_type_rich = display_type_rich


_flags_without_a_type()

app = typer.Typer(
    help="Verify village beneficiary lists for the BPJS Ketenagakerjaan premium subsidy.",
    no_args_is_help=True,
    add_completion=False,
    # Locals hold names and NIKs: never show them in a traceback.
    pretty_exceptions_show_locals=False,
)

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3
_DEBUG = [False]  # set by --debug before any command runs
DEFAULT_CONFIG = Path("bantuan.toml")

WorkdirOption = Annotated[
    Path | None,
    typer.Option(
        "--workdir", "-w", help="Work folder for the stage tables and outputs. [default: work]"
    ),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config", "-c", help="Policy and run settings (TOML). Default: ./bantuan.toml if present."
    ),
]
YearOption = Annotated[
    int | None,
    typer.Option("--year", "-y", min=2000, max=2100, help="Programme year. [default: from config]"),
]
DukcapilOption = Annotated[
    Path | None, typer.Option("--dukcapil", "-d", help="Registry extract (CSV, XLSX or Parquet).")
]
EnrolledOption = Annotated[
    Path | None,
    typer.Option("--enrolled", "-e", help="BPJS Ketenagakerjaan enrolled list (CSV or XLSX)."),
]
MonthsOption = Annotated[
    int | None, typer.Option("--months", min=1, max=12, help="Months paid. [default: from config]")
]
StartMonthOption = Annotated[
    int | None,
    typer.Option("--start-month", min=1, max=12, help="First month paid. [default: from config]"),
]
BudgetOption = Annotated[
    int | None,
    typer.Option(
        "--budget",
        parser=lambda text: _rupiah(text),
        metavar="RUPIAH",
        help="Budget for the year in whole rupiah: 2.100.000.000 or 2100000000.",
    ),
]


def _rupiah(text: str) -> int:
    from bantuan_iuran.config import parse_rupiah

    try:
        return parse_rupiah(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


AcceptOption = Annotated[
    list[str] | None,
    typer.Option(
        "--accept-suggestions",
        metavar="DESA",
        help="Accept the registry's suggested NIKs of this village (name or code; 'all' for "
        "every village), recorded as the regency's correction. Repeat for more villages.",
    ),
]
BasisOption = Annotated[
    str,
    typer.Option(
        "--basis",
        help="With --accept-suggestions: only suggestions whose basis contains this text "
        "(e.g. 'nama + tanggal lahir').",
    ),
]
AllowEmptyOption = Annotated[
    bool,
    typer.Option(
        "--allow-empty",
        help="Accept an empty enrolled list or registry (refused by default: every check would "
        "pass against nobody).",
    ),
]
DropVillagesOption = Annotated[
    bool,
    typer.Option(
        "--drop-villages",
        help="Take villages that are in this work folder's batch but not among the sources off "
        "the list (refused without it).",
    ),
]
PreviousOption = Annotated[
    Path | None,
    typer.Option(
        "--previous", help="Last year's participant list (CSV or XLSX with a NIK column)."
    ),
]


class _Run:
    """Settings and the [run] table of the config file, with command-line values on top."""

    def __init__(self, config: Path | None, year: int | None = None) -> None:
        from bantuan_iuran.config import RunTable, load_settings, read_user_config

        path = (
            config if config is not None else (DEFAULT_CONFIG if DEFAULT_CONFIG.exists() else None)
        )
        self.base = path.parent if path else Path(".")
        written: dict[str, Any] = read_user_config(path).get("run", {}) if path else {}
        chosen_year = year or written.get("year")
        self.settings = load_settings(
            path, {"programme": {"year": chosen_year}} if chosen_year else None
        )
        # As checked with the rest of the file (money written as text is read as money).
        self.table = RunTable.model_validate(written).model_dump(exclude_unset=True)
        self._announced = False

    def path(self, given: Path | None, key: str, default: str | None = None) -> Path | None:
        """A path from the command line, else from [run] (relative to the config file)."""
        if given is not None:
            return given
        if key in self.table:
            return self.base / self.table[key]
        return Path(default) if default else None

    def settle_year(self, workdir: Path) -> None:
        """The work folder's year when it has one (another year given is refused); else say
        which year ages and premiums are for when nobody chose it (once a command)."""
        from bantuan_iuran.batch import work_settings

        self.settings = work_settings(workdir, self.settings)
        programme = self.settings.programme
        if programme.year_is_default and not self._announced:
            from bantuan_iuran import render

            render.info(
                f"Programme year {programme.year} (the next calendar year; choose another with "
                "--year or `year` under [programme])."
            )
            self._announced = True

    def value(self, given: Any, key: str) -> Any:
        return given if given is not None else self.table.get(key)

    def sources(self, given: list[Path] | None) -> list[Path]:
        if given:
            return given
        return [self.base / s for s in self.table.get("sources", [])]


def _execute(config: Path | None, year: int | None, body: Callable[[_Run], int]) -> None:
    """Load the settings, run a command's body, and turn its outcome into the exit code; a
    BantuanError becomes one clear panel, never a traceback."""
    try:
        code = body(_Run(config, year))
    except BantuanError as error:
        raise _fail(error) from None
    except OSError as error:  # disk full, read-only, permissions, a file where a folder should be
        if _DEBUG[0]:
            raise
        raise _fail(_os_error(error)) from None
    except (typer.Exit, typer.Abort, typer.TyperException):
        raise
    except Exception as error:  # a bug: one message, the traceback only with --debug
        if _DEBUG[0]:
            raise
        raise _fail(
            BantuanError(
                f"Unexpected error ({type(error).__name__}): {error}",
                hint="Run again with `bantuan --debug ...` and report what it shows.",
            ),
            EXIT_BUG,
        ) from None
    raise typer.Exit(code)


def _os_error(error: OSError) -> BantuanError:
    where = error.filename or "a file"
    reason = error.strerror or str(error)
    return BantuanError(
        f"Cannot use {where}: {reason}.",
        hint="Check the path, the free disk space and the permissions, then run again.",
    )


def _fail(error: BantuanError, code: int | None = None) -> typer.Exit:
    from bantuan_iuran import render

    render.error_panel(error.message, error.hint)
    return typer.Exit(error.exit_code if code is None else code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bantuan-iuran {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="On an error, show the Python traceback too.")
    ] = False,
) -> None:
    """Ingest village lists, validate them against Dukcapil, and report the premium cost."""
    _DEBUG[0] = debug


def _ingest(
    run: _Run,
    sources: list[Path] | None,
    workdir: Path,
    drop_villages: bool = False,
    references: tuple[Path | None, ...] = (),
) -> int:
    from bantuan_iuran import render
    from bantuan_iuran.ingest import ANSWER_FORM, folder_summary, unread_files
    from bantuan_iuran.pipeline import ingest_stage

    paths = run.sources(sources)
    if not paths:
        raise ConfigError("No SOURCE folders or files given (nor `sources` under [run]).")
    given = references or tuple(run.path(None, key) for key in ("dukcapil", "enrolled", "previous"))
    bar = render.FileProgress("Reading village files")
    with bar:
        outcome = ingest_stage(
            paths,
            workdir,
            run.settings,
            on_start=bar.start,
            on_file=lambda f: bar.advance(f.relative),
            drop_villages=drop_villages,
            references=[path for path in given if path is not None],
        )
    result = outcome.result
    render.counts_table("Village files read, by folder", folder_summary(result.log))
    render.info(
        f"{thousands(len(result.applicants))} applicant rows -> {workdir / 'ingested.parquet'} "
        f"(file by file: {workdir / 'ingest_log.csv'})"
    )
    render.layouts_to_check(result.log)
    for entry in result.log.itertuples():
        where = f"{entry.file} [{entry.sheet}]" if entry.sheet else entry.file
        if entry.status == "failed" and entry.layout_hint:
            render.layout_hint(where, entry.message, entry.layout_hint)
        elif entry.status == "failed":
            render.warning(f"{where}: {entry.message}")
        elif entry.status == "ok" and not entry.kode_desa and entry.format != ANSWER_FORM:
            render.warning(f"{where}: {entry.message.split(';')[0]}")
    render.revisions(result.replacements, result.possible_revisions)
    if len(result.answers):
        render.answers_summary(result.answers)
    render.warnings(outcome.warnings)
    render.text_table("Files not read, or read in part (exit code 1)", unread_files(result.log))
    return EXIT_PARTIAL if result.failed_files else EXIT_OK


def _acceptance(villages: list[str] | None, basis: str) -> Acceptance | None:
    from bantuan_iuran.validate import Acceptance

    if not villages:
        if basis:
            raise ConfigError("--basis goes with --accept-suggestions (which villages?)")
        return None
    return Acceptance(tuple(villages), basis)


def _validate(
    run: _Run,
    workdir: Path,
    dukcapil: Path | None,
    enrolled: Path | None,
    allow_empty: bool = False,
    workbooks_in_background: bool = False,
    accept: Acceptance | None = None,
) -> PendingWorkbooks:
    """Validates and renders; the village workbooks may still be being written (see
    pipeline.validate_stage): wait on what this returns."""
    from bantuan_iuran import render
    from bantuan_iuran.pipeline import validate_stage
    from bantuan_iuran.validate import kecamatan_counts, reason_counts

    run.settle_year(workdir)
    registry = run.path(dukcapil, "dukcapil")
    if registry is None:
        raise ConfigError("Give the registry extract with --dukcapil (or `dukcapil` under [run]).")
    enrolled_list = run.path(enrolled, "enrolled")
    if enrolled_list is None:
        render.warning("No --enrolled list given: ALREADY_ENROLLED is not checked.")
    with render.status("Validating against the registry"):
        outputs = validate_stage(
            workdir,
            registry,
            enrolled_list,
            run.settings,
            allow_empty=bool(run.value(allow_empty or None, "allow_empty")),
            workbooks_in_background=workbooks_in_background,
            accept=accept,
        )
    render.warnings(outputs.warnings)
    if accept is not None:
        render.info(
            f"Accepted {thousands(outputs.accepted)} suggested NIK(s) "
            f"({', '.join(accept.villages)}; {accept.source}): checked again, recorded in each "
            "row and in the ledger."
        )
    if outputs.removed:
        render.info(
            f"Removed {len(outputs.removed)} correction workbook(s) of villages with nothing left "
            f"to fix (first: {outputs.removed[0].name})."
        )
    render.counts_table("Rows per kecamatan", kecamatan_counts(outputs.validated))
    render.counts_table("Reasons", reason_counts(outputs.validated), total=False)
    if outputs.progress is not None:
        render.counts_table(
            f"Round {outputs.round}: what changed since round {outputs.round - 1}, per village "
            f"(row by row: perubahan_{outputs.round}.csv)",
            render.progress_columns(outputs.progress),
        )
    counts = outputs.validated["status"].value_counts()
    render.info(
        f"{thousands(len(outputs.validated))} rows: {thousands(counts.get('eligible', 0))} "
        f"eligible, {thousands(counts.get('needs_fix', 0))} need a fix, "
        f"{thousands(counts.get('ineligible', 0))} ineligible -> {workdir / 'validated.csv'}; "
        f"{len(outputs.workbooks)} village correction workbooks "
        f"in {workdir / 'perbaikan'}"
    )
    return outputs.pending


def _report(run: _Run, workdir: Path, months, start_month, budget, previous) -> int:
    from bantuan_iuran import render
    from bantuan_iuran.pipeline import ReportOptions, report_stage

    run.settle_year(workdir)
    options = ReportOptions(
        year=run.settings.programme.year,
        months=run.value(months, "months"),
        start_month=run.value(start_month, "start_month"),
        budget=run.value(budget, "budget"),
        previous=run.path(previous, "previous"),
    )
    outcome = report_stage(workdir, options, run.settings)
    render.warnings(outcome.warnings)
    render.report_totals(outcome.report)
    render.budget_lines(outcome.budget_lines, options.year)
    year = options.year
    render.info(
        f"Decree attachment to sign -> {workdir / 'report' / f'lampiran_sk_{year}.pdf'} "
        f"(and .xlsx); to post publicly (NIKs masked, no birth dates) -> "
        f"lampiran_sk_{year}_publik.pdf; lists and summaries -> {workdir / 'report'}"
    )
    return EXIT_OK


def _hold(folder: Path, command: str):
    from bantuan_iuran.worklock import hold_workdir

    existing = ("validate", "report", "purge", "handover", "branch-result", "month", "paid",
                "changes", "replace", "year")  # fmt: skip
    return hold_workdir(folder, command, must_exist=command in existing)


def _in_folder(run: _Run, given: Path | None, command: str, stage: Callable[[Path], Any]):
    """The work folder, held for the command while `stage(folder)` runs: (folder, outcome)."""
    folder = _workdir(run, given)
    with _hold(folder, command):
        return folder, stage(folder)


def _workdir(run: _Run, given: Path | None) -> Path:
    return run.path(given, "workdir", "work") or Path("work")


@app.command()
def ingest(
    sources: Annotated[
        list[Path] | None,
        typer.Argument(help="Folders (searched recursively) or files of village lists."),
    ] = None,
    workdir: WorkdirOption = None,
    drop_villages: DropVillagesOption = False,
    config: ConfigOption = None,
) -> None:
    """Read every village file into one table, with the provenance of every row."""

    def body(run: _Run) -> int:
        folder = _workdir(run, workdir)
        with _hold(folder, "ingest"):
            return _ingest(run, sources, folder, drop_villages)

    _execute(config, None, body)


@app.command()
def validate(
    workdir: WorkdirOption = None,
    dukcapil: DukcapilOption = None,
    enrolled: EnrolledOption = None,
    allow_empty: AllowEmptyOption = False,
    accept: AcceptOption = None,
    basis: BasisOption = "",
    year: YearOption = None,
    config: ConfigOption = None,
) -> None:
    """Check every ingested row against the registry; write statuses, reasons and suggestions."""

    def body(run: _Run) -> int:
        folder = _workdir(run, workdir)
        with _hold(folder, "validate"):
            _validate(
                run, folder, dukcapil, enrolled, allow_empty, accept=_acceptance(accept, basis)
            )
        return EXIT_OK

    _execute(config, year, body)


@app.command()
def report(
    workdir: WorkdirOption = None,
    year: YearOption = None,
    months: MonthsOption = None,
    start_month: StartMonthOption = None,
    budget: BudgetOption = None,
    previous: PreviousOption = None,
    config: ConfigOption = None,
) -> None:
    """Write the eligible list, the decree attachment and the summary, with the year's cost."""

    def body(run: _Run) -> int:
        folder = _workdir(run, workdir)
        with _hold(folder, "report"):
            return _report(run, folder, months, start_month, budget, previous)

    _execute(config, year, body)


StartOption = Annotated[
    str | None,
    typer.Option(
        "--start",
        metavar="YYYY-MM",
        help="The month cover is asked to start. [default: the programme's first month, or "
        "next month if it has passed]",
    ),
]


@app.command()
def handover(
    workdir: WorkdirOption = None,
    enrolled: EnrolledOption = None,
    start: StartOption = None,
    config: ConfigOption = None,
) -> None:
    """After the decree: the registration files for the BPJS branch, the people not handed over
    yet, with a cover letter; recorded in the ledger's register."""
    from bantuan_iuran import render
    from bantuan_iuran.stages.handover import HandoverOptions, handover_stage

    def body(run: _Run) -> int:
        options = HandoverOptions(run.path(enrolled, "enrolled"), _month_start(start))
        folder, outcome = _in_folder(
            run, workdir, "handover", lambda at: handover_stage(at, options, run.settings)
        )
        render.warnings(outcome.warnings)
        render.handover(outcome, folder)
        return EXIT_OK

    _execute(config, None, body)


@app.command("branch-result")
def branch_result(
    files: Annotated[
        list[Path],
        typer.Argument(help="The branch's result files: accepted and rejected people, any layout."),
    ],
    workdir: WorkdirOption = None,
    config: ConfigOption = None,
) -> None:
    """Read what the BPJS branch sent back: each person handed over becomes registered (with
    KPJ and cover start) or rejected (back to the village on the next correction form)."""
    from bantuan_iuran import render
    from bantuan_iuran.stages.branch import branch_result_stage

    def body(run: _Run) -> int:
        folder, outcome = _in_folder(
            run, workdir, "branch-result",
            lambda at: branch_result_stage(at, list(files), run.settings),
        )  # fmt: skip
        render.branch_result(outcome, folder)
        return EXIT_PARTIAL if outcome.partial else EXIT_OK

    _execute(config, None, body)


MonthOption = Annotated[
    str, typer.Option("--month", "-m", metavar="YYYY-MM", help="The month, as 2027-03.")
]
TodayOption = Annotated[
    str | None,
    typer.Option("--today", metavar="YYYY-MM-DD", help="The day to reckon from. [default: today]"),
]


@app.command()
def month(
    bill: Annotated[Path, typer.Argument(help="The branch's bill for the month (any layout).")],
    month_: MonthOption,
    workdir: WorkdirOption = None,
    dukcapil: Annotated[
        Path | None,
        typer.Option("--dukcapil", "-d", help="A newer registry extract: deaths since."),
    ] = None,
    today: TodayOption = None,
    config: ConfigOption = None,
) -> None:
    """Reconcile the branch's bill for a month with the register: what to pay, what to dispute,
    refunds due after deaths, and the payment's deadline."""
    from bantuan_iuran import render
    from bantuan_iuran.stages.monthly import month_stage

    def body(run: _Run) -> int:
        first = _month_start(month_)
        _, outcome = _in_folder(run, workdir, "month", lambda at: month_stage(
            at, bill, first.year, first.month, run.settings, dukcapil, _day(today)))  # fmt: skip
        render.warnings(outcome.warnings)
        render.month(outcome)
        return EXIT_PARTIAL if outcome.unread else EXIT_OK

    _execute(config, None, body)


@app.command()
def paid(
    month_: MonthOption,
    on: Annotated[str, typer.Option("--on", metavar="YYYY-MM-DD", help="The day it was paid.")],
    amount: Annotated[
        int | None,
        typer.Option(
            parser=lambda text: _rupiah(text),
            metavar="RUPIAH",
            help="The amount paid. [default: the reconciled amount]",
        ),  # fmt: skip
    ] = None,
    workdir: WorkdirOption = None,
    config: ConfigOption = None,
) -> None:
    """Record that a month's premiums were paid (the payments' calendar counts on it)."""
    from bantuan_iuran import render
    from bantuan_iuran.stages.monthly import paid_stage

    def body(run: _Run) -> int:
        first = _month_start(month_)
        _, recorded = _in_folder(run, workdir, "paid", lambda at: paid_stage(
            at, first.year, first.month, _day(on), amount))  # fmt: skip
        render.info(f"{month_}: paid {render.rupiah(recorded)} on {on} (recorded in the ledger)")
        return EXIT_OK

    _execute(config, None, body)


@app.command()
def changes(
    reports: Annotated[
        list[Path] | None,
        typer.Argument(help="Reports of deaths, moves, new jobs, withdrawals (any layout)."),
    ] = None,
    workdir: WorkdirOption = None,
    dukcapil: Annotated[
        Path | None,
        typer.Option("--dukcapil", "-d", help="A newer registry extract: deaths and moves."),
    ] = None,
    today: TodayOption = None,
    config: ConfigOption = None,
) -> None:
    """People who leave during the year: recorded with reason and day; deaths listed for the
    claim, other exits on the branch's deactivation sheet."""
    from bantuan_iuran import render
    from bantuan_iuran.stages.monthly import changes_stage

    def body(run: _Run) -> int:
        _, outcome = _in_folder(run, workdir, "changes", lambda at: changes_stage(
            at, run.settings, dukcapil, list(reports or []), _day(today)))  # fmt: skip
        render.changes(outcome)
        return EXIT_PARTIAL if outcome.unread else EXIT_OK

    _execute(config, None, body)


@app.command()
def replace(
    budget: Annotated[
        int,
        typer.Option(
            parser=lambda text: _rupiah(text),
            metavar="RUPIAH",
            help="The year's allocation, as 2.100.000.000.",
        ),  # fmt: skip
    ],
    workdir: WorkdirOption = None,
    start: StartOption = None,
    today: TodayOption = None,
    config: ConfigOption = None,
) -> None:
    """Replace the people who left from the waiting list, within the budget left; write the
    numbered amendment to the decree and the hand-over file for the replacements."""
    from bantuan_iuran import render
    from bantuan_iuran.stages.replace import replace_stage

    def body(run: _Run) -> int:
        folder, outcome = _in_folder(run, workdir, "replace", lambda at: replace_stage(
            at, run.settings, budget, _month_start(start), _day(today)))  # fmt: skip
        render.replacements(outcome)
        if outcome.handover is not None:
            render.handover(outcome.handover, folder)
        return EXIT_OK

    _execute(config, None, body)


@app.command("year")
def year_summary(
    budget: BudgetOption = None,
    workdir: WorkdirOption = None,
    config: ConfigOption = None,
) -> None:
    """The year at a glance: per person the months decreed, billed and paid; per month the
    amounts; per semester the budget realised against the allocation."""
    from bantuan_iuran import render
    from bantuan_iuran.stages.monthly import year_stage

    def body(run: _Run) -> int:
        _, (tables, path) = _in_folder(run, workdir, "year",
                                       lambda at: year_stage(at, run.settings, budget))  # fmt: skip
        render.year(tables, path)
        return EXIT_OK

    _execute(config, None, body)


def _day(text: str | None):
    """'2027-03-14' -> that day; None stays None."""
    from datetime import date

    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a day: write it as 2027-03-14.") from None


def _month_start(text: str | None):
    """'2027-03' -> 1 March 2027."""
    from datetime import date

    if text is None:
        return None
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a month: write it as 2027-03.") from None


@app.command("run")
def run_all(
    sources: Annotated[
        list[Path] | None,
        typer.Argument(help="Folders or files of village lists. [default: `sources` in config]"),
    ] = None,
    dukcapil: DukcapilOption = None,
    year: YearOption = None,
    enrolled: EnrolledOption = None,
    allow_empty: AllowEmptyOption = False,
    accept: AcceptOption = None,
    basis: BasisOption = "",
    workdir: WorkdirOption = None,
    months: MonthsOption = None,
    start_month: StartMonthOption = None,
    budget: BudgetOption = None,
    previous: PreviousOption = None,
    drop_villages: DropVillagesOption = False,
    config: ConfigOption = None,
) -> None:
    """Ingest, validate and report in one go: the scheduled job before budget submission."""

    def chain(run: _Run) -> int:
        folder = _workdir(run, workdir)
        with _hold(folder, "run"):
            return steps(run, folder)

    def steps(run: _Run, folder: Path) -> int:
        references = tuple(run.path(given, key) for given, key in (
            (dukcapil, "dukcapil"), (enrolled, "enrolled"), (previous, "previous")))  # fmt: skip
        ingested = _ingest(run, sources, folder, drop_villages, references)
        # The village workbooks are written by helper processes while the report stage works.
        workbooks = _validate(
            run, folder, dukcapil, enrolled, allow_empty, workbooks_in_background=True,
            accept=_acceptance(accept, basis),
        )  # fmt: skip
        try:
            _report(run, folder, months, start_month, budget, previous)
        except KeyboardInterrupt:
            workbooks.stop()
            raise
        finally:
            workbooks.wait()  # after an error in the report: the village workbooks still count
        return ingested

    _execute(config, year, chain)


@app.command()
def purge(
    workdir: WorkdirOption = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    ledger: Annotated[
        bool,
        typer.Option("--ledger", help="Delete the ledger of decisions too (kept by default)."),
    ] = False,
    config: ConfigOption = None,
) -> None:
    """After the decree is signed: delete the intermediate tables holding personal data, keep
    the final lists (report/), the logs, the manifest and the ledger (unless --ledger)."""
    from bantuan_iuran import render
    from bantuan_iuran.pipeline import INTERMEDIATE
    from bantuan_iuran.pipeline import purge as purge_workdir

    def remove(run: _Run) -> int:
        folder = _workdir(run, workdir)
        if not yes:
            names = [*INTERMEDIATE, *(["ledger.sqlite"] if ledger else [])]
            typer.confirm(f"Delete {', '.join(names)} from {folder}?", abort=True, err=True)
        with _hold(folder, "purge"):
            removed = purge_workdir(folder, ledger)
        render.info(f"Removed {', '.join(removed) or 'nothing'} from {folder}; report/ kept.")
        return EXIT_OK

    _execute(config, None, remove)


@app.command()
def history(
    what: Annotated[
        str,
        typer.Argument(
            help="A village (name or code), a file (or part of its name), FILE:ROW, or a row id. "
            "[default: everything]"
        ),
    ] = "",
    workdir: WorkdirOption = None,
    config: ConfigOption = None,
) -> None:
    """Show the decisions recorded in the work folder's ledger (NIKs masked)."""
    from bantuan_iuran import render
    from bantuan_iuran.pipeline import decision_history

    def show(run: _Run) -> int:
        folder = _workdir(run, workdir)
        table = decision_history(folder, what)
        title = f"Decisions in {folder / 'ledger.sqlite'}" + (f" about {what!r}" if what else "")
        render.decisions_table(title, table)
        render.info(f"{thousands(len(table))} decision(s).")
        return EXIT_OK

    _execute(config, None, show)


@app.command()
def config() -> None:
    """Print the default configuration, with comments: a start for your own bantuan.toml."""
    from bantuan_iuran.config import default_config_text

    typer.echo(default_config_text())


@app.command()
def sample(
    outdir: Annotated[Path, typer.Argument(help="Folder to write the synthetic batch into.")],
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same batch.")] = 2025,
    villages: Annotated[int, typer.Option(min=1, max=157, help="Villages in the batch.")] = 10,
    applicants: Annotated[int, typer.Option(min=1, help="Applicant rows in total.")] = 1000,
    registry: Annotated[int, typer.Option(min=100, help="People in the registry extract.")] = 20000,
    enrolled: Annotated[
        int | None, typer.Option(min=0, help="People on the enrolled list (default a quarter).")
    ] = None,
    year: Annotated[int, typer.Option(help="Programme year the ages are planted for.")] = 2027,
    answers_to: Annotated[
        Path | None,
        typer.Option(
            help="Instead: the villages' answers to this work folder's correction forms "
            "(a round-1 run of the batch given with --batch), as a round-2 folder.",
        ),
    ] = None,
    batch: Annotated[
        Path | None, typer.Option(help="With --answers-to: the sample batch of round 1.")
    ] = None,
    year_of: Annotated[
        Path | None,
        typer.Option(
            help="Instead: the year after this work folder's hand-over (bills, a newer "
            "registry, a village report), with --batch."
        ),  # fmt: skip
    ] = None,
    branch_to: Annotated[
        Path | None,
        typer.Option(
            help="Instead: the BPJS branch's results for this work folder's latest hand-over."
        ),  # fmt: skip
    ] = None,
) -> None:
    """Write a synthetic batch: village files, registry extract, enrolled list and the truth;
    or, with --answers-to, the villages' side of the next round."""
    from bantuan_iuran import render
    from bantuan_iuran.sample import generate_sample

    if year_of is not None:
        from bantuan_iuran.sample.year import play_year

        if batch is None:
            raise typer.BadParameter("--year-of needs --batch (the sample folder of round 1)")
        played = play_year(year_of, batch, outdir, seed)
        render.info(
            f"{played.bills} monthly bills with {played.planted} planted findings, a newer "
            f"registry extract and a village report -> {outdir}"
        )
        return
    if branch_to is not None:
        from bantuan_iuran.sample.branch import answer_handover

        played = answer_handover(branch_to, outdir, seed)
        render.info(
            f"The branch registered {thousands(played.accepted)} people and rejected "
            f"{thousands(played.rejected)}; its list also names one person never handed over "
            f"-> {outdir}"
        )
        return
    if answers_to is not None:
        from bantuan_iuran.sample.answers import answer_round

        if batch is None:
            raise typer.BadParameter("--answers-to needs --batch (the round-1 sample folder)")
        summary = answer_round(batch, answers_to, outdir, seed)
        render.info(
            f"{summary.forms} correction forms: {summary.answered_rows} rows answered; "
            f"{summary.silent_village} did not answer; {summary.revised_file} is a revised "
            f"list -> {outdir}"
        )
        return

    bar = render.FileProgress("Writing village files")
    with bar:
        bar.start(villages)
        summary = generate_sample(
            outdir, seed, villages, applicants, registry, enrolled, year, on_village=bar.advance
        )
    render.info(
        f"{summary.files} village files with {thousands(summary.applicants)} applicant rows, a "
        f"registry of {thousands(summary.registry)} people and {thousands(summary.enrolled)} "
        f"enrolled -> {outdir}"
    )


def _help_from_docstrings() -> None:
    """Each command's help is its docstring as one paragraph: the docstring's line breaks are
    for the source, and a terminal of any width wraps the text itself."""
    for command in app.registered_commands:
        if command.help is None and command.callback.__doc__:
            command.help = " ".join(command.callback.__doc__.split())


_help_from_docstrings()


def main() -> None:
    from bantuan_iuran.processes import batch_collector

    batch_collector()
    app()
