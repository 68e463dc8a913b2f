"""The correction forms sent back to villages (perbaikan/<KECAMATAN>/<DESA>.xlsx).

A form a village clerk can act on, printed on A4: what to do, by when and to whom; each row as
the village sent it, its row in their file, the problem in Indonesian words and a suggestion
where the registry makes one clear; and yellow cells for the answer (NIK, name and birth date
as on the KTP, or the row withdrawn and why), the only cells the clerk can change. The registry
comparison and the codes sit on a sheet of their own, showing the registry's data only when
it is the applicant's own. A hidden sheet carries the batch, the round, and each row's id and
the digest of what it was sent with, so that the answer can be read back. Layout only; the
rules live in validate.py.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bantuan_iuran.excel import (
    WorkbookJob,
    print_landscape,
    row_height,
    row_lines,
    set_widths,
    wrapped_line_count,
    write_fitted_row,
    write_text_row,
)
from bantuan_iuran.formkeys import (
    ANSWER_COLUMNS,
    DETAIL_SHEET,
    FORM_MARK,
    FORM_SHEET,
    FORM_VERSION,
    KEY_FIELDS,
    KEYS_SHEET,
    REFUSED_SHEET,
    SENT_COLUMNS,
    row_digest,
    shown_digest,
)
from bantuan_iuran.frames import records
from bantuan_iuran.normalize import indonesian_date
from bantuan_iuran.reasons import REASONS

if TYPE_CHECKING:  # no pandas at import: helper processes lay the workbooks out
    import pandas as pd

    from bantuan_iuran.config import Corrections

FONT_SIZE = 10  # fitted to the page width: 9.7 pt on paper in Excel
BLANK = "...................."
WITHDRAWN = ("dibatalkan: meninggal", "dibatalkan: pindah", "dibatalkan: mengundurkan diri")
CHOICES = ("tetap diusulkan", *WITHDRAWN)


def is_withdrawal(action: str) -> bool:
    """The village's choice cancels the row, however it was typed.

    >>> is_withdrawal("DIBATALKAN: PINDAH"), is_withdrawal(" batal ")
    (True, True)
    >>> is_withdrawal("tetap diusulkan")
    False
    """
    return action.strip().casefold().startswith(("dibatal", "batal"))


FORM_COLUMNS = SENT_COLUMNS + ANSWER_COLUMNS
REFUSED_COLUMNS = SENT_COLUMNS[:4] + (("Alasan", 60),)
DETAIL_COLUMNS = (
    ("File", 28),
    ("Sheet", 10),
    ("Baris", 6),
    ("Kode masalah", 22),
    ("NIK disarankan", 18),
    ("Dasar saran", 24),
    ("Pemilik NIK di Dukcapil", 24),
    ("Tgl lahir di Dukcapil", 12),
    ("Desa di Dukcapil", 16),
    ("Kemiripan nama (%)", 9),
)
OTHER_HOLDER = "terdaftar atas nama orang lain"
UNKNOWN_VILLAGE = "_DESA_TIDAK_DIKENALI"
_COVER_ROW = 2
_HEADER_ROW = 7  # the group headings; the column names under them


@dataclass(frozen=True)
class FormContext:
    """What every form of a run shares: the year, the batch and round, the cover text."""

    year: int
    batch: str
    round: int
    cover: Corrections


def correction_path(outdir: Path, kecamatan: str, desa: str) -> Path:
    return outdir / _safe(kecamatan.upper()) / f"{_safe(desa.upper())}.xlsx"


# Longer names are cut (and told apart by a digest): a file name has at most 255 bytes, and
# the temporary file it is written through adds a prefix and a suffix.
_MAX_NAME = 80


def _safe(name: str) -> str:
    """A file or folder name from a village's (or a village file's) name.

    >>> len(_safe("Daftar usulan " * 40)) <= _MAX_NAME
    True
    """
    safe = re.sub(r"[^\w\- ]+", "_", name).strip() or "_"
    if len(safe.encode("utf-8")) <= _MAX_NAME:
        return safe
    digest = hashlib.sha256(safe.encode("utf-8")).hexdigest()[:8]
    return f"{safe.encode('utf-8')[: _MAX_NAME - 9].decode('utf-8', 'ignore').strip()}_{digest}"


def _digest(row: dict[str, Any]) -> str:
    return row_digest(row["source_file"], row["source_sheet"], row["source_row"],
                      row["nik_raw"], row["name_sent"], row["birth_date_sent"])  # fmt: skip


def correction_jobs(
    validated: pd.DataFrame, ingested: pd.DataFrame, outdir: Path, context: FormContext
) -> list[WorkbookJob]:
    """One workbook per village with rows to fix or rows turned down, as jobs in path order
    for excel.write_workbooks (or start_workbooks)."""
    jobs = [
        WorkbookJob(
            correction_path(outdir, kecamatan, desa),
            _layout,
            (rows, desa, kecamatan, context),
            weight=len(rows),
        )
        for (kecamatan, desa), rows in _rows_by_village(validated, ingested)
    ]
    return sorted(jobs, key=lambda job: job.target)


_FIELDS = [
    "row_id", "status", "answer_action", "answer_note", "answer_source", "kecamatan", "desa",
    "kode_desa", "source_file", "source_sheet", "source_row", "reasons", "reason_text",
    "reason_detail", "nik_suggested", "suggestion_basis", "registry_nik", "registry_name",
    "registry_birth_date", "registry_kode_desa", "registry_desa", "name_similarity",
    "birth_date_stated",
]  # fmt: skip
_SENT = {"nik_raw": "nik_raw", "name": "name_sent", "birth_date": "birth_date_sent",
         "answer_nik": "answer_nik", "answer_name": "answer_name",
         "answer_birth_date": "answer_birth_date"}  # fmt: skip


def _rows_by_village(
    validated: pd.DataFrame, ingested: pd.DataFrame
) -> list[tuple[tuple[str, str], list[dict[str, Any]]]]:
    """The rows not eligible as plain records, with the values the village sent, per village
    in file order; rows of an unknown village go under their file's name."""
    sent = ingested[["row_id", *_SENT]].rename(columns=_SENT)
    rows = validated.loc[validated["status"] != "eligible", _FIELDS]
    rows = rows.merge(sent, on="row_id", how="left")
    similarity = rows["name_similarity"].map(lambda v: "" if v != v else f"{v:.0f}")
    villages: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for record in records(rows.assign(name_similarity=similarity), [*_FIELDS, *_SENT.values()]):
        kecamatan, desa = record["kecamatan"], record["desa"]
        if not desa:
            kecamatan, desa = UNKNOWN_VILLAGE, Path(record["source_file"]).stem
        villages.setdefault((kecamatan, desa), []).append(record)
    return list(villages.items())


