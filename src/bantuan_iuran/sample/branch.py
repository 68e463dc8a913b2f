"""The BPJS branch's side of a hand-over, for the sample: it reads the registration files it
was sent and answers as a branch does, in its own layouts: a workbook of the people it
registered (membership number KPJ, the date cover starts) under a title, with one person it
was never sent; and a semicolon CSV of the rows it rejected, with its reasons. Seeded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import openpyxl

from bantuan_iuran.atomic import ensure_private_dir

REASONS = (
    "NIK tidak ditemukan pada data Dukcapil",
    "Nama tidak sesuai dengan data kependudukan",
    "Tanggal lahir tidak sesuai dengan data kependudukan",
    "Peserta sudah terdaftar aktif pada segmen lain",
)
REJECTED_SHARE = 0.04
ACCEPTED_FILE, REJECTED_FILE = "hasil_registrasi_diterima.xlsx", "data_ditolak.csv"


@dataclass(frozen=True)
class BranchSummary:
    accepted: int
    rejected: int
    stranger: str  # the NIK of the person in the results who was never handed over


def answer_handover(workdir: Path, outdir: Path, seed: int = 3) -> BranchSummary:
    """Writes the branch's results for the work folder's latest hand-over into `outdir`."""
    rng = np.random.default_rng(seed)
    sent = _sent_rows(_latest_handover(workdir))
    rejected = set(rng.choice(len(sent), size=max(1, int(len(sent) * REJECTED_SHARE)),
                              replace=False).tolist())  # fmt: skip
    ensure_private_dir(outdir)
    accepted = [row for index, row in enumerate(sent) if index not in rejected]
    stranger = {**sent[0], "NOMOR_IDENTITAS": "3503019999990001", "NAMA_DEPAN": "ORANG",
                "NAMA_TENGAH": "", "NAMA_BELAKANG": "LAIN",
                "TANGGAL_LAHIR": "01-01-1980"}  # fmt: skip
    _write_accepted(outdir / ACCEPTED_FILE, [*accepted, stranger], rng)
    with (outdir / REJECTED_FILE).open("w", encoding="utf-8", newline="") as handle:
        handle.write("NIK;NAMA TK;TGL LAHIR;KETERANGAN PENOLAKAN\n")
        for index in sorted(rejected):
            row = sent[index]
            reason = REASONS[int(rng.integers(len(REASONS)))]
            handle.write(f"{row['NOMOR_IDENTITAS']};{_name(row)};{row['TANGGAL_LAHIR']};"
                         f"{reason}\n")  # fmt: skip
    return BranchSummary(len(accepted), len(rejected), stranger["NOMOR_IDENTITAS"])


def _latest_handover(workdir: Path) -> Path:
    numbers = [int(p.name) for p in (workdir / "serah_terima").iterdir() if p.name.isdigit()]
    if not numbers:
        raise FileNotFoundError(f"{workdir}: no hand-over yet (run `bantuan handover`)")
    return workdir / "serah_terima" / str(max(numbers))


def _sent_rows(folder: Path) -> list[dict[str, str]]:
    rows = []
    for path in sorted(folder.glob("bagian_*/*.xlsx")):
        sheet = openpyxl.load_workbook(path, read_only=True)["data_tk_baru"]
        values = list(sheet.iter_rows(values_only=True))
        rows.extend(dict(zip(values[0], row, strict=True)) for row in values[1:])
    return rows


def _name(row: dict[str, str]) -> str:
    return " ".join(filter(None, (row["NAMA_DEPAN"], row["NAMA_TENGAH"], row["NAMA_BELAKANG"])))


def _write_accepted(path: Path, rows: list[dict[str, str]], rng: np.random.Generator) -> None:
    """Under a title and a blank row: No, KPJ, NIK, name, birth date, when cover starts."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Berhasil"
    sheet.append(["DAFTAR TENAGA KERJA BERHASIL DIDAFTARKAN - BPJS KETENAGAKERJAAN CABANG"])
    sheet.append([])
    sheet.append(["No", "No KPJ", "NIK", "Nama Lengkap", "Tgl Lahir", "Tgl Kepesertaan"])
    start = date.fromisoformat(f"{rows[0]['TGL_MULAI'][6:]}-{rows[0]['TGL_MULAI'][3:5]}-01")
    for number, row in enumerate(rows, start=1):
        kpj = f"{26000000000 + int(rng.integers(1, 999_999_999)):011d}"
        sheet.append([number, kpj, row["NOMOR_IDENTITAS"], _name(row), row["TANGGAL_LAHIR"],
                      start.strftime("%d/%m/%Y")])  # fmt: skip
    workbook.save(path)
