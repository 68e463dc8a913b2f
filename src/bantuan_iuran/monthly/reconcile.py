"""A month's bill against the register: who was billed as they should be, who was billed
though not decreed, not yet covered, after death, after leaving, twice, or at another price,
and who is covered but was not billed; the amount to pay (every rightful line at the right
price) and what is disputed. Pure: frames in, frames out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from bantuan_iuran.monthly.bill import Bill

MATCHED, WRONG_AMOUNT, DUPLICATE = "MATCHED", "WRONG_AMOUNT", "DUPLICATE"
NOT_DECREED, NOT_COVERED, AFTER_DEATH, AFTER_LEAVING = (
    "NOT_DECREED", "NOT_COVERED", "AFTER_DEATH", "AFTER_LEAVING")  # fmt: skip
NOT_BILLED = "NOT_BILLED"
# What each finding means, for the office, the branch and the inspectorate.
FINDINGS = {
    MATCHED: "Sesuai: terdaftar, ditagih sekali dengan tarif yang benar.",
    WRONG_AMOUNT: "Ditagih dengan nominal yang tidak sesuai tarif bulan ini.",
    DUPLICATE: "Ditagih lebih dari sekali pada bulan yang sama.",
    NOT_DECREED: "Tidak ada dalam daftar yang ditetapkan dan diserahkan kabupaten.",
    NOT_COVERED: "Belum terdaftar, atau kepesertaannya belum mulai pada bulan ini.",
    AFTER_DEATH: "Ditagih untuk bulan sesudah bulan meninggal.",
    AFTER_LEAVING: "Ditagih untuk bulan sesudah keluar dari program.",
    NOT_BILLED: "Terdaftar dan dalam masa kepesertaan, tetapi tidak ditagih.",
}
PAYABLE = (MATCHED, WRONG_AMOUNT)  # paid at the right price; the rest is disputed
LINE_COLUMNS = ["nik", "name", "kpj", "finding", "billed", "due", "sheet", "row", "detail"]


@dataclass(frozen=True)
class Reconciliation:
    month: tuple[int, int]
    lines: pd.DataFrame  # LINE_COLUMNS, a line per bill line and per person not billed
    billed: int  # the bill's sum of its lines (or its stated amount)
    to_pay: int
    stated: tuple[int | None, int | None]  # the head count and amount the bill states
    expected: int | None = None  # for a bill of totals only: what the covered members cost

    @property
    def disputed(self) -> int:
        return self.billed - self.to_pay

    def count(self, finding: str) -> int:
        return int((self.lines["finding"] == finding).sum())


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def covered_people(register: pd.DataFrame, year: int, month: int) -> pd.DataFrame:
    """Who the branch should bill for the month: registered, cover started by the month's
    end, not left before the month (a death's own month is still due)."""
    this = month_index(year, month)
    starts = register["cover_start"].map(lambda d: month_of(d) if d else None)
    left = register["left_on"].map(lambda d: month_of(d) if d else None)
    registered = register["state"].isin(["registered", "left"]) & starts.notna()
    begun = starts.fillna(10**9) <= this
    staying = left.isna() | (left.fillna(0) >= this)
    return register[registered & begun & staying]


def month_of(iso: str) -> int:
    day = date.fromisoformat(iso[:10])
    return month_index(day.year, day.month)


def reconcile(
    bill: Bill, register: pd.DataFrame, prices: dict[str, int], year: int, month: int
) -> Reconciliation:
    """`register`: per NIK its state, cover_start, left_on (ISO) and left_reason; `prices`:
    the rupiah a person-month per programme."""
    due = sum(prices.values())
    this = month_index(year, month)
    known = {person["nik"]: person for person in register.to_dict("records")}
    covered = set(covered_people(register, year, month)["nik"])
    if not bill.lines:
        return _by_totals(bill, len(covered) * due, (year, month))
    seen: set[str] = set()
    rows = []
    for line in bill.lines:
        finding, detail = _finding(line, known, covered, seen, prices, this)
        seen.add(line.nik)
        rows.append({"nik": line.nik, "name": line.name, "kpj": line.kpj, "finding": finding,
                     "billed": line.total, "due": due if finding in PAYABLE else 0,
                     "sheet": line.sheet, "row": line.row, "detail": detail})  # fmt: skip
    for nik in sorted(covered - seen):
        person = known[nik]
        rows.append({"nik": nik, "name": person["name"], "kpj": person["kpj"],
                     "finding": NOT_BILLED, "billed": 0, "due": 0, "sheet": "", "row": 0,
                     "detail": f"kepesertaan mulai {person['cover_start']}"})  # fmt: skip
    lines = pd.DataFrame(rows, columns=LINE_COLUMNS)
    billed = int(lines["billed"].sum()) if bill.lines else (bill.amount or 0)
    return Reconciliation((year, month), lines, billed, int(lines["due"].sum()),
                          (bill.people, bill.amount))  # fmt: skip


def _by_totals(bill: Bill, expected: int, month: tuple[int, int]) -> Reconciliation:
    """A bill of totals only: what it states against what the covered members cost; no more
    is paid than either."""
    stated = bill.amount or 0
    lines = pd.DataFrame(columns=LINE_COLUMNS)
    return Reconciliation(month, lines, stated, min(stated, expected), (bill.people, bill.amount),
                          expected)  # fmt: skip


def _finding(line, known: dict[str, dict], covered: set[str], seen: set[str], prices, this: int):
    if line.nik in seen:
        return DUPLICATE, "baris lain pada tagihan ini menagih NIK yang sama"
    if line.nik not in known:
        return NOT_DECREED, ""
    person = known[line.nik]
    if person["left_on"] and month_of(person["left_on"]) < this:
        reason = person["left_reason"]
        finding = AFTER_DEATH if reason == "DECEASED" else AFTER_LEAVING
        return finding, f"{reason} {person['left_on']}"
    if line.nik not in covered:
        start = person["cover_start"] or "-"
        return NOT_COVERED, f"status {person['state']}, kepesertaan mulai {start}"
    wrong = {
        p: line.amounts[p] for p in prices if p in line.amounts and line.amounts[p] != prices[p]
    }
    if wrong or line.total != sum(prices.values()):
        shown = ", ".join(f"{p} {v}" for p, v in wrong.items()) or f"jumlah {line.total}"
        return WRONG_AMOUNT, f"{shown}; tarif {', '.join(f'{p} {v}' for p, v in prices.items())}"
    return MATCHED, ""