def _layout(
    workbook, styles, rows: list[dict[str, Any]], desa: str, kecamatan: str, context: FormContext
) -> None:
    looks = _looks(workbook)
    to_fix = [row for row in rows if row["status"] == "needs_fix"]
    refused = [row for row in rows if row["status"] == "ineligible"]
    placed: list[tuple[str, int, dict[str, Any]]] = []
    if to_fix:
        placed += _form_sheet(workbook, looks, to_fix, desa, kecamatan, context)
    if refused:
        placed += _refused_sheet(workbook, looks, refused, desa, kecamatan, context)
    _detail_sheet(workbook, looks, [row for _, _, row in placed])
    _keys_sheet(workbook, placed, context, rows[0]["kode_desa"])


def _looks(workbook) -> dict[str, Any]:
    """The form's formats, at its own font size."""
    base = {"font_size": FONT_SIZE, "valign": "top", "text_wrap": True, "border": 1}
    header = {**base, "bold": True, "bg_color": "#D9E1F2"}
    return {
        "title": workbook.add_format({"bold": True, "font_size": 12}),
        "plain": workbook.add_format({"font_size": FONT_SIZE}),
        "cover": workbook.add_format({"font_size": FONT_SIZE, "text_wrap": True, "valign": "top"}),
        "group": workbook.add_format({**header, "align": "center"}),
        "header": workbook.add_format(header),
        "answer_header": workbook.add_format({**base, "bold": True, "bg_color": "#FFE699"}),
        "text": workbook.add_format(base),
        "bold": workbook.add_format({**base, "bold": True}),
        "differs": workbook.add_format({**base, "bg_color": "#F8CBAD"}),
        # The answer cells: unlocked, text (a NIK typed there keeps its 16 digits).
        "answer": workbook.add_format({**base, "bg_color": "#FFF2CC", "locked": False,
                                       "num_format": "@"}),
    }  # fmt: skip


