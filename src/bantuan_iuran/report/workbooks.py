"""The workbooks officials read: the decree attachment, the summary with its chart, and the
waiting list. Layout only: every figure comes from the report tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bantuan_iuran.atomic import atomic_path
from bantuan_iuran.excel import (
    formats,
    new_workbook,
    print_landscape,
    set_widths,
    write_text_row,
)
from bantuan_iuran.frames import plain_columns
from bantuan_iuran.reasons import INELIGIBLE, REASONS
from bantuan_iuran.report import ReportResult

_MONTHS = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
MONTH_NAMES = _MONTHS.split()

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


def write_decree_attachment(report: ReportResult, path: Path, regency: str) -> None:
    """Numbered rows grouped by kecamatan and desa, subtotals and a grand total, print-ready."""
    with atomic_path(path) as tmp:
        workbook = new_workbook(tmp)
        styles = formats(workbook)
        sheet = workbook.add_worksheet("Lampiran")
        sheet.write_string(0, 0, f"LAMPIRAN KEPUTUSAN BUPATI {regency.upper()}", styles["title"])
        sheet.write_string(
            1,
            0,
            "DAFTAR PENERIMA BANTUAN IURAN JAMINAN SOSIAL KETENAGAKERJAAN (BPJS KETENAGAKERJAAN) "
            f"TAHUN {report.year}, PERIODE {period_text(report).upper()}",
            styles["subtitle"],
        )
        write_text_row(sheet, 3, [c for c, _ in _PERSON_COLUMNS], styles["header"])
        sheet.set_row(3, 30)
        row = 4
        number = 0
        for kecamatan, in_kecamatan in plain_columns(report.selected).groupby(
            "kecamatan", sort=True
        ):
            sheet.write_string(row, 0, f"KECAMATAN {kecamatan.upper()}", styles["bold"])
            row += 1
            for desa, in_desa in in_kecamatan.groupby("desa", sort=True):
                sheet.write_string(row, 0, f"DESA/KELURAHAN {desa.upper()}", styles["bold"])
                row += 1
                for person in in_desa.itertuples(index=False):
                    number += 1
                    _person_row(sheet, row, number, person, styles)
                    row += 1
                row = _total_row(sheet, row, f"Jumlah Desa {desa}", in_desa, styles)
            row = _total_row(sheet, row, f"Jumlah Kecamatan {kecamatan}", in_kecamatan, styles)
        _total_row(sheet, row, "JUMLAH SELURUHNYA", report.selected, styles)
        set_widths(sheet, [w for _, w in _PERSON_COLUMNS])
        sheet.freeze_panes(4, 0)
        print_landscape(sheet, 3)
        workbook.close()


def _person_row(sheet, row: int, number: int, person, styles) -> None:
    write_text_row(
        sheet,
        row,
        [
            number,
            person.nik,
            person.name,
            person.birth_place,
            _date_id(person.birth_date),
            person.sex,
            person.address,
            "/".join(filter(None, [person.rt, person.rw])),
        ],
        styles["text"],
    )
    for column, value in (
        (8, person.months),
        (9, person.premium_monthly),
        (10, person.premium_total),
    ):
        sheet.write_number(row, column, int(value), styles["number"])


def _total_row(sheet, row: int, label: str, people: pd.DataFrame, styles) -> int:
    sheet.write_string(row, 2, f"{label}: {len(people):,} orang".replace(",", "."), styles["bold"])
    sheet.write_number(row, 10, int(people["premium_total"].sum()), styles["bold_number"])
    return row + 1


def _date_id(iso: str) -> str:
    """1970-05-12 -> 12-05-1970, as Indonesian documents write dates."""
    return "-".join(reversed(iso.split("-"))) if iso else ""


def write_people_workbook(people: pd.DataFrame, path: Path, title: str) -> None:
    """A plain list (the waiting list): one row per person, NIK as text, in the given order."""
    with atomic_path(path) as tmp:
        workbook = new_workbook(tmp)
        styles = formats(workbook)
        sheet = workbook.add_worksheet("Daftar")
        sheet.write_string(0, 0, title, styles["title"])
        headers = ["Urutan", "NIK", "Nama", "Tanggal Lahir", "Desa", "Kecamatan", "File", "Baris"]
        write_text_row(sheet, 2, headers, styles["header"])
        for offset, person in enumerate(people.itertuples(index=False), start=3):
            write_text_row(
                sheet,
                offset,
                [person.priority, person.nik, person.name, _date_id(person.birth_date),
                 person.desa, person.kecamatan, person.source_file, person.source_row],
                styles["text"],
            )  # fmt: skip
        set_widths(sheet, [8, 19, 28, 12, 16, 14, 30, 7])
        sheet.freeze_panes(3, 0)
        print_landscape(sheet, 2)
        workbook.close()


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
    villages = report.villages
    kecamatan = kecamatan_totals(villages)
    with atomic_path(path) as tmp:
        workbook = new_workbook(tmp)
        styles = formats(workbook)
        _table_sheet(workbook, "Per Desa", villages, styles, report)
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
        workbook.close()


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
