"""The workbooks officials read: the decree attachment, the summary with its chart, and the
waiting list. Layout only: every figure comes from the report tables."""

from __future__ import annotations

from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

import pandas as pd

from bantuan_iuran.config import Decree
from bantuan_iuran.excel import (
    WorkbookJob,
    list_layout,
    print_landscape,
    set_widths,
    write_text_row,
    write_workbook,
)
from bantuan_iuran.frames import records
from bantuan_iuran.money import terbilang, thousands
from bantuan_iuran.normalize import normalize_rt
from bantuan_iuran.reasons import INELIGIBLE, REASONS
from bantuan_iuran.report import ReportResult

_MONTHS = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
MONTH_NAMES = _MONTHS.split()

_SIGNATURE_COLUMN = 8  # the signature block sits under the right-hand columns
_PERSON_COLUMNS = (
    ("No", 6),
    ("NIK", 19),
    ("Nama", 28),
    ("Tempat Lahir", 14),
    ("Tanggal Lahir", 12),
    ("L/P", 5),
    ("Alamat", 24),
    ("RT/RW", 9),
    ("Bulan", 7),
    ("Iuran per Bulan (Rp)", 13),
    ("Iuran Setahun (Rp)", 15),
)


def period_text(report: ReportResult) -> str:
    first, last = report.schedule[0].month, report.schedule[-1].month
    span = (
        MONTH_NAMES[first - 1]
        if first == last
        else f"{MONTH_NAMES[first - 1]} - {MONTH_NAMES[last - 1]}"
    )
    return f"{span} {report.year} ({report.months} bulan)"


_DECREE_FIELDS = [
    "kecamatan", "desa", "nik", "name", "birth_place", "birth_date", "sex", "address", "rt", "rw",
    "months", "premium_monthly", "premium_total",
]  # fmt: skip


# A value the config leaves empty prints as a place to fill in by hand, never as nothing.
BLANK = "...................................."
_HEADER_ROW = 6


def write_decree_attachment(report: ReportResult, path: Path, regency: str, decree: Decree) -> None:
    """The decree's attachment: its identification, numbered rows grouped by kecamatan and desa
    with subtotals, the grand total in figures and in words, and the signature block."""
    heading = (
        f"LAMPIRAN KEPUTUSAN BUPATI {regency.upper()}",
        "DAFTAR PENERIMA BANTUAN IURAN JAMINAN SOSIAL KETENAGAKERJAAN (BPJS KETENAGAKERJAAN) "
        f"TAHUN {report.year}, PERIODE {period_text(report).upper()}",
    )
    identification = (
        ("Nomor", decree.nomor or BLANK),
        ("Tanggal", decree.tanggal or BLANK),
        ("Tentang", decree.tentang or BLANK),
    )
    # `selected` is in kecamatan, desa, file order: the groups below are contiguous.
    people = records(report.selected, _DECREE_FIELDS)
    closing = _closing(report, decree)
    job = WorkbookJob(path, _decree_layout, (heading, identification, people, closing))
    write_workbook(job)


def _closing(report: ReportResult, decree: Decree) -> list[str]:
    """Under the grand total: the amount in words, then who signs, where and when."""
    return [
        f"Terbilang: {terbilang(report.total)}",
        "",
        f"{decree.tempat or BLANK}, {decree.tanggal or BLANK}",
        decree.jabatan or BLANK,
        "",
        "",
        "",
        decree.nama or f"( {BLANK} )",
        f"NIP. {decree.nip}" if decree.nip else "",
    ]


def _decree_layout(
    workbook,
    styles,
    heading: tuple[str, str],
    identification: tuple[tuple[str, str], ...],
    people: list[dict],
    closing: list[str],
) -> None:
    sheet = workbook.add_worksheet("Lampiran")
    sheet.write_string(0, 0, heading[0], styles["title"])
    sheet.write_string(1, 0, heading[1], styles["subtitle"])
    for offset, (label, value) in enumerate(identification, start=2):
        sheet.write_string(offset, 1, label, styles["plain"])
        sheet.write_string(offset, 2, f": {value}", styles["plain"])
    write_text_row(sheet, _HEADER_ROW, [c for c, _ in _PERSON_COLUMNS], styles["header"])
    sheet.set_row(_HEADER_ROW, 30)
    row, number = _HEADER_ROW + 1, 0
    for kecamatan, kecamatan_group in groupby(people, key=itemgetter("kecamatan")):
        in_kecamatan = list(kecamatan_group)
        sheet.write_string(row, 0, f"KECAMATAN {kecamatan.upper()}", styles["bold"])
        row += 1
        for desa, desa_group in groupby(in_kecamatan, key=itemgetter("desa")):
            in_desa = list(desa_group)
            sheet.write_string(row, 0, f"DESA/KELURAHAN {desa.upper()}", styles["bold"])
            row += 1
            for person in in_desa:
                number += 1
                _person_row(sheet, row, number, person, styles)
                row += 1
            row = _total_row(sheet, row, f"Jumlah Desa {desa}", in_desa, styles)
        row = _total_row(sheet, row, f"Jumlah Kecamatan {kecamatan}", in_kecamatan, styles)
    row = _total_row(sheet, row, "JUMLAH SELURUHNYA", people, styles)
    sheet.write_string(row, 2, closing[0], styles["plain_bold"])
    for offset, line in enumerate(closing[1:], start=row + 1):
        if line:
            sheet.write_string(offset, _SIGNATURE_COLUMN, line, styles["plain"])
    set_widths(sheet, [w for _, w in _PERSON_COLUMNS])
    sheet.freeze_panes(_HEADER_ROW + 1, 0)
    print_landscape(sheet, _HEADER_ROW)