def _sheet_top(sheet, looks, title: str, place: str, cover: list[str], widths) -> int:
    """The title, the village and round, the cover text over the table's width, the legend.
    Returns the row of the group headings."""
    sheet.write_string(0, 0, title, looks["title"])
    sheet.write_string(1, 0, place, looks["plain"])
    last = len(widths) - 1
    span = sum(widths)
    for offset, text in enumerate(cover):
        row = _COVER_ROW + offset
        sheet.merge_range(row, 0, row, last, text, looks["cover"])
        sheet.set_row(row, row_height(wrapped_line_count(text, span, size=FONT_SIZE), FONT_SIZE))
    return _COVER_ROW + len(cover)


def _cover(context: FormContext, count: int) -> list[str]:
    cover = context.cover
    return [
        f"Ada {count} baris usulan desa yang belum dapat diterima. Untuk setiap baris, isi kolom "
        "kuning: jika orangnya tetap diusulkan, tulis NIK, nama, dan tanggal lahir persis "
        "seperti di KTP/KK (kolom yang sudah benar boleh dikosongkan); jika tidak lagi "
        'diusulkan, pilih "dibatalkan" beserta alasannya pada kolom Tindak lanjut. Jangan '
        "mengubah kolom lain, menghapus baris, atau mengetik ulang file ini.",
        f"Kirim kembali file ini ke {cover.kirim_ke or BLANK} paling lambat "
        f"{cover.batas_waktu or BLANK}. Pertanyaan: {cover.kontak or BLANK}.",
    ]


def _legend(sheet, looks, row: int) -> None:
    sheet.write_string(row, 0, "", looks["answer"])
    sheet.write_string(row, 1, "diisi oleh desa", looks["plain"])
    sheet.write_string(row, 3, "", looks["differs"])
    sheet.write_string(row, 4, "berbeda dengan data Dukcapil", looks["plain"])


def _form_sheet(workbook, looks, rows, desa, kecamatan, context):
    sheet = workbook.add_worksheet(FORM_SHEET)
    widths = [width for _, width in FORM_COLUMNS]
    title = f"PERBAIKAN USULAN BANTUAN IURAN BPJS KETENAGAKERJAAN TAHUN {context.year}"
    place = _place(desa, kecamatan, context, f"{len(rows)} baris perlu diperbaiki")
    legend = _sheet_top(sheet, looks, title, place, _cover(context, len(rows)), widths)
    _legend(sheet, looks, legend)
    sent, answer = len(SENT_COLUMNS), len(ANSWER_COLUMNS)
    sheet.merge_range(_HEADER_ROW, 0, _HEADER_ROW, sent - 2, "Data yang dikirim desa",
                      looks["group"])  # fmt: skip
    sheet.write_string(_HEADER_ROW, sent - 1, "Hasil pemeriksaan", looks["group"])
    sheet.merge_range(_HEADER_ROW, sent, _HEADER_ROW, sent + answer - 1,
                      "Jawaban desa (diisi oleh desa)", looks["answer_header"])  # fmt: skip
    names = [name for name, _ in FORM_COLUMNS]
    write_text_row(sheet, _HEADER_ROW + 1, names[:sent], looks["header"])
    write_text_row(sheet, _HEADER_ROW + 1, names[sent:], looks["answer_header"], start=sent)
    _header_height(sheet, _HEADER_ROW + 1, names, widths)
    first = _HEADER_ROW + 2
    placed = []
    for offset, row in enumerate(rows):
        index = first + offset
        cells = _sent_cells(row) + [_problem_text(row)]
        write_fitted_row(sheet, index, cells, widths[:sent], looks["text"], size=FONT_SIZE)
        _mark_differences(sheet, index, row, looks)
        for column in range(sent, sent + answer):
            sheet.write_blank(index, column, None, looks["answer"])
        placed.append((FORM_SHEET, index + 1, row))
    last = first + len(rows) - 1
    _answer_validation(sheet, first, last, sent)
    _finish(sheet, widths, first)
    return placed


def _place(desa: str, kecamatan: str, context: FormContext, what: str) -> str:
    return f"Desa/Kelurahan {desa}, Kecamatan {kecamatan} - putaran {context.round} - {what}"


def _header_height(sheet, row: int, names: Sequence[str], widths: Sequence[float]) -> None:
    sheet.set_row(row, row_height(row_lines(names, widths, bold=True, size=FONT_SIZE), FONT_SIZE))


def _sent_cells(row: dict[str, Any]) -> list[str]:
    return [
        str(row["source_row"]),
        row["nik_raw"],
        row["name_sent"],
        village_date(row["birth_date_sent"], row["birth_date_stated"]),
    ]


