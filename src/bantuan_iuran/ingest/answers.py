"""Correction forms the villages send back: found among the sources by their hidden sheet,
read by what they show, never by position.

Each row on a form is tied to the row it was sent for by the four cells it shows as sent
(row in the village file, NIK, name, birth date) against the fingerprints in the hidden
sheet, so sorted, filtered, deleted or inserted rows and renamed sheets still reach their own
row. A row typed over (a corrected value written into the sent cells) is tied by the cells left
as they were, and the changed cell is the answer. Answers are read wherever clerks write them:
the yellow columns, the sent cells, the note, the follow-up as free text; a row added under the
table is a new applicant of the form's village. A row that shows values no sent row had is
reported, never applied elsewhere; a hidden sheet whose rows are not the rows the form shows
(copied from another village's form) makes the form refused.

Pure: sheets in, decisions (ledger.py) and report lines out; decisions.py applies them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from bantuan_iuran.decisions import answer_line
from bantuan_iuran.formkeys import (
    ANSWER_COLUMNS,
    FORM_MARK,
    FORM_VERSION,
    KEY_FIELDS,
    SENT_COLUMNS,
    row_digest,
    shown_digest,
)
from bantuan_iuran.ingest.cells import Sheet
from bantuan_iuran.ingest.notes import full_date, read_action, read_note
from bantuan_iuran.ledger import Decision
from bantuan_iuran.nik import mask_numbers

_BARIS, _SENT_NIK, _SENT_NAME, _SENT_BORN = (name for name, _ in SENT_COLUMNS[:4])
_NIK, _NAME, _BORN, _ACTION, _NOTE = (name for name, _ in ANSWER_COLUMNS)
_SHOWN = (_BARIS, _SENT_NIK, _SENT_NAME, _SENT_BORN)
# The sent cells a clerk may type a correction over, and the field each answers.
_TYPED_OVER = {_SENT_NIK: "nik", _SENT_NAME: "name", _SENT_BORN: "birth_date"}
_ANSWERED = {_NIK: "nik", _NAME: "name", _BORN: "birth_date"}
FIELDS = ("nik", "name", "birth_date", "action", "note")


@dataclass(frozen=True)
class SentRow:
    """One row the form was sent with (an entry of the hidden sheet)."""

    sheet: str
    row: int
    digest: str
    shown: tuple[str, ...]  # fingerprints of the four cells it showed


@dataclass(frozen=True)
class FormRow:
    """One filled row under a form's header, as the clerk left it."""

    sheet: str
    row: int
    cells: dict[str, str]  # by column name
    letters: dict[str, str]  # column name -> its letter, for the cell a value came from


@dataclass
class ReturnedForm:
    file: str
    version: str
    batch: str
    round: int
    kode_desa: str
    sent: list[SentRow] = field(default_factory=list)
    rows: list[FormRow] = field(default_factory=list)
    damaged: int = 0  # entries of the hidden sheet that could not be read

    @property
    def answered(self) -> int:
        return sum(any(row.cells.get(n, "") for n, _ in ANSWER_COLUMNS) for row in self.rows)


def keys_sheet(sheets: Sequence[Sheet]) -> Sheet | None:
    """The hidden sheet of a form of this tool, whatever it is now called."""
    return next(
        (s for s in sheets if s.rows and s.rows[0] and s.rows[0][0].text == FORM_MARK), None
    )


def is_form_without_keys(sheets: Sequence[Sheet]) -> bool:
    """A sheet headed as this tool's correction form, in a file without the hidden sheet (cells
    pasted into a new file): its answers cannot be tied to rows, and it is no village list."""
    return any(_form_columns(row) is not None for sheet in sheets for row in sheet.rows[:20])


def _form_columns(row) -> dict[str, int] | None:
    """The form's column names and where they are, when `row` is a form's header (columns may
    have been moved or others inserted)."""
    names = {cell.text.strip().casefold(): index for index, cell in enumerate(row) if cell.text}
    if not {_BARIS.casefold(), _SENT_NIK.casefold(), _SENT_NAME.casefold()} <= names.keys():
        return None
    return {
        name: names[name.casefold()]
        for name, _ in (*SENT_COLUMNS, *ANSWER_COLUMNS)
        if name.casefold() in names
    }


def read_form(file: str, sheets: Sequence[Sheet]) -> ReturnedForm:
    """The form's facts, the rows it was sent with and every filled row it shows now. A
    damaged hidden sheet gives fewer sent rows, never an error."""
    keys = keys_sheet(sheets)
    assert keys is not None, "read_form is for forms (keys_sheet finds them)"
    texts = [[cell.text.strip() for cell in row] for row in keys.rows]
    facts = {row[0]: row[1] for row in texts[1:5] if len(row) > 1}
    version = texts[0][1] if len(texts[0]) > 1 else ""
    form = ReturnedForm(
        file, version, facts.get("batch", ""), _number(facts.get("round", "")),
        facts.get("desa", ""),
    )  # fmt: skip
    width = len(KEY_FIELDS)
    for entry in texts[6:]:
        entry = (entry + [""] * width)[:width]
        if not any(entry):
            continue
        if _number(entry[1]) < 1 or len(entry[3]) < 8 or not all(entry[4:]):
            form.damaged += 1
            continue
        form.sent.append(SentRow(entry[0], _number(entry[1]), entry[3], tuple(entry[4:])))
    for sheet in sheets:
        if sheet is not keys:
            form.rows.extend(_filled_rows(sheet))
    return form


