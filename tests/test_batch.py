"""The batch guarded across runs: villages never dropped silently, reference lists never read
as village lists, one programme year per work folder, a failing file failing alone, and a
ledger that a crash leaves at its last good state."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from bantuan_iuran.cli import app
from clerks import BESUKI_FILE, TERBIS_FILE, write_registry, write_villages
from helpers import screen_text

runner = CliRunner()


@pytest.fixture
def batch(tmp_path: Path) -> dict[str, Path]:
    registry = write_registry(tmp_path / "dukcapil.csv")
    sources = write_villages(tmp_path / "desa")
    return {"registry": registry, "sources": sources, "work": tmp_path / "work"}


def _run(batch, *extra: str, sources: Path | None = None):
    return runner.invoke(
        app,
        ["run", str(sources or batch["sources"]), "-d", str(batch["registry"]), "--year", "2027",
         "-w", str(batch["work"]), *extra],
    )  # fmt: skip


def _decisions(work: Path, kind: str) -> int:
    with sqlite3.connect(work / "ledger.sqlite") as connection:
        query = "SELECT COUNT(*) FROM decisions WHERE kind = ?"
        return connection.execute(query, (kind,)).fetchone()[0]


def test_a_run_that_would_drop_villages_refuses_unless_told(batch) -> None:
    assert _run(batch).exit_code == 0
    before = (batch["work"] / "validated.csv").read_bytes()
    one = batch["sources"].parent / "one"
    (one / "PANGGUL").mkdir(parents=True)
    shutil.copy(batch["sources"] / BESUKI_FILE, one / BESUKI_FILE)
    refused = _run(batch, sources=one)
    assert refused.exit_code == 2
    assert "Terbis (3503012002" in screen_text(refused.output)
    assert (batch["work"] / "validated.csv").read_bytes() == before
    told = _run(batch, "--drop-villages", sources=one)
    assert told.exit_code == 0 and "Dropped from the batch" in screen_text(told.output)
    rows = pd.read_csv(batch["work"] / "validated.csv", dtype=str)
    assert set(rows["source_file"]) == {BESUKI_FILE}
    assert _decisions(batch["work"], "drop_village") == 1
    assert _run(batch).exit_code == 0  # Terbis may come back


@pytest.mark.parametrize("how", ["given", "copied", "content"])
def test_reference_lists_are_never_read_as_village_lists(batch, how: str) -> None:
    registry = batch["registry"]
    if how == "given":  # the registry given with --dukcapil lies among the sources
        registry = shutil.copy(registry, batch["sources"] / "dukcapil.csv")
        batch = {**batch, "registry": Path(registry)}
    elif how == "copied":  # a copy of it, under another name
        assert _run(batch).exit_code == 0
        shutil.copy(registry, batch["sources"] / "data penduduk.csv")
    else:  # a registry extract nobody gave: read by its columns (a date of death)
        frame = pd.read_csv(registry, dtype=str)
        frame.to_csv(batch["sources"] / "PANGGUL" / "siak export.csv", index=False)
    result = _run(batch)
    assert result.exit_code == 0, result.output
    assert "not a village list" in screen_text(result.output)
    rows = pd.read_csv(batch["work"] / "validated.csv", dtype=str)
    assert set(rows["source_file"]) == {BESUKI_FILE, TERBIS_FILE}
    forms = sorted(p.name for p in (batch["work"] / "perbaikan").rglob("*.xlsx"))
    assert forms == ["BESUKI.xlsx", "TERBIS.xlsx"]


def test_the_programme_year_is_fixed_once_validated(batch, monkeypatch) -> None:
    assert _run(batch).exit_code == 0
    args = ["validate", "-w", str(batch["work"]), "-d", str(batch["registry"])]
    other = runner.invoke(app, [*args, "--year", "2028"])
    assert other.exit_code == 2 and "validated for 2027" in screen_text(other.output)
    monkeypatch.setattr("bantuan_iuran.config.default_year", lambda: 2028)  # January came
    plain = runner.invoke(app, args)
    assert plain.exit_code == 0 and "2028" not in plain.output
    report = runner.invoke(app, ["report", "-w", str(batch["work"])])
    assert report.exit_code == 0 and (batch["work"] / "report" / "eligible_2027.csv").exists()


def test_an_unreadable_file_fails_alone(batch) -> None:
    (batch["sources"] / "PANGGUL" / "rusak.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    (batch["sources"] / "PANGGUL" / "hilang.xlsx").symlink_to(batch["sources"] / "nowhere.xlsx")
    result = _run(batch)
    assert result.exit_code == 1
    log = pd.read_csv(batch["work"] / "ingest_log.csv", dtype=str, keep_default_na=False)
    failed = log.loc[log["status"] == "failed", "file"]
    assert sorted(failed) == ["PANGGUL/hilang.xlsx", "PANGGUL/rusak.xlsx"]
    rows = pd.read_csv(batch["work"] / "validated.csv", dtype=str)
    assert len(rows) == 9


def test_a_crash_in_a_stage_leaves_the_ledger_at_its_last_good_state(batch, monkeypatch) -> None:
    from bantuan_iuran import pipeline
    from bantuan_iuran.config import load_settings
    from bantuan_iuran.stages import ingest as ingest_module

    assert _run(batch).exit_code == 0
    ledger = batch["work"] / "ledger.sqlite"
    before = ledger.read_bytes()
    (batch["sources"] / TERBIS_FILE).unlink()

    def crash(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ingest_module, "_write_ingest", crash)
    with pytest.raises(OSError):
        pipeline.ingest_stage([batch["sources"]], batch["work"], load_settings(),
                              drop_villages=True)  # fmt: skip
    assert ledger.read_bytes() == before
    with sqlite3.connect(ledger) as connection:
        assert connection.execute("SELECT COUNT(*) FROM villages WHERE dropped = ''").fetchone()
    assert _decisions(batch["work"], "drop_village") == 0


def test_nik_in_file_names_are_masked_and_long_names_are_no_failure(batch) -> None:
    shutil.copy(batch["sources"] / BESUKI_FILE, batch["sources"] / "3503_0112_0570_0001.xlsx")
    folder = batch["sources"] / "3503011205700002"
    folder.mkdir()
    long = "usulan " + "warga miskin ekstrem tahun anggaran " * 6 + ".csv"
    (folder / long).write_text(
        "NIK;Nama;Tanggal Lahir\n3503010304780011;Agus Salim;03-04-1978\n", "utf-8"
    )
    result = _run(batch)
    assert result.exit_code in (0, 1), result.output
    assert "0112" not in result.output and "3503011205700002" not in result.output


def test_a_layout_outside_the_sheet_is_a_named_error(batch, tmp_path: Path) -> None:
    config = tmp_path / "bantuan.toml"
    config.write_text(
        f'[[layout]]\nfile = "{BESUKI_FILE}"\nheader_row = 4\nnik = "B"\nname = "Z"\n', "utf-8"
    )
    result = _run(batch, "--config", str(config))
    assert result.exit_code == 1
    assert '[[layout]] name = "Z" is outside the sheet' in screen_text(result.output)


def test_the_same_path_from_two_source_folders_is_named_not_read_twice(batch) -> None:
    again = batch["sources"].parent / "lagi"
    shutil.copytree(batch["sources"], again)
    (again / TERBIS_FILE).write_text("No;NIK;Nama\n1;3503010304780011;Agus Salim\n", "utf-8")
    result = runner.invoke(
        app,
        ["run", str(batch["sources"]), str(again), "-d", str(batch["registry"]), "--year",
         "2027", "-w", str(batch["work"])],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    log = pd.read_csv(batch["work"] / "ingest_log.csv", dtype=str, keep_default_na=False)
    named = log[log["message"].str.contains("same path as")]
    assert len(named) == 2 and (named["status"] == "skipped").all()
    rows = pd.read_csv(batch["work"] / "validated.csv", dtype=str)
    assert rows[["source_file", "source_sheet", "source_row"]].duplicated().sum() == 0


def test_a_received_rule_that_matches_nothing_is_an_error(batch, tmp_path: Path) -> None:
    config = tmp_path / "bantuan.toml"
    config.write_text('[[received]]\nfile = "tidak ada.xlsx"\nwhen = 2027-01-20\n', "utf-8")
    result = _run(batch, "--config", str(config))
    assert result.exit_code == 2 and "matches no file" in screen_text(result.output)


def test_purge_keeps_the_ledger_unless_asked(batch) -> None:
    assert _run(batch).exit_code == 0
    work = batch["work"]
    assert runner.invoke(app, ["purge", "-w", str(work), "--yes"]).exit_code == 0
    assert (work / "ledger.sqlite").exists() and not (work / "validated.csv").exists()
    assert runner.invoke(app, ["purge", "-w", str(work), "--yes", "--ledger"]).exit_code == 0
    assert not (work / "ledger.sqlite").exists()
