"""What the BPJS branch sends back: each result file read (any layout), each row tied to a
person handed over by NIK and confirmed by name and birth date, recorded in the ledger's
register as registered or rejected; rows that cannot be tied are reported, never applied."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from bantuan_iuran.batch import ROUND, received_time
from bantuan_iuran.config import Settings
from bantuan_iuran.handover.register import HANDED_OVER, REGISTERED, person_states
from bantuan_iuran.handover.results import ResultRow, read_result
from bantuan_iuran.ingest.cells import UnreadableFile, read_sheets
from bantuan_iuran.ledger import RegisterEvent, ledger_stage
from bantuan_iuran.manifest import sha256_of
from bantuan_iuran.match import name_similarity
from bantuan_iuran.normalize import normalize_name
from bantuan_iuran.schemas import DecreedRows
from bantuan_iuran.stages.common import DECREED, HANDOVER, StageOutcome, start_stage
from bantuan_iuran.stages.handover import REGISTER_CSV
from bantuan_iuran.workdir import read_table, write_csv

RESULT_LOG = "hasil_pendaftaran.csv"
# What became of a row of the branch's result.
APPLIED, KNOWN = "applied", "already_recorded"
NOT_HANDED_OVER, DISAGREES, CONFLICT, UNREAD = "not_handed_over", "disagrees", "conflict", "unread"
BEFORE_HANDOVER = "before_handover"
NOT_USED = (NOT_HANDED_OVER, DISAGREES, CONFLICT, UNREAD, BEFORE_HANDOVER)
LOG_COLUMNS = ["file", "sheet", "row", "nik", "name", "birth_date", "result", "kpj",
               "cover_start", "reason", "outcome", "message"]  # fmt: skip


@dataclass
class BranchOutcome(StageOutcome):
    log: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=LOG_COLUMNS))
    states: pd.DataFrame | None = None
    unreadable: list[str] = field(default_factory=list)  # files, with why

    @property
    def partial(self) -> bool:
        """Some row or file could not be used: the scheduled job should hear of it."""
        return bool(self.unreadable) or bool(self.log["outcome"].isin(NOT_USED).any())


def branch_result_stage(workdir: Path, files: list[Path], settings: Settings) -> BranchOutcome:
    decreed = read_table(workdir / DECREED, "report", DecreedRows)
    outcome = BranchOutcome()
    record = start_stage(workdir, "branch-result", settings, writes_in=[HANDOVER])
    people = {row.nik: row for row in decreed.itertuples(index=False)}
    lines: list[dict] = []
    with ledger_stage(workdir) as ledger:
        handed = {e.nik: e.received for e in ledger.register() if e.event == HANDED_OVER}
        round_ = int(ledger.fact(ROUND) or 0)
        found: list[tuple[dict, RegisterEvent]] = []
        for path in files:
            record.read(path)
            try:
                table = read_result(read_sheets(path), path.name)
            except (UnreadableFile, OSError) as exc:
                outcome.unreadable.append(f"{path}: {exc}")
                continue
            outcome.unreadable.extend(f"{path}: {problem}" for problem in table.problems)
            receipt, received = sha256_of(path), received_time(path, path.name, settings.received)
            for row in table.rows:
                line = _line(path.name, row)
                lines.append(line)
                line["outcome"], line["message"] = _check(row, received, handed, people, settings)
                if not line["outcome"]:
                    found.append((line, _event(row, path.name, receipt, received, round_)))
        _mark_conflicts(found)
        # Recorded in the order the files were received, whatever order they were given in.
        found.sort(key=lambda item: (item[1].received, item[1].file, item[1].sheet, item[1].row))
        for line, event in found:
            if not line["outcome"]:
                line["outcome"] = APPLIED if ledger.record_register([event]) else KNOWN
        outcome.states = person_states(decreed, ledger.register())
    outcome.log = pd.DataFrame(lines, columns=LOG_COLUMNS)
    folder = workdir / HANDOVER
    folder.mkdir(exist_ok=True)
    write_csv(outcome.log, folder / RESULT_LOG)
    write_csv(outcome.states, workdir / REGISTER_CSV)
    for path in (folder / RESULT_LOG, workdir / REGISTER_CSV):
        record.wrote(path, workdir)
    record.rows = {
        "result_rows": len(lines),
        "applied": int((outcome.log["outcome"] == APPLIED).sum()),
    }
    record.finish(workdir)
    return outcome


def _line(file: str, row: ResultRow) -> dict:
    return {"file": file, "sheet": row.sheet, "row": row.row, "nik": row.nik, "name": row.name,
            "birth_date": row.birth_date, "result": row.outcome, "kpj": row.kpj,
            "cover_start": row.cover_start, "reason": row.reason, "outcome": "",
            "message": ""}  # fmt: skip


def _check(
    row: ResultRow, received: str, handed: dict[str, str], people: dict, settings: Settings
) -> tuple[str, str]:
    """('', '') for a row to record; else its outcome and why. `handed`: when each NIK was
    last handed over; a file `received` before answers an earlier hand-over."""
    if row.nik not in handed:
        return NOT_HANDED_OVER, "this NIK was never handed over to the branch"
    if not row.outcome:
        return UNREAD, "the row does not say whether the branch accepted it"
    if received < handed[row.nik]:
        return BEFORE_HANDOVER, (
            f"the file dates from {received}, before this person was handed over "
            f"({handed[row.nik]}): an answer to an earlier hand-over; if it is newer, give its "
            "time with [[received]] in the config"
        )
    person = people.get(row.nik)
    if person is None:
        return "", ""  # handed over, no longer in the decree: the branch's word still counts
    if row.birth_date and row.birth_date != person.birth_date:
        return DISAGREES, f"birth date {row.birth_date} where {person.birth_date} was handed over"
    similarity = name_similarity(row.name, normalize_name(person.name)) if row.name else 100.0
    if similarity < settings.matching.name_min_similarity:
        return DISAGREES, f"name {row.name!r} where {person.name!r} was handed over"
    return "", ""


def _event(row: ResultRow, file: str, receipt: str, received: str, round_: int) -> RegisterEvent:
    value, detail = (row.kpj, row.cover_start) if row.outcome == REGISTERED else (row.reason, "")
    return RegisterEvent(row.nik, row.outcome, value, detail, file, row.sheet, row.row, receipt,
                         received, round_)  # fmt: skip


def _mark_conflicts(found: list[tuple[dict, RegisterEvent]]) -> None:
    """A NIK registered by one row and rejected by another of the same run: neither is
    recorded, and both are shown."""
    results: dict[str, set[str]] = {}
    for _, event in found:
        results.setdefault(event.nik, set()).add(event.event)
    for line, event in found:
        if len(results[event.nik]) > 1:
            line["outcome"] = CONFLICT
            line["message"] = "another row of these results says the opposite for this NIK"
