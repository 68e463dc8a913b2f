"""The budget's detail lines (RKA/DPA): a line per account and price, volume people x months,
summing to the report's total to the rupiah, as a workbook a finance officer pastes from."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest

from bantuan_iuran.config import BudgetLineTable, Premium, Rate, load_settings
from bantuan_iuran.errors import ConfigError
from bantuan_iuran.report.budget import budget_lines, lines_total, total_differs
from bantuan_iuran.report.costs import premium_schedule
from bantuan_iuran.report.tables import ReportResult

SETTINGS = load_settings()


def _report(people: int, premium: Premium, year: int = 2027) -> ReportResult:
    selected = pd.DataFrame({"nik": [f"{n:016d}" for n in range(people)]})
    schedule = premium_schedule(premium, year, premium.months, premium.start_month)
    total = people * sum(m.premium for m in schedule)
    return ReportResult(year, schedule, selected.assign(premium_total=total // max(people, 1)),
                        pd.DataFrame(), pd.DataFrame(), None, False)  # fmt: skip


def test_the_default_lines_are_jkk_and_jkm_and_sum_to_the_total() -> None:
    report = _report(10_000, SETTINGS.premium)
    lines = budget_lines(report, SETTINGS.premium, SETTINGS.budget)
    assert [
        (line.rekening, line.harga, line.volume, line.satuan, line.sumber_dana) for line in lines
    ] == [
        ("5.1.02.02.02.0006", 10_000, 120_000, "Orang / Bulan", "DBHCHT"),
        ("5.1.02.02.02.0007", 6_800, 120_000, "Orang / Bulan", "DBHCHT"),
    ]
    assert lines_total(lines) == report.total == 2_016_000_000
    assert lines[0].spesifikasi.startswith("Spesifikasi: iuran JKK")
    assert "10.000 orang x 12 bulan (Januari - Desember 2027)" in lines[0].spesifikasi
    assert total_differs(lines, report) is None


def test_a_rate_change_mid_year_makes_a_line_per_price() -> None:
    old = Rate(date(2015, 7, 1), {"JKK": Decimal("1")}, {"JKM": 6800})
    new = Rate(date(2027, 7, 1), {"JKK": Decimal("1.5")}, {"JKM": 7000})
    premium = Premium(1_000_000, ("JKK", "JKM"), 12, 1, (old, new))
    report = _report(3, premium)
    lines = budget_lines(report, premium, SETTINGS.budget)
    prices = [(line.harga, line.volume) for line in lines]
    assert prices == [(10_000, 18), (15_000, 18), (6_800, 18), (7_000, 18)]
    assert "(Juli - Desember 2027)" in lines[1].spesifikasi
    assert lines_total(lines) == 3 * (6 * 16_800 + 6 * 22_000)


def test_one_line_for_both_programmes_is_allowed() -> None:
    both = BudgetLineTable(rekening="5.1.02.02.02.0005", uraian="Iuran JKK dan JKM",
                           programmes=["JKK", "JKM"])  # fmt: skip
    budget = SETTINGS.budget.model_copy(update={"lines": [both]})
    (line,) = budget_lines(_report(5, SETTINGS.premium), SETTINGS.premium, budget)
    assert (line.harga, line.volume, line.total) == (16_800, 60, 1_008_000)


@pytest.mark.parametrize(
    "programmes", [[["JKK"]], [["JKK"], ["JKK", "JKM"]], [["JKK", "JKM", "JHT"]]]
)
def test_lines_must_pay_each_programme_once(programmes) -> None:
    lines = [BudgetLineTable(rekening=f"5.{n}", uraian="x", programmes=p)
             for n, p in enumerate(programmes)]  # fmt: skip
    with pytest.raises(ConfigError, match="budget.lines"):
        budget_lines(_report(1, SETTINGS.premium), SETTINGS.premium,
                     SETTINGS.budget.model_copy(update={"lines": lines}))  # fmt: skip


def test_the_report_writes_the_lines_as_numbers_summing_to_its_total(reported) -> None:
    work, report = reported
    sheet = openpyxl.load_workbook(work / "report" / "rincian_anggaran_2027.xlsx").active
    rows = [r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]]
    body, total = rows[1:-1], rows[-1]
    assert [r[0] for r in body] == ["5.1.02.02.02.0006", "5.1.02.02.02.0007"]
    assert all(r[3] == len(report.selected) * 12 and r[3] * r[5] == r[6] for r in body)
    assert total[0] == "JUMLAH" and total[6] == report.total == sum(r[6] for r in body)
