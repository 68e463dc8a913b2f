"""Returned correction forms as clerks really return them (tests/clerks.py, made by hand):
every answer reaches its own row or is reported, none lands on another row, and what was
decided stays decided across later runs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from bantuan_iuran.cli import app
from bantuan_iuran.pipeline import decision_history
from clerks import BESUKI_FILE, PEOPLE, Form, write_registry, write_villages

runner = CliRunner()


def _run(sources: Path, work: Path, registry: Path, *extra: str):
    return runner.invoke(
        app, ["run", str(sources), "-d", str(registry), "--year", "2027", "-w", str(work), *extra]
    )


@pytest.fixture(scope="module")
def round_one(tmp_path_factory) -> dict[str, Path]:
    """Round 1 of the hand-made batch: the work folder with its forms, kept clean to copy."""
    base = tmp_path_factory.mktemp("returns")
    registry = write_registry(base / "dukcapil.csv")
    sources = write_villages(base / "desa")
    work = base / "work"
    result = _run(sources, work, registry)
    assert result.exit_code == 0, result.output
    return {"base": base, "registry": registry, "sources": sources, "work": work}


@pytest.fixture
def fresh(round_one, tmp_path: Path) -> dict[str, Path]:
    """A copy of round 1 (sources and work folder) to answer in one way."""
    sources, work = tmp_path / "desa", tmp_path / "work"
    shutil.copytree(round_one["sources"], sources)
    shutil.copytree(round_one["work"], work)
    form = work / "perbaikan" / "PANGGUL" / "BESUKI.xlsx"
    return {"sources": sources, "work": work, "registry": round_one["registry"], "form": form}


def _rows(work: Path) -> pd.DataFrame:
    return pd.read_csv(work / "validated.csv", dtype=str, keep_default_na=False)


def _status(work: Path, name: str) -> tuple[str, str]:
    rows = _rows(work)
    row = rows[rows["sent_name"].str.casefold() == name.casefold()]
    assert len(row) == 1, f"{name}: {len(row)} rows"
    return row["status"].iloc[0], row["reasons"].iloc[0]


def _answers(work: Path) -> pd.DataFrame:
    return pd.read_csv(work / "answers.csv", dtype=str, keep_default_na=False)


def test_round_one_sends_besuki_five_rows_to_fix(round_one) -> None:
    rows = _rows(round_one["work"])
    besuki = rows[rows["source_file"] == BESUKI_FILE]
    assert sorted(besuki.loc[besuki["status"] == "needs_fix", "name"]) == [
        "Budi Santoso", "Joko Purnomo", "Siti Aminah", "Sri Wahyuni", "Warsito",
    ]  # fmt: skip


def _answer_the_ways_clerks_do(form: Form) -> None:
    """Every habit on one form: sorted rows, a NIK typed over the sent one, answers only in the
    note, a two-digit year, a free-text withdrawal, a person added under the table, and the
    sheet renamed."""
    form.sort_by_name()
    form.write("Budi Santoso", "NIK dari desa", PEOPLE["A"][1])  # typed over
    form.write("Siti Aminah", "Catatan", "nik yg benar 3503.0145.0382.0002")
    form.write("Joko Purnomo", "Tgl lahir sesuai KTP", "20/7/75")
    form.write("Sri Wahyuni", "Tindak lanjut", "Meninggal dunia")
    form.write("Warsito", "NIK yang benar", PEOPLE["F"][1])
    form.add_under({"NIK dari desa": PEOPLE["G"][1], "Nama dari desa": "Maryam",
                    "Tgl lahir dari desa": "10-02-1988"})  # fmt: skip
    form.sheet.title = "Sheet1"


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods"])
def test_every_habit_reaches_its_own_row(fresh, suffix: str) -> None:
    form = Form(fresh["form"])
    _answer_the_ways_clerks_do(form)
    form.save(fresh["sources"] / "kembali" / f"jawaban besuki{suffix}")
    result = _run(fresh["sources"], fresh["work"], fresh["registry"])
    assert result.exit_code == 0, result.output
    work = fresh["work"]
    for name in ("Budi Santoso", "Siti Aminah", "Joko Purnomo", "Warsito", "Sutrisno"):
        assert _status(work, name) == ("eligible", ""), name
    assert _status(work, "Sri Wahyuni") == ("ineligible", "WITHDRAWN")
    rows = _rows(work)
    added = rows[rows["name"] == "Maryam"]
    assert len(added) == 1 and added["status"].iloc[0] == "eligible"
    assert added["source_file"].iloc[0] == f"kembali/jawaban besuki{suffix}"
    # Each answer on its own person: the NIK each row now carries is that person's.
    for key, name in (("A", "Budi Santoso"), ("B", "Siti Aminah"), ("F", "Warsito")):
        assert rows.loc[rows["sent_name"] == name, "nik"].item() == PEOPLE[key][1]
    assert rows.loc[rows["sent_name"] == "Joko Purnomo", "birth_date"].item() == "1975-07-20"
    answers = _answers(work)
    applied = answers[answers["outcome"] == "applied"]
    assert sorted(zip(applied["field"], applied["how"], strict=True)) == [
        ("action", 'kolom Tindak lanjut: "Meninggal dunia"'),
        ("birth_date", "kolom Tgl lahir sesuai KTP"),
        ("nik", "diketik di atas NIK dari desa"),
        ("nik", "kolom Catatan"),
        ("nik", "kolom NIK yang benar"),
    ]
    assert (answers["outcome"] == "new_row").sum() == 1
    assert not answers["value"].str.contains(r"\d{16}").any()  # masked
    eligible = pd.read_csv(work / "report" / "eligible_2027.csv", dtype=str)
    assert sorted(eligible["nik"]) == sorted(
        PEOPLE[k][1] for k in ("A", "B", "C", "E", "F", "G", "H")
    )


def test_deleted_and_inserted_rows_move_no_answer_to_another_row(fresh) -> None:
    form = Form(fresh["form"])
    form.delete("Joko Purnomo")
    form.insert_blank_before("Warsito")
    form.write("Warsito", "NIK yang benar", PEOPLE["F"][1])
    form.write("Sri Wahyuni", "Tindak lanjut", "pindah ke Malang")
    form.save(fresh["sources"] / "kembali" / "BESUKI.xlsx")
    assert _run(fresh["sources"], fresh["work"], fresh["registry"]).exit_code == 0
    work = fresh["work"]
    assert _status(work, "Warsito") == ("eligible", "")
    assert _status(work, "Sri Wahyuni") == ("ineligible", "WITHDRAWN")
    assert _status(work, "Joko Purnomo")[0] == "needs_fix"  # its row was deleted: unanswered
    assert _status(work, "Budi Santoso")[0] == "needs_fix"
    rows = _rows(work)
    assert rows.loc[rows["sent_name"] == "Sri Wahyuni", "answer_action"].item() == (
        "dibatalkan: pindah"
    )


def test_a_row_showing_values_no_sent_row_had_is_reported_not_applied(fresh) -> None:
    form = Form(fresh["form"])
    row = form.row_of("Warsito")
    for column in ("NIK dari desa", "Nama dari desa", "Tgl lahir dari desa"):
        form.sheet.cell(row, form.columns[column]).value = "diubah"
    form.sheet.cell(row, form.columns["NIK yang benar"]).value = PEOPLE["A"][1]
    form.save(fresh["sources"] / "kembali" / "BESUKI.xlsx")
    assert _run(fresh["sources"], fresh["work"], fresh["registry"]).exit_code == 0
    answers = _answers(fresh["work"])
    assert answers.loc[answers["row"] == str(row), "outcome"].tolist() == ["unmatched"]
    assert _status(fresh["work"], "Warsito")[0] == "needs_fix"
    assert _status(fresh["work"], "Budi Santoso")[0] == "needs_fix"  # not someone else's NIK


def test_a_form_carrying_another_villages_hidden_sheet_is_refused(fresh) -> None:
    import openpyxl

    form = Form(fresh["form"])
    form.write("Warsito", "NIK yang benar", PEOPLE["F"][1])
    other = openpyxl.load_workbook(fresh["work"] / "perbaikan" / "PANGGUL" / "TERBIS.xlsx")
    keys = form.workbook["_bantuan"]
    for row in keys.iter_rows():
        for cell in row:
            cell.value = other["_bantuan"].cell(cell.row, cell.column).value
    for row in other["_bantuan"].iter_rows(min_row=keys.max_row + 1):
        for cell in row:
            keys.cell(cell.row, cell.column).value = cell.value
    form.save(fresh["sources"] / "kembali" / "BESUKI.xlsx")
    result = _run(fresh["sources"], fresh["work"], fresh["registry"])
    assert result.exit_code == 0
    answers = _answers(fresh["work"])
    mine = answers[answers["file"] == "kembali/BESUKI.xlsx"]
    assert set(mine["outcome"]) == {"refused"}
    assert "another form" in " ".join(result.output.split())
    assert _status(fresh["work"], "Warsito")[0] == "needs_fix"
    assert _status(fresh["work"], "Rina Marlina")[0] == "needs_fix"


def test_the_later_receipt_wins_whatever_the_file_names_and_a_tie_is_a_conflict(fresh) -> None:
    older, newer = Form(fresh["form"]), Form(fresh["form"])
    older.write("Warsito", "NIK yang benar", "3503010808850007")
    newer.write("Warsito", "NIK yang benar", PEOPLE["F"][1])
    kembali = fresh["sources"] / "kembali"
    first = older.save(kembali / "PAKEL (1).xlsx")  # sorts after, received before
    second = newer.save(kembali / "PAKEL.xlsx")
    os.utime(first, (1_800_000_000, 1_800_000_000))
    os.utime(second, (1_800_090_000, 1_800_090_000))
    assert _run(fresh["sources"], fresh["work"], fresh["registry"]).exit_code == 0
    assert _status(fresh["work"], "Warsito") == ("eligible", "")
    answers = _answers(fresh["work"])
    nik = answers[answers["field"] == "nik"].set_index("file")["outcome"]
    assert nik["kembali/PAKEL.xlsx"] == "applied"
    assert nik["kembali/PAKEL (1).xlsx"] == "superseded"


def test_two_answers_received_together_that_disagree_are_a_conflict(fresh) -> None:
    one, two = Form(fresh["form"]), Form(fresh["form"])
    one.write("Warsito", "NIK yang benar", "3503010808850007")
    two.write("Warsito", "NIK yang benar", PEOPLE["F"][1])
    kembali = fresh["sources"] / "kembali"
    for path in (one.save(kembali / "a.xlsx"), two.save(kembali / "b.xlsx")):
        os.utime(path, (1_800_000_000, 1_800_000_000))
    result = _run(fresh["sources"], fresh["work"], fresh["registry"])
    assert "conflict" in result.output
    answers = _answers(fresh["work"])
    assert answers.loc[answers["field"] == "nik", "outcome"].tolist() == ["conflict"] * 2
    assert _status(fresh["work"], "Warsito")[0] == "needs_fix"


def test_decisions_survive_later_runs_and_partial_answers_keep_earlier_ones(fresh) -> None:
    work, sources = fresh["work"], fresh["sources"]
    form = Form(fresh["form"])
    form.write("Sri Wahyuni", "NIK yang benar", PEOPLE["D"][1])
    form.write("Sri Wahyuni", "Tgl lahir sesuai KTP", "15-01-1991")  # still wrong
    form.write("Warsito", "NIK yang benar", PEOPLE["F"][1])
    returned = form.save(sources / "kembali" / "BESUKI.xlsx")
    assert _run(sources, work, fresh["registry"]).exit_code == 0
    assert _status(work, "Sri Wahyuni") == ("needs_fix", "BIRTHDATE_MISMATCH")
    # Round 2: the village answers only the cell still wrong, on the new form.
    second = Form(work / "perbaikan" / "PANGGUL" / "BESUKI.xlsx")
    second.write("Sri Wahyuni", "Tgl lahir sesuai KTP", "15-01-1990")
    returned.unlink()  # the first form leaves the sources: its answers stay decided
    second.save(sources / "kembali" / "BESUKI putaran 2.xlsx")
    assert _run(sources, work, fresh["registry"]).exit_code == 0
    rows = _rows(work)
    sri = rows[rows["sent_name"] == "Sri Wahyuni"].iloc[0]
    assert (sri["status"], sri["nik"], sri["birth_date"]) == (
        "eligible", PEOPLE["D"][1], "1990-01-15",
    )  # fmt: skip
    assert "putaran 1" in sri["answer_source"] and "putaran 2" in sri["answer_source"]
    assert _status(work, "Warsito") == ("eligible", "")
    # A third plain run with no form at all: nothing reverts.
    shutil.rmtree(sources / "kembali")
    result = _run(sources, work, fresh["registry"])
    assert result.exit_code == 0
    assert _status(work, "Warsito") == ("eligible", "")
    assert _status(work, "Sri Wahyuni") == ("eligible", "")
    history = runner.invoke(app, ["history", "Warsito", "-w", str(work)])
    assert history.exit_code == 0 and "1 decision(s)" in history.output
    assert "3503********0006" in history.output and PEOPLE["F"][1] not in history.output
    table = decision_history(work, "warsito")
    assert table[["kind", "field", "how"]].to_numpy().tolist() == [
        ["answer", "nik", "kolom NIK yang benar"]
    ]
    assert table["given in"].item() == "kembali/BESUKI.xlsx Perbaikan F14 (putaran 1)"


def test_accepted_suggestions_survive_a_plain_run(fresh) -> None:
    work = fresh["work"]
    args = ["validate", "-w", str(work), "-d", str(fresh["registry"])]
    accepted = runner.invoke(app, [*args, "--accept-suggestions", "Besuki"])
    assert accepted.exit_code == 0, accepted.output
    assert _status(work, "Budi Santoso") == ("eligible", "")
    assert _run(fresh["sources"], work, fresh["registry"]).exit_code == 0
    assert _status(work, "Budi Santoso") == ("eligible", "")
    answers = _answers(work)
    assert "kabupaten: saran NIK diterima" in " ".join(answers["how"])


def test_rounds_count_exchanges_with_the_villages_not_validations(fresh) -> None:
    import json

    work = fresh["work"]
    args = ["validate", "-w", str(work), "-d", str(fresh["registry"])]
    assert runner.invoke(app, args).exit_code == 0
    manifest = json.loads((work / "manifest.json").read_text())
    assert manifest["stages"]["validate"]["round"] == 1
    form = Form(fresh["form"])
    form.write("Warsito", "NIK yang benar", PEOPLE["F"][1])
    form.save(fresh["sources"] / "kembali" / "BESUKI.xlsx")
    assert _run(fresh["sources"], work, fresh["registry"]).exit_code == 0
    assert json.loads((work / "manifest.json").read_text())["stages"]["validate"]["round"] == 2


def test_a_damaged_hidden_sheet_ties_nothing_and_stops_nothing(fresh) -> None:
    form = Form(fresh["form"])
    form.write("Warsito", "NIK yang benar", PEOPLE["F"][1])
    form.write("Joko Purnomo", "Tgl lahir sesuai KTP", "20-07-1975")
    keys = form.workbook["_bantuan"]
    rows = {str(keys.cell(r, 2).value): r for r in range(7, keys.max_row + 1)}
    keys.cell(rows[str(form.row_of("Warsito"))], 2).value = "inf"
    keys.cell(rows[str(form.row_of("Joko Purnomo"))], 6).value = None
    form.save(fresh["sources"] / "kembali" / "BESUKI.xlsx")
    result = _run(fresh["sources"], fresh["work"], fresh["registry"])
    assert result.exit_code == 0, result.output
    answers = _answers(fresh["work"])
    unmatched = answers[answers["outcome"] == "unmatched"]
    assert sorted(unmatched["row"].astype(int)) == sorted(
        [form.row_of("Warsito"), form.row_of("Joko Purnomo")]
    )
    assert _status(fresh["work"], "Warsito")[0] == "needs_fix"
