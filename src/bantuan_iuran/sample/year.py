"""The sample's year after the hand-over, played by the branch and the registry: four monthly
bills in the branch's layout with planted mismatches (a stranger, a duplicate, a wrong amount,
a member left out, a member billed after death and after leaving), a newer registry extract
(one member dead in January, one moved away), a village report (a new job, a withdrawal),
and truth_year.csv: what reconciliation should find, month by month. Seeded.

The story: January and February are paid, March and April are not (a late payment: by April
the office is warned before the third month in a row)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from bantuan_iuran.atomic import ensure_private_dir
from bantuan_iuran.money import rupiah
from bantuan_iuran.monthly.workbook import month_words
from bantuan_iuran.workdir import write_csv

YEAR = 2027
MONTHS = (1, 2, 3, 4)
DIED_ON, MOVED_ON = "2027-01-20", "2027-03-05"
STRANGER = ("3503019999990002", "BUKAN PESERTA")
PRICES = {"JKK": 10_000, "JKM": 6_800}
PAID = {1: "2027-01-14", 2: "2027-02-13"}  # March and April are paid late


@dataclass(frozen=True)
class YearSummary:
    bills: int
    planted: int  # findings other than MATCHED
    folder: Path


def play_year(workdir: Path, batch: Path, outdir: Path, seed: int = 4) -> YearSummary:
    """Writes bills, the newer extract, the village report and the truth into `outdir`."""
    rng = np.random.default_rng(seed)
    register = pd.read_csv(workdir / "register.csv", dtype=str, keep_default_na=False)
    members = register[register["state"] == "registered"].reset_index(drop=True)
    picks = members.iloc[rng.choice(len(members), size=6, replace=False)]
    dead, moved, worker, quitter, wrong, omitted = (picks.iloc[i] for i in range(6))
    ensure_private_dir(outdir)
    truth = []
    for month in MONTHS:
        lines = [_line(p) for p in members.itertuples(index=False)]
        planted = _plant(month, lines, dead, moved, worker, quitter, wrong, omitted)
        truth += [{"month": f"{YEAR}-{month:02d}", "nik": nik, "finding": f}
                  for nik, f in planted]  # fmt: skip
        _write_bill(outdir / f"tagihan_{YEAR}-{month:02d}.xlsx", month, lines)
    _newer_registry(batch, outdir / f"dukcapil_{YEAR}-03.parquet", dead["nik"], moved["nik"])
    _report(outdir / "laporan_desa_maret.xlsx", worker, quitter)
    write_csv(pd.DataFrame(truth, columns=["month", "nik", "finding"]), outdir / "truth_year.csv")
    return YearSummary(len(MONTHS), len(truth), outdir)


def _line(person) -> dict:
    return {"nik": person.nik, "name": person.name, "kpj": person.kpj, **PRICES}


def _plant(month, lines, dead, moved, worker, quitter, wrong, omitted) -> list[tuple[str, str]]:
    """Changes this month's lines as the branch gets them wrong; returns what is planted."""
    planted = []
    if month == 1:
        lines.append({"nik": STRANGER[0], "name": STRANGER[1], "kpj": "26099999999", **PRICES})
        lines.append(dict(next(line for line in lines if line["nik"] == omitted["nik"])))
        planted += [(STRANGER[0], "NOT_DECREED"), (omitted["nik"], "DUPLICATE")]
    if month == 2:
        next(line for line in lines if line["nik"] == wrong["nik"])["JKK"] = 12_000
        lines.remove(next(line for line in lines if line["nik"] == omitted["nik"]))
        planted += [(wrong["nik"], "WRONG_AMOUNT"), (omitted["nik"], "NOT_BILLED")]
    if month >= 3:  # the death is known from March's extract on; February was paid for it
        planted.append((dead["nik"], "AFTER_DEATH"))
    if month == 4:  # left in March: billed in April all the same
        planted += [(p["nik"], "AFTER_LEAVING") for p in (moved, worker, quitter)]
    return planted


def _write_bill(path: Path, month: int, lines: list[dict]) -> None:
    """The branch's bill: a title naming the month, the totals, then a line per person."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Rincian"
    total = sum(line["JKK"] + line["JKM"] for line in lines)
    sheet.append(["BPJS KETENAGAKERJAAN - TAGIHAN IURAN PESERTA BUKAN PENERIMA UPAH"])
    sheet.append([f"Periode: {month_words(YEAR, month).upper()}"])
    sheet.append(["Jumlah Tenaga Kerja", len(lines)])
    sheet.append(["Total Tagihan", rupiah(total)])
    sheet.append([])
    sheet.append(["No", "No KPJ", "NIK", "Nama Tenaga Kerja", "Iuran JKK", "Iuran JKM",
                  "Total Iuran"])  # fmt: skip
    for number, line in enumerate(lines, start=1):
        sheet.append([number, line["kpj"], line["nik"], line["name"], line["JKK"], line["JKM"],
                      line["JKK"] + line["JKM"]])  # fmt: skip
    workbook.save(path)


def _newer_registry(batch: Path, target: Path, dead: str, moved: str) -> None:
    registry = pd.read_parquet(batch / "dukcapil.parquet")
    registry.loc[registry["NIK"] == dead, "TGL_MATI"] = DIED_ON
    at = registry["NIK"] == moved
    registry.loc[at, ["NO_PROP", "NO_KAB", "NO_KEC", "NO_KEL"]] = ["35", "4", "1", "2001"]
    registry.loc[at, ["NAMA_KEC", "NAMA_KEL"]] = ["BESUKI", "SUKOREJO"]
    registry.to_parquet(target, index=False)


def _report(path: Path, worker, quitter) -> None:
    """A village's note to the office, typed as a clerk types it."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["LAPORAN PERUBAHAN PESERTA BANTUAN IURAN - BULAN MARET"])
    sheet.append(["No", "NIK", "Nama", "Keterangan", "Tanggal"])
    sheet.append([1, worker["nik"], worker["name"], "sudah diterima kerja di pabrik rokok",
                  "10-03-2027"])  # fmt: skip
    sheet.append([2, quitter["nik"], quitter["name"], "mengundurkan diri, tidak bersedia lagi",
                  "12/03/2027"])  # fmt: skip
    workbook.save(path)
