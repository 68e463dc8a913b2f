"""The workbooks officials read besides the decree (decree.py): the summary with its charts,
and the waiting list. Layout only: every figure comes from the report tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bantuan_iuran.excel import (
    AXIS_FORMAT,
    WorkbookJob,
    fitted_widths,
    list_layout,
    print_landscape,
    set_widths,
    write_fitted_row,
    write_money,
    write_text_row,
    write_workbook,
)
from bantuan_iuran.money import rupiah, thousands
from bantuan_iuran.normalize import indonesian_date
from bantuan_iuran.reasons import INELIGIBLE, REASONS
from bantuan_iuran.report.decree import period_text
from bantuan_iuran.report.tables import ReportResult

PRIORITY_NOTE = (
    "Urutan prioritas: peserta tahun lalu lebih dahulu (urut baris usulan), kemudian peserta "
    "baru dibagi antar desa sebanding jumlah yang memenuhi syarat (metode Sainte-Lague), di "
    "dalam desa urut baris usulan."
)


def write_people_workbook(people: pd.DataFrame, path: Path, title: str) -> None:
    """The waiting list: one row per person in priority order, with its count and cost, and
    how the order was decided."""
    fields = ["priority", "nik", "name", "birth_date", "desa", "kecamatan", "source_file",
              "source_row"]  # fmt: skip
    rows = people[fields].assign(
        priority=people["priority"].map(thousands),
        birth_date=people["birth_date"].map(indonesian_date),
    )
    columns = (("Urutan", 8), ("NIK", 24), ("Nama", 34), ("Tanggal Lahir", 14), ("Desa", 20),
               ("Kecamatan", 16), ("File", 30), ("Baris", 8))  # fmt: skip
    cost = int(people["premium_total"].sum())
    notes = (
        f"Jumlah: {thousands(len(people))} orang, iuran setahun {rupiah(cost)}.",
        PRIORITY_NOTE,
    )
    rows = list(rows.itertuples(index=False, name=None))
    write_workbook(WorkbookJob(path, list_layout, ("Daftar", title, columns, rows, notes)))


SUMMARY_HEADERS = {
    "kecamatan": "Kecamatan",
    "desa": "Desa/Kelurahan",
    "kode_desa": "Kode Desa",
    "proposed": "Diusulkan",
    "eligible": "Memenuhi Syarat",
    "needs_fix": "Perlu Perbaikan",
    "ineligible": "Tidak Memenuhi Syarat",
    **{code: r.label for code, r in REASONS.items() if r.status == INELIGIBLE},
    "people": "Peserta Dibiayai",
    "premium": "Iuran Setahun (Rp)",
}
_TEXT_COLUMNS = {"kecamatan", "desa", "kode_desa"}
_REASON_COLUMNS = [code for code, r in REASONS.items() if r.status == INELIGIBLE]
_TOP = 3  # the table's header row: the title and the reasons' group heading above it


def write_summary_workbook(
    report: ReportResult, path: Path, history: pd.DataFrame | None = None
) -> None:
    """Per desa and per kecamatan, with native bar charts in the tables' order; with the
    rounds' `history` (rounds.history), a Perkembangan sheet across rounds."""
    write_workbook(WorkbookJob(path, _summary_layout, (report, history)))


def _summary_layout(workbook, styles, report: ReportResult, history: pd.DataFrame | None) -> None:
    kecamatan = kecamatan_totals(report.villages)
    villages = _table_sheet(workbook, "Per Desa", report.villages, styles, report)
    sheet = _table_sheet(workbook, "Per Kecamatan", kecamatan, styles, report)
    below = f"B{_TOP + len(kecamatan) + 4}"
    for title, column, cell in (
        ("Peserta dibiayai per kecamatan (orang)", "people", below),
        ("Iuran setahun per kecamatan (Rp)", "premium", below.replace("B", "J")),
    ):
        chart = _bar_chart(workbook, "Per Kecamatan", kecamatan, [column], title)
        sheet.insert_chart(cell, chart)
    chart = _bar_chart(
        workbook,
        "Per Desa",
        report.villages,
        ["eligible", "needs_fix", "ineligible"],
        "Hasil verifikasi per desa (baris usulan)",
        stacked=True,
    )
    villages.insert_chart(_TOP + len(report.villages) + 3, 1, chart)
    if history is not None and len(history.columns) > 5:  # two rounds or more
        _progress_sheet(workbook, styles, history, report)


_STATUS_LABELS = {"eligible": "Memenuhi syarat", "needs_fix": "Perlu perbaikan",
                  "ineligible": "Tidak memenuhi syarat"}  # fmt: skip


