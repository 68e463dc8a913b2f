"""The month's reconciliation as the office, the branch and the inspectorate read it: the
summary by finding with the amounts, every line with its finding, and the refunds due."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bantuan_iuran.excel import WorkbookJob, list_layout, write_workbook
from bantuan_iuran.money import rupiah, thousands
from bantuan_iuran.monthly.reconcile import FINDINGS, Reconciliation
from bantuan_iuran.report.decree import MONTH_NAMES


def month_words(year: int, month: int) -> str:
    return f"{MONTH_NAMES[month - 1]} {year}"


def write_reconciliation(
    result: Reconciliation, refunds: pd.DataFrame, notes: list[str], path: Path
) -> None:
    write_workbook(WorkbookJob(path, _layout, (result, refunds, notes)))


def _layout(workbook, styles, result: Reconciliation, refunds: pd.DataFrame, notes: list[str]):
    year, month = result.month
    title = f"REKONSILIASI TAGIHAN IURAN BPJS KETENAGAKERJAAN - {month_words(year, month).upper()}"
    lines = result.lines
    summary = []
    for finding, text in FINDINGS.items():
        part = lines[lines["finding"] == finding]
        summary.append((finding, text, thousands(len(part)), thousands(int(part["billed"].sum())),
                        thousands(int(part["due"].sum()))))  # fmt: skip
    summary.append(("JUMLAH", "", thousands(len(lines)), thousands(result.billed),
                    thousands(result.to_pay)))  # fmt: skip
    people, amount = result.stated
    stated = (
        f"Tagihan menyebut {thousands(people) if people is not None else '-'} orang dan "
        f"{rupiah(amount) if amount is not None else '-'}; rincian baris: "
        f"{thousands(int((lines['billed'] > 0).sum()))} baris, {rupiah(result.billed)}."
    )
    by_totals = (
        [f"Tagihan tanpa rincian per orang: diperiksa dengan jumlahnya; peserta yang terdaftar "
         f"bulan ini seharusnya {rupiah(result.expected)}."]
        if result.expected is not None else []
    )  # fmt: skip
    head = [
        *notes,
        stated,
        *by_totals,
        f"Dibayar: {rupiah(result.to_pay)}; tidak dibayar (dipersoalkan): "
        f"{rupiah(result.disputed)}.",
    ]
    columns = (("Temuan", 16), ("Keterangan", 50), ("Orang", 10), ("Ditagih (Rp)", 16),
               ("Seharusnya (Rp)", 16))  # fmt: skip
    list_layout(workbook, styles, "Ringkasan", title, columns, summary, head)
    rows = [
        (r.nik, r.name, r.kpj, r.finding, thousands(int(r.billed)), thousands(int(r.due)),
         r.sheet, str(r.row or ""), r.detail)
        for r in _problems_first(lines).itertuples(index=False)
    ]  # fmt: skip
    columns = (("NIK", 20), ("Nama", 28), ("KPJ", 14), ("Temuan", 16), ("Ditagih", 12),
               ("Seharusnya", 12), ("Sheet", 12), ("Baris", 7), ("Keterangan", 40))  # fmt: skip
    list_layout(workbook, styles, "Rincian", f"{title} - RINCIAN", columns, rows)
    if len(refunds):
        rows = [(r.nik, r.name, r.died_on, r.month, thousands(int(r.amount)))
                for r in refunds.itertuples(index=False)]  # fmt: skip
        total = rupiah(int(refunds["amount"].sum()))
        columns = (("NIK", 20), ("Nama", 28), ("Meninggal", 12), ("Bulan", 10),
                   ("Jumlah (Rp)", 14))  # fmt: skip
        list_layout(workbook, styles, "Pengembalian", "IURAN YANG HARUS DIKEMBALIKAN (SESUDAH "
                    "MENINGGAL)", columns, rows, (f"Jumlah: {total}.",))  # fmt: skip


def _problems_first(lines: pd.DataFrame) -> pd.DataFrame:
    """The findings to act on first, each in the bill's order; the matched lines after."""
    matched = lines["finding"] == "MATCHED"
    return pd.concat([lines[~matched], lines[matched]])


def write_year(tables, year: int, allocation: int | None, path: Path) -> None:
    write_workbook(WorkbookJob(path, _year_layout, (tables, year, allocation)))


def _year_layout(workbook, styles, tables, year: int, allocation: int | None) -> None:
    from bantuan_iuran.handover.register import STATE_LABELS
    from bantuan_iuran.monthly.changes import LEAVING

    title = f"REKAP TAHUN {year} - BANTUAN IURAN BPJS KETENAGAKERJAAN"
    rows = [(s.semester, thousands(s.due), thousands(s.paid),
             thousands(s.allocation) if s.allocation else "-",
             f"{s.realised_percent:.1f} %".replace(".", ",") if allocation else "-")
            for s in tables.semesters.itertuples(index=False)]  # fmt: skip
    columns = (("Semester", 10), ("Seharusnya (Rp)", 16), ("Dibayar (Rp)", 16),
               ("Pagu setahun (Rp)", 16), ("Realisasi", 10))  # fmt: skip
    list_layout(workbook, styles, "Anggaran", f"{title} - REALISASI ANGGARAN", columns, rows)
    rows = [(m.month, thousands(m.heads_billed), thousands(m.billed), thousands(m.due),
             thousands(m.difference), thousands(m.paid), m.paid_on or "belum")
            for m in tables.months.itertuples(index=False)]  # fmt: skip
    columns = (("Bulan", 10), ("Orang ditagih", 10), ("Ditagih (Rp)", 14), ("Seharusnya (Rp)", 14),
               ("Selisih (Rp)", 12), ("Dibayar (Rp)", 14), ("Tanggal bayar", 12))  # fmt: skip
    list_layout(workbook, styles, "Per Bulan", f"{title} - PER BULAN", columns, rows)
    rows = [(p.nik, p.name, p.desa, p.kecamatan, STATE_LABELS.get(p.state, p.state),
             str(p.months_decreed), str(p.months_billed), str(p.months_paid),
             f"{LEAVING[p.left_reason][0]} {p.left_on}" if p.left_reason else "")
            for p in tables.people.itertuples(index=False)]  # fmt: skip
    columns = (("NIK", 20), ("Nama", 28), ("Desa", 16), ("Kecamatan", 14), ("Status", 18),
               ("Bulan ditetapkan", 10), ("Bulan ditagih", 10), ("Bulan dibayar", 10),
               ("Keterangan", 30))  # fmt: skip
    list_layout(workbook, styles, "Per Orang", f"{title} - PER ORANG", columns, rows)
