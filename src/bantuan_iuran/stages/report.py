"""The report stage as the command line runs it: cost the eligible people in the work
folder's year and write the decree attachment, the lists and the summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from bantuan_iuran.atomic import ensure_private_dir
from bantuan_iuran.batch import (
    keep_references,
    work_settings,
)
from bantuan_iuran.config import Settings
from bantuan_iuran.errors import InputError
from bantuan_iuran.ledger import ledger_stage
from bantuan_iuran.manifest import (
    read_manifest,
    sha256_of,
)
from bantuan_iuran.money import thousands
from bantuan_iuran.processes import Task, share_tasks
from bantuan_iuran.schemas import DecreedRows, ValidatedRows
from bantuan_iuran.stages.common import (
    DECREED,
    INGESTED,
    REPORT,
    ROUNDS,
    VALIDATED,
    WAITING,
    StageOutcome,
    stale_warnings,
    start_stage,
)
from bantuan_iuran.workdir import read_table, write_csv, write_parquet


def _history(workdir: Path) -> pd.DataFrame | None:
    """Per village and round, rows by status, from every round kept (None before round 2)."""
    from bantuan_iuran.rounds import history

    kept = {
        int(p.stem.removeprefix("round_")): p for p in (workdir / ROUNDS).glob("round_*.parquet")
    }
    if len(kept) < 2:
        return None
    return history({number: pd.read_parquet(path) for number, path in kept.items()})


def _check_year(workdir: Path, year: int) -> None:
    """Ages and enrolment were judged for the year validation ran with: a report for another
    year would pay for people judged for the wrong one."""
    validate = read_manifest(workdir).get("stages", {}).get("validate", {})
    validated_for = validate.get("config", {}).get("programme", {}).get("year")
    if validated_for is not None and int(validated_for) != year:
        raise InputError(
            f"The rows were validated for {validated_for} (ages on 1 January {validated_for}) "
            f"but the report is for {year}.",
            hint=f"Run `bantuan validate --year {year}` first, or report for {validated_for}.",
        )


@dataclass
class ReportOptions:
    year: int
    months: int | None = None
    start_month: int | None = None
    budget: int | None = None
    previous: Path | None = None
    regency: str = ""  # the decree's regency; default: the name of programme.regency_code


@dataclass
class ReportOutcome(StageOutcome):
    report: object = None
    budget_lines: list = field(default_factory=list)


def report_stage(workdir: Path, options: ReportOptions, settings: Settings) -> ReportOutcome:
    from bantuan_iuran.excel import write_workbook
    from bantuan_iuran.reference import regency_name
    from bantuan_iuran.registry import read_nik_list
    from bantuan_iuran.report.budget import budget_lines, total_differs
    from bantuan_iuran.report.decree import decree_document, public_copy, write_decree_workbook
    from bantuan_iuran.report.pdf import write_decree_pdf
    from bantuan_iuran.report.tables import run_report
    from bantuan_iuran.report.workbooks import (
        kecamatan_totals,
        people_workbook,
        write_budget_workbook,
        write_people_workbook,
        write_summary_workbook,
    )

    validated = read_table(workdir / VALIDATED, "validate", ValidatedRows)
    # Ingested again since validation? Then the validated rows are an older batch.
    stale = stale_warnings(workdir, "validate", [INGESTED, VALIDATED], "validate")
    outcome = ReportOutcome(warnings=stale)
    to_fix = int((validated["status"] == "needs_fix").sum())
    if to_fix:
        outcome.warnings.append(
            f"{thousands(to_fix)} rows still need a fix from their villages and are not in this "
            "decree (validated.csv; the correction forms are in perbaikan/)."
        )
    settings = work_settings(workdir, settings)
    _check_year(workdir, options.year)
    record = start_stage(workdir, "report", settings, writes_in=[REPORT])
    if options.previous and options.previous.is_file():
        with ledger_stage(workdir) as ledger:
            keep_references(ledger, [sha256_of(options.previous)])
    record.read(workdir / VALIDATED, VALIDATED)
    previous = None
    if options.previous:
        previous, previous_warnings = read_nik_list(
            options.previous, settings, "previous year's list"
        )
        outcome.warnings.extend(previous_warnings)
        record.read(options.previous)
    report = run_report(
        validated,
        settings,
        options.year,
        options.months,
        options.start_month,
        options.budget,
        previous,
    )
    out = ensure_private_dir(workdir / REPORT)
    year = options.year
    write_csv(eligible_list(report.selected, report.has_previous), out / f"eligible_{year}.csv")
    decreed = report.selected.assign(year=year)[list(DecreedRows.to_schema().columns)]
    changed = _decree_changes(workdir / DECREED, decreed, validated)
    (out / f"perubahan_daftar_{year}.csv").unlink(missing_ok=True)
    if len(changed):
        write_csv(changed, out / f"perubahan_daftar_{year}.csv")
        joined = int((changed["change"] == "added").sum())
        outcome.warnings.append(
            f"The list of people paid for changed since the last report: {thousands(joined)} "
            f"added, {thousands(len(changed) - joined)} removed (report/perubahan_daftar_{year}"
            ".csv, with why)."
        )
    write_parquet(DecreedRows.validate(decreed), workdir / DECREED)
    record.wrote(workdir / DECREED, workdir)
    regency = options.regency or regency_name(settings.programme.regency_code)
    decree = decree_document(report, regency, settings.decree)
    public = public_copy(decree)
    paid_title = f"DAFTAR PESERTA YANG DIBIAYAI TAHUN {year}"
    # The five documents as long as the list, shared between this process and the spare core
    # by what each costs (measured one by one at 65,000 people: the eligible workbook 7.4 s,
    # the others 5.3 to 5.5 s each; this process also writes the summary meanwhile).
    eligible = people_workbook(report.selected, out / f"eligible_{year}.xlsx", paid_title, False)
    documents = share_tasks([
        Task(write_workbook, (eligible,), 14),
        Task(write_decree_workbook, (decree, out / f"lampiran_sk_{year}.xlsx"), 10),
        Task(write_decree_workbook, (public, out / f"lampiran_sk_{year}_publik.xlsx"), 10),
        Task(write_decree_pdf, (decree, out / f"lampiran_sk_{year}.pdf"), 10),
        Task(write_decree_pdf, (public, out / f"lampiran_sk_{year}_publik.pdf"), 10),
    ])  # fmt: skip
    write_summary_workbook(report, out / f"ringkasan_{year}.xlsx", _history(workdir))
    outcome.budget_lines = budget_lines(report, settings.premium, settings.budget)
    differs = total_differs(outcome.budget_lines, report)
    if differs:
        outcome.warnings.append(differs)
    write_budget_workbook(outcome.budget_lines, report, settings.budget.sub_kegiatan,
                          out / f"rincian_anggaran_{year}.xlsx")  # fmt: skip
    write_csv(report.villages, out / f"ringkasan_{year}.csv")
    write_csv(kecamatan_totals(report.villages), out / f"ringkasan_kecamatan_{year}.csv")
    waiting = (out / f"cadangan_{year}.csv", out / f"cadangan_{year}.xlsx", workdir / WAITING)
    if options.budget is None:
        for stale in waiting:
            stale.unlink(missing_ok=True)
    else:
        reserve = report.waiting.assign(year=year)[list(DecreedRows.to_schema().columns)]
        write_parquet(DecreedRows.validate(reserve), workdir / WAITING)
        write_csv(eligible_list(report.waiting, report.has_previous), waiting[0])
        title = f"DAFTAR CADANGAN (MENUNGGU ANGGARAN) TAHUN {year}"
        write_people_workbook(report.waiting, waiting[1], title)
    documents.results()
    for path in sorted([*out.glob(f"*_{year}.*"), *out.glob(f"*_{year}_publik.*")]):
        record.wrote(path, workdir)
    record.rows = {
        "validated": len(validated),
        "eligible": report.eligible_count,
        "selected": len(report.selected),
        "waiting": len(report.waiting),
        "months": report.months,
        "premium_per_person": report.per_person,
        "premium_total": report.total,
    }
    record.finish(workdir)
    outcome.report = report
    return outcome


def _decree_changes(path: Path, decreed: pd.DataFrame, validated: pd.DataFrame) -> pd.DataFrame:
    """Who joined or left the list of people paid for since the last report, with the row's
    status and reasons now: a run never changes who is paid without saying so."""
    if not path.exists():
        return pd.DataFrame()
    before = pd.read_parquet(path, columns=["nik", "name", "kecamatan", "desa"])
    added = decreed[~decreed["nik"].isin(before["nik"])].assign(change="added")
    removed = before[~before["nik"].isin(decreed["nik"])].assign(change="removed")
    changed = pd.concat([added, removed], ignore_index=True)
    if changed.empty:
        return changed
    rank = validated["status"].map({"eligible": 0, "needs_fix": 1}).fillna(2)
    now = validated.assign(rank=rank).sort_values("rank", kind="stable")
    now = now.drop_duplicates("nik").set_index("nik")
    found = changed["nik"].isin(now.index)
    status = changed["nik"].map(now["status"]).where(found, "not in the lists any more")
    return (
        changed[["nik", "name", "kecamatan", "desa", "change"]]
        .assign(status=status, reasons=changed["nik"].map(now["reasons"]).fillna(""))
        .sort_values(["change", "kecamatan", "desa", "name"], ignore_index=True)
    )


ELIGIBLE_COLUMNS = [
    "nik", "name", "name_sent", "birth_place", "birth_date", "sex", "address", "rt", "rw",
    "kode_desa", "desa", "kecamatan", "months", "premium_monthly", "premium_total", "priority",
    "source_file", "source_sheet", "source_row",
]  # fmt: skip


def eligible_list(people: pd.DataFrame, with_continuing: bool) -> pd.DataFrame:
    """The people columns of a list; `continuing` as true/false when last year's list was given."""
    if not with_continuing:
        return people[ELIGIBLE_COLUMNS]
    return people[ELIGIBLE_COLUMNS].assign(
        continuing=people["continuing"].map({True: "true", False: "false"})
    )
