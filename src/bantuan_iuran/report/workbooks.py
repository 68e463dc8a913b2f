"""The workbooks officials read besides the decree (decree.py): the summary with its charts,
and the waiting list. Layout only: every figure comes from the report tables."""

from __future__ import annotations

import math
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


def write_people_workbook(
    people: pd.DataFrame, path: Path, title: str, by_priority: bool = True
) -> None:
    write_workbook(people_workbook(people, path, title, by_priority))


def people_workbook(
    people: pd.DataFrame, path: Path, title: str, by_priority: bool = True
) -> WorkbookJob:
    """A list of people (the waiting list `by_priority`, or the people paid for in kecamatan
    and desa order), one row each with its NIK as text, where the row came from, the count
    and cost; for the waiting list, how its order was decided."""
    fields = ["priority", "nik", "name", "birth_date", "desa", "kecamatan", "source_file",
              "source_sheet", "source_row"]  # fmt: skip
    order = people["priority"] if by_priority else pd.Series(range(1, len(people) + 1))
    rows = people[fields].assign(
        priority=order.map(thousands).to_numpy(),
        birth_date=people["birth_date"].map(indonesian_date),
    )
    columns = (("Urutan" if by_priority else "No", 8), ("NIK", 24), ("Nama", 34),
               ("Tanggal Lahir", 14), ("Desa", 20), ("Kecamatan", 16), ("File", 30),
               ("Sheet", 12), ("Baris", 8))  # fmt: skip
    cost = int(people["premium_total"].sum())
    notes = (f"Jumlah: {thousands(len(people))} orang, iuran setahun {rupiah(cost)}.",)
    notes += (PRIORITY_NOTE,) if by_priority else ()
    rows = list(rows.itertuples(index=False, name=None))
    layout = ("Daftar", title, columns, rows, notes)
    return WorkbookJob(path, list_layout, layout, len(rows), in_row_order=True)


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
    "waiting": "Daftar Cadangan",
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
    villages, widths = _table_sheet(workbook, "Per Desa", report.villages, styles, report)
    chart, rows = _bar_chart(
        workbook,
        "Per Desa",
        report.villages,
        ["eligible", "needs_fix", "ineligible"],
        "Hasil verifikasi per desa (baris usulan)",
        stacked=True,
    )
    below = _TOP + len(report.villages) + 3
    villages.insert_chart(below, 1, chart)
    print_landscape(villages, _TOP, widths, keep=[(below, below + rows)])
    sheet, widths = _table_sheet(workbook, "Per Kecamatan", kecamatan, styles, report)
    below, tallest = _TOP + len(kecamatan) + 3, 0
    for title, column, at in (
        ("Peserta dibiayai per kecamatan (orang)", "people", 1),
        ("Iuran setahun per kecamatan (Rp)", "premium", 9),
    ):
        chart, rows = _bar_chart(workbook, "Per Kecamatan", kecamatan, [column], title)
        sheet.insert_chart(below, at, chart)
        tallest = max(tallest, rows)
    print_landscape(sheet, _TOP, widths, keep=[(below, below + tallest)])
    if history is not None and len(history.columns) > 5:  # two rounds or more
        _progress_sheet(workbook, styles, history, report)


_STATUS_LABELS = {"eligible": "Memenuhi syarat", "needs_fix": "Perlu perbaikan",
                  "ineligible": "Tidak memenuhi syarat"}  # fmt: skip
_STATUSES = list(_STATUS_LABELS)
_PROGRESS_HEADERS = ["Kecamatan", "Desa/Kelurahan", "Putaran", *_STATUS_LABELS.values()]
_CHART_ROWS = 16  # the rounds' chart: 300 pixels tall, 15 rows of 20, and a row to spare


