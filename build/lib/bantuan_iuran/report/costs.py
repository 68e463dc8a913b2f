"""Premium costs in whole rupiah (integers, never floats), month by month.

A rate change mid-year is costed month by month: each month pays the rate in force on its
first day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from bantuan_iuran.config import Premium, Rate
from bantuan_iuran.errors import ConfigError


@dataclass(frozen=True)
class MonthCost:
    month: int
    premium: int  # rupiah per person


def rate_on(rates: tuple[Rate, ...], day: date) -> Rate:
    in_force = [r for r in rates if r.effective <= day]
    if not in_force:
        raise ConfigError(f"No premium rate is in force on {day.isoformat()}.")
    return in_force[-1]


def monthly_premium(rate: Rate, declared_income: int, programmes: tuple[str, ...]) -> int:
    """Rp a person a month: JKK 1% of Rp 1.000.000 + JKM Rp 6.800 = Rp 16.800."""
    total = Decimal(0)
    for programme in programmes:
        if programme in rate.percent:
            total += Decimal(declared_income) * rate.percent[programme] / 100
        elif programme in rate.monthly:
            total += rate.monthly[programme]
        else:
            raise ConfigError(f"The rate from {rate.effective} has no {programme} premium.")
    return int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def premium_schedule(premium: Premium, year: int, months: int, start_month: int) -> list[MonthCost]:
    """The premium of each paid month of the year."""
    if not 1 <= start_month <= 12 or not 1 <= months <= 13 - start_month:
        raise ConfigError(f"{months} months from month {start_month} do not fit in {year}.")
    return [
        MonthCost(
            month,
            monthly_premium(
                rate_on(premium.rates, date(year, month, 1)),
                premium.declared_income,
                premium.programmes,
            ),
        )
        for month in range(start_month, start_month + months)
    ]


def yearly_premium(schedule: list[MonthCost]) -> int:
    return sum(m.premium for m in schedule)
