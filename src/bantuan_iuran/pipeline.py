"""The stages as the command line runs them: read inputs, call the pure stage, write the work
directory and its manifest. No printing here; callers render what comes back, warnings included.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from bantuan_iuran.atomic import ensure_private_dir, remove_stale_temporaries
from bantuan_iuran.config import Settings
from bantuan_iuran.errors import BantuanError, InputError
from bantuan_iuran.ingest import IngestResult, SourceFile, find_source_files, run_ingest
from bantuan_iuran.manifest import (
    StageRecord,
    batch_and_round,
    changed_since,
    read_manifest,
    recorded_inputs,
)
from bantuan_iuran.processes import Shared
from bantuan_iuran.reasons import STATUSES
from bantuan_iuran.schemas import IngestedRows, ValidatedRows

if TYPE_CHECKING:
    from bantuan_iuran.validate import Acceptance
from bantuan_iuran.workdir import read_table, write_csv, write_parquet

INGESTED = "ingested.parquet"
VALIDATED = "validated.parquet"
CORRECTIONS = "perbaikan"
REPORT = "report"
# What `bantuan purge` deletes: every table that holds personal data before the final lists.
ROUNDS = "rounds"  # each validation's outcome per row: rounds/round_<n>.parquet
ANSWERED_ASIDE = "perbaikan_diubah"  # forms changed in the work folder, kept from overwriting
INTERMEDIATE = (INGESTED, VALIDATED, "validated.csv", CORRECTIONS, ROUNDS, "answers.csv",
                ANSWERED_ASIDE)  # fmt: skip


@dataclass
class StageOutcome:
    warnings: list[str] = field(default_factory=list)


@dataclass
class IngestOutcome(StageOutcome):
    result: IngestResult | None = None


def ingest_stage(
    sources: Sequence[Path],
    workdir: Path,
    settings: Settings,
    on_start: Callable[[int], None] = lambda total: None,
    on_file: Callable[[SourceFile], None] | None = None,
) -> IngestOutcome:
    missing = [str(s) for s in sources if not s.exists()]
    if missing:
        raise InputError(f"Not found: {', '.join(missing)}")
    files = find_source_files(sources, workdir)
    if not files:
        raise InputError(
            "No village files (.xlsx, .xlsm, .xls, .ods, .csv, .txt, .tsv) in the sources given."
        )
    on_start(len(files))
    record = _start(workdir, "ingest", settings)
    batch = read_manifest(workdir).get("batch")  # of the correction forms sent from here
    result = run_ingest(files, settings, on_file=on_file, batch=batch)
    outcome = IngestOutcome(warnings=_record_sources(files, record), result=result)
    outcome.warnings.extend(_answer_warnings(result.answers))
    outcome.warnings.extend(
        f"{name} was changed after it was written: the work folder is not read as sources, so "
        "answers typed into it are not read; put a copy among the sources."
        for name in _changed_forms(workdir)
    )
    write_parquet(result.applicants, workdir / INGESTED)
    record.wrote(workdir / INGESTED, workdir)
    tables = (("ingest_log.csv", result.log), ("dropped.csv", result.dropped),
              ("answers.csv", result.answers))  # fmt: skip
    for name, frame in tables:
        write_csv(frame, workdir / name)
        record.wrote(workdir / name, workdir)
    outcomes = result.answers["outcome"].value_counts()
    record.rows = {
        "files": len(files),
        "failed_files": result.failed_files,
        "applicant_rows": len(result.applicants),
        "dropped_rows": len(result.dropped),
        "answer_rows": len(result.answers),
        **{f"answers_{name}": int(count) for name, count in outcomes.items()},
    }
    replaced = result.log["file"].isin([r.old for r in result.replacements])
    outcome.warnings.extend(_villages_with_several_files(result.log[~replaced]))
    record.finish(workdir)
    return outcome


def _answer_warnings(answers: pd.DataFrame) -> list[str]:
    """One line per returned form whose answers were not all applied (answers.csv has each)."""
    left = answers[answers["outcome"].isin(["row_gone", "other_batch", "edited"])]
    return [
        f"{file}: {len(rows)} answer(s) {', '.join(sorted(set(rows['outcome'])))}: "
        f"{rows['message'].iloc[0]} (answers.csv lists them)"
        for file, rows in left.groupby("file", sort=True)
    ]


def _start(
    workdir: Path, stage: str, settings: Settings, writes_in: Sequence[str] = ()
) -> StageRecord:
    ensure_private_dir(workdir)
    remove_stale_temporaries(workdir, writes_in)
    return StageRecord(stage, settings.raw)


def _record_sources(files: Sequence[SourceFile], record: StageRecord) -> list[str]:
    """Records every village file's hash, and names a file sent twice under two names."""
    seen: dict[str, str] = {}
    warnings = []
    hashing = [record.read(source.path, str(source.path.resolve())) for source in files]
    for source, entry in zip(files, hashing, strict=True):
        digest = entry.result()["sha256"]
        if digest in seen:
            warnings.append(
                f"{source.relative} has the same content as {seen[digest]}: its rows are "
                "listed twice and the second listing is marked DUPLICATE."
            )
        seen.setdefault(digest, source.relative)
    return warnings


