"""Report: premiums to the rupiah, the budget priority, and the workbooks read back."""

from __future__ import annotations

import csv
import heapq
import re
import shutil
from datetime import date
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bantuan_iuran.config import Premium, Rate, load_settings
from bantuan_iuran.errors import ConfigError
from bantuan_iuran.report.costs import monthly_premium, premium_schedule, yearly_premium
from bantuan_iuran.report.selection import priority_order
from bantuan_iuran.report.tables import run_report
from helpers import FONT_MACHINES, print_with_libreoffice

SETTINGS = load_settings()


def test_the_seed_plan_costs_two_billion_sixteen_million() -> None:
    """2025's plan: 10,000 people x 12 months x Rp 16,800 = Rp 2,016,000,000."""
    schedule = premium_schedule(SETTINGS.premium, 2025, 12, 1)
    assert {m.premium for m in schedule} == {16_800}
    assert 10_000 * yearly_premium(schedule) == 2_016_000_000


def test_earlier_years_paid_fewer_months() -> None:
    assert yearly_premium(premium_schedule(SETTINGS.premium, 2024, 10, 3)) == 168_000
    assert yearly_premium(premium_schedule(SETTINGS.premium, 2023, 3, 10)) == 50_400


def test_a_rate_change_mid_year_is_costed_month_by_month() -> None:
    old = Rate(date(2015, 7, 1), {"JKK": Decimal("1")}, {"JKM": 6800})
    new = Rate(date(2027, 7, 1), {"JKK": Decimal("1.5")}, {"JKM": 7000})
    premium = Premium(1_000_000, ("JKK", "JKM"), 12, 1, (old, new))
    schedule = premium_schedule(premium, 2027, 12, 1)
    assert [m.premium for m in schedule] == [16_800] * 6 + [22_000] * 6
    assert yearly_premium(schedule) == 6 * 16_800 + 6 * 22_000


def test_money_is_whole_rupiah_rounded_half_up() -> None:
    rate = Rate(date(2015, 7, 1), {"JKK": Decimal("0.89")}, {"JKM": 6800})
    assert monthly_premium(rate, 1_234_567, ("JKK", "JKM")) == 6800 + 10988  # 10,987.6463


def test_jht_can_be_added_and_a_missing_rate_is_an_error() -> None:
    rate = SETTINGS.premium.rates[0]
    assert monthly_premium(rate, 1_000_000, ("JKK", "JKM", "JHT")) == 36_800
    with pytest.raises(ConfigError):
        monthly_premium(rate, 1_000_000, ("JKP",))
    with pytest.raises(ConfigError):
        premium_schedule(SETTINGS.premium, 2027, 12, 3)


def _people(villages: dict[str, int], continuing: set[int] = frozenset()) -> pd.DataFrame:
    rows = []
    for kode, count in villages.items():
        rows.extend({"kode_desa": kode, "row_id": len(rows) + i + 1} for i in range(count))
    frame = pd.DataFrame(rows)
    return frame.assign(continuing=frame["row_id"].isin(continuing))


def test_priority_continuing_first_then_villages_in_proportion() -> None:
    people = _people({"A": 6, "B": 3, "C": 1}, continuing={10})
    order = priority_order(people)
    assert order["row_id"].iloc[0] == 10
    first_five = order.iloc[1:6]["kode_desa"].value_counts().to_dict()
    assert first_five == {"A": 3, "B": 2}
    assert order["priority"].tolist() == list(range(1, 11))
    village_a = order[order["kode_desa"] == "A"]["row_id"].tolist()
    assert village_a == sorted(village_a), "file order within a village"


def test_every_prefix_is_proportional_and_adding_places_never_removes_one() -> None:
    order = priority_order(_people({"A": 50, "B": 30, "C": 20}))["kode_desa"].tolist()
    for size in (10, 20, 50):
        shares = pd.Series(order[:size]).value_counts()
        assert shares["A"] == pytest.approx(size * 0.5, abs=1)
        assert shares["C"] == pytest.approx(size * 0.2, abs=1)


