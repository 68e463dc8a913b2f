"""The budget's detail lines for the year (RKA/DPA in SIPD): one line per configured account
and premium rate, volume people x months, satuan, harga and total, with the funding source,
summing to the report's total to the rupiah. Pure: the report and the settings in, lines out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from bantuan_iuran.config import BudgetTable, Premium
from bantuan_iuran.errors import ConfigError
from bantuan_iuran.money import rupiah, thousands
from bantuan_iuran.report.costs import monthly_premium, rate_on
from bantuan_iuran.report.decree import MONTH_NAMES
from bantuan_iuran.report.tables import ReportResult


@dataclass(frozen=True)
class BudgetLine:
    rekening: str
    uraian: str
    spesifikasi: str
    volume: int  # people x months
    satuan: str
    harga: int  # rupiah a person a month
    sumber_dana: str

    @property
    def total(self) -> int:
        return self.volume * self.harga


def budget_lines(report: ReportResult, premium: Premium, budget: BudgetTable) -> list[BudgetLine]:
    """A line per configured account and, where a rate changes during the year, per stretch of
    months at one price; every premium programme paid by exactly one account."""
    _check_programmes(premium, budget)
    people = len(report.selected)
    lines = []
    for account in budget.lines:
        programmes = tuple(p.upper() for p in account.programmes)
        prices = [
            (month.month, _price(premium, report.year, month.month, programmes))
            for month in report.schedule
        ]
        for harga, stretch in groupby(prices, key=lambda item: item[1]):
            months = [month for month, _ in stretch]
            spesifikasi = (
                f"Spesifikasi: iuran {' dan '.join(programmes)} peserta bukan penerima upah "
                f"(pekerja rentan), {thousands(people)} orang x {len(months)} bulan "
                f"({_span(months, report.year)}), upah dilaporkan "
                f"{rupiah(premium.declared_income)}"
            )
            lines.append(BudgetLine(account.rekening, account.uraian, spesifikasi,
                                    people * len(months), budget.satuan, harga,
                                    budget.sumber_dana))  # fmt: skip
    return lines


def lines_total(lines: list[BudgetLine]) -> int:
    return sum(line.total for line in lines)


def total_differs(lines: list[BudgetLine], report: ReportResult) -> str | None:
    """A sentence when the lines do not sum to the report's total (a percentage rate whose
    programmes round apart), else None."""
    total = lines_total(lines)
    if total == report.total:
        return None
    return (
        f"The budget lines sum to {rupiah(total)}, the report's total is {rupiah(report.total)}: "
        "the premium's programmes round apart; put them on one line ([[budget.lines]])."
    )


def _price(premium: Premium, year: int, month: int, programmes: tuple[str, ...]) -> int:
    rate = rate_on(premium.rates, date(year, month, 1))
    return monthly_premium(rate, premium.declared_income, programmes)


def _span(months: list[int], year: int) -> str:
    first, last = MONTH_NAMES[months[0] - 1], MONTH_NAMES[months[-1] - 1]
    return f"{first} {year}" if len(months) == 1 else f"{first} - {last} {year}"


def _check_programmes(premium: Premium, budget: BudgetTable) -> None:
    paid = [p.upper() for line in budget.lines for p in line.programmes]
    missing = sorted(set(premium.programmes) - set(paid))
    twice = sorted({p for p in paid if paid.count(p) > 1})
    extra = sorted(set(paid) - set(premium.programmes))
    if missing or twice or extra:
        problems = [
            f"no line pays {', '.join(missing)}" if missing else "",
            f"{', '.join(twice)} on more than one line" if twice else "",
            f"{', '.join(extra)} is not a premium programme" if extra else "",
        ]
        raise ConfigError(
            f"budget.lines: {'; '.join(p for p in problems if p)}.",
            hint="Each of premium.programmes on exactly one [[budget.lines]].",
        )
