"""The ledger's decisions applied to the rows the villages sent: every run starts from what
was decided before, whether or not the returned forms are still among the sources.

Per row and field, the answer to the later round's form counts, then the one received last
(received: the file's time, or the analyst's word in [[received]]); two answers to one round
received at the same time that disagree are a conflict, shown and not applied. An answer
counts only for the row it was given for (by the digest of the row as sent): a row no longer
there as it was sent keeps its answers in the ledger, reported as gone. A suggestion the
analyst accepted is applied where the village gave no NIK of its own. Each decision's outcome
goes to answers.csv; none is `applied` unless it changed the row. Pure: frames and decisions
in, frames and lines out.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bantuan_iuran.formkeys import ANSWER_FIELDS as ANSWER_COLUMNS
from bantuan_iuran.formkeys import row_digest
from bantuan_iuran.ingest.notes import KEEP
from bantuan_iuran.ledger import Decision
from bantuan_iuran.nik import mask_numbers
from bantuan_iuran.normalize import normalize_name, parse_date

if TYPE_CHECKING:
    import pandas as pd

_SENT = {"nik": "nik_raw", "name": "name", "birth_date": "birth_date"}


def digests(applicants: pd.DataFrame) -> list[str]:
    """Each row's digest as the village sent it: the key its decisions are recorded under."""
    return [
        row_digest(*values)
        for values in zip(
            applicants["source_file"], applicants["source_sheet"], applicants["source_row"],
            applicants["nik_raw"], applicants["name"], applicants["birth_date"], strict=True,
        )
    ]  # fmt: skip


def new_rows(
    applicants: pd.DataFrame, decisions: Sequence[Decision], keys: list[str]
) -> tuple[pd.DataFrame, list[str]]:
    """The applicants with the rows villages added under their forms' tables (each person
    once, however many copies of the form came back), and the rows' digests (`keys`: those
    of `applicants`)."""
    import pandas as pd

    present = set(keys)
    added, seen = [], set()
    for decision in sorted(decisions, key=lambda d: d.received, reverse=True):
        if decision.kind != "new_row" or decision.row_key in present:
            continue
        values = json.loads(decision.value)
        person = (decision.kode_desa, *values.values())
        if person in seen:
            continue
        seen.add(person)
        added.append((_new_row(decision, values), decision.row_key))
    if not added:
        return applicants, keys
    empty = {c: _empty(applicants[c]) for c in applicants.columns}
    frame = pd.DataFrame([{**empty, **row} for row, _ in added], columns=applicants.columns)
    frame = frame.astype(applicants.dtypes.to_dict())
    rows = pd.concat([applicants, frame], ignore_index=True)
    return rows.assign(row_id=range(1, len(rows) + 1)), [*keys, *(key for _, key in added)]


def _empty(column: pd.Series) -> object:
    """A column's empty value: False, 0 or ''."""
    import pandas as pd

    if pd.api.types.is_bool_dtype(column):
        return False
    return 0 if pd.api.types.is_integer_dtype(column) else ""


def _new_row(decision: Decision, values: dict[str, str]) -> dict[str, object]:
    return {
        "source_file": decision.file,
        "source_sheet": decision.sheet,
        "source_row": decision.row,
        "kode_desa": decision.kode_desa,
        "nik_is_number": False,
        "extra": json.dumps({"ditambahkan": decision.source}, ensure_ascii=False),
        **values,
    }