def _progress_sheet(workbook, styles, history: pd.DataFrame, report: ReportResult) -> None:
    """Per desa, then per kecamatan, the rows of each status in each round, and a chart of the
    totals across rounds."""
    sheet = workbook.add_worksheet("Perkembangan")
    sheet.write_string(0, 0, f"PERKEMBANGAN PERBAIKAN ANTAR PUTARAN - TAHUN {report.year}",
                       styles["title"])  # fmt: skip
    counts = [c for c in history.columns if c not in ("kecamatan", "desa")]
    labels = [
        f"{_STATUS_LABELS[c.rsplit('_', 1)[0]]} (putaran {c.rsplit('_', 1)[1]})" for c in counts
    ]
    by_kecamatan = history.drop(columns="desa").groupby("kecamatan", sort=True).sum()
    by_kecamatan = by_kecamatan.reset_index().assign(desa="").loc[:, list(history.columns)]
    headers = ["Kecamatan", "Desa/Kelurahan", *labels]
    widths = fitted_widths(headers, _cell_texts(history), [24, 24] + [12] * len(counts))
    row = _TOP
    for table in (history, by_kecamatan):
        row = _count_table(sheet, styles, table, headers, widths, row) + 2
    set_widths(sheet, widths)
    sheet.freeze_panes(_TOP + 1, 2)
    print_landscape(sheet, _TOP)
    _progress_chart(workbook, sheet, history, counts, row)


def _progress_chart(workbook, sheet, history, counts: list[str], top: int) -> None:
    """Totals per round, as columns, from a small table under the others."""
    rounds = sorted({int(c.rsplit("_", 1)[1]) for c in counts})
    write_text_row(sheet, top, ["Putaran", *_STATUS_LABELS.values()], None)
    for offset, number in enumerate(rounds, start=top + 1):
        sheet.write_string(offset, 0, f"Putaran {number}")
        for column, status in enumerate(_STATUS_LABELS, start=1):
            sheet.write_number(offset, column, int(history[f"{status}_{number}"].sum()))
    chart = workbook.add_chart({"type": "column"})
    for column, label in enumerate(_STATUS_LABELS.values(), start=1):
        chart.add_series({
            "name": label,
            "categories": ["Perkembangan", top + 1, 0, top + len(rounds), 0],
            "values": ["Perkembangan", top + 1, column, top + len(rounds), column],
        })  # fmt: skip
    chart.set_title({"name": "Baris usulan per status, per putaran", "name_font": {"size": 11}})
    chart.set_y_axis({"num_format": AXIS_FORMAT, "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 520, "height": 300})
    sheet.insert_chart(top, len(_STATUS_LABELS) + 2, chart)


def _bar_chart(
    workbook, sheet: str, table: pd.DataFrame, columns: list[str], title: str, stacked=False
):
    """Horizontal bars, one per table row in the table's order (top to bottom), the value
    axis with dots between thousands."""
    chart = workbook.add_chart(
        {"type": "bar", "subtype": "stacked"} if stacked else {"type": "bar"}
    )
    first, last = _TOP + 1, _TOP + len(table)
    category = 1 if "desa" in table.columns else 0
    for column in columns:
        index = list(table.columns).index(column)
        chart.add_series(
            {
                "name": SUMMARY_HEADERS[column],
                "categories": [sheet, first, category, last, category],
                "values": [sheet, first, index, last, index],
                "gap": 60,
            }
        )
    chart.set_title({"name": title, "name_font": {"size": 11}})
    # A bar chart draws its first category at the bottom: reversed, it reads like the table.
    chart.set_y_axis({"reverse": True, "num_font": {"size": 8}})
    chart.set_x_axis({"num_format": AXIS_FORMAT, "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom"} if stacked else {"none": True})
    chart.set_size({"width": 620, "height": max(360, 24 * len(table) + 120)})
    return chart


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
    columns = list(table.columns)
    headers = [SUMMARY_HEADERS[c] for c in columns]
    widths = fitted_widths(
        headers, _cell_texts(table), [24 if c in _TEXT_COLUMNS else 12 for c in columns]
    )
    first_reason = columns.index(_REASON_COLUMNS[0])
    sheet.merge_range(
        _TOP - 1, first_reason, _TOP - 1, first_reason + len(_REASON_COLUMNS) - 1,
        "Tidak memenuhi syarat, karena:", styles["header"],
    )  # fmt: skip
    _count_table(sheet, styles, table, headers, widths, _TOP)
    set_widths(sheet, widths)
    sheet.freeze_panes(_TOP + 1, 1)
    print_landscape(sheet, _TOP)
    return sheet


def _cell_texts(table: pd.DataFrame) -> list[list[str]]:
    """The table's cells as printed: names as they are, counts with dots."""
    columns = list(table.columns)
    return [
        [v if c in _TEXT_COLUMNS else thousands(int(v)) for c, v in zip(columns, row, strict=True)]
        for row in table.itertuples(index=False)
    ]


def _count_table(sheet, styles, table: pd.DataFrame, headers, widths, top: int) -> int:
    """A table of names and counts under its header, with a JUMLAH row; returns that row."""
    write_fitted_row(sheet, top, headers, widths, styles["header"], bold=True)
    columns = list(table.columns)
    for offset, values in enumerate(table.itertuples(index=False), start=top + 1):
        for column, (name, value) in enumerate(zip(columns, values, strict=True)):
            if name in _TEXT_COLUMNS:
                sheet.write_string(offset, column, str(value), styles["text"])
            else:
                write_money(sheet, offset, column, int(value), styles)
    total_row = top + 1 + len(table)
    sheet.write_string(total_row, 0, "JUMLAH", styles["bold"])
    for column, name in enumerate(columns):
        if name not in _TEXT_COLUMNS:
            write_money(sheet, total_row, column, int(table[name].sum()), styles, bold=True)
        elif column:
            sheet.write_blank(total_row, column, None, styles["bold"])
    return total_row
