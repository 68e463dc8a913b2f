"""The stages as the command line runs them: read inputs, call the pure stage, write the work
directory and its manifest. No printing here; callers render what comes back, warnings included.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from bantuan_iuran.atomic import ensure_private_dir, remove_stale_temporaries
from bantuan_iuran.batch import (
    BATCH,
    check_received_rules,
    exchange_round,
    fixed_year,
    guard_villages,
    keep_references,
    keep_year,
    new_batch,
    now,
    received_time,
    reference_digests,
    work_settings,
)
from bantuan_iuran.config import Settings
from bantuan_iuran.errors import BantuanError, InputError
from bantuan_iuran.ingest import (
    IngestResult,
    SourceFile,
    find_source_files,
    revision_decisions,
    run_ingest,
    skip_references,
)
from bantuan_iuran.ingest.answers import Received
from bantuan_iuran.ledger import Ledger, ledger_stage
from bantuan_iuran.manifest import (
    StageRecord,
    changed_since,
    read_manifest,
    recorded_digests,
    recorded_inputs,
    sha256_of,
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
    drop_villages: bool = False,
    references: Sequence[Path] = (),
) -> IngestOutcome:
    """Reads the sources, ties what came back to its rows through the ledger, and writes the
    ingested table; `references` (registry, enrolled and previous lists) are never read as
    village lists."""
    missing = [str(s) for s in sources if not s.exists()]
    if missing:
        raise InputError(f"Not found: {', '.join(missing)}")
    files = find_source_files(sources, workdir, references)
    if not files:
        raise InputError(
            "No village files (.xlsx, .xlsm, .xls, .ods, .csv, .txt, .tsv) in the sources given."
        )
    check_received_rules(settings.received, [f.relative for f in files])
    on_start(len(files))
    record = _start(workdir, "ingest", settings)
    with ledger_stage(workdir) as ledger:
        settings = fixed_year(ledger, settings)
        warnings, digests, copies = _record_sources(files, record)
        result = run_ingest(files, settings, on_file=on_file, copies=copies)
        outcome = IngestOutcome(warnings=warnings, result=result)
        outcome.warnings.extend(_new_versions(ledger, digests))
        outcome.warnings.extend(skip_references(result, digests, reference_digests(ledger)))
        batch = ledger.fact(BATCH) or read_manifest(workdir).get("batch")
        _settle_answers(result, ledger, batch, settings, _receipts(files, digests, settings))
        failed = sorted(set(result.log.loc[result.log["status"] == "failed", "file"]))
        outcome.warnings.extend(guard_villages(ledger, result.applicants, drop_villages, failed))
        ledger.add_sources(digests)
        ledger.record(revision_decisions(result.replacements, digests))
        outcome.warnings.extend(_answer_warnings(result.answers))
        outcome.warnings.extend(
            f"{name} was changed after it was written: the work folder is not read as sources, "
            "so answers typed into it are not read; put a copy among the sources."
            for name in _changed_forms(workdir)
        )
        _write_ingest(result, workdir, record, len(files))
    replaced = result.log["file"].isin([r.old for r in result.replacements])
    outcome.warnings.extend(_villages_with_several_files(result.log[~replaced]))
    return outcome


def _receipts(
    files: Sequence[SourceFile], digests: dict[str, str], settings: Settings
) -> dict[str, Received]:
    return {
        f.relative: Received(digests.get(f.relative, ""),
                             received_time(f.path, f.relative, settings.received))
        for f in files
    }  # fmt: skip


def _settle_answers(
    result: IngestResult,
    ledger: Ledger,
    batch: str | None,
    settings: Settings,
    receipts: dict[str, Received],
) -> None:
    """The answers of the forms sent back go into the ledger; then every decision the ledger
    holds is applied to the rows, and what became of each is answers.csv."""
    from bantuan_iuran.decisions import apply_decisions, digests, new_rows
    from bantuan_iuran.ingest.answers import form_answers
    from bantuan_iuran.schemas import AnswerLog, IngestedRows

    year = settings.programme.year
    given = [form_answers(form, batch, receipts[form.file], year) for form in result.forms]
    ledger.record(decision for answers in given for decision in answers.decisions)
    decisions = ledger.decisions()
    applicants, keys = new_rows(result.applicants, decisions, digests(result.applicants))
    applicants, lines = apply_decisions(applicants, decisions, keys)
    result.applicants = IngestedRows.validate(applicants)
    lines.extend(line for answers in given for line in answers.report)
    columns = list(AnswerLog.to_schema().columns)
    result.answers = AnswerLog.validate(pd.DataFrame(lines, columns=columns))


def _write_ingest(result: IngestResult, workdir: Path, record: StageRecord, files: int) -> None:
    write_parquet(result.applicants, workdir / INGESTED)
    record.wrote(workdir / INGESTED, workdir)
    tables = (("ingest_log.csv", result.log), ("dropped.csv", result.dropped),
              ("answers.csv", result.answers))  # fmt: skip
    for name, frame in tables:
        write_csv(frame, workdir / name)
        record.wrote(workdir / name, workdir)
    outcomes = result.answers["outcome"].value_counts()
    record.rows = {
        "files": files,
        "failed_files": result.failed_files,
        "applicant_rows": len(result.applicants),
        "dropped_rows": len(result.dropped),
        "answer_lines": len(result.answers),
        **{f"answers_{name}": int(count) for name, count in outcomes.items()},
    }
    record.finish(workdir)


# Outcomes that need the analyst: a whole form left out (said per form), and answers or
# notes to look at (said once per outcome, with the first example).
_FORMS_LEFT_OUT = ("refused", "other_batch")
_TO_LOOK_AT = ("conflict", "unmatched", "row_gone", "duplicate_row", "ignored", "unread", "shown")


def _answer_warnings(answers: pd.DataFrame) -> list[str]:
    """What the analyst must look at in the answers (answers.csv has every line)."""
    left = answers[answers["outcome"].isin(_FORMS_LEFT_OUT)]
    lines = [
        f"{file}: the whole form is left out: {rows['message'].iloc[0]}"
        for file, rows in left.groupby("file", sort=True)
    ]
    for outcome in _TO_LOOK_AT:
        rows = answers[answers["outcome"] == outcome]
        if rows.empty:
            continue
        first = rows.iloc[0]
        lines.append(
            f"{len(rows)} answer line(s) {outcome} in {rows['file'].nunique()} form(s); first: "
            f"{first['file']} row {first['row']}: {first['message']} (answers.csv lists them)"
        )
    return lines


def _start(
    workdir: Path, stage: str, settings: Settings, writes_in: Sequence[str] = ()
) -> StageRecord:
    ensure_private_dir(workdir)
    remove_stale_temporaries(workdir, writes_in)
    return StageRecord(stage, settings.raw)


def _record_sources(
    files: Sequence[SourceFile], record: StageRecord
) -> tuple[list[str], dict[str, str], dict[str, str]]:
    """Records every village file's hash (by its name in the sources: the digests), and names
    a file sent twice under two names (the copies: copy -> the first)."""
    seen: dict[str, str] = {}
    warnings = []
    digests = {}
    copies = {}
    hashing = [record.read(source.path, str(source.path.resolve())) for source in files]
    for source, entry in zip(files, hashing, strict=True):
        digest = entry.result()["sha256"]
        if not digest:
            continue
        digests[source.relative] = digest
        if digest in seen:
            copies[source.relative] = seen[digest]
            warnings.append(
                f"{source.relative} has the same content as {seen[digest]}: it is read once."
            )
        seen.setdefault(digest, source.relative)
    return warnings, digests, copies


def _new_versions(ledger: Ledger, digests: dict[str, str]) -> list[str]:
    """A source path sent again with other bytes: the new version is what is read."""
    return [
        f"{name} changed since an earlier run: its new version is read (the earlier one's "
        "answers stay in the ledger)."
        for name, digest in sorted(digests.items())
        if (known := ledger.known_source(name)) and digest not in known
    ]


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
    from bantuan_iuran.validate import run_validate

    ingested = read_table(workdir / INGESTED, "ingest", IngestedRows)
    outcome = ValidateOutcome(warnings=_stale(workdir, "ingest", [INGESTED], "ingest"))
    outcome.warnings.extend(_changed_sources(workdir))
    record = _start(workdir, "validate", settings, writes_in=[CORRECTIONS])
    record.read(workdir / INGESTED, INGESTED)
    with ledger_stage(workdir) as ledger:
        settings = fixed_year(ledger, settings)
        keep_year(ledger, settings)
        checks = _registry_checks(ingested, dukcapil, enrolled, settings, allow_empty, record)
        keep_references(ledger, [entry.result()["sha256"] for entry in checks.hashing])
        outcome.warnings.extend(checks.warnings)
        validated = run_validate(ingested, checks.registry, checks.enrolled, settings).validated
        if accept is not None:
            ingested, outcome.accepted = _accept(ingested, validated, accept, ledger, record)
            if outcome.accepted:  # the suggested NIKs' holders are in the registry rows already
                validated = run_validate(
                    ingested, checks.registry, checks.enrolled, settings
                ).validated
        batch = ledger.fact(BATCH) or read_manifest(workdir).get("batch") or new_batch()
        ledger.set_fact(BATCH, batch, "validate")
        round_ = exchange_round(ledger, recorded_digests(workdir, "ingest"))
        record.rows = _reconciled(ingested, validated)
        write_parquet(validated, workdir / VALIDATED)
        write_csv(validated, workdir / "validated.csv")
        for name in (VALIDATED, "validated.csv"):
            record.wrote(workdir / name, workdir)
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


@dataclass
class _RegistryChecks:
    registry: pd.DataFrame  # the registry rows the batch needs
    enrolled: pd.DataFrame
    warnings: list[str]
    hashing: list[Future[dict]]  # the lists' digests, computed in the background


def _registry_checks(
    ingested: pd.DataFrame,
    dukcapil: Path,
    enrolled: Path | None,
    settings: Settings,
    allow_empty: bool,
    record: StageRecord,
) -> _RegistryChecks:
    """The lists that decide who is paid, checked whole before any work, and the registry rows
    the batch needs (its NIKs, families, and people by area and birth date)."""
    from bantuan_iuran.registry import RegistryExtract, RegistryKeys, read_enrolled
    from bantuan_iuran.validate import (
        FIRST_PASS_FIELDS,
        first_registry_keys,
        normalized_rows,
        second_registry_keys,
        variant_keys,
    )

    warnings: list[str] = []
    if enrolled:
        enrolled_niks, enrolled_warnings = read_enrolled(enrolled, settings, allow_empty)
        warnings.extend(enrolled_warnings)
    else:
        enrolled_niks = pd.DataFrame({"nik": pd.Series([], dtype="str")})
    extract = RegistryExtract(dukcapil, settings, allow_empty)
    warnings.extend(extract.warnings)
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
    hashing = [record.read(path) for path in (dukcapil, enrolled) if path]
    return _RegistryChecks(registry, enrolled_niks, warnings, hashing)


def _accept(
    ingested: pd.DataFrame,
    validated: pd.DataFrame,
    accept: Acceptance,
    ledger: Ledger,
    record: StageRecord,
) -> tuple[pd.DataFrame, int]:
    """The suggestions the analyst accepts, recorded in the ledger (so that later runs keep
    them) and written in as the regency's answers."""
    from bantuan_iuran.decisions import apply_decisions
    from bantuan_iuran.validate import acceptance_decisions

    decisions = acceptance_decisions(ingested, validated, accept, now())
    ledger.record(decisions)
    accepted, _ = apply_decisions(ingested, decisions)
    record.extra["accepted_suggestions"] = {
        "villages": list(accept.villages),
        "basis": accept.basis,
        "rows": len(decisions),
    }
    return accepted, len(decisions)


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
    settings = work_settings(workdir, settings)
    _check_year(workdir, options.year)
    record = _start(workdir, "report", settings, writes_in=[REPORT])
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