def _filled_rows(sheet: Sheet) -> list[FormRow]:
    from xlsxwriter.utility import xl_col_to_name

    rows: list[FormRow] = []
    columns: dict[str, int] | None = None
    for number, row in enumerate(sheet.rows, start=1):
        header = _form_columns(row)
        if header is not None:
            columns = header
            continue
        if columns is None:
            continue
        cells = {
            name: row[index].text.strip() if index < len(row) else ""
            for name, index in columns.items()
        }
        if any(cells.get(name) for name in (*_SHOWN, *(n for n, _ in ANSWER_COLUMNS))):
            letters = {name: xl_col_to_name(index) for name, index in columns.items()}
            rows.append(FormRow(sheet.name, number, cells, letters))
    return rows


def _number(text: str) -> int:
    """'12' or '12.0' (a spreadsheet that turned it into a number) -> 12; anything else 0."""
    try:
        value = float(text)
    except ValueError:
        return 0
    return int(value) if value == value and abs(value) < 2**31 else 0


@dataclass(frozen=True)
class Received:
    """A returned file as received: its digest and when it came."""

    sha256: str
    received: str  # ISO time


@dataclass
class FormAnswers:
    """What one returned form gives: decisions for the ledger, and report lines for every
    row that gives none (unanswered, unmatched, ignored, refused...)."""

    decisions: list[Decision] = field(default_factory=list)
    report: list[dict[str, object]] = field(default_factory=list)
    refused: str = ""  # why the whole form was refused


def form_answers(
    form: ReturnedForm, batch: str | None, receipt: Received, year: int, min_age: int = 18
) -> FormAnswers:
    """Ties every row the form shows to the row it was sent for, and reads its answers."""
    result = FormAnswers()
    refusal = _refusal(form, batch)
    if refusal:
        result.refused = refusal
        outcome = "other_batch" if refusal.startswith("the form is from batch") else "refused"
        result.report = [_line(form, row, outcome, refusal) for row in form.rows] or [
            _line(form, None, outcome, refusal)
        ]
        return result
    ties = tie_rows(form)
    if (
        form.rows
        and sum(sent is not None for sent, _ in ties.values()) == 0
        and any(row.cells.get(_BARIS) for row in form.rows)
    ):
        result.refused = (
            "none of the rows this form shows is a row it was sent with: its hidden sheet "
            "belongs to another form (copied from another village's form?); ask the village "
            "for its own form"
        )
        result.report = [_line(form, row, "refused", result.refused) for row in form.rows]
        return result
    taken: dict[str, FormRow] = {}
    for row in form.rows:
        sent, typed = ties[row.row, row.sheet]
        if sent is None:
            _untied(form, row, receipt, result)
        elif sent.digest in taken:
            first = taken[sent.digest]
            message = f"the same row as {first.sheet} row {first.row} (a copied row): not applied"
            result.report.append(_line(form, row, "duplicate_row", message))
        else:
            taken[sent.digest] = row
            _answers_of(form, row, sent, typed, receipt, (year, min_age), result)
    return result


def _refusal(form: ReturnedForm, batch: str | None) -> str:
    if form.version != FORM_VERSION:
        return (
            "a form of an older version of this tool (its rows cannot be found by what they "
            "show): not read; send the village this round's form"
        )
    if batch is None or form.batch != batch:
        return (
            f"the form is from batch {form.batch or '?'}, this work folder is "
            f"{batch or 'new (no correction forms sent from it)'}: not applied"
        )
    return ""


def tie_rows(form: ReturnedForm) -> dict[tuple[int, str], tuple[SentRow | None, list[str]]]:
    """Each shown row -> the sent row it is (or None) and the sent cells typed over.

    A row is its sent row when all four cells it shows match; when some were typed over, by
    the cells left as they were: at least three, or the row number and one more, and only if
    one sent row fits best."""
    ties = {}
    exact: dict[tuple[str, ...], list[SentRow]] = {}
    for sent in form.sent:
        exact.setdefault(sent.shown, []).append(sent)
    for row in form.rows:
        shown = tuple(shown_digest(row.cells.get(name, "")) for name in _SHOWN)
        if len(exact.get(shown, ())) == 1:  # most rows: shown as they were sent
            ties[row.row, row.sheet] = (exact[shown][0], [])
            continue
        scores = [
            (sum(a == b for a, b in zip(shown, sent.shown, strict=True)), sent)
            for sent in form.sent
        ]
        best = max((score for score, _ in scores), default=0)
        fits = [sent for score, sent in scores if score == best]
        tie = fits[0] if len(fits) == 1 else None
        if tie is not None and best < 4 and not (best >= 3 or shown[0] == tie.shown[0]):
            tie = None
        if tie is not None and best < 2:
            tie = None
        typed = [name for name, a, b in zip(_SHOWN, shown, tie.shown if tie else shown,
                                            strict=True) if a != b]  # fmt: skip
        ties[row.row, row.sheet] = (tie, typed)
    return ties


