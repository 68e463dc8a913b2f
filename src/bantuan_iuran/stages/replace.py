"""Replacements during the year: the people who left and are not replaced yet, replaced from
the waiting list within the budget left; a numbered amendment to the decree; the decree's list
extended with the replacements (for the rest of the year) and their hand-over file; every
change recorded in the ledger's register."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from bantuan_iuran.amend.document import Amendment, write_amendment
from bantuan_iuran.amend.replacements import BudgetLeft, budget_left, choose
from bantuan_iuran.atomic import ensure_private_dir
from bantuan_iuran.config import Settings
from bantuan_iuran.errors import InputError
from bantuan_iuran.handover.register import AMENDED, LEFT, REGISTERED, person_states
from bantuan_iuran.ledger import RegisterEvent, ledger_stage
from bantuan_iuran.manifest import now
from bantuan_iuran.monthly.payments import month_text
from bantuan_iuran.reference import regency_name
from bantuan_iuran.report.costs import premium_schedule
from bantuan_iuran.schemas import DecreedRows, ValidatedRows
from bantuan_iuran.stages.common import DECREED, VALIDATED, WAITING, StageOutcome, start_stage
from bantuan_iuran.stages.handover import (
    HandoverOptions,
    HandoverOutcome,
    default_start,
    handover_stage,
)
from bantuan_iuran.workdir import read_table, write_csv, write_parquet

AMENDMENTS = "perubahan_sk"  # perubahan_sk/<k>/: the numbered amendments to the decree


@dataclass
class ReplaceOutcome(StageOutcome):
    number: int = 0  # the amendment's number (0: nothing to amend)
    budget: BudgetLeft | None = None
    removed: pd.DataFrame = field(default_factory=pd.DataFrame)
    added: pd.DataFrame = field(default_factory=pd.DataFrame)
    handover: HandoverOutcome | None = None
    files: list[Path] = field(default_factory=list)


def replace_stage(
    workdir: Path,
    settings: Settings,
    allocation: int,
    start: date | None = None,
    today: date | None = None,
) -> ReplaceOutcome:
    today = today or date.today()
    decreed = read_table(workdir / DECREED, "report", DecreedRows)
    if not (workdir / WAITING).exists():
        raise InputError(
            "There is no waiting list to replace from: the report was made without --budget.",
            hint="Run `bantuan report --budget ...` (the waiting list is everyone it leaves out).",
        )
    waiting = read_table(workdir / WAITING, "report", DecreedRows)
    validated = read_table(workdir / VALIDATED, "validate", ValidatedRows)
    outcome = ReplaceOutcome()
    record = start_stage(workdir, "replace", settings, writes_in=[AMENDMENTS])
    year = int(decreed["year"].iloc[0])
    premium = settings.premium
    first = start or default_start(year, premium.start_month, today)
    last_month = premium.start_month + premium.months - 1
    if (first.year, first.month) > (year, last_month):
        raise InputError(f"{month_text(first.year, first.month)} is after the programme's year.")
    with ledger_stage(workdir) as ledger:
        events = ledger.register()
        register = person_states(decreed, events)
        replaced = {e.nik for e in events if e.event == AMENDED}
        gone = register[(register["state"] == LEFT) & ~register["nik"].isin(replaced)]
        billed = [p for p in ledger.payments() if p.event == "billed"]
        last_billed = max((p.month for p in billed), default="")
        # The schedule of the months still to bill, and of a replacement's months.
        rest = [m for m in premium_schedule(premium, year, premium.months, premium.start_month)
                if month_text(year, m.month) > last_billed]  # fmt: skip
        theirs = premium_schedule(premium, year, last_month - first.month + 1, first.month)
        covered = register["state"].isin([REGISTERED, "handed_over", "decreed"]).sum()
        outcome.budget = budget_left(allocation, sum(p.amount for p in billed), int(covered),
                                     rest, theirs)  # fmt: skip
        count = min(len(gone), outcome.budget.affordable)
        eligible = set(validated.loc[validated["status"] == "eligible", "nik"])
        added = choose(waiting, eligible, set(register["nik"]), count).assign(
            months=len(theirs),
            premium_monthly=theirs[0].premium,
            premium_total=sum(m.premium for m in theirs),
        )
        if gone.empty:
            record.finish(workdir)
            return outcome
        outcome.number = 1 + len({e.value for e in events if e.event == AMENDED})
        stamp, label = now(), month_text(first.year, first.month)
        ledger.record_register(
            [RegisterEvent(p.nik, AMENDED, str(outcome.number), f"removed:{p.left_reason}",
                           AMENDMENTS, "", 0, "", stamp, 0) for p in gone.itertuples()]
            + [RegisterEvent(p.nik, AMENDED, str(outcome.number), f"added:{label}", AMENDMENTS,
                             "", 0, "", stamp, 0) for p in added.itertuples()]
        )  # fmt: skip
    outcome.removed, outcome.added = gone, added
    folder = ensure_private_dir(workdir / AMENDMENTS / str(outcome.number))
    paper = folder / f"perubahan_sk_{year}_{outcome.number}.xlsx"
    regency = regency_name(settings.programme.regency_code)
    write_amendment(Amendment(outcome.number, year, regency, label, gone, added), settings.decree,
                    paper)  # fmt: skip
    who = ["nik", "name", "kecamatan", "desa"]
    changes = pd.concat([
        gone[who].assign(change="removed", reason=gone["left_reason"]),
        added[who].assign(change="added", reason=label),
    ])  # fmt: skip
    write_csv(changes, folder / f"perubahan_sk_{year}_{outcome.number}.csv")
    outcome.files = [paper, folder / f"perubahan_sk_{year}_{outcome.number}.csv"]
    if len(added):
        write_parquet(DecreedRows.validate(pd.concat([decreed, added], ignore_index=True)),
                      workdir / DECREED)  # fmt: skip
    for path in [*outcome.files, workdir / DECREED]:
        record.wrote(path, workdir)
    record.rows = {"removed": len(gone), "added": len(added)}
    record.finish(workdir)
    if len(added):
        outcome.handover = handover_stage(workdir, HandoverOptions(start=first), settings)
    return outcome