def _person_row(sheet, row: int, number: int, person: dict[str, Any], styles) -> None:
    write_text_row(
        sheet,
        row,
        [
            number,
            person["nik"],
            person["name"],
            person["birth_place"].upper(),
            _date_id(person["birth_date"]),
            person["sex"],
            person["address"],
            rt_rw(person["rt"], person["rw"]),
        ],
        styles["text"],
    )
    for column, field in enumerate(("months", "premium_monthly", "premium_total"), start=8):
        sheet.write_number(row, column, int(person[field]), styles["number"])


def _total_row(sheet, row: int, label: str, people: list[dict[str, Any]], styles) -> int:
    total = sum(int(person["premium_total"]) for person in people)
    sheet.write_string(row, 2, f"{label}: {thousands(len(people))} orang", styles["bold"])
    sheet.write_number(row, 10, total, styles["bold_number"])
    return row + 1


def rt_rw(rt: str, rw: str) -> str:
    """'2', '04' -> '002/004': RT and RW as three digits each, however they were written."""
    return "/".join(filter(None, [normalize_rt(rt), normalize_rt(rw)]))


def _date_id(iso: str) -> str:
    """1970-05-12 -> 12-05-1970, as Indonesian documents write dates."""
    return "-".join(reversed(iso.split("-"))) if iso else ""


def write_people_workbook(people: pd.DataFrame, path: Path, title: str) -> None:
    """A plain list (the waiting list): one row per person, NIK as text, in the given order."""
    fields = ["priority", "nik", "name", "birth_date", "desa", "kecamatan", "source_file",
              "source_row"]  # fmt: skip
    rows = people[fields].assign(birth_date=people["birth_date"].map(_date_id))
    columns = (("Urutan", 8), ("NIK", 19), ("Nama", 28), ("Tanggal Lahir", 12), ("Desa", 16),
               ("Kecamatan", 14), ("File", 30), ("Baris", 7))  # fmt: skip
    rows = list(rows.itertuples(index=False, name=None))
    write_workbook(WorkbookJob(path, list_layout, ("Daftar", title, columns, rows)))


SUMMARY_HEADERS = {
    "kecamatan": "Kecamatan",
    "desa": "Desa/Kelurahan",
    "kode_desa": "Kode Desa",
    "proposed": "Diusulkan",
    "eligible": "Memenuhi Syarat",
    "needs_fix": "Perlu Perbaikan",
    "ineligible": "Tidak Memenuhi Syarat",
    **{code: f"TMS: {code}" for code, r in REASONS.items() if r.status == INELIGIBLE},
    "people": "Peserta Dibiayai",
    "premium": "Iuran Setahun (Rp)",
}


def write_summary_workbook(report: ReportResult, path: Path) -> None:
    """Per desa and per kecamatan, with native bar charts of people and cost per kecamatan."""
    write_workbook(WorkbookJob(path, _summary_layout, (report,)))


def _summary_layout(workbook, styles, report: ReportResult) -> None:
    kecamatan = kecamatan_totals(report.villages)
    _table_sheet(workbook, "Per Desa", report.villages, styles, report)
    sheet = _table_sheet(workbook, "Per Kecamatan", kecamatan, styles, report)
    last = 3 + len(kecamatan) - 1
    columns = list(kecamatan.columns)
    for title, column, cell in (
        ("Peserta dibiayai per kecamatan", "people", "B"),
        ("Iuran setahun per kecamatan (Rp)", "premium", "J"),
    ):
        chart = workbook.add_chart({"type": "bar"})
        index = columns.index(column)
        chart.add_series(
            {
                "name": SUMMARY_HEADERS[column],
                "categories": ["Per Kecamatan", 3, 0, last, 0],
                "values": ["Per Kecamatan", 3, index, last, index],
            }
        )
        chart.set_title({"name": title})
        chart.set_legend({"none": True})
        chart.set_size({"width": 560, "height": 420})
        sheet.insert_chart(f"{cell}{last + 4}", chart)


def kecamatan_totals(villages: pd.DataFrame) -> pd.DataFrame:
    numbers = villages.drop(columns=["desa", "kode_desa"])
    return numbers.groupby("kecamatan", sort=True).sum().reset_index()


def _table_sheet(workbook, name: str, table: pd.DataFrame, styles, report: ReportResult):
    sheet = workbook.add_worksheet(name)
    sheet.write_string(
        0,
        0,
        f"RINGKASAN USULAN BANTUAN IURAN BPJS KETENAGAKERJAAN TAHUN {report.year} - "
        f"{period_text(report).upper()}",
        styles["title"],
    )
    write_text_row(sheet, 2, [SUMMARY_HEADERS[c] for c in table.columns], styles["header"])
    sheet.set_row(2, 45)
    text_columns = {"kecamatan", "desa", "kode_desa"}
    for offset, row in enumerate(table.itertuples(index=False), start=3):
        for column, (name_, value) in enumerate(zip(table.columns, row, strict=True)):
            if name_ in text_columns:
                sheet.write_string(offset, column, str(value), styles["text"])
            else:
                sheet.write_number(offset, column, int(value), styles["number"])
    total_row = 3 + len(table)
    sheet.write_string(total_row, 0, "JUMLAH", styles["bold"])
    for column, name_ in enumerate(table.columns):
        if name_ not in text_columns:
            sheet.write_number(total_row, column, int(table[name_].sum()), styles["bold_number"])
    set_widths(sheet, [14 if c in text_columns else 12 for c in table.columns])
    sheet.freeze_panes(3, 1)
    print_landscape(sheet, 2)
    return sheet
