"""The payments' calendar and what is owed back: a member's premium for month m is due by the
`due_day` of m; with `max_unpaid` months unpaid in a row the branch deactivates the collective
(a later payment counts as a new participation), so the office is warned, with the date,
before that happens; months paid after a member's death are refunded. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from bantuan_iuran.monthly.reconcile import PAYABLE


def month_text(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def months_between(first: str, last: str) -> list[str]:
    """'2027-11', '2028-02' -> ['2027-11', '2027-12', '2028-01', '2028-02']."""
    year, month = (int(part) for part in first.split("-"))
    found = []
    while month_text(year, month) <= last:
        found.append(month_text(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def due_date(month: str, due_day: int) -> date:
    year, number = (int(part) for part in month.split("-"))
    return date(year, number, due_day)


@dataclass(frozen=True)
class PaymentState:
    unpaid: list[str]  # the months in a row, up to today, whose due day passed unpaid
    next_due: str  # the first month not paid whose due day is still ahead ('' if none)
    warning: str  # '' when all is well
    peringatan: str  # the same, for the office's papers


def payment_state(
    first: str, paid: set[str], today: date, due_day: int, max_unpaid: int, last: str
) -> PaymentState:
    """From the first month covered to `last` (the programme's last month): the unpaid months
    in a row whose due day has passed, and the warning before the one that deactivates."""
    months = months_between(first, last)
    passed = [m for m in months if due_date(m, due_day) < today]
    streak: list[str] = []
    for month in passed:
        streak = [] if month in paid else [*streak, month]
    ahead = [m for m in months if m not in paid and due_date(m, due_day) >= today]
    next_due = ahead[0] if ahead else ""
    months = ", ".join(streak)
    if len(streak) >= max_unpaid:
        warning = (
            f"{len(streak)} months in a row unpaid ({months}): the branch deactivates the "
            "collective; a payment now counts as a new participation unless head office "
            "approves a correction"
        )
        peringatan = (
            f"{len(streak)} bulan berturut-turut belum dibayar ({months}): kepesertaan kolektif "
            "dinonaktifkan; pembayaran sekarang dihitung sebagai kepesertaan baru kecuali "
            "kantor pusat menyetujui koreksi."
        )
    elif streak and len(streak) == max_unpaid - 1 and next_due:
        day = f"{due_date(next_due, due_day):%d-%m-%Y}"
        warning = (
            f"{months} unpaid: pay {next_due} by {day}, or {max_unpaid} months in a row will be "
            "unpaid and the branch deactivates the collective"
        )
        peringatan = (
            f"{months} belum dibayar: bayar iuran {next_due} paling lambat {day}; bila tidak, "
            f"{max_unpaid} bulan berturut-turut belum dibayar dan kepesertaan kolektif "
            "dinonaktifkan."
        )
    else:
        warning = peringatan = ""
    return PaymentState(streak, next_due, warning, peringatan)


def refunds_due(billed: pd.DataFrame, deaths: dict[str, str], paid: set[str]) -> pd.DataFrame:
    """The months paid for members after the month they died: what the branch owes back.
    `billed`: every reconciled bill line with its `month`."""
    columns = ["nik", "name", "died_on", "month", "amount"]
    if billed.empty or not deaths:
        return pd.DataFrame(columns=columns)
    lines = billed[billed["finding"].isin(PAYABLE) & billed["nik"].isin(deaths)]
    died = lines["nik"].map(lambda nik: deaths[nik][:7])
    owed = lines[(lines["month"] > died) & lines["month"].isin(paid)]
    return owed.assign(died_on=owed["nik"].map(deaths), amount=owed["due"])[columns].sort_values(
        ["nik", "month"], ignore_index=True
    )
