"""During the year: the month's bill reconciled with the register (`bantuan month`), a payment
recorded (`bantuan paid`), and the people who leave (`bantuan changes`), each recorded in the
ledger; the register, the payments' calendar and the refunds due kept current."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from bantuan_iuran.atomic import ensure_private_dir
from bantuan_iuran.config import Settings
from bantuan_iuran.errors import InputError
from bantuan_iuran.handover.register import LEFT, REGISTERED, person_states
from bantuan_iuran.ingest.cells import UnreadableFile, read_sheets
from bantuan_iuran.ledger import Ledger, Payment, RegisterEvent, ledger_stage
from bantuan_iuran.manifest import now, sha256_of
from bantuan_iuran.monthly.bill import read_bill
from bantuan_iuran.monthly.changes import DECEASED, Leaver, from_registry, from_reports
from bantuan_iuran.monthly.payments import PaymentState, month_text, payment_state, refunds_due
from bantuan_iuran.monthly.reconcile import Reconciliation, reconcile
from bantuan_iuran.monthly.workbook import month_words, write_reconciliation
from bantuan_iuran.report.costs import monthly_premium, rate_on
from bantuan_iuran.schemas import DecreedRows
from bantuan_iuran.stages.common import DECREED, StageOutcome, start_stage
from bantuan_iuran.stages.handover import REGISTER_CSV
from bantuan_iuran.workdir import read_table, write_csv, write_parquet

MONTHLY = "bulanan"  # bulanan/<YYYY-MM>/: the month's bill reconciled


@dataclass
class MonthOutcome(StageOutcome):
    result: Reconciliation | None = None
    payments: PaymentState | None = None
    refunds: pd.DataFrame = field(default_factory=pd.DataFrame)
    left: list[Leaver] = field(default_factory=list)  # deaths found in a newer extract
    folder: Path | None = None
    files: list[Path] = field(default_factory=list)  # the claim papers of those deaths
    unread: list[str] = field(default_factory=list)  # bill lines with no readable NIK


def month_stage(
    workdir: Path,
    bill_path: Path,
    year: int,
    month: int,
    settings: Settings,
    dukcapil: Path | None = None,
    today: date | None = None,
) -> MonthOutcome:
    """Reconciles the branch's bill for the month: writes bulanan/<YYYY-MM>/, records the
    amount to pay, and any deaths a newer registry extract shows."""
    today = today or date.today()
    decreed = read_table(workdir / DECREED, "report", DecreedRows)
    outcome = MonthOutcome()
    record = start_stage(workdir, "month", settings, writes_in=[MONTHLY])
    record.read(bill_path)
    bill = _read(bill_path, settings)
    if bill.months and (year, month) not in bill.months:
        named = ", ".join(month_words(y, m) for y, m in sorted(bill.months))
        raise InputError(
            f"{bill_path.name} is a bill for {named}, not for {month_words(year, month)}.",
            hint="Give the month the bill is for with --month, or the bill for that month.",
        )
    if not bill.months:
        outcome.warnings.append(f"{bill_path.name} does not say which month it bills.")
    outcome.unread = bill.unread
    outcome.warnings += [f"{bill_path.name}: {line}: not checked, ask the branch for it"
                         for line in bill.unread]  # fmt: skip
    label, digest = month_text(year, month), sha256_of(bill_path)
    folder = ensure_private_dir(workdir / MONTHLY / label)
    with ledger_stage(workdir) as ledger:
        if dukcapil is not None:
            record.read(dukcapil)
            outcome.left = _deaths(ledger, decreed, dukcapil, settings, today)
        register = person_states(decreed, ledger.register())
        outcome.result = reconcile(bill, register, _prices(settings, year, month), year, month)
        lines = outcome.result.lines.assign(month=label)
        write_parquet(lines, folder / "tagihan.parquet")
        ledger.record_payment(Payment(label, "billed", outcome.result.to_pay, today.isoformat(),
                                      bill_path.name, digest))  # fmt: skip
        outcome.payments, paid = _calendar(ledger, register, settings, today, year)
        deaths = _deaths_by_nik(register)
        billed = _all_bill_lines(workdir)
        outcome.refunds = refunds_due(billed, deaths, paid)
        months = paid_months_by_person(billed, paid)
    if outcome.left:  # deaths just learnt: the claim's papers, as `bantuan changes` writes them
        from bantuan_iuran.monthly.exits import write_exit_papers

        papers = ensure_private_dir(workdir / MONTHLY / f"keluar_{today.isoformat()}")
        outcome.files = write_exit_papers(outcome.left, register, decreed, months, settings,
                                          papers)  # fmt: skip
    notes = [f"Tagihan: {bill_path.name} (SHA-256 {digest[:16]})."]
    if bill.unread:
        notes.append(f"PERHATIAN: {len(bill.unread)} baris tagihan tanpa NIK yang terbaca tidak "
                     "diperiksa (lihat keterangan pada layar / log).")  # fmt: skip
    if outcome.payments.peringatan:
        notes.append(f"PERHATIAN: {outcome.payments.peringatan}")
    target = folder / f"rekonsiliasi_{label}.xlsx"
    write_reconciliation(outcome.result, outcome.refunds, notes, target)
    write_csv(outcome.result.lines, folder / f"rekonsiliasi_{label}.csv")
    write_csv(outcome.refunds, workdir / MONTHLY / "pengembalian.csv")
    write_csv(register, workdir / REGISTER_CSV)
    for path in (target, folder / f"rekonsiliasi_{label}.csv", workdir / REGISTER_CSV,
                 *outcome.files):  # fmt: skip
        record.wrote(path, workdir)
    record.rows = {"bill_lines": len(bill.lines), "to_pay": outcome.result.to_pay}
    record.finish(workdir)
    outcome.folder = folder
    return outcome


def paid_stage(workdir: Path, year: int, month: int, on: date, amount: int | None) -> int:
    """Records that the month's premiums were paid on `on`; the amount the reconciliation
    found to pay unless another is given. Returns the amount recorded."""
    label = month_text(year, month)
    with ledger_stage(workdir) as ledger:
        billed = [p for p in ledger.payments() if p.month == label and p.event == "billed"]
        if amount is None and not billed:
            raise InputError(
                f"No bill for {label} was reconciled: the amount paid is not known.",
                hint="Run `bantuan month` with the bill first, or give --amount.",
            )
        paid = amount if amount is not None else billed[-1].amount
        ledger.record_payment(Payment(label, "paid", paid, on.isoformat(), "", ""))
    return paid


@dataclass
class ChangesOutcome(StageOutcome):
    leavers: list[Leaver] = field(default_factory=list)  # newly recorded
    unread: list[str] = field(default_factory=list)  # report rows saying nothing known
    files: list[Path] = field(default_factory=list)


def changes_stage(
    workdir: Path,
    settings: Settings,
    dukcapil: Path | None = None,
    reports: list[Path] = (),
    today: date | None = None,
) -> ChangesOutcome:
    """People who leave, from a newer registry extract and reports, recorded once each: the
    deaths listed for the claim, the others on the branch's deactivation sheet."""
    from bantuan_iuran.monthly.exits import write_exit_papers

    today = today or date.today()
    decreed = read_table(workdir / DECREED, "report", DecreedRows)
    outcome = ChangesOutcome()
    record = start_stage(workdir, "changes", settings, writes_in=[MONTHLY])
    found: list[Leaver] = []
    for path in reports:
        record.read(path)
        try:
            leavers, unread = from_reports(read_sheets(path), path.name)
        except UnreadableFile as exc:
            raise InputError(f"{path.name} cannot be read: {exc}") from exc
        found += leavers
        outcome.unread += unread
    with ledger_stage(workdir) as ledger:
        register = person_states(decreed, ledger.register())
        if dukcapil is not None:
            record.read(dukcapil)
            found += _registry_leavers(register, dukcapil, settings, today)
        outcome.leavers = _record_leavers(ledger, register, found, today)
        register = person_states(decreed, ledger.register())
        paid = {p.month for p in ledger.payments() if p.event == "paid"}
        months = paid_months_by_person(_all_bill_lines(workdir), paid)
    if outcome.leavers:
        folder = ensure_private_dir(workdir / MONTHLY / f"keluar_{today.isoformat()}")
        outcome.files = write_exit_papers(outcome.leavers, register, decreed, months, settings,
                                          folder)  # fmt: skip
    write_csv(register, workdir / REGISTER_CSV)
    for path in [*outcome.files, workdir / REGISTER_CSV]:
        record.wrote(path, workdir)
    record.rows = {"left": len(outcome.leavers)}
    record.finish(workdir)
    return outcome


