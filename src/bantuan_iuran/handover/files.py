"""The papers of a hand-over: the registration workbooks in the branch's template (every cell
text, at most `max_rows` rows each, every part in a folder of its own under the file name the
branch's upload expects) and the cover letter (surat pengantar) with the counts per
kecamatan. Layout only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bantuan_iuran.config import Handover
from bantuan_iuran.excel import (
    WorkbookJob,
    list_layout,
    write_text_row,
)
from bantuan_iuran.money import thousands
from bantuan_iuran.report.decree import MONTH_NAMES

INSTRUCTIONS = (
    "PETUNJUK PENGISIAN",
    "1. Satu baris satu tenaga kerja; semua sel berformat teks.",
    "2. NOMOR_IDENTITAS diisi NIK 16 digit; JENIS_IDENTITAS diisi KTP.",
    "3. Nama dan tanggal lahir persis seperti data kependudukan (Dukcapil).",
    "4. TANGGAL_LAHIR dengan format dd-mm-yyyy; JENIS_KELAMIN L atau P.",
    "5. Nama file tidak boleh diubah.",
)


@dataclass(frozen=True)
class Part:
    """One registration workbook: its path, and the rows it holds (their number in the decree
    order of the hand-over: first and last)."""

    path: Path
    rows: list[list[str]]
    first: int


def parts(rows: list[list[str]], folder: Path, handover: Handover) -> list[Part]:
    """The rows cut into workbooks of at most `max_rows`: folder/bagian_<k>/<template_file>."""
    size = handover.max_rows
    return [
        Part(folder / f"bagian_{k}" / handover.template_file, rows[start : start + size], start)
        for k, start in enumerate(range(0, len(rows), size), start=1)
    ]


def registration_job(part: Part, handover: Handover) -> WorkbookJob:
    return WorkbookJob(part.path, _registration_layout, (part.rows, handover), len(part.rows))


def _registration_layout(workbook, styles, rows: list[list[str]], handover: Handover) -> None:
    guide = workbook.add_worksheet("Petunjuk Pengisian")
    for offset, line in enumerate(INSTRUCTIONS):
        guide.write_string(offset, 0, line, styles["title"] if not offset else styles["plain"])
    guide.set_column(0, 0, 90)
    sheet = workbook.add_worksheet(handover.sheet)
    text = workbook.add_format({"num_format": "@"})
    sheet.set_column(0, len(handover.columns) - 1, 18, text)  # typed values stay text too
    write_text_row(sheet, 0, list(handover.columns), text)
    for offset, row in enumerate(rows, start=1):
        write_text_row(sheet, offset, row, text)
    workbook.worksheets_objs[1].activate()


@dataclass(frozen=True)
class CoverLetter:
    """What the cover letter says: the hand-over's number and date, the start month, the
    counts per kecamatan, the files and their digests."""

    number: int
    year: int
    written: date
    start: date
    place: str  # where it is signed
    per_kecamatan: list[tuple[str, int]]
    files: list[tuple[str, int, str]]  # (path in the folder, rows, SHA-256)


def cover_letter_job(letter: CoverLetter, handover: Handover, path: Path) -> WorkbookJob:
    return WorkbookJob(path, _cover_layout, (letter, handover))


def _cover_layout(workbook, styles, letter: CoverLetter, handover: Handover) -> None:
    blank = "...................................."
    total = sum(count for _, count in letter.per_kecamatan)
    start = f"{MONTH_NAMES[letter.start.month - 1]} {letter.start.year}"
    notes = (
        f"Kepada Yth. {handover.kepada or blank}",
        f"Perihal: pendaftaran peserta bantuan iuran BPJS Ketenagakerjaan tahun {letter.year} "
        f"(pekerja rentan, bukan penerima upah), penyerahan ke-{letter.number}",
        f"Wadah: {handover.wadah or blank}; kepesertaan dimohon mulai {start}.",
        f"Bersama ini kami serahkan data {thousands(total)} orang sesuai Keputusan Bupati, "
        f"dalam {len(letter.files)} file:",
        *(
            f"- {name}: {thousands(rows)} baris, SHA-256 {digest[:16]}"
            for name, rows, digest in letter.files
        ),  # fmt: skip
        f"Kontak: {handover.kontak or blank}",
    )
    rows = [(str(n), kecamatan, thousands(count))
            for n, (kecamatan, count) in enumerate(letter.per_kecamatan, start=1)]  # fmt: skip
    rows.append(("", "JUMLAH", thousands(total)))
    columns = (("No", 6), ("Kecamatan", 30), ("Jumlah (orang)", 16))
    title = f"SURAT PENGANTAR PENYERAHAN DATA PESERTA - {letter.written.strftime('%d-%m-%Y')}"
    list_layout(workbook, styles, "Surat Pengantar", title, columns, rows, notes)
    sheet = workbook.worksheets_objs[0]
    below = len(notes) + 4 + len(rows)
    for offset, text in enumerate(
        (
            f"Trenggalek, {letter.written.strftime('%d-%m-%Y')}",
            handover.jabatan or blank,
            "",
            "",
            "",
            handover.penandatangan or f"( {blank} )",
        )  # fmt: skip
    ):
        if text:
            sheet.write_string(below + offset, 1, text, styles["plain"])
