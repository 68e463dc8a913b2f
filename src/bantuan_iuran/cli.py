"""The `bantuan` command: parse arguments, load config, call a stage, render, exit.

Exit codes: 0 done; 1 done, but some input could not be used; 2 usage or configuration error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bantuan_iuran import __version__
from bantuan_iuran.errors import BantuanError

app = typer.Typer(
    help="Verify village beneficiary lists for the BPJS Ketenagakerjaan premium subsidy.",
    no_args_is_help=True,
    add_completion=False,
    # Locals hold names and NIKs: never show them in a traceback.
    pretty_exceptions_show_locals=False,
)

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2

WorkdirOption = Annotated[
    Path, typer.Option("--workdir", "-w", help="Work folder for the stage tables and outputs.")
]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", "-c", help="Policy file (TOML); defaults otherwise.")
]


def _settings(config: Path | None):
    from bantuan_iuran.config import load_settings

    return load_settings(config)


def _fail(error: BantuanError) -> typer.Exit:
    from bantuan_iuran import render

    render.error_panel(error.message, error.hint)
    return typer.Exit(error.exit_code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bantuan-iuran {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Ingest village lists, validate them against Dukcapil, and report the premium cost."""


@app.command()
def ingest(
    sources: Annotated[
        list[Path], typer.Argument(help="Folders (searched recursively) or files of village lists.")
    ],
    workdir: WorkdirOption = Path("work"),
    config: ConfigOption = None,
) -> None:
    """Read every village file into one table, with the provenance of every row."""
    from bantuan_iuran import render
    from bantuan_iuran.ingest import find_source_files, run_ingest
    from bantuan_iuran.workdir import ensure_private_dir, write_csv, write_parquet

    missing = [str(s) for s in sources if not s.exists()]
    if missing:
        render.error_panel(f"Not found: {', '.join(missing)}")
        raise typer.Exit(EXIT_USAGE)
    try:
        settings = _settings(config)
        files = find_source_files(sources)
        if not files:
            raise BantuanError(
                "No .xlsx, .xlsm, .xls, .ods or .csv files found in the sources given."
            )
        with render.progress_bar("Reading village files", len(files)) as advance:
            result = run_ingest(files, settings, on_file=lambda f: advance(f.relative))
        ensure_private_dir(workdir)
        write_parquet(result.applicants, workdir / "ingested.parquet")
        write_csv(result.log, workdir / "ingest_log.csv")
        write_csv(result.dropped, workdir / "dropped.csv")
    except BantuanError as error:
        raise _fail(error) from None
    render.ingest_summary(result.log)
    render.info(
        f"{len(result.applicants):,} applicant rows from {len(files)} files "
        f"-> {workdir / 'ingested.parquet'}"
    )
    for entry in result.log.itertuples():
        if entry.status == "failed":
            render.warning(f"{entry.file}: {entry.message}")
        elif entry.status == "ok" and not entry.kode_desa:
            render.warning(f"{entry.file} [{entry.sheet}]: {entry.message.split(';')[0]}")
    raise typer.Exit(EXIT_PARTIAL if result.failed_files else EXIT_OK)


@app.command()
def validate(
    workdir: WorkdirOption = Path("work"),
    dukcapil: Annotated[
        Path, typer.Option("--dukcapil", "-d", help="Registry extract (CSV, XLSX or Parquet).")
    ] = ...,
    enrolled: Annotated[
        Path | None,
        typer.Option("--enrolled", "-e", help="BPJS Ketenagakerjaan enrolled list (CSV or XLSX)."),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Check every ingested row against the registry; write statuses, reasons and suggestions."""
    from bantuan_iuran import render
    from bantuan_iuran.corrections import write_correction_workbooks
    from bantuan_iuran.registry import read_enrolled, read_registry
    from bantuan_iuran.validate import kecamatan_counts, reason_counts, run_validate
    from bantuan_iuran.workdir import read_table, write_csv, write_parquet

    try:
        settings = _settings(config)
        ingested = read_table(workdir / "ingested.parquet", "ingest")
        with render.status("Reading the registry extract"):
            registry = read_registry(dukcapil, settings)
            enrolled_list = (
                read_enrolled(enrolled, settings) if enrolled else _no_enrolled_list(render)
            )
        with render.status(f"Validating {len(ingested):,} rows"):
            result = run_validate(ingested, registry, enrolled_list, settings)
        write_parquet(result.validated, workdir / "validated.parquet")
        write_csv(result.validated, workdir / "validated.csv")
        workbooks = write_correction_workbooks(
            result.validated, ingested, workdir / "perbaikan", settings.programme.year
        )
    except BantuanError as error:
        raise _fail(error) from None
    render.counts_table("Rows per kecamatan", kecamatan_counts(result.validated))
    render.counts_table("Reasons", reason_counts(result.validated))
    counts = result.status_counts()
    render.info(
        f"{len(result.validated):,} rows: {counts['eligible']:,} eligible, "
        f"{counts['needs_fix']:,} need a fix, {counts['ineligible']:,} ineligible "
        f"-> {workdir / 'validated.csv'}; {len(workbooks)} correction workbooks in "
        f"{workdir / 'perbaikan'}"
    )


def _no_enrolled_list(render):
    import pandas as pd

    render.warning("No --enrolled list given: ALREADY_ENROLLED is not checked.")
    return pd.DataFrame({"nik": pd.Series([], dtype="str")})


@app.command()
def sample(
    outdir: Annotated[Path, typer.Argument(help="Folder to write the synthetic batch into.")],
    seed: Annotated[
        int, typer.Option(help="Random seed: the same seed gives the same batch.")
    ] = 2025,
    villages: Annotated[int, typer.Option(min=1, max=157, help="Villages in the batch.")] = 10,
    applicants: Annotated[int, typer.Option(min=1, help="Applicant rows in total.")] = 1000,
    registry: Annotated[int, typer.Option(min=100, help="People in the registry extract.")] = 20000,
    enrolled: Annotated[
        int | None, typer.Option(min=0, help="People on the enrolled list (default a quarter).")
    ] = None,
    year: Annotated[int, typer.Option(help="Programme year the ages are planted for.")] = 2027,
) -> None:
    """Write a synthetic batch: village files, registry extract, enrolled list and the truth."""
    from bantuan_iuran import render
    from bantuan_iuran.sample import generate_sample

    with render.progress_bar("Writing village files", villages) as advance:
        summary = generate_sample(
            outdir, seed, villages, applicants, registry, enrolled, year, on_village=advance
        )
    render.info(
        f"{summary.files} village files with {summary.applicants:,} applicant rows, a registry of "
        f"{summary.registry:,} people and {summary.enrolled:,} enrolled -> {outdir}"
    )


def main() -> None:
    app()
