"""The papers for people who leave during the year: every leaver with reason and day
(keluar.csv); the deaths, for the claim the heirs make (the benefit by months of
contributions, the letters to collect from the village); the other exits on the branch's
deactivation sheet (`data_tk_na`: KPJ, name, birth date, reason code, day, note)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bantuan_iuran.config import Settings
from bantuan_iuran.excel import WorkbookJob, list_layout, write_workbooks
from bantuan_iuran.money import rupiah, thousands
from bantuan_iuran.monthly.changes import DECEASED, LEAVING, Leaver
from bantuan_iuran.normalize import indonesian_date
from bantuan_iuran.workdir import write_csv

DOCUMENTS = (
    "surat keterangan kematian dari desa; surat keterangan ahli waris; KK dan KTP ahli waris"
)


def write_exit_papers(
    leavers: list[Leaver],
    register: pd.DataFrame,
    decreed: pd.DataFrame,
    months: dict[str, int],
    settings: Settings,
    folder: Path,
) -> list[Path]:
    people = register.set_index("nik")
    born = dict(zip(decreed["nik"], decreed["birth_date"], strict=True))
    table = pd.DataFrame(
        [
            {
                "nik": x.nik,
                "name": people.loc[x.nik, "name"],
                "desa": people.loc[x.nik, "desa"],
                "kecamatan": people.loc[x.nik, "kecamatan"],
                "kpj": people.loc[x.nik, "kpj"],
                "birth_date": born.get(x.nik, ""),
                "reason": x.reason,
                "text": LEAVING[x.reason][0],
                "on": x.on,
                "source": x.source,
            }
            for x in leavers
        ]  # fmt: skip
    )
    written = [folder / "keluar.csv"]
    write_csv(table, written[0])
    deaths, others = table[table["reason"] == DECEASED], table[table["reason"] != DECEASED]
    jobs = []
    if len(deaths):
        jobs.append(_claims_job(deaths, months, settings, folder / "klaim_kematian.xlsx"))
    if len(others):
        jobs.append(_deactivation_job(others, folder / "data_tk_na.xlsx"))
    return written + write_workbooks(jobs)


def _claims_job(deaths: pd.DataFrame, months: dict[str, int], settings: Settings, path: Path):
    claims = settings.claims
    rows = []
    for person in deaths.itertuples(index=False):
        paid = months.get(person.nik, 0)
        benefit = claims.full_benefit if paid >= claims.min_months else claims.basic_benefit
        died = indonesian_date(person.on)
        rows.append((person.nik, person.name, person.desa, person.kecamatan, died, person.kpj,
                     str(paid), thousands(benefit)))  # fmt: skip
    columns = (("NIK", 20), ("Nama", 28), ("Desa", 16), ("Kecamatan", 14), ("Meninggal", 12),
               ("KPJ", 14), ("Bulan iuran", 8), ("Santunan (Rp)", 14))  # fmt: skip
    notes = (
        f"Santunan kematian: {rupiah(claims.full_benefit)} dengan iuran paling sedikit "
        f"{claims.min_months} bulan, selain itu {rupiah(claims.basic_benefit)}.",
        f"Dokumen yang perlu dikumpulkan dari desa untuk ahli waris: {DOCUMENTS}.",
    )
    title = "DAFTAR PESERTA MENINGGAL DUNIA - TINDAK LANJUT KLAIM JKM"
    layout = ("Klaim", title, columns, rows, notes)
    return WorkbookJob(path, list_layout, layout, len(rows), in_row_order=True)


def _deactivation_job(others: pd.DataFrame, path: Path) -> WorkbookJob:
    return WorkbookJob(path, _deactivation_layout, (others,))


def _deactivation_layout(workbook, styles, others: pd.DataFrame) -> None:
    """The branch's sheet: a header row and a row per person, every cell text."""
    sheet = workbook.add_worksheet("data_tk_na")
    text = workbook.add_format({"num_format": "@"})
    header = ["KPJ", "NAMA", "TGL_LAHIR", "KODE_ALASAN", "TGL_KEJADIAN", "KETERANGAN"]
    sheet.set_column(0, len(header) - 1, 20, text)
    for column, name in enumerate(header):
        sheet.write_string(0, column, name, text)
    for row, person in enumerate(others.itertuples(index=False), start=1):
        born = indonesian_date(person.birth_date) if person.birth_date else ""
        code, day = LEAVING[person.reason][1], indonesian_date(person.on)
        values = [person.kpj, person.name, born, code, day, person.text]
        for column, value in enumerate(values):
            sheet.write_string(row, column, value, text)