def _read(path: Path, settings: Settings):
    try:
        return read_bill(read_sheets(path), path.name, settings.premium.programmes)
    except UnreadableFile as exc:
        raise InputError(f"The bill {path.name} cannot be read: {exc}") from exc


def _prices(settings: Settings, year: int, month: int) -> dict[str, int]:
    rate = rate_on(settings.premium.rates, date(year, month, 1))
    income = settings.premium.declared_income
    return {p: monthly_premium(rate, income, (p,)) for p in settings.premium.programmes}


def _registry_leavers(
    register: pd.DataFrame, dukcapil: Path, settings: Settings, today: date
) -> list[Leaver]:
    from bantuan_iuran.registry import RegistryExtract, RegistryKeys

    members = register[register["state"] == REGISTERED]
    extract = RegistryExtract(dukcapil, settings)
    rows = extract.rows(RegistryKeys(niks=frozenset(members["nik"])))
    return from_registry(members, rows, settings.programme.regency_code, dukcapil.name, today)


def _deaths(ledger: Ledger, decreed, dukcapil: Path, settings: Settings, today: date):
    """Deaths a newer extract shows among the members, recorded (so the bill is read
    against them); moves are left to `bantuan changes`, which writes their papers."""
    register = person_states(decreed, ledger.register())
    found = [x for x in _registry_leavers(register, dukcapil, settings, today)
             if x.reason == DECEASED]  # fmt: skip
    return _record_leavers(ledger, register, found, today)