def _webster_one_place_at_a_time(sizes: dict[str, int]) -> list[str]:
    """The divisor method as written: exact fractions, one place at a time."""
    heap = [(-Fraction(size), kode) for kode, size in sizes.items() if size > 0]
    heapq.heapify(heap)
    given = dict.fromkeys(sizes, 0)
    sequence = []
    while heap:
        _, kode = heapq.heappop(heap)
        sequence.append(kode)
        given[kode] += 1
        if given[kode] < sizes[kode]:
            heapq.heappush(heap, (-Fraction(sizes[kode], 2 * given[kode] + 1), kode))
    return sequence


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from("ABCDEFGH"), st.integers(1, 120), min_size=1, max_size=8))
def test_the_whole_order_at_once_is_the_order_place_by_place(sizes: dict[str, int]) -> None:
    people = _people(sizes)
    order = priority_order(people)["kode_desa"].tolist()
    assert order == _webster_one_place_at_a_time(sizes)


def _validated(rows: list[dict[str, str]]) -> pd.DataFrame:
    base = {
        "status": "eligible", "reasons": "", "name": "X", "birth_place": "", "birth_date":
        "1980-01-01", "sex": "L", "address": "", "rt": "", "rw": "", "kecamatan": "Panggul",
        "desa": "Besuki", "kode_desa": "3503012001", "source_file": "f.xlsx", "source_sheet": "S",
        "registry_name": "X", "registry_birth_date": "1980-01-01",
    }  # fmt: skip
    frame = pd.DataFrame([{**base, **r} for r in rows])
    return frame.assign(row_id=range(1, len(frame) + 1), source_row=range(2, len(frame) + 2))


def test_budget_below_the_cost_selects_by_priority_and_waits_the_rest() -> None:
    validated = _validated(
        [
            {"nik": "3503010101800001"},
            {"nik": "3503010101800002", "kode_desa": "3503012002", "desa": "Terbis"},
            {"nik": "3503010101800003"},
            {"nik": "3503010101800004", "status": "needs_fix", "reasons": "NIK_NOT_FOUND"},
        ]
    )
    result = run_report(
        validated, SETTINGS, 2027, budget=2 * 201_600 + 5, previous_niks={"3503010101800003"}
    )
    assert result.selected["nik"].tolist() == ["3503010101800001", "3503010101800003"]
    assert result.waiting["nik"].tolist() == ["3503010101800002"]
    assert result.total == 403_200
    assert result.villages["people"].tolist() == [2, 0]
    assert result.villages["needs_fix"].tolist() == [1, 0]


def test_eligible_list_is_exactly_the_eligible_rows_and_costs_people_x_months_x_rate(
    reported,
) -> None:
    work, report = reported
    validated = pd.read_parquet(work / "validated.parquet")
    listed = pd.read_csv(work / "report" / "eligible_2027.csv", dtype=str)
    eligible = validated[validated["status"] == "eligible"]
    assert sorted(listed["nik"]) == sorted(eligible["nik"])
    assert listed["nik"].is_unique
    assert listed["premium_total"].astype(int).sum() == len(eligible) * 12 * 16_800
    assert report.total == len(eligible) * 12 * 16_800
    assert not (work / "report" / "cadangan_2027.csv").exists()


def test_summary_workbook_agrees_with_the_csv_and_has_charts(reported) -> None:
    work, report = reported
    workbook = openpyxl.load_workbook(work / "report" / "ringkasan_2027.xlsx")
    per_desa = list(workbook["Per Desa"].iter_rows(min_row=5, values_only=True))
    with open(work / "report" / "ringkasan_2027.csv", encoding="utf-8-sig") as handle:
        table = list(csv.DictReader(handle))
    assert len(per_desa) == len(table) + 1  # and the total row
    assert per_desa[-1][0] == "JUMLAH"
    assert per_desa[-1][-1] == sum(int(r["premium"]) for r in table) == report.total
    assert per_desa[-1][3] == sum(int(r["proposed"]) for r in table)
    assert len(workbook["Per Kecamatan"]._charts) == 2
    assert len(workbook["Per Desa"]._charts) == 1