def village_date(written: str, understood: str) -> str:
    """The village's birth date as dd-mm-yyyy, with what they typed beside it when that was a
    spreadsheet's day number (33365) and not a date a clerk can recognise; as typed when it
    could not be read.

    >>> village_date("33365", "1991-05-06"), village_date("6/5/1991", "1991-05-06")
    ('06-05-1991 (33365)', '06-05-1991')
    """
    if not understood:
        return written
    shown = indonesian_date(understood)
    return f"{shown} ({written})" if re.fullmatch(r"\d{4,5}(\.0+)?", written.strip()) else shown


def _problem_text(row: dict[str, Any]) -> str:
    """The problem in words, then what the registry suggests: nothing about someone else."""
    codes = [code for code in row["reasons"].split(";") if code in REASONS]
    parts = [f"{REASONS[code].label.upper()}: {REASONS[code].text}" for code in codes]
    if row["reason_detail"] and "NAME_MISMATCH" not in codes:
        parts.append(f"({row['reason_detail']})")
    if {"BIRTHDATE_MISMATCH", "BIRTHDATE_SWAPPED"} & set(codes) and row["registry_birth_date"]:
        parts.append(f"Tanggal lahir di Dukcapil: {indonesian_date(row['registry_birth_date'])}.")
    if row["nik_suggested"]:
        parts.append(f"Saran: NIK {row['nik_suggested']} ({row['suggestion_basis']}).")
    if row["answer_source"] and "WITHDRAWN" not in codes:  # the reason says it already
        parts.append(earlier_answer(row))
    return "\n".join(parts)


def earlier_answer(row: dict[str, Any]) -> str:
    """What the village answered last time, so that the clerk sees what was not enough."""
    given = [
        f"{label} {value}"
        for label, value in (
            ("NIK", row["answer_nik"]),
            ("nama", row["answer_name"]),
            ("tanggal lahir", row["answer_birth_date"]),
            ("tindak lanjut:", row["answer_action"]),
            ("catatan:", row["answer_note"]),
        )
        if value
    ]
    round_ = re.search(r"putaran (\d+)", row["answer_source"])
    when = f" putaran {round_.group(1)}" if round_ else ""
    return f"Jawaban desa{when}: {', '.join(given)}."


def _mark_differences(sheet, index: int, row: dict[str, Any], looks) -> None:
    """Orange where the registry disagrees with what the village wrote."""
    reasons = row["reasons"]
    marks = {1: bool(row["nik_suggested"]) or "NIK_" in reasons,
             2: "NAME_MISMATCH" in reasons or "NAME_OF_HUSBAND" in reasons,
             3: "BIRTHDATE_" in reasons}  # fmt: skip
    values = _sent_cells(row)
    for column, differs in marks.items():
        if differs:
            sheet.write_string(index, column, values[column], looks["differs"])


def _answer_validation(sheet, first: int, last: int, start: int) -> None:
    nik, _, born, choice, _ = range(start, start + len(ANSWER_COLUMNS))
    from xlsxwriter.utility import xl_col_to_name

    cell = f"{xl_col_to_name(nik)}{first + 1}"
    sheet.data_validation(first, nik, last, nik, {
        "validate": "custom",
        "value": f"=AND(LEN({cell})=16,ISNUMBER(--{cell}))",
        "input_title": "NIK yang benar",
        "input_message": "16 angka persis seperti di KTP/KK.",
        "error_title": "NIK harus 16 angka",
        "error_message": "Tulis 16 angka NIK tanpa spasi atau titik.",
    })  # fmt: skip
    sheet.data_validation(first, born, last, born, {
        "validate": "any",
        "input_title": "Tanggal lahir",
        "input_message": "Tulis tanggal-bulan-tahun, misalnya 12-05-1980.",
    })  # fmt: skip
    sheet.data_validation(first, choice, last, choice, {
        "validate": "list",
        "source": list(CHOICES),
        "input_title": "Tindak lanjut",
        "input_message": "Pilih: tetap diusulkan, atau dibatalkan dengan alasannya.",
        "error_title": "Pilihan tidak dikenal",
        "error_message": "Pilih salah satu dari daftar.",
    })  # fmt: skip