def apply_decisions(
    applicants: pd.DataFrame, decisions: Sequence[Decision], keys: list[str] | None = None
) -> tuple[pd.DataFrame, list[dict[str, object]]]:
    """The applicants with the answers in force beside what they sent, and a line per
    decision saying what became of it (`keys`: the rows' digests, when already known)."""
    keys = digests(applicants) if keys is None else keys
    position = {key: index for index, key in enumerate(keys)}
    columns = {column: applicants[column].tolist() for column in (*ANSWER_COLUMNS.values(),
                                                                   "answer_source")}  # fmt: skip
    sources: dict[int, list[str]] = defaultdict(list)
    row_ids = applicants["row_id"].tolist()
    log: list[dict[str, object]] = []
    grouped: dict[tuple[str, str], list[Decision]] = defaultdict(list)
    for decision in decisions:
        if decision.kind in ("answer", "acceptance"):
            grouped[decision.row_key, decision.field].append(decision)
        elif decision.kind == "new_row":
            index = position.get(decision.row_key)
            log.append(answer_line(decision, "new_row", row_ids[index] if index is not None else 0))
    for (key, field), given in grouped.items():
        index = position.get(key)
        if index is None:
            message = (
                "the row it answers is no longer among the sources as it was sent (the village "
                "file was changed, replaced or removed): kept in the ledger"
            )
            log.extend(answer_line(d, "row_gone", 0, message) for d in given)
            continue
        winner, lines = _in_force(given)
        row_id = row_ids[index]
        log.extend(answer_line(d, outcome, row_id, message) for d, outcome, message in lines)
        if winner is None:
            continue
        overrides = any(outcome == "superseded" for _, outcome, _ in lines)
        outcome = _outcome(winner, applicants, index, overrides)
        log.append(answer_line(winner, outcome, row_id))
        if outcome in ("applied", "noted"):
            columns[ANSWER_COLUMNS[field]][index] = winner.value
            source = winner.how if winner.kind == "acceptance" else winner.source
            sources[index].append((winner.received, source))
    for index, given in sources.items():
        columns["answer_source"][index] = "; ".join(dict.fromkeys(s for _, s in sorted(given)))
    return applicants.assign(**columns), log


def _in_force(given: list[Decision]) -> tuple[Decision | None, list[tuple[Decision, str, str]]]:
    """The decision in force of those for one field of one row, and what became of the
    others. A village's answer beats the analyst's accepted suggestion; of the village's, the
    answer to the later round's form, then the one received last; two of one round received
    together that disagree are a conflict."""
    village = [d for d in given if d.kind == "answer"]
    regency = [d for d in given if d.kind == "acceptance"]
    if not village:
        latest = max(regency, key=lambda d: d.received)
        return latest, [(d, "superseded", f"a later decision: {latest.how}")
                        for d in regency if d is not latest]  # fmt: skip
    latest_time = max((d.round, d.received) for d in village)
    latest = [d for d in village if (d.round, d.received) == latest_time]
    values = {d.value.casefold() for d in latest}
    lines = []
    if len(values) > 1:
        for d in latest:
            others = "; ".join(o.source for o in latest if o is not d)
            message = (f"disagrees with {others}, received at the same time: not applied; say "
                       "which came later with [[received]] in the config")  # fmt: skip
            lines.append((d, "conflict", message))
        winner = None
    else:
        winner = latest[-1]
        lines.extend((d, "no_change", "the same answer again") for d in latest[:-1])
    earlier = [d for d in village if (d.round, d.received) != latest_time]
    lines.extend((d, "superseded", f"a later answer: {latest[-1].source}") for d in earlier)
    lines.extend((d, "superseded", "the village's own answer counts") for d in regency)
    return winner, lines


def _outcome(decision: Decision, applicants: pd.DataFrame, index: int, overrides: bool) -> str:
    """applied when the decision changes the row (what was sent, or an earlier answer that it
    overrides); no_change when it says what was sent."""
    field = decision.field
    if field == "note":
        return "noted"
    if overrides:
        return "applied"
    if field == "action":
        return "no_change" if decision.value == KEEP else "applied"
    sent = str(applicants[_SENT[field]].iloc[index])
    return "no_change" if _same(field, decision.value, sent) else "applied"


def _same(field: str, answer: str, sent: str) -> bool:
    if field == "nik":
        return "".join(filter(str.isdigit, answer)) == "".join(filter(str.isdigit, sent))
    if field == "name":
        return normalize_name(answer) == normalize_name(sent)
    read = parse_date(answer)
    return read is not None and read == parse_date(sent)


def answer_line(
    decision: Decision, outcome: str, row_id: int = 0, message: str = ""
) -> dict[str, object]:
    """A line of answers.csv: what became of a decision, or of a form row that gives none."""
    return {
        "file": decision.file,
        "sheet": decision.sheet,
        "row": decision.row,
        "round": decision.round,
        "received": decision.received,
        "field": decision.field,
        "value": mask_numbers(decision.value) if decision.kind != "new_row" else "",
        "how": decision.how,
        "outcome": outcome,
        "row_id": row_id,
        "message": message,
    }