def rounds_long(history: pd.DataFrame) -> pd.DataFrame:
    """rounds.history as one row per desa and round (kecamatan, desa, round, and the rows of
    each status): as many columns for four rounds as for two."""
    parts = []
    for column in history.columns:
        if column.startswith("eligible_"):
            number = column.rsplit("_", 1)[1]
            counts = history[[f"{status}_{number}" for status in _STATUSES]]
            counts.columns = _STATUSES
            part = history[["kecamatan", "desa"]].assign(round=int(number))
            parts.append(pd.concat([part, counts], axis=1))
    long = pd.concat(parts, ignore_index=True)
    return long.sort_values(["kecamatan", "desa", "round"], kind="stable", ignore_index=True)


def _progress_sheet(workbook, styles, history: pd.DataFrame, report: ReportResult) -> None:
    """The rows of each status in each round: the totals with their chart, then per
    kecamatan and per desa, a row per round, so that the table keeps its size (and its
    print) for any number of rounds."""
    sheet = workbook.add_worksheet("Perkembangan")
    sheet.write_string(0, 0, f"PERKEMBANGAN PERBAIKAN ANTAR PUTARAN - TAHUN {report.year}",
                       styles["title"])  # fmt: skip
    by_desa = rounds_long(history)
    by_kecamatan = by_desa.groupby(["kecamatan", "round"], sort=True)[_STATUSES].sum()
    by_kecamatan = by_kecamatan.reset_index().assign(desa="")
    totals = by_desa.groupby("round", sort=True)[_STATUSES].sum().reset_index()
    totals = totals.assign(kecamatan="JUMLAH", desa="")
    parts = [(totals, ""), (by_kecamatan, "Per kecamatan"), (by_desa, "Per desa/kelurahan")]
    texts = [_progress_cells(row) for table, _ in parts for row in _progress_rows(table)]
    widths = fitted_widths(_PROGRESS_HEADERS, texts, [24, 24, 10, 12, 12, 12])
    write_fitted_row(sheet, _TOP, _PROGRESS_HEADERS, widths, styles["header"], bold=True)
    row = _progress_block(sheet, styles, totals, _TOP + 1, bold=True)
    chart_at = row + 1
    _progress_chart(workbook, sheet, chart_at, row - len(totals), len(totals))
    row = chart_at + _CHART_ROWS
    for table, heading in parts[1:]:
        sheet.merge_range(row, 0, row, len(widths) - 1, heading, styles["bold"])
        row = _progress_block(sheet, styles, table, row + 1) + 1
    set_widths(sheet, widths)
    sheet.freeze_panes(_TOP + 1, 0)
    print_landscape(sheet, _TOP, widths, keep=[(chart_at, chart_at + _CHART_ROWS - 1)])


def _progress_rows(table: pd.DataFrame) -> list[tuple]:
    return list(table[["kecamatan", "desa", "round", *_STATUSES]].itertuples(index=False))


def _progress_cells(row: tuple) -> list[str]:
    kecamatan, desa, number, *counts = row
    return [kecamatan, desa, f"Putaran {number}", *(thousands(int(c)) for c in counts)]


def _progress_block(sheet, styles, table: pd.DataFrame, top: int, bold: bool = False) -> int:
    """The table's rows from `top`, a row per place and round; returns the row after them."""
    text = styles["bold"] if bold else styles["text"]
    for offset, row in enumerate(_progress_rows(table)):
        cells = _progress_cells(row)
        write_text_row(sheet, top + offset, cells[:3], text)
        for column, count in enumerate(row[3:], start=3):
            write_money(sheet, top + offset, column, int(count), styles, bold=bold)
    return top + len(table)


