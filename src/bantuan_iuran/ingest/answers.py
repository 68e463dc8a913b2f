"""Correction forms the villages send back, read among the sources and applied to their rows.

A returned form is recognised by the hidden sheet it carries (corrections.py), never by its
file's name. Each answered row names the row it answers by a fingerprint of what the village
first sent (file, sheet, row, NIK, name, birth date): an answer whose row is gone or changed,
or that comes from a form of another batch, is reported and left out; a form sent back
unanswered changes nothing. The answer never overwrites what the village sent: it goes beside
it, with where it was written, and validation checks it like any row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bantuan_iuran.corrections import (
    ANSWER_COLUMNS,
    FORM_MARK,
    KEYS_SHEET,
    SENT_COLUMNS,
    row_digest,
)
from bantuan_iuran.ingest.cells import Sheet

if TYPE_CHECKING:
    import pandas as pd

# The answer columns by the names the form gives them, as ingested columns.
_ANSWER_FIELDS = dict(zip((name for name, _ in ANSWER_COLUMNS),
                          ("answer_nik", "answer_name", "answer_birth_date", "answer_action",
                           "answer_note"), strict=True))  # fmt: skip
ANSWER_FIELDS = tuple(_ANSWER_FIELDS.values())
_SENT_NIK, _SENT_NAME = SENT_COLUMNS[1][0], SENT_COLUMNS[2][0]


@dataclass(frozen=True)
class Answer:
    """One row of a returned form: where it is, what it answers, what it says."""

    file: str
    sheet: str
    row: int
    batch: str
    round: int
    digest: str
    given: dict[str, str]  # answer_nik, answer_name, ... ('' when left empty)
    shown: tuple[str, str]  # the NIK and name the form showed, as the clerk left them

    @property
    def answered(self) -> bool:
        return any(self.given.values())

    @property
    def source(self) -> str:
        return f"{self.file} {self.sheet} baris {self.row} (putaran {self.round})"


def is_answer_form(sheets: Sequence[Sheet]) -> bool:
    keys = next((sheet for sheet in sheets if sheet.name == KEYS_SHEET), None)
    return bool(keys and keys.rows and keys.rows[0] and keys.rows[0][0].text == FORM_MARK)


_FORM_HEADER = [name.casefold() for name, _ in (*SENT_COLUMNS, *ANSWER_COLUMNS)]


def is_form_without_keys(sheets: Sequence[Sheet]) -> bool:
    """A sheet headed as this tool's correction form, in a file without the hidden sheet (cells
    pasted into a new file): its answers cannot be tied to rows, and it is no village list."""
    return any(
        [cell.text.casefold() for cell in row[: len(_FORM_HEADER)]] == _FORM_HEADER
        for sheet in sheets
        for row in sheet.rows[:20]
    )


def read_answers(file: str, sheets: Sequence[Sheet]) -> list[Answer]:
    """Every row the form lists in its hidden sheet, answered or not."""
    by_name = {sheet.name: sheet for sheet in sheets}
    keys = [[cell.text for cell in row] for row in by_name[KEYS_SHEET].rows]
    facts = {row[0]: row[1] for row in keys[1:5] if len(row) > 1}
    batch, round_ = facts.get("batch", ""), _number(facts.get("round", ""))
    headers = {name: _header(sheet) for name, sheet in by_name.items()}
    answers = []
    for entry in keys[6:]:
        # A damaged entry (no such sheet, no row number) ties no answer to any row.
        if len(entry) < 4 or entry[0] not in by_name or _number(entry[1]) < 1:
            continue
        sheet, row = by_name[entry[0]], _number(entry[1])
        cells = _named_cells(sheet, headers[entry[0]], row)
        values = {field: cells.get(name, "") for name, field in _ANSWER_FIELDS.items()}
        shown = (cells.get(_SENT_NIK, ""), cells.get(_SENT_NAME, ""))
        answers.append(Answer(file, entry[0], row, batch, round_, entry[3], values, shown))
    return answers


def _number(text: str) -> int:
    """'12' or '12.0' (a spreadsheet that turned it into a number) -> 12; anything else 0."""
    try:
        return int(float(text))
    except ValueError:
        return 0


def _header(sheet: Sheet) -> list[str]:
    """The form's column names (the row that starts "Baris di file"), or none."""
    row = next((r for r in sheet.rows if r and r[0].text == SENT_COLUMNS[0][0]), [])
    return [cell.text for cell in row]


def _named_cells(sheet: Sheet, header: list[str], row: int) -> dict[str, str]:
    """The cells of row `row` (as numbered on screen) by their column's name."""
    if not header or row > len(sheet.rows):
        return {}
    cells = sheet.rows[row - 1]
    return {name: cell.text for name, cell in zip(header, cells, strict=False) if name}


def apply_answers(
    applicants: pd.DataFrame, answers: Sequence[Answer], batch: str | None
) -> tuple[pd.DataFrame, list[dict[str, object]]]:
    """The applicants with the answers beside the rows they answer, and what became of every
    answer row (answers.csv). Of two answers to one row, the later round's counts."""
    if not answers:
        return applicants, []
    digests = [
        row_digest(*values)
        for values in zip(
            applicants["source_file"], applicants["source_sheet"], applicants["source_row"],
            applicants["nik_raw"], applicants["name"], applicants["birth_date"], strict=True,
        )
    ]  # fmt: skip
    position = {digest: i for i, digest in enumerate(digests)}
    row_ids = applicants["row_id"].tolist()
    sent = list(zip(applicants["nik_raw"], applicants["name"], strict=True))
    columns = {field: applicants[field].tolist() for field in (*ANSWER_FIELDS, "answer_source")}
    log, taken = [], {}
    for answer in sorted(answers, key=lambda a: (a.round, a.file, a.row)):
        outcome, row_id, message = _placed(answer, position.get(answer.digest), batch)
        if outcome == "applied" and answer.shown != sent[position[answer.digest]]:
            outcome, message = "edited", _EDITED
        row_id = row_ids[position[answer.digest]] if outcome in ("applied", "edited") else 0
        if outcome in ("applied", "edited"):
            index = position[answer.digest]
            if index in taken:
                log[taken[index]].update(
                    outcome="replaced", message=f"a later answer: {answer.source}"
                )
            taken[index] = len(log)
            for field, value in answer.given.items():
                columns[field][index] = value
            columns["answer_source"][index] = answer.source
        log.append({"file": answer.file, "sheet": answer.sheet, "row": answer.row,
                    "round": answer.round, "outcome": outcome, "row_id": row_id,
                    "message": message})  # fmt: skip
    return applicants.assign(**columns), log


_EDITED = (
    "the form's own columns were changed (only the yellow answer columns count): the answer is "
    "applied, the other changes are not"
)


def _placed(answer: Answer, index: int | None, batch: str | None) -> tuple[str, int, str]:
    if not answer.answered:
        return "unanswered", 0, ""
    if batch is None or answer.batch != batch:
        return (
            "other_batch",
            0,
            (
                f"the form is from batch {answer.batch or '?'}, this work folder is "
                f"{batch or 'new (no correction forms sent from it)'}: not applied"
            ),
        )
    if index is None:
        return (
            "row_gone",
            0,
            (
                "the row it answers is no longer among the sources as it was sent (the village "
                "file was changed, replaced or removed): not applied"
            ),
        )
    return "applied", 0, ""
