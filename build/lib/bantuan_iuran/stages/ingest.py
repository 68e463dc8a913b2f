"""The ingest stage as the command line runs it: find the sources, read them, tie what came
back to its rows through the ledger, guard the batch, and write the ingested table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from bantuan_iuran.batch import (
    BATCH,
    check_received_rules,
    fixed_year,
    guard_villages,
    received_time,
    reference_digests,
)
from bantuan_iuran.config import Settings
from bantuan_iuran.errors import InputError
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
    read_manifest,
)
from bantuan_iuran.schemas import IngestedRows

if TYPE_CHECKING:
    pass
from bantuan_iuran.stages.common import INGESTED, StageOutcome, changed_forms, start_stage
from bantuan_iuran.workdir import write_csv, write_parquet


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
    record = start_stage(workdir, "ingest", settings)
    with ledger_stage(workdir) as ledger:
        settings = fixed_year(ledger, settings)
        digests, copies = _record_sources(files, record)
        result = run_ingest(files, settings, on_file=on_file, copies=copies)
        outcome = IngestOutcome(result=result)
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
            for name in changed_forms(workdir)
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
    from bantuan_iuran.schemas import AnswerLog

    year = settings.programme.year
    min_age = settings.programme.min_age
    given = [form_answers(form, batch, receipts[form.file], year, min_age)
             for form in result.forms]  # fmt: skip
    ledger.record(decision for answers in given for decision in answers.decisions)
    decisions = ledger.decisions()
    lines: list[dict[str, object]] = []
    if decisions:  # round 1: nothing decided yet, and no digest to compute
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


def _record_sources(
    files: Sequence[SourceFile], record: StageRecord
) -> tuple[dict[str, str], dict[str, str]]:
    """Records every village file's hash (by its name in the sources: the digests), and finds
    a file sent twice under two names (the copies: copy -> the first)."""
    seen: dict[str, str] = {}
    digests = {}
    copies = {}
    hashing = [record.read(source.path, str(source.path.resolve())) for source in files]
    for source, entry in zip(files, hashing, strict=True):
        digest = entry.result()["sha256"]
        if not digest:
            continue
        digests[source.relative] = digest
        if digest in seen:  # said with the lists replaced
            copies[source.relative] = seen[digest]
        seen.setdefault(digest, source.relative)
    return digests, copies


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
