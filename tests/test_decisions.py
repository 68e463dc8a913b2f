"""The ledger and its decisions applied to rows, on small hand-made frames."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bantuan_iuran.decisions import apply_decisions, digests, new_rows
from bantuan_iuran.ledger import Decision, ledger_stage, reading_ledger
from helpers import ingested_frame

ROWS = ingested_frame(
    [
        {"nik_raw": "3503011205800009", "name": "Budi Santoso", "birth_date": "12-05-1980"},
        {"nik_raw": "3503014503820002", "name": "Siti Aminah", "birth_date": "05-03-1982"},
    ]
)
KEYS = digests(ROWS)


def _answer(row: int, field: str, value: str, received: str, file: str = "a.xlsx", **kw):
    fields = {"kind": "answer", "row_key": KEYS[row], "kode_desa": "3503012001",
              "field": field, "value": value, "how": "kolom", "file": file, "sheet": "Perbaikan",
              "row": 10 + row, "cell": f"F{10 + row}", "receipt": file, "received": received,
              "round": 1}  # fmt: skip
    return Decision(**{**fields, **kw})


def _outcomes(lines) -> list[tuple[str, str, str]]:
    return [(line["file"], line["field"], line["outcome"]) for line in lines]


def test_an_answer_that_says_what_was_sent_is_no_change() -> None:
    rows, lines = apply_decisions(ROWS, [_answer(1, "nik", "3503.0145.0382.0002", "t1")])
    assert _outcomes(lines) == [("a.xlsx", "nik", "no_change")]
    assert rows["answer_nik"].tolist() == ["", ""] and rows["answer_source"].tolist() == ["", ""]


def test_the_answer_received_last_counts_and_the_earlier_is_superseded() -> None:
    later = _answer(0, "nik", "3503011205800001", "2027-01-20", file="a.xlsx")
    earlier = _answer(0, "nik", "3503011205800007", "2027-01-10", file="z.xlsx")
    rows, lines = apply_decisions(ROWS, [later, earlier])
    assert sorted(_outcomes(lines)) == [("a.xlsx", "nik", "applied"),
                                        ("z.xlsx", "nik", "superseded")]  # fmt: skip
    assert rows["answer_nik"].iloc[0] == "3503011205800001"


def test_answers_received_together_that_disagree_are_a_conflict_and_not_applied() -> None:
    one = _answer(0, "nik", "3503011205800001", "t1", file="a.xlsx")
    two = _answer(0, "nik", "3503011205800007", "t1", file="b.xlsx")
    rows, lines = apply_decisions(ROWS, [one, two])
    assert [line["outcome"] for line in lines] == ["conflict", "conflict"]
    assert "b.xlsx" in lines[0]["message"] and rows["answer_nik"].iloc[0] == ""


def test_answers_to_other_fields_are_kept_beside_a_later_one() -> None:
    date = _answer(0, "birth_date", "13-05-1980", "t1", file="a.xlsx", round=1)
    nik = _answer(0, "nik", "3503011205800001", "t2", file="b.xlsx", round=2)
    rows, _ = apply_decisions(ROWS, [date, nik])
    row = rows.iloc[0]
    assert (row["answer_birth_date"], row["answer_nik"]) == ("13-05-1980", "3503011205800001")
    assert row["answer_source"] == (
        "a.xlsx Perbaikan baris 10 (putaran 1); b.xlsx Perbaikan baris 10 (putaran 2)"
    )


def test_the_villages_answer_beats_an_accepted_suggestion() -> None:
    accepted = _answer(0, "nik", "3503011205800001", "t9", kind="acceptance", how="kabupaten")
    village = _answer(0, "nik", "3503011205800003", "t1")
    rows, lines = apply_decisions(ROWS, [accepted, village])
    assert rows["answer_nik"].iloc[0] == "3503011205800003"
    assert {line["outcome"] for line in lines} == {"applied", "superseded"}


def test_an_answer_to_a_row_no_longer_there_is_reported_gone() -> None:
    gone = _answer(0, "nik", "3503011205800001", "t1", row_key="0" * 20)
    _, lines = apply_decisions(ROWS, [gone])
    assert [line["outcome"] for line in lines] == ["row_gone"]


def test_a_person_added_under_two_copies_of_a_form_is_one_new_row() -> None:
    person = json.dumps({"nik_raw": "3503015002880007", "name": "Maryam",
                         "birth_date": "10-02-1988"})  # fmt: skip
    copies = [
        _answer(0, "row", person, received, kind="new_row", row_key=file, file=file)
        for file, received in (("a.xlsx", "t1"), ("a (1).xlsx", "t2"))
    ]
    rows, keys = new_rows(ROWS, copies, KEYS)
    assert len(rows) == 3 and rows["row_id"].tolist() == [1, 2, 3]
    added = rows.iloc[2]
    assert (added["name"], added["source_file"], added["source_row"]) == (
        "Maryam",
        "a (1).xlsx",
        10,
    )
    assert keys[2] == "a (1).xlsx"


def test_the_ledger_records_a_decision_once_and_rolls_back_a_failed_stage(tmp_path: Path) -> None:
    decision = _answer(0, "nik", "3503011205800001", "t1")
    with ledger_stage(tmp_path) as ledger:
        assert ledger.record([decision, decision]) == 1
    with ledger_stage(tmp_path) as ledger:
        assert ledger.record([decision]) == 0
    with pytest.raises(RuntimeError), ledger_stage(tmp_path) as ledger:
        ledger.record([_answer(1, "nik", "3503014503820002", "t2")])
        raise RuntimeError("the stage failed")
    with reading_ledger(tmp_path) as ledger:
        assert ledger.decisions() == [decision]
    assert (tmp_path / "ledger.sqlite").stat().st_mode & 0o777 == 0o600


def test_an_answer_to_a_later_rounds_form_counts_whatever_the_file_times() -> None:
    first = _answer(0, "nik", "3503011205800007", "2027-01-20", file="a.xlsx", round=1)
    second = _answer(0, "nik", "3503011205800001", "2027-01-20", file="b.xlsx", round=2)
    rows, lines = apply_decisions(ROWS, [first, second])
    assert rows["answer_nik"].iloc[0] == "3503011205800001"
    assert sorted(_outcomes(lines)) == [("a.xlsx", "nik", "superseded"),
                                        ("b.xlsx", "nik", "applied")]  # fmt: skip
