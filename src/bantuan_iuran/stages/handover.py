"""The hand-over stage: the decree's people not handed over yet, in the branch's template,
with a cover letter, each person recorded in the ledger's register; and the register as it
stands (register.csv)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from bantuan_iuran.atomic import ensure_private_dir
from bantuan_iuran.batch import ROUND, fixed_year
from bantuan_iuran.config import Settings
from bantuan_iuran.frames import records
from bantuan_iuran.handover.files import (
    CoverLetter,
    cover_letter_job,
    parts,
    registration_job,
)
from bantuan_iuran.handover.plan import (
    EXCLUSIONS,
    HandoverPlan,
    check_columns,
    plan_handover,
    template_row,
)
from bantuan_iuran.handover.register import (
    HANDED_OVER,
    corrected_since_rejection,
    person_states,
    rejections,
)
from bantuan_iuran.ledger import Ledger, RegisterEvent, ledger_stage
from bantuan_iuran.manifest import now, sha256_of
from bantuan_iuran.schemas import DecreedRows, ValidatedRows
from bantuan_iuran.stages.common import (
    DECREED,
    HANDOVER,
    VALIDATED,
    StageOutcome,
    stale_warnings,
    start_stage,
)
from bantuan_iuran.workdir import read_table, write_csv

REGISTER_CSV = "register.csv"


@dataclass(frozen=True)
class HandoverOptions:
    enrolled: Path | None = None  # the branch's latest member list: who needs no registration
    start: date | None = None  # the month cover is asked to start (its first day)


@dataclass
class HandoverOutcome(StageOutcome):
    number: int = 0  # this hand-over's number (0: nobody to hand over)
    plan: HandoverPlan | None = None
    files: list[Path] = field(default_factory=list)
    states: pd.DataFrame | None = None


def handover_stage(workdir: Path, options: HandoverOptions, settings: Settings) -> HandoverOutcome:
    from bantuan_iuran.registry import read_enrolled

    check_columns(settings.handover.columns)
    decreed = read_table(workdir / DECREED, "report", DecreedRows)
    outcome = HandoverOutcome(warnings=stale_warnings(workdir, "report", [DECREED], "report"))
    record = start_stage(workdir, "handover", settings, writes_in=[HANDOVER])
    record.read(workdir / DECREED, DECREED)
    enrolled: set[str] = set()
    if options.enrolled is not None:
        members, warnings = read_enrolled(options.enrolled, settings)
        enrolled, outcome.warnings = set(members["nik"]), [*outcome.warnings, *warnings]
        record.read(options.enrolled)
    with ledger_stage(workdir) as ledger:
        settings = fixed_year(ledger, settings)
        year = int(decreed["year"].iloc[0]) if len(decreed) else settings.programme.year
        start = options.start or default_start(year, settings.premium.start_month, date.today())
        events = ledger.register()
        corrected = _corrected(workdir, events)
        plan = plan_handover(decreed, person_states(decreed, events), enrolled,
                             settings.programme, start, corrected)  # fmt: skip
        outcome.plan = plan
        if len(plan.people):
            outcome.number = 1 + max(
                (int(e.value) for e in events if e.event == HANDED_OVER), default=0
            )
            folder = ensure_private_dir(workdir / HANDOVER / str(outcome.number))
            outcome.files = _write_papers(plan, outcome.number, year, folder, settings, ledger)
            write_csv(_handover_list(plan),
                      folder / f"serah_terima_{outcome.number}.csv")  # fmt: skip
            outcome.files.append(folder / f"serah_terima_{outcome.number}.csv")
        outcome.states = person_states(decreed, ledger.register())
    write_csv(outcome.states, workdir / REGISTER_CSV)
    for path in [*outcome.files, workdir / REGISTER_CSV]:
        record.wrote(path, workdir)
    record.rows = {"decreed": len(decreed), "handed_over": len(plan.people),
                   "excluded": len(plan.excluded)}  # fmt: skip
    record.finish(workdir)
    return outcome


def _corrected(workdir: Path, events: list[RegisterEvent]) -> set[str]:
    """Rejected people the villages have answered for since, found eligible again."""
    rejected = rejections(events)
    if not rejected or not (workdir / VALIDATED).exists():
        return set()
    validated = read_table(workdir / VALIDATED, "validate", ValidatedRows)
    return corrected_since_rejection(validated, rejected)


def default_start(year: int, first_month: int, today: date) -> date:
    """Cover is never backdated: the programme's first month, or next month if that has
    passed.

    >>> default_start(2027, 1, date(2026, 12, 6)), default_start(2027, 1, date(2027, 3, 15))
    (datetime.date(2027, 1, 1), datetime.date(2027, 4, 1))
    """
    following = date(today.year + today.month // 12, today.month % 12 + 1, 1)
    return max(date(year, first_month, 1), following)


def _write_papers(
    plan: HandoverPlan, number: int, year: int, folder: Path, settings: Settings, ledger: Ledger
) -> list[Path]:
    """The registration workbooks and the cover letter; each person's row recorded as handed
    over, with the file's digest."""
    from bantuan_iuran.excel import write_workbook, write_workbooks

    handover = settings.handover
    people = records(plan.people, list(plan.people.columns))
    rows = [template_row(person, handover.columns, plan.start) for person in people]
    pieces = parts(rows, folder, handover)
    write_workbooks([registration_job(piece, handover) for piece in pieces])
    digests = [sha256_of(piece.path) for piece in pieces]
    workdir = folder.parents[1]
    round_ = int(ledger.fact(ROUND) or 0)
    stamp = now()
    ledger.record_register(
        RegisterEvent(person["nik"], HANDED_OVER, str(number), plan.start.isoformat()[:7],
                      piece.path.relative_to(workdir).as_posix(), handover.sheet,
                      index - piece.first + 2, digest, stamp, round_)
        for piece, digest in zip(pieces, digests, strict=True)
        for index, person in enumerate(people[piece.first : piece.first + len(piece.rows)],
                                       start=piece.first)
    )  # fmt: skip
    per_kecamatan = plan.people.groupby("kecamatan", sort=True).size()
    letter = CoverLetter(
        number, year, date.today(), plan.start, settings.decree.tempat,
        [(str(k), int(n)) for k, n in per_kecamatan.items()],
        [(p.path.relative_to(folder).as_posix(), len(p.rows), d)
         for p, d in zip(pieces, digests, strict=True)],
    )  # fmt: skip
    cover = folder / f"surat_pengantar_{number}.xlsx"
    write_workbook(cover_letter_job(letter, handover, cover))
    return [piece.path for piece in pieces] + [cover]


def _handover_list(plan: HandoverPlan) -> pd.DataFrame:
    """Every person this hand-over looked at: handed over (with file and row) or left out
    (with the reason)."""
    handed = plan.people.assign(outcome=HANDED_OVER, reason="")
    excluded = plan.excluded.assign(
        outcome=plan.excluded["exclusion"],
        reason=plan.excluded["exclusion"].map(EXCLUSIONS),
    ).drop(columns="exclusion")
    table = pd.concat([handed, excluded], ignore_index=True)
    columns = ["nik", "name", "birth_date", "kecamatan", "desa", "outcome", "reason",
               "source_file", "source_sheet", "source_row"]  # fmt: skip
    return table[columns].sort_values(["kecamatan", "desa", "source_file", "source_row"],
                                      ignore_index=True)  # fmt: skip