def _untied(form: ReturnedForm, row: FormRow, receipt: Received, result: FormAnswers) -> None:
    """A row matching no sent row: a new applicant when it was added under the table (no row
    number, a name and a NIK or birth date), else reported."""
    value = {
        field_name: row.cells.get(answer, "") or row.cells.get(sent, "")
        for field_name, answer, sent in (("nik_raw", _NIK, _SENT_NIK), ("name", _NAME, _SENT_NAME),
                                         ("birth_date", _BORN, _SENT_BORN))
    }  # fmt: skip
    if not row.cells.get(_BARIS) and value["name"] and (value["nik_raw"] or value["birth_date"]):
        key = row_digest(form.file, row.sheet, row.row, *value.values())
        result.decisions.append(
            _decision(form, row, receipt, "new_row", key, "row", json.dumps(value, sort_keys=True),
                      "baris baru di bawah tabel", "")
        )  # fmt: skip
        return
    message = (
        "the values this row shows (row number, NIK, name, birth date) match no row the form "
        "was sent with: not applied to any row; check it with the village"
    )
    result.report.append(_line(form, row, "unmatched", message))


def _answers_of(
    form: ReturnedForm,
    row: FormRow,
    sent: SentRow,
    typed: list[str],
    receipt: Received,
    programme: tuple[int, int],
    result: FormAnswers,
) -> None:
    """The answers one tied row gives, each field once: the yellow column first, then a
    correction typed over the sent cell, then the note; a different value from a lesser
    place is reported as ignored."""
    given: dict[str, list[tuple[str, str, str]]] = {f: [] for f in FIELDS}
    reported = len(result.report)
    for name, field_name in _ANSWERED.items():
        if row.cells.get(name):
            given[field_name].append((row.cells[name], f"kolom {name}", name))
    for name in typed:
        if name in _TYPED_OVER and row.cells.get(name):
            given[_TYPED_OVER[name]].append((row.cells.get(name, ""), f"diketik di atas {name}",
                                             name))  # fmt: skip
    action = row.cells.get(_ACTION, "")
    if action:
        understood = read_action(action)
        if understood.value:
            given["action"].append((understood.value, f'kolom {_ACTION}: "{action}"', _ACTION))
        else:
            message = f'"{action}" in {_ACTION} is not understood: read it and decide'
            result.report.append(_line(form, row, "unread", message, "action"))
    note = row.cells.get(_NOTE, "")
    if note:
        _note_answers(form, row, note, given, result)
    nik = next((value for value, _, _ in given["nik"]), row.cells.get(_SENT_NIK, ""))
    for field_name, values in given.items():
        if not values:
            continue
        value, how, column = values[0]
        if field_name == "birth_date":
            value = full_date(value, nik, *programme)
        result.decisions.append(
            _decision(form, row, receipt, "answer", sent.digest, field_name, value, how, column)
        )
        for other, other_how, _ in values[1:]:
            if other.casefold() != values[0][0].casefold():
                message = f"{other_how} gives another {field_name} than {how}: ignored"
                result.report.append(_line(form, row, "ignored", message, field_name, other))
    if not any(given.values()) and len(result.report) == reported:
        result.report.append(_line(form, row, "unanswered", ""))


def _note_answers(form, row: FormRow, note: str, given, result: FormAnswers) -> None:
    """The note read for answers; the whole note is kept beside the row, and a note that
    says more than its answers is shown to the analyst."""
    reading = read_note(note)
    how = f"kolom {_NOTE}"
    for field_name, value in (
        ("nik", reading.nik),
        ("name", reading.name),
        ("birth_date", reading.birth_date),
        ("action", reading.action),
    ):
        if value:
            given[field_name].append((value, how, _NOTE))  # fmt: skip
    given["note"].append((note, how, _NOTE))
    if reading.rest:
        message = f'the note says more than an answer: "{mask_numbers(reading.rest)}": read it'
        result.report.append(_line(form, row, "shown", message, "note"))


def _decision(form: ReturnedForm, row: FormRow, receipt: Received, kind: str, key: str,
              field_name: str, value: str, how: str, column: str) -> Decision:  # fmt: skip
    cell = f"{row.letters.get(column, '')}{row.row}" if column else ""
    return Decision(kind, key, form.kode_desa, field_name, value, how, form.file, row.sheet,
                    row.row, cell, receipt.sha256, receipt.received, form.round)  # fmt: skip


def _line(
    form: ReturnedForm,
    row: FormRow | None,
    outcome: str,
    message: str,
    field_name: str = "",
    value: str = "",
) -> dict[str, object]:
    """A line of answers.csv for what gives no decision (values masked)."""
    unrecorded = Decision("report", "", form.kode_desa, field_name, value, "", form.file,
                          row.sheet if row else "", row.row if row else 0, "", "", "",
                          form.round)  # fmt: skip
    return answer_line(unrecorded, outcome, message=message)