def _record_leavers(
    ledger: Ledger, register: pd.DataFrame, found: list[Leaver], today: date
) -> list[Leaver]:
    """Each member leaves once, by the first report of it; returns those new this run."""
    current = register.set_index("nik")["state"]
    stamp, fresh, seen = now(), [], set()
    for leaver in found:
        if leaver.nik in seen or current.get(leaver.nik) not in (REGISTERED, "handed_over"):
            continue
        seen.add(leaver.nik)
        event = RegisterEvent(leaver.nik, LEFT, leaver.reason, leaver.on or today.isoformat(),
                              leaver.source, "", 0, "", stamp, 0)  # fmt: skip
        if ledger.record_register([event]):
            fresh.append(leaver)
    return fresh


def _calendar(ledger: Ledger, register: pd.DataFrame, settings: Settings, today: date, year):
    starts = [s[:7] for s in register["cover_start"] if s]
    paid = {p.month for p in ledger.payments() if p.event == "paid"}
    first = min(starts) if starts else month_text(year, settings.premium.start_month)
    last = month_text(year, settings.premium.start_month + settings.premium.months - 1)
    claims = settings.claims
    state = payment_state(first, paid, today, claims.due_day, claims.max_unpaid_months, last)
    return state, paid


def _deaths_by_nik(register: pd.DataFrame) -> dict[str, str]:
    dead = register[register["left_reason"] == DECEASED]
    return dict(zip(dead["nik"], dead["left_on"], strict=True))


def _all_bill_lines(workdir: Path) -> pd.DataFrame:
    parts = [pd.read_parquet(p) for p in sorted((workdir / MONTHLY).glob("*/tagihan.parquet"))]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def paid_months_by_person(lines: pd.DataFrame, paid: set[str]) -> dict[str, int]:
    """Months of contributions per member: billed rightly and paid."""
    from bantuan_iuran.monthly.reconcile import PAYABLE

    if lines.empty:
        return {}
    counted = lines[lines["finding"].isin(PAYABLE) & lines["month"].isin(paid)]
    return counted.groupby("nik")["month"].nunique().to_dict()


def year_stage(workdir: Path, settings: Settings, allocation: int | None):
    """The year at a glance, rewritten from everything recorded: bulanan/rekap_<year>.xlsx."""
    from bantuan_iuran.ledger import reading_ledger
    from bantuan_iuran.monthly.workbook import write_year
    from bantuan_iuran.monthly.year import year_tables

    decreed = read_table(workdir / DECREED, "report", DecreedRows)
    year = int(decreed["year"].iloc[0])
    with reading_ledger(workdir) as ledger:
        events = ledger.register() if ledger else []
        payments = ledger.payments() if ledger else []
    tables = year_tables(decreed, person_states(decreed, events), _all_bill_lines(workdir),
                         payments, allocation)  # fmt: skip
    folder = ensure_private_dir(workdir / MONTHLY)
    path = folder / f"rekap_{year}.xlsx"
    write_year(tables, year, allocation, path)
    write_csv(tables.months, folder / f"rekap_bulanan_{year}.csv")
    return tables, path