def _villages_with_several_files(log: pd.DataFrame) -> list[str]:
    ok = log[(log["status"] == "ok") & (log["kode_desa"] != "")]
    files = ok.groupby("kode_desa")["file"].unique()
    return [
        f"Village {kode} came in {len(names)} files ({', '.join(sorted(names))}): "
        "a person in both is kept once (DUPLICATE)."
        for kode, names in files.items()
        if len(names) > 1
    ]


@dataclass
class PendingWorkbooks:
    """Workbooks being written by helper processes for a stage whose tables are done; `wait`
    collects them (writing here any a helper failed on) and adds them to the stage's record."""

    writing: Shared
    paths: list[Path]
    record: StageRecord
    workdir: Path
    done: bool = False

    def wait(self) -> None:
        if self.done:
            return
        self.done = True
        self.writing.results()
        for path in self.paths:
            self.record.wrote(path, self.workdir)
        self.record.finish(self.workdir)

    def stop(self) -> None:
        """An interrupted run: no helper outlives it, and nothing is written here instead."""
        self.done = True
        self.writing.stop()


@dataclass
class ValidateOutcome(StageOutcome):
    validated: pd.DataFrame | None = None
    pending: PendingWorkbooks | None = None
    removed: list[Path] = field(default_factory=list)  # workbooks of villages with nothing to fix
    round: int = 1
    progress: pd.DataFrame | None = None  # per village, since the round before (round 2 on)
    accepted: int = 0  # suggestions the analyst accepted

    @property
    def workbooks(self) -> list[Path]:
        return self.pending.paths if self.pending else []


def validate_stage(
    workdir: Path,
    dukcapil: Path,
    enrolled: Path | None,
    settings: Settings,
    allow_empty: bool = False,
    workbooks_in_background: bool = False,
    accept: Acceptance | None = None,
) -> ValidateOutcome:
    """With `workbooks_in_background`, the village correction workbooks are still being written
    when this returns (the tables and the manifest are done): call `outcome.pending.wait()`.
    `bantuan run` writes them while the report stage works."""
    from bantuan_iuran.corrections import FormContext, correction_jobs
    from bantuan_iuran.excel import start_workbooks
    from bantuan_iuran.registry import RegistryExtract, RegistryKeys, read_enrolled
    from bantuan_iuran.validate import (
        FIRST_PASS_FIELDS,
        accept_suggestions,
        first_registry_keys,
        normalized_rows,
        run_validate,
        second_registry_keys,
        variant_keys,
    )

    ingested = read_table(workdir / INGESTED, "ingest", IngestedRows)
    outcome = ValidateOutcome(warnings=_stale(workdir, "ingest", [INGESTED], "ingest"))
    outcome.warnings.extend(_changed_sources(workdir))
    record = _start(workdir, "validate", settings, writes_in=[CORRECTIONS])
    record.read(workdir / INGESTED, INGESTED)
    # The lists that decide who is paid are checked whole before any work is done.
    if enrolled:
        enrolled_niks, enrolled_warnings = read_enrolled(enrolled, settings, allow_empty)
        outcome.warnings.extend(enrolled_warnings)
    else:
        enrolled_niks = pd.DataFrame({"nik": pd.Series([], dtype="str")})
    extract = RegistryExtract(dukcapil, settings, allow_empty)
    outcome.warnings.extend(extract.warnings)
    first_keys = first_registry_keys(ingested)
    with ThreadPoolExecutor(max_workers=1) as reader:
        first = reader.submit(extract.rows, first_keys, FIRST_PASS_FIELDS)
        rows = normalized_rows(ingested)  # while Arrow reads the registry
        second = second_registry_keys(rows, first.result(), settings)
    variants = variant_keys(second.unknown)
    registry = extract.rows(first_keys | second.keys | next(variants, RegistryKeys()))
    more = [extract.rows(keys) for keys in variants]  # a list of thousands of mistyped NIKs
    if more:
        registry = pd.concat([registry, *more]).drop_duplicates("nik", ignore_index=True)
    del first, rows
    record.read(dukcapil)
    if enrolled:
        record.read(enrolled)
    validated = run_validate(ingested, registry, enrolled_niks, settings).validated
    if accept is not None:
        ingested, outcome.accepted = accept_suggestions(ingested, validated, accept)
        record.extra["accepted_suggestions"] = {
            "villages": list(accept.villages),
            "basis": accept.basis,
            "rows": outcome.accepted,
        }
        if outcome.accepted:  # the suggested NIKs' holders are in `registry` already
            validated = run_validate(ingested, registry, enrolled_niks, settings).validated
    record.rows = _reconciled(ingested, validated)
    write_parquet(validated, workdir / VALIDATED)
    write_csv(validated, workdir / "validated.csv")
    for name in (VALIDATED, "validated.csv"):
        record.wrote(workdir / name, workdir)
    batch, round_ = batch_and_round(workdir)
    record.batch, record.extra["round"] = batch, round_
    outcome.round, outcome.progress = round_, _keep_round(workdir, validated, round_, record)
    context = FormContext(settings.programme.year, batch, round_, settings.corrections)
    jobs = correction_jobs(validated, ingested, workdir / CORRECTIONS, context)
    outcome.warnings.extend(_keep_changed_forms(workdir))
    outcome.removed = _remove_stale_workbooks(workdir / CORRECTIONS, {job.target for job in jobs})
    writing = start_workbooks(jobs, workbooks_in_background)
    outcome.pending = PendingWorkbooks(writing, [job.target for job in jobs], record, workdir)
    if workbooks_in_background:
        record.finish(workdir)  # the tables are in place: the report stage may read them
    else:
        outcome.pending.wait()
    outcome.validated = validated
    return outcome


