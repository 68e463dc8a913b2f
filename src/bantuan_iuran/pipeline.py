"""The stages as the command line runs them: read inputs, call the pure stage, write the work
directory. No printing here; callers render what comes back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from bantuan_iuran.config import Settings
from bantuan_iuran.errors import BantuanError, InputError
from bantuan_iuran.ingest import IngestResult, SourceFile, find_source_files, run_ingest
from bantuan_iuran.workdir import ensure_private_dir, read_table, write_csv, write_parquet

INGESTED = "ingested.parquet"
VALIDATED = "validated.parquet"


def ingest_stage(
    sources: Sequence[Path],
    workdir: Path,
    settings: Settings,
    on_start: Callable[[int], None] = lambda total: None,
    on_file: Callable[[SourceFile], None] | None = None,
) -> IngestResult:
    missing = [str(s) for s in sources if not s.exists()]
    if missing:
        raise InputError(f"Not found: {', '.join(missing)}")
    files = find_source_files(sources)
    if not files:
        raise InputError("No .xlsx, .xlsm, .xls, .ods or .csv files found in the sources given.")
    on_start(len(files))
    result = run_ingest(files, settings, on_file=on_file)
    ensure_private_dir(workdir)
    write_parquet(result.applicants, workdir / INGESTED)
    write_csv(result.log, workdir / "ingest_log.csv")
    write_csv(result.dropped, workdir / "dropped.csv")
    return result


@dataclass
class ValidateOutputs:
    validated: pd.DataFrame
    workbooks: list[Path]


def validate_stage(
    workdir: Path, dukcapil: Path, enrolled: Path | None, settings: Settings
) -> ValidateOutputs:
    from bantuan_iuran.corrections import write_correction_workbooks
    from bantuan_iuran.registry import read_enrolled, read_registry
    from bantuan_iuran.validate import run_validate

    ingested = read_table(workdir / INGESTED, "ingest")
    registry = read_registry(dukcapil, settings)
    enrolled_niks = (
        read_enrolled(enrolled, settings)
        if enrolled
        else pd.DataFrame({"nik": pd.Series([], dtype="str")})
    )
    validated = run_validate(ingested, registry, enrolled_niks, settings).validated
    write_parquet(validated, workdir / VALIDATED)
    write_csv(validated, workdir / "validated.csv")
    workbooks = write_correction_workbooks(
        validated, ingested, workdir / "perbaikan", settings.programme.year
    )
    return ValidateOutputs(validated, workbooks)


@dataclass
class ReportOptions:
    year: int
    months: int | None = None
    start_month: int | None = None
    budget: int | None = None
    previous: Path | None = None
    regency: str = "Trenggalek"


def report_stage(workdir: Path, options: ReportOptions, settings: Settings):
    from bantuan_iuran.registry import read_nik_list
    from bantuan_iuran.report import run_report
    from bantuan_iuran.report.workbooks import (
        kecamatan_totals,
        write_decree_attachment,
        write_people_workbook,
        write_summary_workbook,
    )

    validated = read_table(workdir / VALIDATED, "validate")
    previous = (
        read_nik_list(options.previous, settings, "previous year's list")
        if options.previous
        else None
    )
    report = run_report(
        validated,
        settings,
        options.year,
        options.months,
        options.start_month,
        options.budget,
        previous,
    )
    out = ensure_private_dir(workdir / "report")
    year = options.year
    write_csv(eligible_list(report.selected, report.has_previous), out / f"eligible_{year}.csv")
    write_decree_attachment(report, out / f"lampiran_sk_{year}.xlsx", options.regency)
    write_summary_workbook(report, out / f"ringkasan_{year}.xlsx")
    write_csv(report.villages, out / f"ringkasan_{year}.csv")
    write_csv(kecamatan_totals(report.villages), out / f"ringkasan_kecamatan_{year}.csv")
    for stale in (out / f"cadangan_{year}.csv", out / f"cadangan_{year}.xlsx"):
        stale.unlink(missing_ok=True)
    if options.budget is not None:
        write_csv(eligible_list(report.waiting, report.has_previous), out / f"cadangan_{year}.csv")
        write_people_workbook(
            report.waiting,
            out / f"cadangan_{year}.xlsx",
            f"DAFTAR CADANGAN (MENUNGGU ANGGARAN) TAHUN {year}",
        )
    return report


ELIGIBLE_COLUMNS = [
    "nik", "name", "birth_place", "birth_date", "sex", "address", "rt", "rw", "kode_desa", "desa",
    "kecamatan", "months", "premium_monthly", "premium_total", "priority", "source_file",
    "source_sheet", "source_row",
]  # fmt: skip


def eligible_list(people: pd.DataFrame, with_continuing: bool) -> pd.DataFrame:
    """The people columns of a list; `continuing` as true/false when last year's list was given."""
    if not with_continuing:
        return people[ELIGIBLE_COLUMNS]
    return people[ELIGIBLE_COLUMNS].assign(
        continuing=people["continuing"].map({True: "true", False: "false"})
    )


__all__ = ["BantuanError", "ingest_stage", "report_stage", "validate_stage"]