def test_summary_speaks_indonesian_with_dots_and_charts_in_table_order(reported) -> None:
    from bantuan_iuran.excel import AXIS_FORMAT, dotted_format
    from helpers import cell_overflows

    work, _ = reported
    workbook = openpyxl.load_workbook(work / "report" / "ringkasan_2027.xlsx")
    for sheet in workbook.worksheets:
        headers = [c.value for c in sheet[4]]
        assert "Sudah peserta aktif" in headers and "Meninggal dunia" in headers
        assert not any(re.fullmatch(r"[A-Z_]{4,}", str(h)) for h in headers)  # no codes
        assert "Tidak memenuhi syarat, karena:" in [c.value for c in sheet[3]]
        assert cell_overflows(sheet) == []
        assert sheet.oddFooter.center.text == "Halaman &P dari &N"
        total = sheet.cell(sheet.max_row, sheet.max_column)
        assert total.number_format == dotted_format(total.value)
        for chart in sheet._charts:
            # openpyxl calls the category axis x; a bar chart draws it upright
            assert chart.x_axis.scaling.orientation == "maxMin"  # top bar = first table row
            assert chart.y_axis.numFmt.formatCode == AXIS_FORMAT


def test_the_decree_names_people_as_the_registry_does(reported) -> None:
    work, report = reported
    listed = pd.read_csv(work / "report" / "eligible_2027.csv", dtype=str, keep_default_na=False)
    validated = pd.read_parquet(work / "validated.parquet")
    validated = validated[validated["status"] == "eligible"].set_index("nik")
    assert (listed["name"] == validated.loc[listed["nik"], "registry_name"].to_numpy()).all()
    assert (listed["name_sent"] == validated.loc[listed["nik"], "name"].to_numpy()).all()
    assert (listed["name"] != listed["name_sent"]).any(), (
        "some villages wrote titles or old spellings"
    )


def test_waiting_list_gives_its_count_cost_order_and_fits_the_page(reported, tmp_path) -> None:
    import shutil

    from bantuan_iuran.money import rupiah, thousands
    from bantuan_iuran.pipeline import ReportOptions, report_stage
    from helpers import cell_overflows

    work = tmp_path / "work"
    shutil.copytree(reported[0], work)
    budget = 300 * 201_600 + 100
    report = report_stage(work, ReportOptions(year=2027, budget=budget), SETTINGS).report
    sheet = openpyxl.load_workbook(work / "report" / "cadangan_2027.xlsx")["Daftar"]
    cost = int(report.waiting["premium_total"].sum())
    count = thousands(len(report.waiting))
    assert sheet["A2"].value == f"Jumlah: {count} orang, iuran setahun {rupiah(cost)}."
    assert sheet["A3"].value.startswith("Urutan prioritas: peserta tahun lalu lebih dahulu")
    rows = list(sheet.iter_rows(min_row=6, values_only=True))
    assert len(rows) == len(report.waiting)
    assert rows[0][0] == "301" and rows[-1][0] == thousands(300 + len(rows))
    assert sheet.oddFooter.center.text == "Halaman &P dari &N"
    assert cell_overflows(sheet) == []
    summary = openpyxl.load_workbook(work / "report" / "ringkasan_2027.xlsx")
    waiting = rupiah(cost)
    for name in ("Per Desa", "Per Kecamatan"):
        line = summary[name]["A2"].value
        assert line.startswith(f"Anggaran {rupiah(budget)}: 300 orang dibiayai")
        assert f"daftar cadangan {count} orang (iuran setahun {waiting})" in line
        headers = [c.value for c in summary[name][4]]
        total = [c.value for c in summary[name][summary[name].max_row]]
        assert total[headers.index("Daftar Cadangan")] == len(report.waiting)
        assert total[headers.index("Peserta Dibiayai")] == 300


