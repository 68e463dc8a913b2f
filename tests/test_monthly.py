"""During the year: the branch's monthly bills reconciled with the register over a played
year (every planted mismatch found, nothing else), refunds after a death, the warning before
a third unpaid month, leavers and their papers, and bills in layouts the generator never
writes."""

from __future__ import annotations

import shutil
from datetime import date

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from bantuan_iuran.cli import app
from bantuan_iuran.config import load_settings
from bantuan_iuran.errors import InputError
from bantuan_iuran.monthly.bill import money_value
from bantuan_iuran.monthly.payments import payment_state
from bantuan_iuran.stages.monthly import month_stage

runner = CliRunner()
SETTINGS = load_settings()
DAYS = {1: "2027-01-10", 2: "2027-02-10", 3: "2027-03-10", 4: "2027-04-20"}


def _bantuan(*args: str) -> int:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code


@pytest.fixture(scope="module")
def year(reported, batch, tmp_path_factory) -> dict:
    """The decree handed over, the branch's answer read, and the sample's year played month by
    month: January and February paid, the March extract and the village report read."""
    base = tmp_path_factory.mktemp("year")
    work = base / "work"
    shutil.copytree(reported[0], work)
    # A budget that leaves 50 people waiting: the replacements come from them.
    budget = (len(reported[1].selected) - 50) * 201_600
    _bantuan("report", "-w", work, "--year", "2027", "--budget", str(budget))
    _bantuan("handover", "-w", work, "--start", "2027-01")
    _bantuan("sample", base / "cabang", "--branch-to", work)
    _bantuan("branch-result", *sorted((base / "cabang").iterdir()), "-w", work)
    played = base / "tahun"
    _bantuan("sample", played, "--year-of", work, "--batch", batch)
    outcomes = {}
    for month in (1, 2, 3, 4):
        extract = played / "dukcapil_2027-03.parquet" if month == 3 else None
        outcomes[month] = month_stage(work, played / f"tagihan_2027-{month:02d}.xlsx", 2027,
                                      month, SETTINGS, extract,
                                      date.fromisoformat(DAYS[month]))  # fmt: skip
        if month in (1, 2):
            _bantuan("paid", "-m", f"2027-{month:02d}", "--on", f"2027-{month:02d}-13", "-w", work)
        if month == 3:
            _bantuan("changes", played / "laporan_desa_maret.xlsx", "-d", extract, "-w", work,
                     "--today", "2027-03-20")  # fmt: skip
    truth = pd.read_csv(played / "truth_year.csv", dtype=str)
    return {"work": work, "played": played, "outcomes": outcomes, "truth": truth,
            "budget": budget}  # fmt: skip


def test_every_planted_mismatch_is_found_and_nothing_else(year) -> None:
    for month, outcome in year["outcomes"].items():
        lines = outcome.result.lines
        found = sorted(zip(lines["nik"], lines["finding"], strict=True))
        found = [(nik, f) for nik, f in found if f != "MATCHED"]
        truth = year["truth"][year["truth"]["month"] == f"2027-{month:02d}"]
        assert found == sorted(zip(truth["nik"], truth["finding"], strict=True)), month


def test_the_amount_to_pay_is_every_rightful_line_at_the_rate(year) -> None:
    for outcome in year["outcomes"].values():
        result = outcome.result
        rightful = result.lines["finding"].isin(["MATCHED", "WRONG_AMOUNT"])
        assert result.to_pay == int(rightful.sum()) * 16_800
        assert result.billed - result.to_pay == result.disputed >= 0
    february = year["outcomes"][2].result
    assert february.disputed == 2_000  # JKK billed at 12.000 instead of 10.000


def test_a_month_paid_after_a_death_is_owed_back_and_the_claim_is_listed(year) -> None:
    dead = year["truth"].query("finding == 'AFTER_DEATH'")["nik"].iloc[0]
    refunds = year["outcomes"][4].refunds
    assert list(zip(refunds["nik"], refunds["month"], refunds["amount"], strict=True)) == [
        (dead, "2027-02", 16_800)]  # fmt: skip
    claims = next((year["work"] / "bulanan").glob("keluar_2027-03-10/klaim_kematian.xlsx"))
    rows = list(openpyxl.load_workbook(claims).active.iter_rows(min_row=6, values_only=True))
    assert [(r[0], r[4], r[6], r[7]) for r in rows] == [(dead, "20-01-2027", "2", "10.000.000")]


