"""The validate stage as the command line runs it: check the lists that decide who is paid,
validate every row, record accepted suggestions, keep the round, write the correction forms."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from bantuan_iuran.atomic import ensure_private_dir
from bantuan_iuran.batch import (
    BATCH,
    exchange_round,
    fixed_year,
    keep_references,
    keep_year,
    new_batch,
)
from bantuan_iuran.config import Settings
from bantuan_iuran.errors import BantuanError
from bantuan_iuran.ledger import Ledger, ledger_stage
from bantuan_iuran.manifest import (
    StageRecord,
    changed_since,
    now,
    read_manifest,
    recorded_digests,
    recorded_inputs,
)
from bantuan_iuran.money import thousands
from bantuan_iuran.processes import Shared
from bantuan_iuran.reasons import STATUSES
from bantuan_iuran.schemas import IngestedRows

if TYPE_CHECKING:
    from bantuan_iuran.validate import Acceptance
from bantuan_iuran.stages.common import (
    ANSWERED_ASIDE,
    CORRECTIONS,
    INGESTED,
    ROUNDS,
    VALIDATED,
    StageOutcome,
    changed_forms,
    stale_warnings,
    start_stage,
)
from bantuan_iuran.workdir import read_table, write_csv, write_parquet


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
    from bantuan_iuran.handover.register import mark_rejected, rejections
    from bantuan_iuran.validate import run_validate

    ingested = read_table(workdir / INGESTED, "ingest", IngestedRows)
    outcome = ValidateOutcome(warnings=stale_warnings(workdir, "ingest", [INGESTED], "ingest"))
    outcome.warnings.extend(_changed_sources(workdir))
    record = start_stage(workdir, "validate", settings, writes_in=[CORRECTIONS])
    record.read(workdir / INGESTED, INGESTED)
    with ledger_stage(workdir) as ledger:
        settings = fixed_year(ledger, settings)
        keep_year(ledger, settings)
        checks = _registry_checks(ingested, dukcapil, enrolled, settings, allow_empty, record)
        keep_references(ledger, [entry.result()["sha256"] for entry in checks.hashing])
        outcome.warnings.extend(checks.warnings)
        validated = run_validate(
            ingested, checks.registry, checks.enrolled, settings, checks.rows
        ).validated
        if accept is not None:
            ingested, outcome.accepted = _accept(ingested, validated, accept, ledger, record)
            if outcome.accepted:  # the suggested NIKs' holders are in the registry rows already
                validated = run_validate(
                    ingested, checks.registry, checks.enrolled, settings
                ).validated
        rejected = rejections(ledger.register())
        before = int((validated["status"] == "eligible").sum())
        validated = mark_rejected(validated, rejected)
        sent_back = before - int((validated["status"] == "eligible").sum())
        if sent_back:
            outcome.warnings.append(
                f"{thousands(sent_back)} rows the BPJS branch rejected go back to their villages "
                "(BPJS_REJECTED, with the branch's reason) and out of the list of people paid."
            )
        batch = ledger.fact(BATCH) or read_manifest(workdir).get("batch") or new_batch()
        ledger.set_fact(BATCH, batch, "validate")
        # A rejection from the branch starts a round too: its rows go back to their villages.
        came_back = [f"rejected:{nik}" for nik in sorted(rejected)]
        round_ = exchange_round(ledger, [*recorded_digests(workdir, "ingest"), *came_back])
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
    rows: pd.DataFrame  # the batch's rows as checked (validate.normalized_rows)


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
    with ThreadPoolExecutor(max_workers=1) as opening:
        # The extract's NIKs checked whole (DuckDB, on every core) while this thread reads the
        # batch's NIKs, names and dates.
        opened = opening.submit(RegistryExtract, dukcapil, settings, allow_empty)
        rows = normalized_rows(ingested, settings.programme)
        extract = opened.result()
    warnings.extend(extract.warnings)
    first_keys = first_registry_keys(rows)
    first = extract.rows(first_keys, FIRST_PASS_FIELDS)
    second = second_registry_keys(rows, first, settings)
    variants = variant_keys(second.unknown)
    registry = extract.rows(first_keys | second.keys | next(variants, RegistryKeys()))
    more = [extract.rows(keys) for keys in variants]  # a list of thousands of mistyped NIKs
    if more:
        registry = pd.concat([registry, *more]).drop_duplicates("nik", ignore_index=True)
    hashing = [record.read(path) for path in (dukcapil, enrolled) if path]
    return _RegistryChecks(registry, enrolled_niks, warnings, hashing, rows)


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


def _keep_changed_forms(workdir: Path) -> list[str]:
    """A changed form is moved aside, never overwritten by this round's form."""
    moved = []
    for name in changed_forms(workdir):
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


def _changed_sources(workdir: Path) -> list[str]:
    changed = changed_since(workdir, "ingest", recorded_inputs(workdir, "ingest"))
    if not changed:
        return []
    return [
        f"{len(changed)} village file(s) changed since `bantuan ingest` read them "
        f"(first: {Path(changed[0]).name}): run `bantuan ingest` again to use the new versions."
    ]