def _keep_round(
    workdir: Path, validated: pd.DataFrame, number: int, record: StageRecord
) -> pd.DataFrame | None:
    """Keeps this round's outcome per row and, from round 2 on, writes what changed since the
    round before (perubahan_<n>.csv) and returns the progress per village."""
    from bantuan_iuran.rounds import changes, round_table, village_progress

    folder = ensure_private_dir(workdir / ROUNDS)
    table = round_table(validated)
    write_parquet(table, folder / f"round_{number}.parquet")
    record.wrote(folder / f"round_{number}.parquet", workdir)
    previous = folder / f"round_{number - 1}.parquet"
    if not previous.exists():
        return None
    moves = changes(pd.read_parquet(previous), table)
    path = workdir / f"perubahan_{number}.csv"
    write_csv(moves[moves["changed"]].drop(columns="changed"), path)
    record.wrote(path, workdir)
    return village_progress(moves, number - 1)


def _history(workdir: Path) -> pd.DataFrame | None:
    """Per village and round, rows by status, from every round kept (None before round 2)."""
    from bantuan_iuran.rounds import history

    kept = {
        int(p.stem.removeprefix("round_")): p for p in (workdir / ROUNDS).glob("round_*.parquet")
    }
    if len(kept) < 2:
        return None
    return history({number: pd.read_parquet(path) for number, path in kept.items()})


def _changed_forms(workdir: Path) -> list[str]:
    """Correction forms in perbaikan/ whose bytes changed since validation wrote them: a
    village's answers may have been typed into them in place."""
    folder = workdir / CORRECTIONS
    if not folder.exists():
        return []
    written = [p.relative_to(workdir).as_posix() for p in sorted(folder.rglob("*.xlsx"))]
    return [name for name in changed_since(workdir, "validate", written)
            if (workdir / name).exists()]  # fmt: skip


def _keep_changed_forms(workdir: Path) -> list[str]:
    """A changed form is moved aside, never overwritten by this round's form."""
    moved = []
    for name in _changed_forms(workdir):
        source = workdir / name
        target = workdir / ANSWERED_ASIDE / Path(name).relative_to(CORRECTIONS)
        ensure_private_dir(target.parent)
        source.replace(target)
        moved.append(
            f"{name} was changed after it was written (a village's answers typed in?): moved "
            f"to {target.relative_to(workdir)}; to read its answers, put it among the sources."
        )
    return moved