def decision_history(workdir: Path, what: str = "") -> pd.DataFrame:
    """The ledger's decisions about `what` (history.py), for `bantuan history`."""
    from bantuan_iuran.history import decision_history as history_of
    from bantuan_iuran.ledger import reading_ledger

    with reading_ledger(workdir) as ledger:
        if ledger is None:
            raise InputError(f"{workdir} has no ledger yet.", hint="Run `bantuan ingest` first.")
        recorded = ledger.history()
    ingested = pd.read_parquet(workdir / INGESTED) if (workdir / INGESTED).exists() else None
    return history_of(recorded, ingested, what)


def purge(workdir: Path, ledger: bool = False) -> list[str]:
    """Delete the intermediate tables that hold personal data; keep the final lists under
    report/, the logs, the manifest (which records the purge) and the ledger of decisions
    (unless `ledger`: a programme's year needs it until its end)."""
    import shutil

    if not (workdir / "manifest.json").exists():
        raise InputError(f"{workdir} is not a bantuan work directory (no manifest.json).")
    record = StageRecord("purge", {})
    removed = []
    changes = sorted(p.name for p in workdir.glob("perubahan_*.csv"))  # NIKs and names too
    for name in (*INTERMEDIATE, *changes, *(["ledger.sqlite"] if ledger else [])):
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
