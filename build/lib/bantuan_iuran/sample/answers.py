"""The villages' side of a round: a round-2 folder made from a round-1 run of a sample batch.

Most villages answer their correction forms (most rows right, some wrong again, some
withdrawn, a few left empty), one village sends a revised whole list instead, one does not
answer; `truth_round2.csv` says what validation should conclude for every row of round 2.
The answers are written into the forms the run produced, with openpyxl, as a clerk would.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from bantuan_iuran.corrections import (
    ANSWER_COLUMNS,
    FORM_SHEET,
    KEYS_SHEET,
    SENT_COLUMNS,
    WITHDRAWN,
    correction_path,
)
from bantuan_iuran.normalize import indonesian_date
from bantuan_iuran.workdir import write_csv

# What a village does with a row of its form, and how often.
BEHAVIOURS = {"right": 0.80, "wrong": 0.08, "withdrawn": 0.07, "empty": 0.05}
# Cases whose right answer is the person's NIK; the others are answered otherwise.
_NIK_CASES = {"nik_missing", "nik_format", "nik_invalid", "excel_number", "excel_scientific",
              "nik_is_kk", "nik_typo", "spouse_nik"}  # fmt: skip
_STRANGERS = {"absent", "lookalike"}  # not in the registry: the right answer is to withdraw
_REVISED_SUFFIX = " revisi"


@dataclass(frozen=True)
class RoundSummary:
    forms: int
    answered_rows: int
    silent_village: str
    revised_file: str


def answer_round(batch: Path, workdir: Path, outdir: Path, seed: int = 2) -> RoundSummary:
    """Writes `outdir` (desa/ with the village files, the answered forms under desa/_jawaban/
    and one revised list; the registry and enrolled list; truth_round2.csv)."""
    rng = np.random.default_rng(seed)
    shutil.copytree(batch / "desa", outdir / "desa", dirs_exist_ok=True)
    for name in ("dukcapil.parquet", "dukcapil.csv", "peserta_aktif.csv"):
        if (batch / name).exists():
            shutil.copy2(batch / name, outdir / name)
    truth = pd.read_csv(batch / "truth.csv", dtype=str, keep_default_na=False)
    truth["source_row"] = truth["source_row"].astype(int)
    registry = pd.read_parquet(batch / "dukcapil.parquet", columns=["NIK", "TGL_LHR"])
    born = dict(zip(registry["NIK"], registry["TGL_LHR"].astype(str), strict=True))
    validated = pd.read_parquet(workdir / "validated.parquet")
    to_fix = validated[(validated["status"] == "needs_fix") & (validated["desa"] != "")]
    villages = set(zip(to_fix["kecamatan"], to_fix["desa"], strict=True))
    forms = sorted(correction_path(workdir / "perbaikan", k, d) for k, d in villages)
    silent, revising = (int(i) for i in rng.choice(len(forms), size=2, replace=False))
    expected = truth.assign(behaviour="", round2_status=truth["expected_status"],
                            round2_reason=truth["expected_reason"])  # fmt: skip
    keyed = expected.set_index(["source_file", "source_sheet", "source_row"])
    provenance = dict(zip(validated["row_id"], zip(validated["source_file"],
                      validated["source_sheet"], validated["source_row"], strict=True),
                      strict=True))  # fmt: skip
    answered = 0
    for number, form in enumerate(forms):
        if number in (silent, revising):
            continue
        target = outdir / "desa" / "_jawaban" / form.relative_to(workdir / "perbaikan")
        answered += _answer_form(form, target, provenance, keyed, born, rng)
    revised, new_rows = _revise(forms[revising], workdir, outdir, validated, keyed, born)
    truth2 = pd.concat([keyed.reset_index(), pd.DataFrame(new_rows)], ignore_index=True)
    write_csv(truth2, outdir / "truth_round2.csv")
    return RoundSummary(len(forms), answered, forms[silent].stem, revised)


def _answer_form(form, target, provenance, keyed, born, rng) -> int:
    """Answers the rows of one form as the village would; returns how many were answered."""
    import openpyxl

    workbook = openpyxl.load_workbook(form)
    if FORM_SHEET not in workbook.sheetnames:
        return 0  # only rows turned down: nothing to answer
    sheet = workbook[FORM_SHEET]
    header = next(row for row in sheet.iter_rows() if row[0].value == SENT_COLUMNS[0][0])
    column = {cell.value: cell.column for cell in header}
    keys = list(workbook[KEYS_SHEET].iter_rows(min_row=7, values_only=True))
    answered = 0
    for sheet_name, row, row_id, *_ in keys:
        if sheet_name != FORM_SHEET:
            continue
        key = provenance[int(row_id)]
        behaviour = _choose(rng)
        answer = _answer(keyed.loc[key], behaviour, born, rng)
        keyed.loc[key, ["behaviour", "round2_status", "round2_reason"]] = answer[0]
        for name, value in answer[1].items():
            sheet.cell(int(row), column[name]).value = value
        answered += bool(answer[1])
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)
    return answered


def _choose(rng) -> str:
    names = list(BEHAVIOURS)
    return names[int(rng.choice(len(names), p=list(BEHAVIOURS.values())))]


def _answer(truth, behaviour: str, born: dict[str, str], rng):
    """((behaviour, status, reason) expected in round 2, {answer column: value})."""
    case, nik = truth["case"], truth["true_nik"]
    nik_column, _, date_column, action_column, note_column = (n for n, _ in ANSWER_COLUMNS)
    if behaviour == "empty" or (behaviour == "wrong" and not nik):
        return ("empty", truth["expected_status"], truth["expected_reason"]), {}
    if behaviour == "withdrawn" or (behaviour == "right" and case in _STRANGERS):
        action = WITHDRAWN[int(rng.integers(0, len(WITHDRAWN)))]
        return ("withdrawn", "ineligible", "WITHDRAWN"), {
            action_column: action,
            note_column: "menurut keterangan keluarga",
        }
    if behaviour == "wrong":
        return ("wrong", "needs_fix", ""), {nik_column: _mistyped(nik, born, rng)}
    if case in _NIK_CASES:
        return ("right", "eligible", ""), {nik_column: nik}
    if case == "birth_date_mismatch":
        return ("right", "eligible", ""), {date_column: indonesian_date(born[nik])}
    return ("empty", truth["expected_status"], truth["expected_reason"]), {}


def _mistyped(nik: str, born: dict[str, str], rng) -> str:
    """The right NIK with one digit of its serial number changed, held by nobody."""
    for _ in range(20):
        position = int(rng.integers(12, 16))
        digit = str((int(nik[position]) + int(rng.integers(1, 10))) % 10)
        typed = nik[:position] + digit + nik[position + 1 :]
        if typed not in born and typed[12:] != "0000":
            return typed
    return nik[:15] + ("1" if nik[15] != "1" else "2")


_REVISED_COLUMNS = (("No", None), ("NIK", "nik"), ("Nama", "name"),
                    ("Tempat Lahir", "birth_place"), ("Tanggal Lahir", "birth_date"),
                    ("L/P", "sex"), ("Alamat", "address"), ("RT", "rt"), ("RW", "rw"),
                    ("Pekerjaan", "occupation"))  # fmt: skip


def _revise(
    form: Path, workdir: Path, outdir: Path, validated, keyed, born
) -> tuple[str, list[dict]]:
    """The village of `form` sends its whole list again, corrected, instead of the form."""
    import openpyxl

    ingested = pd.read_parquet(workdir / "ingested.parquet")
    rows = validated.merge(ingested[["row_id", "nik_raw", "name", "birth_date"]],
                           on="row_id", suffixes=("", "_sent"))  # fmt: skip
    village = rows[rows["desa"].str.upper() == form.stem]
    source = village["source_file"].mode().iloc[0]
    rows = village[village["source_file"] == source]
    stem = Path(source).with_suffix("")
    relative = f"{stem}{_REVISED_SUFFIX}.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "DATA"
    sheet.append([name for name, _ in _REVISED_COLUMNS])
    new_rows = []
    for row in rows.itertuples(index=False):
        truth = keyed.loc[(row.source_file, row.source_sheet, row.source_row)]
        keyed.loc[
            (row.source_file, row.source_sheet, row.source_row),
            ["behaviour", "round2_status", "round2_reason"],
        ] = ("replaced", "", "")
        values = {"nik": row.nik_raw_sent, "name": row.name_sent, "birth_date": row.birth_date_sent,
                  "birth_place": row.birth_place, "sex": row.sex, "address": row.address,
                  "rt": row.rt, "rw": row.rw, "occupation": row.occupation}  # fmt: skip
        status, reason = truth["expected_status"], truth["expected_reason"]
        if truth["case"] in _STRANGERS:
            continue  # the village struck them off
        if truth["case"] in _NIK_CASES:
            values["nik"], status, reason = truth["true_nik"], "eligible", ""
        elif truth["case"] == "birth_date_mismatch":
            values["birth_date"] = indonesian_date(born[truth["true_nik"]])
            status, reason = "eligible", ""
        sheet.append([sheet.max_row] + [str(values[field]) for _, field in _REVISED_COLUMNS[1:]])
        new_rows.append({**truth.to_dict(), "source_file": relative, "source_sheet": "DATA",
                         "source_row": sheet.max_row, "behaviour": "revised",
                         "round2_status": status, "round2_reason": reason})  # fmt: skip
    workbook.save(outdir / "desa" / relative)
    return relative, new_rows