def _remove_stale_workbooks(folder: Path, current: set[Path]) -> list[Path]:
    """A village whose rows are all fine now has no correction workbook: last round's is
    removed, so perbaikan/ always matches validated.csv."""
    if not folder.exists():
        return []
    stale = sorted(p for p in folder.rglob("*.xlsx") if p not in current)
    for path in stale:
        path.unlink()
    for kecamatan in folder.iterdir():
        if kecamatan.is_dir() and not any(kecamatan.iterdir()):
            kecamatan.rmdir()
    return stale


def _reconciled(ingested: pd.DataFrame, validated: pd.DataFrame) -> dict[str, int]:
    """ingested = eligible + needs_fix + ineligible, checked: a row lost is a bug, never quiet."""
    counts = validated["status"].value_counts()
    rows = {"ingested": len(ingested), "validated": len(validated)}
    rows.update({status: int(counts.get(status, 0)) for status in STATUSES})
    if not rows["ingested"] == rows["validated"] == sum(rows[s] for s in STATUSES):
        raise BantuanError(f"Row counts do not reconcile: {rows}. This is a bug; please report it.")
    return rows


def _stale(workdir: Path, stage: str, names: list[str], command: str) -> list[str]:
    return [
        f"{name} changed since the last `bantuan {command}`: run `bantuan {command}` again."
        for name in changed_since(workdir, stage, names)
    ]


def _changed_sources(workdir: Path) -> list[str]:
    changed = changed_since(workdir, "ingest", recorded_inputs(workdir, "ingest"))
    if not changed:
        return []
    return [
        f"{len(changed)} village file(s) changed since `bantuan ingest` read them "
        f"(first: {Path(changed[0]).name}): run `bantuan ingest` again to use the new versions."
    ]


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
    regency: str = "Trenggalek"


@dataclass
class ReportOutcome(StageOutcome):
    report: object = None


def report_stage(workdir: Path, options: ReportOptions, settings: Settings) -> ReportOutcome:
    from bantuan_iuran.registry import read_nik_list
    from bantuan_iuran.report.decree import decree_document, write_decree_workbook
    from bantuan_iuran.report.pdf import write_decree_pdf_job
    from bantuan_iuran.report.tables import run_report
    from bantuan_iuran.report.workbooks import (
        kecamatan_totals,
        write_people_workbook,
        write_summary_workbook,
    )

    validated = read_table(workdir / VALIDATED, "validate", ValidatedRows)
    # Ingested again since validation? Then the validated rows are an older batch.
    stale = _stale(workdir, "validate", [INGESTED, VALIDATED], "validate")
    outcome = ReportOutcome(warnings=stale)
    _check_year(workdir, options.year)
    record = _start(workdir, "report", settings, writes_in=[REPORT])
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
    decree = decree_document(report, options.regency, settings.decree)
    pdf = Shared(write_decree_pdf_job, [(decree, out / f"lampiran_sk_{year}.pdf")], None, True)
    write_decree_workbook(decree, out / f"lampiran_sk_{year}.xlsx")
    write_summary_workbook(report, out / f"ringkasan_{year}.xlsx", _history(workdir))
    write_csv(report.villages, out / f"ringkasan_{year}.csv")
    write_csv(kecamatan_totals(report.villages), out / f"ringkasan_kecamatan_{year}.csv")
    waiting = (out / f"cadangan_{year}.csv", out / f"cadangan_{year}.xlsx")
    if options.budget is None:
        for stale in waiting:
            stale.unlink(missing_ok=True)
    else:
        write_csv(eligible_list(report.waiting, report.has_previous), waiting[0])
        title = f"DAFTAR CADANGAN (MENUNGGU ANGGARAN) TAHUN {year}"
        write_people_workbook(report.waiting, waiting[1], title)
    pdf.results()
    for path in sorted(out.glob(f"*_{year}.*")):
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


def purge(workdir: Path) -> list[str]:
    """Delete the intermediate tables that hold personal data; keep the final lists under
    report/, the logs and the manifest (which records the purge)."""
    import shutil

    if not (workdir / "manifest.json").exists():
        raise InputError(f"{workdir} is not a bantuan work directory (no manifest.json).")
    record = StageRecord("purge", {})
    removed = []
    changes = sorted(p.name for p in workdir.glob("perubahan_*.csv"))  # NIKs and names too
    for name in (*INTERMEDIATE, *changes):
        path = workdir / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
        else:
            continue
        removed.append(name)
    removed.extend(p.name for p in remove_stale_temporaries(workdir, [CORRECTIONS, REPORT]))
    record.rows = {"removed": len(removed)}
    record.outputs = [{"path": name, "removed": True} for name in removed]
    record.finish(workdir)
    return removed