def _progress_chart(workbook, sheet, at: int, first: int, count: int) -> None:
    """The totals per round as columns, from the totals' rows (`first`, `count` of them)."""
    chart = workbook.add_chart({"type": "column"})
    for column, label in enumerate(_STATUS_LABELS.values(), start=3):
        chart.add_series({
            "name": label,
            "categories": ["Perkembangan", first, 2, first + count - 1, 2],
            "values": ["Perkembangan", first, column, first + count - 1, column],
        })  # fmt: skip
    chart.set_title({"name": "Baris usulan per status, per putaran", "name_font": {"size": 11}})
    chart.set_y_axis({"num_format": AXIS_FORMAT, "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 520, "height": 300})
    sheet.insert_chart(at, 0, chart, {"x_offset": 2, "y_offset": 4})


def _bar_chart(
    workbook, sheet: str, table: pd.DataFrame, columns: list[str], title: str, stacked=False
):
    """Horizontal bars, one per table row in the table's order (top to bottom), the value
    axis with dots between thousands; with the number of rows the chart covers."""
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
    height = max(360, 24 * len(table) + 120)
    chart.set_size({"width": 620, "height": height})
    return chart, math.ceil(height / 20)  # and the rows of 20 pixels it covers


def funding_line(report: ReportResult) -> str:
    """Who is paid for and what it costs; with a budget, the budget and the waiting list."""
    paid = f"{thousands(len(report.selected))} orang dibiayai, iuran setahun {rupiah(report.total)}"
    if report.budget is None:
        return f"{paid[0].upper()}{paid[1:]}."
    waiting = int(report.waiting["premium_total"].sum())
    return (
        f"Anggaran {rupiah(report.budget)}: {paid}; daftar cadangan "
        f"{thousands(len(report.waiting))} orang (iuran setahun {rupiah(waiting)}), "
        f"cadangan_{report.year}.xlsx."
    )


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
    sheet.write_string(1, 0, funding_line(report), styles["plain"])
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
    return sheet, widths


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


BUDGET_COLUMNS = (("Kode Rekening", 20), ("Uraian", 34), ("Spesifikasi", 44), ("Volume", 12),
                  ("Satuan", 14), ("Harga (Rp)", 12), ("Jumlah (Rp)", 16),
                  ("Sumber Dana", 12))  # fmt: skip


def write_budget_workbook(lines: list, report: ReportResult, sub_kegiatan: str, path: Path):
    """The budget's detail lines (report/budget.py) as a finance officer pastes them into
    SIPD: volume, price and total as numbers, the total checked against the report's."""
    write_workbook(WorkbookJob(path, _budget_layout, (lines, report, sub_kegiatan)))


def _budget_layout(workbook, styles, lines: list, report: ReportResult, sub_kegiatan: str):
    sheet = workbook.add_worksheet("Rincian Belanja")
    sheet.write_string(0, 0, f"RINCIAN BELANJA BANTUAN IURAN BPJS KETENAGAKERJAAN TAHUN "
                             f"{report.year}", styles["title"])  # fmt: skip
    sheet.write_string(1, 0, f"Sub kegiatan: {sub_kegiatan or '....................'}",
                       styles["plain"])  # fmt: skip
    people = thousands(len(report.selected))
    basis = f"{people} orang x {report.months} bulan = {rupiah(report.total)} (laporan)"
    sheet.write_string(2, 0, basis, styles["plain"])
    headers = [name for name, _ in BUDGET_COLUMNS]
    texts = [_budget_texts(line) for line in lines]
    widths = fitted_widths(headers, texts, [width for _, width in BUDGET_COLUMNS])
    write_fitted_row(sheet, _TOP + 1, headers, widths, styles["header"], bold=True)
    row = _TOP + 2
    for line, cells in zip(lines, texts, strict=True):
        write_fitted_row(sheet, row, cells, widths, styles["text"])
        for column, value in ((3, line.volume), (5, line.harga), (6, line.total)):
            write_money(sheet, row, column, value, styles)
        row += 1
    sheet.merge_range(row, 0, row, 5, "JUMLAH", styles["bold"])
    write_money(sheet, row, 6, sum(line.total for line in lines), styles, bold=True)
    sheet.write_blank(row, 7, None, styles["bold"])
    set_widths(sheet, widths)
    print_landscape(sheet, _TOP + 1, widths)


def _budget_texts(line) -> list[str]:
    return [line.rekening, line.uraian, line.spesifikasi, thousands(line.volume), line.satuan,
            thousands(line.harga), thousands(line.total), line.sumber_dana]  # fmt: skip
