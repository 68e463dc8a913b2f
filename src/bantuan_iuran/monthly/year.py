"""The year at a glance, from the decree, the register, the months' reconciled bills and the
payments: per person the months decreed, billed rightly and paid, and the state; per month the
heads and amounts billed, due and paid, and the difference; per semester the budget realised
against the allocation (what the DBHCHT report needs). Pure; every figure the sum of months."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from bantuan_iuran.ledger import Payment
from bantuan_iuran.monthly.reconcile import PAYABLE


@dataclass(frozen=True)
class YearTables:
    people: pd.DataFrame
    months: pd.DataFrame
    semesters: pd.DataFrame


def year_tables(
    decreed: pd.DataFrame,
    register: pd.DataFrame,
    lines: pd.DataFrame,
    payments: list[Payment],
    allocation: int | None,
) -> YearTables:
    """`lines`: every reconciled bill line with its `month`."""
    paid = {p.month: p for p in payments if p.event == "paid"}
    billed = {p.month: p for p in payments if p.event == "billed"}
    rightful = lines[lines["finding"].isin(PAYABLE)] if len(lines) else lines
    per_person = register[["nik", "name", "kecamatan", "desa", "state", "left_reason",
                           "left_on"]].copy()  # fmt: skip
    per_person["months_decreed"] = (
        per_person["nik"]
        .map(dict(zip(decreed["nik"], decreed["months"], strict=True)))
        .fillna(0)
        .astype(int)
    )
    counts = rightful.groupby("nik")["month"].nunique() if len(rightful) else pd.Series()
    paid_lines = rightful[rightful["month"].isin(paid)] if len(rightful) else rightful
    paid_counts = paid_lines.groupby("nik")["month"].nunique() if len(paid_lines) else pd.Series()
    per_person["months_billed"] = per_person["nik"].map(counts).fillna(0).astype(int)
    per_person["months_paid"] = per_person["nik"].map(paid_counts).fillna(0).astype(int)
    months = []
    for month in sorted(billed):
        part = lines[lines["month"] == month] if len(lines) else lines
        billed_heads = int((part["billed"] > 0).sum()) if len(part) else 0
        billed_amount = int(part["billed"].sum()) if len(part) else 0
        due = billed[month].amount
        made = paid.get(month)
        months.append({"month": month, "heads_billed": billed_heads, "billed": billed_amount,
                       "due": due, "difference": billed_amount - due,
                       "paid": made.amount if made else 0,
                       "paid_on": made.on_date if made else ""})  # fmt: skip
    per_month = pd.DataFrame(months, columns=["month", "heads_billed", "billed", "due",
                                              "difference", "paid", "paid_on"])  # fmt: skip
    return YearTables(per_person, per_month, _semesters(per_month, allocation))


def _semesters(per_month: pd.DataFrame, allocation: int | None) -> pd.DataFrame:
    half = per_month["month"].str[5:7].astype(int).map(lambda m: "I" if m <= 6 else "II")
    rows = []
    for semester in ("I", "II"):
        part = per_month[half == semester]
        rows.append({"semester": semester, "due": int(part["due"].sum()),
                     "paid": int(part["paid"].sum())})  # fmt: skip
    table = pd.DataFrame(rows, columns=["semester", "due", "paid"])
    total = {"semester": "JUMLAH", "due": int(table["due"].sum()), "paid": int(table["paid"].sum())}
    table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    share = (table["paid"] / allocation * 100).round(1) if allocation else pd.Series([None] * 3)
    # The allocation is the year's: shown on the year's row, each semester's share of it.
    return table.assign(allocation=[0, 0, allocation or 0], realised_percent=share)
