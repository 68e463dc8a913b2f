"""After the decree: the registration files for the BPJS branch, the branch's results read
back in several layouts, and each person's state in the register."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from bantuan_iuran.cli import app
from bantuan_iuran.config import load_settings
from bantuan_iuran.handover.files import parts
from bantuan_iuran.handover.plan import plan_handover, split_name, template_row
from bantuan_iuran.handover.register import (
    DECREED,
    HANDED_OVER,
    LEFT,
    REGISTERED,
    REJECTED,
    mark_rejected,
    person_states,
    rejections,
    state_counts,
)
from bantuan_iuran.ledger import RegisterEvent
from bantuan_iuran.stages.branch import branch_result_stage
from bantuan_iuran.stages.handover import HandoverOptions, handover_stage

SETTINGS = load_settings()
runner = CliRunner()
START = date(2027, 1, 1)


def _person(nik: str, name: str, born: str, **more) -> dict:
    return {"nik": nik, "name": name, "birth_place": "Trenggalek", "birth_date": born, "sex": "P",
            "address": "Dsn Krajan", "rt": "3", "rw": "1", "desa": "Pandean",
            "kecamatan": "Dongko", **more}  # fmt: skip


def test_a_row_in_the_default_template_is_text_in_the_branchs_spelling() -> None:
    row = template_row(_person("3503046805770001", "SITI AMINAH", "1977-05-28"),
                       SETTINGS.handover.columns, START)  # fmt: skip
    shown = dict(zip(SETTINGS.handover.columns, row, strict=True))
    assert shown["NOMOR_IDENTITAS"] == "3503046805770001" and shown["JENIS_IDENTITAS"] == "KTP"
    parts_of_name = (shown["NAMA_DEPAN"], shown["NAMA_TENGAH"], shown["NAMA_BELAKANG"])
    assert parts_of_name == ("SITI", "", "AMINAH")
    assert shown["TANGGAL_LAHIR"] == "28-05-1977" and shown["JENIS_KELAMIN"] == "P"
    assert shown["TEMPAT_LAHIR"] == "TRENGGALEK" and shown["TGL_MULAI"] == "01-01-2027"
    assert shown["ALAMAT"] == "Dsn Krajan RT 003 RW 001, Pandean, Dongko"
    assert all(isinstance(value, str) for value in row)


def test_names_spread_over_three_columns() -> None:
    assert split_name("SUKINI") == ("SUKINI", "", "")
    assert split_name("MUHAMMAD ABDUL LESTARI") == ("MUHAMMAD", "ABDUL", "LESTARI")


def test_the_plan_leaves_out_the_enrolled_the_too_old_at_start_and_the_handed_over() -> None:
    decreed = pd.DataFrame([
        _person("3503010101800001", "A", "1980-01-01"),
        _person("3503010101610001", "B", "1961-03-01"),  # 66 in March 2027
        _person("3503010101900001", "C", "1990-01-01"),  # enrolled since
        _person("3503010101950001", "D", "1995-01-01"),  # handed over already
        _person("3503010101960001", "E", "1996-01-01"),  # rejected, corrected since
        _person("3503010101970001", "F", "1997-01-01"),  # rejected, not answered yet
    ])  # fmt: skip
    events = [
        RegisterEvent("3503010101950001", HANDED_OVER, "1", "2027-01", "f", "s", 2, "x", "t", 1),
        RegisterEvent("3503010101960001", REJECTED, "NIK", "", "f", "s", 2, "y", "t", 1),
        RegisterEvent("3503010101970001", REJECTED, "NIK", "", "f", "s", 3, "y", "t", 1),
    ]
    states = person_states(decreed, events)
    plan = plan_handover(decreed, states, {"3503010101900001"}, SETTINGS.programme,
                         date(2027, 3, 1), corrected={"3503010101960001"})  # fmt: skip
    assert list(plan.people["name"]) == ["A", "E"]
    assert dict(zip(plan.excluded["name"], plan.excluded["exclusion"], strict=True)) == {
        "B": "AGE_AT_START", "C": "ALREADY_ENROLLED"}  # fmt: skip
    assert state_counts(states) == {DECREED: 3, HANDED_OVER: 1, REGISTERED: 0, REJECTED: 2,
                                    LEFT: 0}  # fmt: skip


def test_the_rows_are_cut_into_files_of_at_most_max_rows_each_under_the_template_name(
    tmp_path,
) -> None:
    handover = SETTINGS.handover.model_copy(update={"max_rows": 3})
    pieces = parts([[str(n)] for n in range(7)], tmp_path, handover)
    assert [len(p.rows) for p in pieces] == [3, 3, 1]
    assert [p.path.relative_to(tmp_path).as_posix() for p in pieces] == [
        f"bagian_{k}/template_upload_tk.xlsx" for k in (1, 2, 3)]  # fmt: skip
    assert [p.first for p in pieces] == [0, 3, 6]


@pytest.fixture()
def handed(reported, tmp_path) -> tuple[Path, object]:
    work = tmp_path / "work"
    shutil.copytree(reported[0], work)
    settings = load_settings(overrides={"handover": {"max_rows": 1000}})
    return work, handover_stage(work, HandoverOptions(start=START), settings)


def test_the_handover_writes_the_decree_in_the_template_as_text_and_records_everyone(
    handed, reported
) -> None:
    work, outcome = handed
    decreed = pd.read_parquet(work / "decreed.parquet")
    validated = pd.read_parquet(work / "validated.parquet")
    validated = validated[validated["status"] == "eligible"].set_index("nik")
    books = sorted((work / "serah_terima" / "1").glob("bagian_*/template_upload_tk.xlsx"))
    assert len(books) == -(-len(decreed) // 1000) >= 2  # split at 1.000 rows
    rows = []
    for path in books:
        workbook = openpyxl.load_workbook(path)
        assert workbook.sheetnames == ["Petunjuk Pengisian", "data_tk_baru"]
        sheet = workbook["data_tk_baru"]
        assert [c.value for c in sheet[1]] == list(SETTINGS.handover.columns)
        assert {c.data_type for row in sheet.iter_rows(min_row=2) for c in row} == {"s"}
        rows += [dict(zip(SETTINGS.handover.columns, r, strict=True))
                 for r in sheet.iter_rows(min_row=2, values_only=True)]  # fmt: skip
    assert [r["NOMOR_IDENTITAS"] for r in rows] == list(decreed["nik"])
    # Names and birth dates as the registry has them, not as the village wrote them.
    for row in rows[:200]:
        registry = validated.loc[row["NOMOR_IDENTITAS"]]
        name = " ".join(filter(None, (row["NAMA_DEPAN"], row["NAMA_TENGAH"],
                                      row["NAMA_BELAKANG"])))  # fmt: skip
        assert name == registry["registry_name"]
        assert row["TANGGAL_LAHIR"] == "-".join(
            reversed(registry["registry_birth_date"].split("-"))
        )
    with sqlite3.connect(work / "ledger.sqlite") as db:
        recorded = db.execute("SELECT COUNT(DISTINCT nik) FROM register WHERE event = ?",
                              (HANDED_OVER,)).fetchone()[0]  # fmt: skip
    assert recorded == len(decreed) == len(outcome.plan.people)
    letter = openpyxl.load_workbook(work / "serah_terima" / "1" / "surat_pengantar_1.xlsx").active
    total = next(r for r in letter.iter_rows(values_only=True) if r[1] == "JUMLAH")
    assert total[2] == f"{len(decreed):,}".replace(",", ".")
    again = handover_stage(work, HandoverOptions(start=START), SETTINGS)
    assert again.number == 0 and not (work / "serah_terima" / "2").exists()


def _write_xlsx(path: Path, rows: list[list[object]], sheet: str = "Sheet1") -> Path:
    workbook = openpyxl.Workbook()
    workbook.active.title = sheet
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def _decreed(work: Path) -> pd.DataFrame:
    return pd.read_parquet(work / "decreed.parquet")


def test_a_status_column_under_a_title_decides_and_a_different_person_is_not_applied(
    handed, tmp_path
) -> None:
    work, _ = handed
    people = _decreed(work).head(4)
    dd = [f"{b[8:]}/{b[5:7]}/{b[:4]}" for b in people["birth_date"]]
    rows = [["REKAP HASIL VERIFIKASI PENDAFTARAN PU PEMDA"], [],
            ["No.", "Nomor KTP", "Nama Peserta", "Tanggal Lahir", "Status", "Keterangan"],
            [1, people["nik"].iloc[0], people["name"].iloc[0].title(), dd[0], "Diterima", ""],
            [2, people["nik"].iloc[1], people["name"].iloc[1], dd[1], "Ditolak",
             "NIK tidak terdaftar di Dukcapil"],
            [3, people["nik"].iloc[2], "BUKAN ORANG INI", dd[2], "Diterima", ""],
            [4, people["nik"].iloc[3], people["name"].iloc[3], "01/01/1901", "Diterima",
             ""]]  # fmt: skip
    path = _write_xlsx(tmp_path / "rekap.xlsx", rows)
    outcome = branch_result_stage(work, [path], SETTINGS)
    assert list(outcome.log["outcome"]) == ["applied", "applied", "disagrees", "disagrees"]
    states = outcome.states.set_index("nik")
    assert states.loc[people["nik"].iloc[0], "state"] == REGISTERED
    assert states.loc[people["nik"].iloc[1], "state"] == REJECTED
    assert states.loc[people["nik"].iloc[1], "reason"] == "NIK tidak terdaftar di Dukcapil"
    assert set(states.loc[people["nik"].iloc[2:], "state"]) == {HANDED_OVER}
    assert outcome.partial


def test_kpj_or_reason_decide_when_there_is_no_status_and_a_second_read_changes_nothing(
    handed, tmp_path
) -> None:
    work, _ = handed
    people = _decreed(work).head(3)
    path = tmp_path / "hasil.csv"
    lines = ["nik,nama,tgl_lahir,nomor kartu peserta,tmt kepesertaan,pesan"]
    lines.append(f"{people['nik'].iloc[0]},{people['name'].iloc[0]},{people['birth_date'].iloc[0]},"
                 "26012345678,01-02-2027,")  # fmt: skip
    lines.append(f"{people['nik'].iloc[1]},{people['name'].iloc[1]},{people['birth_date'].iloc[1]},"
                 ",,Nama tidak sesuai KTP")  # fmt: skip
    path.write_text("\n".join(lines) + "\n", "utf-8")
    outcome = branch_result_stage(work, [path], SETTINGS)
    assert list(outcome.log["outcome"]) == ["applied", "applied"]
    states = outcome.states.set_index("nik")
    first = states.loc[people["nik"].iloc[0]]
    assert (first["state"], first["kpj"], first["cover_start"]) == (REGISTERED, "26012345678",
                                                                     "2027-02-01")  # fmt: skip
    assert states.loc[people["nik"].iloc[1], "state"] == REJECTED
    assert not outcome.partial
    again = branch_result_stage(work, [path], SETTINGS)
    assert set(again.log["outcome"]) == {"already_recorded"}


def test_two_files_saying_opposite_things_are_a_conflict_and_files_count_by_when_received(
    handed, tmp_path
) -> None:
    work, _ = handed
    person = _decreed(work).iloc[0]
    header = ["NIK", "NAMA", "TGL LAHIR", "STATUS"]
    who = [person["nik"], person["name"], person["birth_date"]]
    yes = _write_xlsx(tmp_path / "b.xlsx", [header, [*who, "BERHASIL"]])
    no = _write_xlsx(tmp_path / "a.xlsx", [header, [*who, "GAGAL"]])
    together = branch_result_stage(work, [yes, no], SETTINGS)
    assert set(together.log["outcome"]) == {"conflict"}
    assert together.states.set_index("nik").loc[person["nik"], "state"] == HANDED_OVER
    # One at a time: the later received wins, whatever the names or the order given.
    soon = time.time() + 86_400
    os.utime(yes, (soon + 3600, soon + 3600))
    os.utime(no, (soon, soon))
    branch_result_stage(work, [yes], SETTINGS)
    after = branch_result_stage(work, [no], SETTINGS)
    assert after.states.set_index("nik").loc[person["nik"], "state"] == REGISTERED
    # A file dated before the person was handed over answers an earlier hand-over: said so.
    os.utime(no, (1_700_000_000, 1_700_000_000))
    older = branch_result_stage(work, [no], SETTINGS)
    assert list(older.log["outcome"]) == ["before_handover"] and older.partial


def test_the_branchs_own_results_from_the_sample_and_the_cli_exit_code(handed, tmp_path) -> None:
    work, outcome = handed
    played = tmp_path / "cabang"
    result = runner.invoke(app, ["sample", str(played), "--branch-to", str(work)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["branch-result", *map(str, sorted(played.iterdir())), "-w",
                                 str(work)])  # fmt: skip
    assert result.exit_code == 1  # one person in the results was never handed over
    log = pd.read_csv(work / "serah_terima" / "hasil_pendaftaran.csv", dtype=str,
                      keep_default_na=False)  # fmt: skip
    counts = log["outcome"].value_counts().to_dict()
    assert counts["not_handed_over"] == 1
    registered = int(((log["outcome"] == "applied") & (log["result"] == REGISTERED)).sum())
    rejected = int(((log["outcome"] == "applied") & (log["result"] == REJECTED)).sum())
    assert registered + rejected == len(outcome.plan.people) and rejected >= 1
    register = pd.read_csv(work / "register.csv", dtype=str, keep_default_na=False)
    assert (register["state"] == REGISTERED).sum() == registered
    assert register.loc[register["state"] == REGISTERED, "kpj"].str.fullmatch(r"\d{11}").all()


def test_a_rejected_row_goes_back_to_its_village_until_answered_in_a_later_round() -> None:
    validated = pd.DataFrame({
        "nik": ["3503010101800001", "3503010101800002", "3503010101800003"],
        "status": ["eligible", "eligible", "eligible"],
        "reasons": ["", "", ""], "reason_text": ["", "", ""], "reason_detail": ["", "", ""],
        "answer_source": ["", "perbaikan/X.xlsx Perbaikan baris 9 (putaran 3)",
                          "perbaikan/X.xlsx Perbaikan baris 9 (putaran 2)"],
    })  # fmt: skip
    events = [RegisterEvent(nik, REJECTED, "NIK tidak ditemukan", "", "h.csv", "", 2, "r", "t", 2)
              for nik in validated["nik"]]  # fmt: skip
    marked = mark_rejected(validated, rejections(events))
    assert list(marked["status"]) == ["needs_fix", "eligible", "needs_fix"]
    assert marked["reasons"].iloc[0] == "BPJS_REJECTED"
    assert marked["reason_detail"].iloc[0] == "Alasan BPJS: NIK tidak ditemukan"
    assert marked["reason_text"].iloc[0].startswith("Pendaftaran ke BPJS Ketenagakerjaan ditolak")


def test_a_rejected_person_is_handed_over_again_only_once_answered_and_eligible() -> None:
    from bantuan_iuran.handover.register import corrected_since_rejection

    validated = pd.DataFrame({
        "nik": ["3503010101800001", "3503010101800002", "3503010101800003"],
        "status": ["eligible", "eligible", "needs_fix"],
        "answer_source": ["f (putaran 3)", "f (putaran 2)", "f (putaran 3)"],
    })  # fmt: skip
    rejected = {nik: ("NIK", 2) for nik in validated["nik"]}
    assert corrected_since_rejection(validated, rejected) == {"3503010101800001"}


def test_validation_says_how_many_rejected_rows_go_back_to_their_villages(
    handed, batch, tmp_path
) -> None:
    from bantuan_iuran.pipeline import validate_stage

    work, _ = handed
    person = _decreed(work).iloc[0]
    path = _write_xlsx(tmp_path / "ditolak.xlsx", [
        ["NIK", "NAMA", "TGL LAHIR", "STATUS", "KETERANGAN"],
        [person["nik"], person["name"], person["birth_date"], "DITOLAK", "NIK tidak valid"],
    ])  # fmt: skip
    branch_result_stage(work, [path], SETTINGS)
    outcome = validate_stage(work, batch / "dukcapil.parquet", batch / "peserta_aktif.csv",
                             SETTINGS)  # fmt: skip
    assert any(w.startswith("1 rows the BPJS branch rejected go back") for w in outcome.warnings)
    row = outcome.validated.set_index("nik").loc[person["nik"]]
    assert row["status"] == "needs_fix" and "BPJS_REJECTED" in row["reasons"]