def test_the_people_paid_for_are_also_a_workbook_with_niks_as_text(reported) -> None:
    from bantuan_iuran.money import rupiah, thousands

    work, report = reported
    listed = pd.read_csv(work / "report" / "eligible_2027.csv", dtype=str, keep_default_na=False)
    sheet = openpyxl.load_workbook(work / "report" / "eligible_2027.xlsx")["Daftar"]
    header = [c.value for c in sheet[4]]
    assert header == ["No", "NIK", "Nama", "Tanggal Lahir", "Desa", "Kecamatan", "File",
                      "Sheet", "Baris"]  # fmt: skip
    rows = list(sheet.iter_rows(min_row=5))
    assert len(rows) == len(listed) == len(report.selected)
    assert all(row[1].data_type == "s" and len(row[1].value) == 16 for row in rows)
    shown = [(r[1].value, r[6].value, r[7].value, r[8].value) for r in rows]
    assert shown == list(
        listed[["nik", "source_file", "source_sheet", "source_row"]].itertuples(index=False)
    )
    assert sheet["A2"].value == f"Jumlah: {thousands(len(listed))} orang, iuran setahun " + (
        f"{rupiah(report.total)}."
    )
    assert [rows[0][0].value, rows[-1][0].value] == ["1", thousands(len(rows))]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("machine", FONT_MACHINES)
def test_libreoffice_prints_the_summary_on_the_pages_it_cut_with_any_font(
    reported, tmp_path, machine
) -> None:
    path = reported[0] / "report" / "ringkasan_2027.xlsx"
    sheets = openpyxl.load_workbook(path).worksheets
    cut = sum(len(sheet.row_breaks.brk) + 1 for sheet in sheets)
    printed = print_with_libreoffice(path, tmp_path, machine)
    assert len(printed.pages) == cut
    for number, page in enumerate(printed.pages, start=1):
        assert f"Halaman {number} dari" in page.extract_text()


def test_a_report_that_changes_who_is_paid_says_so_on_screen_and_in_a_file(
    reported, tmp_path
) -> None:
    from bantuan_iuran.money import thousands
    from bantuan_iuran.pipeline import ReportOptions, report_stage

    work = tmp_path / "work"
    shutil.copytree(reported[0], work)
    tighter = report_stage(work, ReportOptions(year=2027, budget=100 * 201_600), SETTINGS)
    changes = pd.read_csv(work / "report" / "perubahan_daftar_2027.csv", dtype=str)
    assert (changes["change"] == "removed").sum() == len(tighter.report.waiting)
    assert set(changes["status"]) == {"eligible"}  # still eligible: the budget left them out
    removed = f"{thousands(len(changes))} removed"
    assert any("changed since the last report" in w and removed in w for w in tighter.warnings)
    again = report_stage(work, ReportOptions(year=2027, budget=100 * 201_600), SETTINGS)
    assert not (work / "report" / "perubahan_daftar_2027.csv").exists()
    assert not any("changed since" in w for w in again.warnings)


def test_the_same_inputs_give_the_same_bytes_in_every_report_file(reported, tmp_path) -> None:
    """Workbooks carry no time of writing (their 'created' property is fixed), PDFs neither."""
    import time

    from bantuan_iuran.pipeline import ReportOptions, report_stage

    runs = []
    for name in ("first", "second"):
        work = tmp_path / name
        shutil.copytree(reported[0], work)
        report_stage(work, ReportOptions(year=2027, budget=300 * 201_600), SETTINGS)
        runs.append({p.name: p.read_bytes() for p in sorted((work / "report").iterdir())})
        time.sleep(1.1)  # a second later: a time of writing would show
    assert runs[0].keys() == runs[1].keys() and len(runs[0]) >= 12
    assert [name for name in runs[0] if runs[0][name] != runs[1][name]] == []