def _finish(sheet, widths: Sequence[float], first: int, header: int = _HEADER_ROW) -> None:
    """Widths, print set-up (one page wide, the `header` rows above `first` on every page),
    and protection: only the answer cells can change (no password:
    anyone may read, and unprotect deliberately)."""
    set_widths(sheet, widths)
    sheet.freeze_panes(first, 0)
    print_landscape(sheet, (header, first - 1), widths)
    sheet.protect("", {"format_columns": True, "format_rows": True, "select_locked_cells": True})


def _refused_sheet(workbook, looks, rows, desa, kecamatan, context):
    sheet = workbook.add_worksheet(REFUSED_SHEET)
    widths = [width for _, width in REFUSED_COLUMNS]
    title = f"USULAN YANG TIDAK MEMENUHI SYARAT - BANTUAN IURAN TAHUN {context.year}"
    place = _place(desa, kecamatan, context, f"{len(rows)} baris")
    note = ["Baris berikut tidak dapat diusulkan; alasannya ada pada setiap baris. Tidak perlu "
            "dijawab, kecuali desa mempunyai bukti bahwa data Dukcapil keliru."]  # fmt: skip
    header = _sheet_top(sheet, looks, title, place, note, widths) + 1
    names = [name for name, _ in REFUSED_COLUMNS]
    write_text_row(sheet, header, names, looks["header"])
    _header_height(sheet, header, names, widths)
    first = header + 1
    placed = []
    for offset, row in enumerate(rows):
        cells = _sent_cells(row) + [_problem_text(row)]
        write_fitted_row(sheet, first + offset, cells, widths, looks["text"], size=FONT_SIZE)
        placed.append((REFUSED_SHEET, first + offset + 1, row))
    _finish(sheet, widths, first, header)
    return placed


def _detail_sheet(workbook, looks, rows: list[dict[str, Any]]) -> None:
    """For the analyst and the curious: where each row came from, its codes, the suggestion's
    basis, and the registry's data when it is the applicant's own."""
    sheet = workbook.add_worksheet(DETAIL_SHEET)
    widths = [width for _, width in DETAIL_COLUMNS]
    sheet.write_string(0, 0, "RINCIAN PEMERIKSAAN (untuk petugas)", looks["title"])
    names = [name for name, _ in DETAIL_COLUMNS]
    write_text_row(sheet, 2, names, looks["header"])
    _header_height(sheet, 2, names, widths)
    for offset, row in enumerate(rows, start=3):
        write_fitted_row(sheet, offset, detail_cells(row), widths, looks["text"], size=FONT_SIZE)
    set_widths(sheet, widths)
    sheet.freeze_panes(3, 0)
    print_landscape(sheet, 2, widths)
    sheet.protect("", {"format_columns": True, "format_rows": True, "autofilter": True})


def detail_cells(row: dict[str, Any]) -> list[str]:
    """The registry's name, birth date and village for the NIK written, only when its holder is
    the applicant; another person's stay theirs."""
    own = bool(row["registry_name"]) and "NAME_MISMATCH" not in row["reasons"]
    holder = row["registry_name"] if own else (OTHER_HOLDER if row["registry_name"] else "")
    return [
        row["source_file"],
        row["source_sheet"],
        str(row["source_row"]),
        row["reasons"].replace(";", ", "),
        row["nik_suggested"],
        row["suggestion_basis"],
        holder,
        indonesian_date(row["registry_birth_date"]) if own else "",
        row["registry_desa"] if own else "",
        row["name_similarity"] if own else "",
    ]


def _keys_sheet(workbook, placed, context: FormContext, kode_desa: str) -> None:
    """Hidden: what reading the answer back needs (the batch, the round, the village, and for
    each row on the form its place, row id, the digest of what it was sent with and the
    fingerprints of the four cells it shows)."""
    sheet = workbook.add_worksheet(KEYS_SHEET)
    write_text_row(sheet, 0, (FORM_MARK, FORM_VERSION), None)
    write_text_row(sheet, 1, ("batch", context.batch), None)
    write_text_row(sheet, 2, ("round", str(context.round)), None)
    write_text_row(sheet, 3, ("year", str(context.year)), None)
    write_text_row(sheet, 4, ("desa", kode_desa), None)
    write_text_row(sheet, 5, KEY_FIELDS, None)
    for offset, (name, row_number, row) in enumerate(placed, start=6):
        shown = [shown_digest(text) for text in _sent_cells(row)]
        values = (name, str(row_number), str(row["row_id"]), _digest(row), *shown)
        write_text_row(sheet, offset, values, None)
    sheet.hide()
    sheet.protect("")
