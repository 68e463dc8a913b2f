"""Rounds with the villages, end to end on the sample: round 1, the villages' answers made by
the generator, round 2; and the answers the tool must refuse."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from bantuan_iuran.config import load_settings
from bantuan_iuran.corrections import FORM_SHEET, KEYS_SHEET
from bantuan_iuran.pipeline import ingest_stage, validate_stage
from bantuan_iuran.sample.answers import answer_round

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
KEY = ["source_file", "source_sheet", "source_row"]


def _validate(work: Path, sources: Path) -> pd.DataFrame:
    settings = load_settings()
    ingest_stage([sources], work, settings)
    registry, enrolled = SAMPLE / "dukcapil.parquet", SAMPLE / "peserta_aktif.csv"
    return validate_stage(work, registry, enrolled, settings).validated


@pytest.fixture(scope="module")
def rounds(tmp_path_factory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("rounds")
    work = base / "work"
    first = _validate(work, SAMPLE / "desa")
    shutil.copytree(work, base / "work1")  # as it was after round 1, to answer again
    summary = answer_round(SAMPLE, work, base / "round2", seed=5)
    second = _validate(work, base / "round2" / "desa")
    return {"base": base, "work": work, "work1": base / "work1", "first": first, "second": second,
            "summary": summary}  # fmt: skip


def _truth(rounds) -> pd.DataFrame:
    truth = pd.read_csv(rounds["base"] / "round2" / "truth_round2.csv", dtype=str,
                        keep_default_na=False)  # fmt: skip
    return truth[truth["behaviour"] != "replaced"].astype({"source_row": int})


def test_round_two_statuses_are_the_villages_truth(rounds) -> None:
    second, truth = rounds["second"], _truth(rounds)
    merged = second.merge(truth, on=KEY, how="outer", indicator=True)
    assert (merged["_merge"] == "both").all()  # no row lost or doubled
    assert (merged["status"] == merged["round2_status"]).all()
    behaviour = merged.set_index("behaviour")
    assert set(behaviour.loc["withdrawn", "reasons"]) == {"WITHDRAWN"}
    assert set(behaviour.loc["wrong", "status"]) == {"needs_fix"}
    assert set(behaviour.loc["right", "status"]) == {"eligible"}


def test_answers_are_applied_beside_what_the_village_sent(rounds) -> None:
    work, second = rounds["work"], rounds["second"]
    answers = pd.read_csv(work / "answers.csv", dtype=str, keep_default_na=False)
    applied = answers[answers["outcome"] == "applied"]
    # Each answered row: its NIK, its birth date, or its withdrawal (with a note beside it).
    assert applied.groupby(["file", "sheet", "row"]).ngroups == rounds["summary"].answered_rows
    assert set(answers["outcome"]) == {"applied", "unanswered", "noted", "shown"}
    assert set(answers.loc[answers["outcome"] == "noted", "field"]) == {"note"}
    changed = second[second["answer_source"] != ""]
    assert len(changed) == rounds["summary"].answered_rows
    corrected = changed[changed["nik_raw"] != changed["sent_nik_raw"]]
    assert len(corrected) > 50 and corrected["answer_source"].str.contains("putaran 1").all()
    ingested = pd.read_parquet(work / "ingested.parquet")
    sent = ingested.set_index(KEY).loc[corrected.set_index(KEY).index]
    assert (sent["nik_raw"].to_numpy() == corrected["sent_nik_raw"].to_numpy()).all()


def test_a_revised_list_replaces_the_old_one_and_every_row_is_accounted_for(rounds) -> None:
    work, summary = rounds["work"], rounds["summary"]
    log = pd.read_csv(work / "ingest_log.csv", dtype=str, keep_default_na=False)
    old = log[log["message"].str.contains(f"replaced by {summary.revised_file}", regex=False)]
    assert len(old) == 1
    dropped = pd.read_csv(work / "dropped.csv", dtype=str, keep_default_na=False)
    replaced = dropped[dropped["kind"] == "replaced"]
    assert set(replaced["source_file"]) == set(old["file"])
    first = rounds["first"]
    assert len(replaced) == int((first["source_file"] == old["file"].iloc[0]).sum())
    second = rounds["second"]
    assert (
        not second["reasons"].str.contains("DUPLICATE").sum()
        > first["reasons"].str.contains("DUPLICATE").sum()
    )


def test_round_two_forms_list_what_is_still_open_with_the_earlier_answer(rounds) -> None:
    work, second = rounds["work"], rounds["second"]
    wrong = second[(second["status"] == "needs_fix") & (second["answer_source"] != "")]
    row = wrong.iloc[0]
    form = next((work / "perbaikan").rglob(f"{row['desa'].upper()}.xlsx"))
    sheet = openpyxl.load_workbook(form)[FORM_SHEET]
    texts = [str(c.value) for r in sheet.iter_rows() for c in r if c.value]
    assert any("Jawaban desa putaran 1: NIK" in t and row["nik_raw"] in t for t in texts)
    keys = list(openpyxl.load_workbook(form)[KEYS_SHEET].iter_rows(values_only=True))
    assert keys[2][:2] == ("round", "2")
    open_rows = second[(second["desa"] == row["desa"]) & (second["status"] == "needs_fix")]
    assert len([k for k in keys[6:] if k[0] == FORM_SHEET]) == len(open_rows)


def _sources_with_form(rounds, tmp_path: Path, village: str) -> tuple[Path, Path]:
    """The sources of round 2 and the answered form of `village`, to tamper with."""
    sources = tmp_path / "desa"
    shutil.copytree(rounds["base"] / "round2" / "desa", sources)
    return sources, next((sources / "_jawaban").rglob(f"{village}.xlsx"))


@pytest.mark.parametrize(
    ("tamper", "outcome"),
    [("batch", "other_batch"), ("village_file", "row_gone"), ("blank", None)],
)  # fmt: skip
def test_answers_that_cannot_be_trusted_are_reported_and_left_out(
    rounds, tmp_path: Path, tamper: str, outcome: str | None
) -> None:
    # Panggungsari's list is a CSV file: a line added on top moves every row down one.
    sources, form = _sources_with_form(rounds, tmp_path, "PANGGUNGSARI")
    workbook = openpyxl.load_workbook(form)
    sheet, keys = workbook[FORM_SHEET], workbook[KEYS_SHEET]
    listed = list(keys.iter_rows(min_row=7, values_only=True))  # both sheets' rows
    rows = [int(r[1]) for r in listed if r[0] == FORM_SHEET]
    if tamper == "batch":
        keys["B2"] = "another-batch"
    elif tamper == "blank":
        for row in rows:
            for column in range(6, 11):
                sheet.cell(row, column).value = None
    else:
        village = sources / "DURENAN" / "Desa Panggungsari.csv"
        village.write_bytes(
            b"DAFTAR USULAN\r\n" + village.read_bytes().removeprefix(b"\xef\xbb\xbf")
        )
    workbook.save(form)
    work = tmp_path / "work"
    shutil.copytree(rounds["work1"], work)
    result = ingest_stage([sources], work, load_settings()).result
    name = form.relative_to(sources).as_posix()
    mine = result.answers[result.answers["file"] == name]
    answered = [r for r in rows if any(sheet.cell(r, c).value for c in range(6, 11))]
    assert mine.groupby(["sheet", "row"]).ngroups == len(listed)  # every row of the form
    assert set(mine["outcome"]) - {"unanswered", "noted", "shown"} == (
        {outcome} if outcome else set()
    )
    assert not result.applicants["answer_source"].str.contains(name, regex=False).any()
    if outcome:
        reported = mine[mine["outcome"] == outcome]
        if outcome == "other_batch":  # the whole form is left out
            assert reported.groupby(["sheet", "row"]).ngroups == len(listed)
        else:
            assert reported.groupby("row").ngroups == len(answered)
        assert reported["message"].str.len().gt(20).all()


def test_the_change_report_counts_match_what_the_villages_did(rounds) -> None:
    work, truth = rounds["work"], _truth(rounds)
    changed = pd.read_csv(work / "perubahan_2.csv", dtype=str, keep_default_na=False)
    moves = changed["move"].value_counts()
    behaviour = truth["behaviour"].value_counts()
    assert moves["fixed"] == behaviour["right"]
    assert moves["withdrawn"] == behaviour["withdrawn"]
    assert moves["new"] == behaviour["revised"]
    first = rounds["first"]
    revised_from = first["source_file"].isin(
        pd.read_csv(work / "dropped.csv", dtype=str).query("kind == 'replaced'")["source_file"]
    )
    assert moves["gone"] == int(revised_from.sum())
    # Rows still to fix are listed when their values changed: answered wrong again.
    assert moves["still_to_fix"] == behaviour["wrong"]
    assert "newly_wrong" not in moves  # nobody's answer broke a row that was fine
    wrong = changed[changed["move"] == "still_to_fix"]
    assert (wrong["nik_before"] != wrong["nik_after"]).all()
    progress = pd.read_parquet(work / "rounds" / "round_2.parquet")
    assert len(progress) == len(rounds["second"])


def test_the_summary_shows_progress_across_rounds(rounds, tmp_path: Path) -> None:
    from bantuan_iuran.pipeline import ReportOptions, report_stage

    work = tmp_path / "work"
    shutil.copytree(rounds["work"], work)
    report_stage(work, ReportOptions(year=2027), load_settings())
    sheet = openpyxl.load_workbook(work / "report" / "ringkasan_2027.xlsx")["Perkembangan"]
    headers = [c.value for c in sheet[4]]
    assert headers == ["Kecamatan", "Desa/Kelurahan", "Putaran", "Memenuhi syarat",
                       "Perlu perbaikan", "Tidak memenuhi syarat"]  # fmt: skip
    rows = list(sheet.iter_rows(values_only=True))
    total = next(r for r in rows if r[0] == "JUMLAH" and r[2] == "Putaran 2")
    second = rounds["second"]["status"].value_counts()
    assert total[3:6] == (second["eligible"], second["needs_fix"], second["ineligible"])
    by_desa = rows[rows.index(next(r for r in rows if r[0] == "Per desa/kelurahan")) + 1 :]
    in_second = [r for r in by_desa if r[2] == "Putaran 2"]
    assert sum(r[3] + r[4] + r[5] for r in in_second) == len(rounds["second"])
    assert len(sheet._charts) == 1


def test_the_progress_sheet_prints_its_chart_whole_and_at_eight_points_for_four_rounds(
    rounds, tmp_path: Path
) -> None:
    from bantuan_iuran.pipeline import ReportOptions, report_stage
    from bantuan_iuran.report.workbooks import write_summary_workbook
    from bantuan_iuran.rounds import history
    from helpers import excel_fit_scale

    work = tmp_path / "work"
    shutil.copytree(rounds["work"], work)
    report = report_stage(work, ReportOptions(year=2027), load_settings()).report
    second = pd.read_parquet(work / "rounds" / "round_2.parquet")
    four = history({n: second for n in range(1, 5)})
    write_summary_workbook(report, tmp_path / "four.xlsx", four)
    sheet = openpyxl.load_workbook(tmp_path / "four.xlsx")["Perkembangan"]
    assert excel_fit_scale(sheet) * 11 / 100 >= 8
    assert [r[2] for r in sheet.iter_rows(min_row=5, max_row=8, values_only=True)] == [
        f"Putaran {n}" for n in range(1, 5)
    ]
    (chart,) = sheet._charts
    top = chart.anchor._from.row
    breaks = [b.id for b in sheet.row_breaks.brk]
    assert not [b for b in breaks if top < b < top + 16]  # no page break through the chart


def test_moves_between_two_rounds() -> None:
    from bantuan_iuran.rounds import KEPT, changes, village_progress

    def table(rows):
        base = dict.fromkeys(KEPT, "")
        frame = pd.DataFrame([{**base, **row} for row in rows])
        return frame.astype({"source_row": int, "row_id": int})

    before = table([
        {"source_file": "a", "source_row": 1, "row_id": 1, "desa": "X", "status": "needs_fix"},
        {"source_file": "a", "source_row": 2, "row_id": 2, "desa": "X", "status": "needs_fix"},
        {"source_file": "a", "source_row": 3, "row_id": 3, "desa": "X", "status": "eligible"},
        {"source_file": "a", "source_row": 4, "row_id": 4, "desa": "X", "status": "needs_fix"},
        {"source_file": "b", "source_row": 1, "row_id": 5, "desa": "Y", "status": "eligible"},
    ])  # fmt: skip
    after = table([
        {"source_file": "a", "source_row": 1, "row_id": 1, "desa": "X", "status": "eligible",
         "answer_source": "f Perbaikan baris 9 (putaran 1)"},
        {"source_file": "a", "source_row": 2, "row_id": 2, "desa": "X", "status": "needs_fix"},
        {"source_file": "a", "source_row": 3, "row_id": 3, "desa": "X", "status": "needs_fix"},
        {"source_file": "a", "source_row": 4, "row_id": 4, "desa": "X", "status": "ineligible",
         "reasons": "WITHDRAWN"},
        {"source_file": "c", "source_row": 1, "row_id": 5, "desa": "Y", "status": "eligible"},
    ])  # fmt: skip
    moves = changes(before, after)
    assert moves.set_index(["source_file", "source_row"])["move"].to_dict() == {
        ("a", 1): "fixed", ("a", 2): "still_to_fix", ("a", 3): "newly_wrong",
        ("a", 4): "withdrawn", ("b", 1): "gone", ("c", 1): "new",
    }  # fmt: skip
    assert not moves.set_index(["source_file", "source_row"]).loc[("a", 2), "changed"]
    progress = village_progress(moves, previous=1).set_index("desa")
    assert progress.loc["X", "answered"] and not progress.loc["Y", "answered"]
    assert progress.loc["Y", ["gone", "new"]].tolist() == [1, 1]


def test_a_form_answered_in_the_work_folder_is_moved_aside_not_overwritten(
    rounds, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    shutil.copytree(rounds["work1"], work)
    form = sorted((work / "perbaikan").rglob("*.xlsx"))[0]
    workbook = openpyxl.load_workbook(form)
    workbook[workbook.sheetnames[0]]["A1"] = "DIJAWAB DI SINI"
    workbook.save(form)
    settings = load_settings()
    warnings = ingest_stage([rounds["base"] / "round2" / "desa"], work, settings).warnings
    name = form.relative_to(work).as_posix()
    assert any(w.startswith(f"{name} was changed") for w in warnings)
    registry, enrolled = SAMPLE / "dukcapil.parquet", SAMPLE / "peserta_aktif.csv"
    outcome = validate_stage(work, registry, enrolled, settings)
    aside = work / "perbaikan_diubah" / form.relative_to(work / "perbaikan")
    assert openpyxl.load_workbook(aside).worksheets[0]["A1"].value == "DIJAWAB DI SINI"
    assert any("moved to perbaikan_diubah" in w for w in outcome.warnings)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("suffix", ["ods", "xls"])
def test_a_form_saved_again_by_libreoffice_is_read_the_same(rounds, tmp_path, suffix) -> None:
    import subprocess

    from bantuan_iuran.ingest.answers import read_form
    from bantuan_iuran.ingest.cells import read_sheets

    form = next((rounds["base"] / "round2" / "desa" / "_jawaban").rglob("PANGGUNGSARI.xlsx"))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", suffix, "--outdir", str(tmp_path), str(form)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    saved = tmp_path / f"{form.stem}.{suffix}"

    def answers(path: Path) -> tuple[list[tuple], list[str]]:
        form = read_form("f", read_sheets(path))
        return [(row.sheet, row.row, row.cells) for row in form.rows], [s.digest for s in form.sent]

    shown, sent = answers(form)
    assert answers(saved) == (shown, sent) and any(r[2].get("NIK yang benar") for r in shown)


def test_a_form_pasted_into_a_new_file_is_refused_and_replaces_nothing(rounds, tmp_path) -> None:
    sources, form = _sources_with_form(rounds, tmp_path, "PANGGUNGSARI")
    pasted = openpyxl.Workbook()
    for values in openpyxl.load_workbook(form)[FORM_SHEET].iter_rows(values_only=True):
        pasted.active.append(list(values))
    copy = form.parents[2] / "DURENAN" / "perbaikan panggungsari salinan.xlsx"
    pasted.save(copy)
    work = tmp_path / "work"
    shutil.copytree(rounds["work1"], work)
    result = ingest_stage([sources], work, load_settings()).result
    entry = result.log[result.log["file"] == copy.relative_to(sources).as_posix()].iloc[0]
    assert entry["status"] == "failed" and "without its hidden sheet" in entry["message"]
    assert result.replacements == [r for r in result.replacements if "salinan" not in r.new]
    village = result.applicants[result.applicants["source_file"] == "DURENAN/Desa Panggungsari.csv"]
    assert len(village) == int(
        (rounds["second"]["source_file"] == village["source_file"].iloc[0]).sum()
    )


def test_a_short_list_of_a_few_people_from_a_longer_one_is_not_a_revision() -> None:
    from bantuan_iuran.ingest.revisions import find_replacements

    niks = [f"35030101018{n:05d}" for n in range(10)]
    names = [f"ORANG NOMOR {chr(65 + n)}" for n in range(10)]
    rows = pd.DataFrame(
        {"source_file": ["full.xlsx"] * 10 + ["revisi.xlsx"] * 3 + ["rev 2.xlsx"] * 9,
         "kode_desa": "3503012001", "nik_raw": niks + niks[:3] + niks[1:],
         "name": names + names[:3] + names[1:]}
    )  # fmt: skip
    found, possible = find_replacements(rows)
    assert [(r.old, r.new) for r in found] == []  # no name says which village it revises
    assert [(p.first, p.second) for p in possible] == [("full.xlsx", "rev 2.xlsx")]


def test_a_damaged_hidden_sheet_ties_no_answer_and_stops_nothing(rounds, tmp_path) -> None:
    sources, form = _sources_with_form(rounds, tmp_path, "PANGGUNGSARI")
    workbook = openpyxl.load_workbook(form)
    keys = workbook[KEYS_SHEET]
    keys["B3"] = "dua"  # the round
    keys["B7"] = "baris ketujuh"  # a row number
    keys["A8"] = "Lembar yang tidak ada"  # a sheet
    workbook.save(form)
    work = tmp_path / "work"
    shutil.copytree(rounds["work1"], work)
    result = ingest_stage([sources], work, load_settings()).result
    mine = result.answers[result.answers["file"] == form.relative_to(sources).as_posix()]
    listed = len(list(keys.iter_rows(min_row=7)))
    # Every row the form shows is accounted for; the one whose entry is damaged is tied to
    # no row (its answer reported, never applied elsewhere); the sheet name no longer matters.
    assert mine.groupby(["sheet", "row"]).ngroups == listed and (mine["round"] == 0).all()
    assert (mine["outcome"] == "unmatched").sum() == 1


def test_a_revision_that_corrects_most_nik_is_still_a_revision() -> None:
    from bantuan_iuran.ingest.revisions import find_replacements

    names = ["SITI AMINAH", "BUDI SANTOSO", "SRI WAHYUNI", "JOKO PURNOMO", "SUTRISNO"]
    rows = pd.DataFrame(
        {"source_file": ["besuki.xlsx"] * 5 + ["PANGGUL/Besuki revisi.xlsx"] * 5,
         "kode_desa": "3503012001",
         "nik_raw": [f"35030101018000{n:02d}" for n in range(10)], "name": names + names}
    )  # fmt: skip
    assert [(r.old, r.new) for r in find_replacements(rows)[0]] == [
        ("besuki.xlsx", "PANGGUL/Besuki revisi.xlsx")
    ]
