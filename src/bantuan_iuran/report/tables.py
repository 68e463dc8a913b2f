"""Report: the eligible list, its premium cost for the year, the fit to a budget, and the tables
behind the decree attachment and the summary. Pure: frames in, frames out."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from bantuan_iuran.config import Settings
from bantuan_iuran.errors import InputError
from bantuan_iuran.reasons import INELIGIBLE, REASONS, STATUSES
from bantuan_iuran.report.costs import MonthCost, premium_schedule, yearly_premium
from bantuan_iuran.report.selection import people_within, priority_order

__all__ = ["ReportResult", "run_report"]

PERSON_COLUMNS = [
    "nik", "name", "birth_place", "birth_date", "sex", "address", "rt", "rw",
    "kode_desa", "desa", "kecamatan",
]  # fmt: skip


@dataclass
class ReportResult:
    year: int
    schedule: list[MonthCost]
    selected: pd.DataFrame  # the people paid for: the decree list
    waiting: pd.DataFrame  # eligible people the budget does not reach, in priority order
    villages: pd.DataFrame  # one row per desa: proposed, statuses, reasons, people, premium
    budget: int | None
    has_previous: bool

    @property
    def months(self) -> int:
        return len(self.schedule)

    @property
    def per_person(self) -> int:
        return yearly_premium(self.schedule)

    @property
    def total(self) -> int:
        return int(self.selected["premium_total"].sum())

    @property
    def eligible_count(self) -> int:
        return len(self.selected) + len(self.waiting)

    @property
    def flat_monthly(self) -> int | None:
        """The monthly premium when it is the same every month (the usual case)."""
        rates = {m.premium for m in self.schedule}
        return rates.pop() if len(rates) == 1 else None


def run_report(
    validated: pd.DataFrame,
    settings: Settings,
    year: int,
    months: int | None = None,
    start_month: int | None = None,
    budget: int | None = None,
    previous_niks: set[str] | None = None,
) -> ReportResult:
    premium = settings.premium
    schedule = premium_schedule(
        premium,
        year,
        months if months is not None else premium.months,
        start_month if start_month is not None else premium.start_month,
    )
    people = eligible_people(validated, previous_niks or set())
    ordered = priority_order(people)
    count = people_within(budget, yearly_premium(schedule), len(ordered))
    priced = _priced(ordered, schedule)
    selected = priced.iloc[:count].sort_values(["kecamatan", "desa", "row_id"])
    waiting = priced.iloc[count:]
    return ReportResult(
        year=year,
        schedule=schedule,
        selected=selected.reset_index(drop=True),
        waiting=waiting.reset_index(drop=True),
        villages=village_summary(validated, selected, waiting if budget is not None else None),
        budget=budget,
        has_previous=previous_niks is not None,
    )


def eligible_people(validated: pd.DataFrame, previous_niks: set[str]) -> pd.DataFrame:
    """The rows validated eligible: one per person (validation already marked the others
    DUPLICATE; a second one here would be a bug, so it is refused, not hidden)."""
    eligible = validated[validated["status"] == "eligible"]
    repeated = eligible["nik"].duplicated()
    if repeated.any():
        raise InputError(
            f"{int(repeated.sum())} eligible rows repeat a NIK: validated.parquet is not from "
            "this version of `bantuan validate`.",
            hint="Run `bantuan validate` again.",
        )
    columns = [*PERSON_COLUMNS, "row_id", "source_file", "source_sheet", "source_row"]
    # The decree names people as the registry does ("SITI AMINAH", not "Hj. Siti Aminah, S.Pd"),
    # born on the registry's date: validation has confirmed that the two are the same person.
    official = eligible["registry_name"].where(eligible["registry_name"] != "", eligible["name"])
    born = eligible["registry_birth_date"].where(
        eligible["registry_birth_date"] != "", eligible["birth_date"]
    )
    return eligible[columns].assign(
        name=official,
        birth_date=born,
        name_sent=eligible["name"],
        continuing=eligible["nik"].isin(previous_niks),
    )


def _priced(people: pd.DataFrame, schedule: list[MonthCost]) -> pd.DataFrame:
    return people.assign(
        months=len(schedule),
        premium_monthly=schedule[0].premium if schedule else 0,
        premium_total=yearly_premium(schedule),
    )


def village_summary(
    validated: pd.DataFrame, selected: pd.DataFrame, waiting: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per kecamatan and desa: rows proposed, per status, ineligible per reason, people paid
    for and their premium; with a budget, the people on the `waiting` list."""
    keys = ["kecamatan", "desa", "kode_desa"]
    rows = validated.assign(
        kecamatan=validated["kecamatan"].replace("", "(tidak dikenali)"),
        desa=validated["desa"].replace("", "(tidak dikenali)"),
    )
    counts = pd.crosstab([rows[k] for k in keys], rows["status"]).reindex(
        columns=list(STATUSES), fill_value=0
    )
    counts.insert(0, "proposed", counts.sum(axis=1))
    # A row may carry several codes: one line per (row, code), renumbered so labels stay unique.
    codes = rows[keys].assign(code=rows["reasons"].str.split(";")).explode("code")
    codes = codes.reset_index(drop=True)
    ineligible_codes = [c for c, r in REASONS.items() if r.status == INELIGIBLE]
    by_reason = pd.crosstab([codes[k] for k in keys], codes["code"]).reindex(
        columns=ineligible_codes, fill_value=0
    )
    paid = selected.groupby(keys).agg(people=("nik", "size"), premium=("premium_total", "sum"))
    table = counts.join(by_reason, how="left").join(paid, how="left")
    if waiting is not None:
        table = table.join(waiting.groupby(keys).size().rename("waiting"), how="left")
    table = table.fillna(0)
    return table.astype("int64").reset_index().sort_values(keys).reset_index(drop=True)