def test_the_office_is_warned_before_a_third_unpaid_month(year) -> None:
    assert year["outcomes"][3].payments.warning == ""
    warning = year["outcomes"][4].payments.warning
    assert "2027-03, 2027-04 unpaid" in warning and "pay 2027-05 by 15-05-2027" in warning


def test_other_exits_are_on_the_branchs_deactivation_sheet(year) -> None:
    sheet = openpyxl.load_workbook(
        next((year["work"] / "bulanan").glob("keluar_2027-03-20/data_tk_na.xlsx"))
    )["data_tk_na"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("KPJ", "NAMA", "TGL_LAHIR", "KODE_ALASAN", "TGL_KEJADIAN", "KETERANGAN")
    assert sorted(r[3] for r in rows[1:]) == ["1", "2", "3"]  # withdrew, moved, new job
    assert {c.data_type for row in sheet.iter_rows(min_row=2) for c in row} == {"s"}
    leaving = year["truth"].query("finding == 'AFTER_LEAVING'")["nik"]
    register = pd.read_csv(year["work"] / "register.csv", dtype=str, keep_default_na=False)
    left = register[register["state"] == "left"]
    assert set(left["nik"]) == {
        *leaving,
        year["truth"].query("finding == 'AFTER_DEATH'")["nik"].iloc[0],
    }


def test_a_years_figures_are_the_sum_of_its_months(year) -> None:
    import sqlite3

    with sqlite3.connect(year["work"] / "ledger.sqlite") as db:
        billed = dict(db.execute("SELECT month, amount FROM payments WHERE event = 'billed'"))
        paid = dict(db.execute("SELECT month, amount FROM payments WHERE event = 'paid'"))
    assert billed == {f"2027-{m:02d}": o.result.to_pay for m, o in year["outcomes"].items()}
    assert paid == {"2027-01": billed["2027-01"], "2027-02": billed["2027-02"]}


@pytest.mark.parametrize(
    "streak,today,expected",
    [
        ([], "2027-03-20", ""),
        (["2027-02"], "2027-03-10", ""),
        (["2027-02", "2027-03"], "2027-03-20", "pay 2027-04 by 15-04-2027"),
        (["2027-01", "2027-02", "2027-03"], "2027-03-20", "3 months in a row unpaid"),
    ],
)
def test_the_payment_calendar(streak, today, expected) -> None:
    months = [f"2027-{m:02d}" for m in range(1, 13)]
    paid = {m for m in months if m <= today[:7] and m not in streak}
    state = payment_state("2027-01", paid, date.fromisoformat(today), 15, 3, "2027-12")
    assert state.unpaid == [m for m in streak if m < today[:7] or today[8:] > "15"]
    assert (expected in state.warning) if expected else state.warning == ""


def test_a_bill_of_totals_only_and_a_bill_for_another_month(year, tmp_path) -> None:
    work = tmp_path / "work"
    shutil.copytree(year["work"], work)
    totals = tmp_path / "rekap.xlsx"
    workbook = openpyxl.Workbook()
    for row in (["REKAPITULASI TAGIHAN IURAN BPU PEMDA - MEI 2027"], [],
                ["Jumlah Peserta", 2000], ["Total Tagihan", "Rp 33.600.000"]):  # fmt: skip
        workbook.active.append(row)
    workbook.save(totals)
    outcome = month_stage(work, totals, 2027, 5, SETTINGS, today=date(2027, 5, 10))
    result = outcome.result
    assert result.lines.empty and result.stated == (2000, 33_600_000)
    assert result.to_pay == result.expected < 33_600_000
    with pytest.raises(InputError, match="is a bill for Mei 2027, not for Juni 2027"):
        month_stage(work, totals, 2027, 6, SETTINGS, today=date(2027, 6, 10))


def test_a_bill_as_semicolon_text_without_a_title(year, tmp_path) -> None:
    work = tmp_path / "work"
    shutil.copytree(year["work"], work)
    register = pd.read_csv(work / "register.csv", dtype=str, keep_default_na=False)
    members = register[register["state"] == "registered"].head(3)
    path = tmp_path / "tagihan.csv"
    lines = ["NIK;NAMA;IURAN JKK;IURAN JKM"] + [f"{m.nik};{m.name};10.000;6.800"
                                              for m in members.itertuples()]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", "utf-8")
    outcome = month_stage(work, path, 2027, 5, SETTINGS, today=date(2027, 5, 10))
    lines = outcome.result.lines
    assert (lines.loc[lines["nik"].isin(members["nik"]), "finding"] == "MATCHED").all()
    assert (lines["finding"] == "NOT_BILLED").sum() == int(
        (register["state"] == "registered").sum()
    ) - 3
    assert any("does not say which month" in w for w in outcome.warnings)


def test_a_report_with_words_nobody_knows_is_named_and_exit_1(year, tmp_path) -> None:
    work = tmp_path / "work"
    shutil.copytree(year["work"], work)
    register = pd.read_csv(work / "register.csv", dtype=str, keep_default_na=False)
    member = register[register["state"] == "registered"].iloc[0]
    report = tmp_path / "laporan.csv"
    report.write_text(f"NIK,NAMA,KET\n{member['nik']},{member['name']},tanya pak kades\n")
    result = runner.invoke(app, ["changes", str(report), "-w", str(work)])
    assert result.exit_code == 1 and "laporan.csv" in result.output


@given(st.integers(min_value=0, max_value=10**13))
def test_an_amount_written_any_common_way_reads_back(amount: int) -> None:
    from bantuan_iuran.money import rupiah, thousands

    assert money_value(thousands(amount)) == amount == money_value(rupiah(amount))
    assert money_value(f"{amount:,}") == amount == money_value(f"{amount}.00")


@given(st.text(max_size=30) | st.from_regex(r"Rp ?[0-9.,²٣ ]{1,12}", fullmatch=True))
def test_reading_an_amount_never_crashes(text: str) -> None:
    assert money_value(text) >= 0


def test_the_people_who_left_are_replaced_from_the_waiting_list_within_the_budget_left(
    year, tmp_path
) -> None:
    from bantuan_iuran.stages.replace import replace_stage

    work = tmp_path / "work"
    shutil.copytree(year["work"], work)
    waiting = pd.read_parquet(work / "waiting.parquet")
    outcome = replace_stage(work, SETTINGS, year["budget"], date(2027, 5, 1), date(2027, 4, 20))
    budget = outcome.budget
    billed = sum(o.result.to_pay for o in year["outcomes"].values())
    register = pd.read_csv(work / "register.csv", dtype=str, keep_default_na=False)
    assert budget.spent == billed and budget.per_replacement == 8 * 16_800
    assert budget.left == year["budget"] - billed - budget.committed
    left = set(year["truth"].query("finding in ['AFTER_DEATH', 'AFTER_LEAVING']")["nik"])
    assert outcome.number == 1 and set(outcome.removed["nik"]) == left
    expected = min(len(left), budget.left // budget.per_replacement)
    assert list(outcome.added["nik"]) == list(waiting.sort_values("priority")["nik"][:expected])
    decreed = pd.read_parquet(work / "decreed.parquet").set_index("nik")
    assert (decreed.loc[outcome.added["nik"], "premium_total"] == 134_400).all()
    sheet = openpyxl.load_workbook(next((work / "serah_terima" / "2").glob("bagian_1/*.xlsx")))
    rows = list(sheet["data_tk_baru"].iter_rows(min_row=2, values_only=True))
    assert sorted(r[8] for r in rows) == sorted(outcome.added["nik"])
    assert {r[-1] for r in rows} == {"01-05-2027"}  # cover from May, never backdated
    assert (register.set_index("nik").loc[outcome.added["nik"], "state"] == "handed_over").all()
    paper = openpyxl.load_workbook(work / "perubahan_sk" / "1" / "perubahan_sk_2027_1.xlsx")
    texts = [c for row in paper.active.iter_rows(values_only=True) for c in row if c]
    assert "LAMPIRAN PERUBAHAN KE-1 KEPUTUSAN BUPATI TRENGGALEK" in texts
    again = replace_stage(work, SETTINGS, year["budget"], date(2027, 5, 1), date(2027, 4, 20))
    assert again.number == 0  # everyone who left is replaced already


def test_the_year_at_a_glance_is_the_sum_of_its_months(year, tmp_path) -> None:
    from bantuan_iuran.stages.monthly import year_stage

    work = tmp_path / "work"
    shutil.copytree(year["work"], work)
    tables, path = year_stage(work, SETTINGS, year["budget"])
    outcomes = year["outcomes"]
    assert list(tables.months["due"]) == [outcomes[m].result.to_pay for m in (1, 2, 3, 4)]
    assert list(tables.months["billed"]) == [outcomes[m].result.billed for m in (1, 2, 3, 4)]
    assert list(tables.months["paid_on"]) == ["2027-01-13", "2027-02-13", "", ""]
    first, second, total = tables.semesters.itertuples(index=False)
    assert first.due == sum(o.result.to_pay for o in outcomes.values()) and second.due == 0
    assert total.paid == outcomes[1].result.to_pay + outcomes[2].result.to_pay
    assert total.realised_percent == round(total.paid / year["budget"] * 100, 1)
    people = tables.people
    rightful = sum(int(o.result.lines["finding"].isin(["MATCHED", "WRONG_AMOUNT"]).sum())
                   for o in outcomes.values())  # fmt: skip
    assert people["months_billed"].sum() == rightful
    assert openpyxl.load_workbook(path).sheetnames == ["Anggaran", "Per Bulan", "Per Orang"]


def test_a_bill_for_someone_rejected_or_not_yet_covered_is_not_paid(year, tmp_path) -> None:
    work = tmp_path / "work"
    shutil.copytree(year["work"], work)
    register = pd.read_csv(work / "register.csv", dtype=str, keep_default_na=False)
    rejected = register[register["state"] == "rejected"].iloc[0]
    member = register[register["state"] == "registered"].iloc[0]
    path = tmp_path / "tagihan_mei.csv"
    path.write_text(
        "PERIODE MEI 2027\nNIK,NAMA,JKK,JKM,JUMLAH\n"
        f"{rejected['nik']},{rejected['name']},10000,6800,16800\n"
        f"{member['nik']},{member['name']},10000,6800,16800\n", "utf-8",
    )  # fmt: skip
    lines = month_stage(work, path, 2027, 5, SETTINGS, today=date(2027, 5, 10)).result.lines
    found = dict(zip(lines["nik"], lines["finding"], strict=True))
    assert found[rejected["nik"]] == "NOT_COVERED" and found[member["nik"]] == "MATCHED"


def test_amendments_are_numbered_one_after_another(year, tmp_path) -> None:
    from bantuan_iuran.stages.replace import replace_stage

    work = tmp_path / "work"
    shutil.copytree(year["work"], work)
    first = replace_stage(work, SETTINGS, year["budget"], date(2027, 5, 1), date(2027, 4, 20))
    register = pd.read_csv(work / "register.csv", dtype=str, keep_default_na=False)
    member = register[register["state"] == "registered"].iloc[0]
    report = tmp_path / "laporan_juni.csv"
    report.write_text(f"NIK,NAMA,KETERANGAN\n{member['nik']},{member['name']},meninggal dunia\n")
    assert _bantuan("changes", report, "-w", work, "--today", "2027-06-03") == 0
    second = replace_stage(work, SETTINGS, year["budget"], date(2027, 7, 1), date(2027, 6, 20))
    assert (first.number, second.number) == (1, 2)
    assert list(second.removed["nik"]) == [member["nik"]]
    assert (work / "perubahan_sk" / "2" / "perubahan_sk_2027_2.xlsx").exists()


def test_a_bill_line_whose_nik_excel_damaged_is_named_and_the_command_says_so(
    year, tmp_path
) -> None:
    work = tmp_path / "work"
    shutil.copytree(year["work"], work)
    register = pd.read_csv(work / "register.csv", dtype=str, keep_default_na=False)
    member = register[register["state"] == "registered"].iloc[0]
    path = tmp_path / "tagihan.xlsx"
    workbook = openpyxl.Workbook()
    for row in (
        ["TAGIHAN PERIODE MEI 2027"],
        ["NIK", "NAMA", "JKK", "JKM"],
        [member["nik"], member["name"], 10000, 6800],
        [3.50301e15, "SARMI", 10000, 6800],
    ):  # typed as a number: digits lost
        workbook.active.append(row)
    workbook.save(path)
    result = runner.invoke(app, ["month", str(path), "-m", "2027-05", "-w", str(work),
                                 "--today", "2027-05-10"])  # fmt: skip
    assert result.exit_code == 1
    assert "row 4" in result.output and "not checked" in result.output
    # bare "JKK" over 10000s is an amount, though 10000 also reads as a day in 1927
    lines = pd.read_csv(work / "bulanan" / "2027-05" / "rekonsiliasi_2027-05.csv", dtype=str)
    assert lines.set_index("nik").loc[member["nik"], "finding"] == "MATCHED"
