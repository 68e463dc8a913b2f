"""The command line: help texts, exit codes, messages, and no full NIK on screen."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from bantuan_iuran.cli import app
from helpers import ROOT, SAMPLE, screen_text

runner = CliRunner()
COMMANDS = (
    "ingest",
    "validate",
    "report",
    "run",
    "purge",
    "history",
    "handover",
    "branch-result",
    "sample",
    "config",
)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    # a flag takes no value: no type beside it (--help, --debug, --drop-villages ...)
    assert "<bool>" not in result.output and "--help" in result.output
    assert app.registered_commands and all(c.callback.__doc__ for c in app.registered_commands)


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("bantuan-iuran ")


def test_ingest_missing_source_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope"), "-w", str(tmp_path / "w")])
    assert result.exit_code == 2
    assert "Not found" in result.output


def test_ingest_with_a_broken_file_goes_on_and_exits_1(tmp_path: Path) -> None:
    source = tmp_path / "desa"
    shutil.copytree(SAMPLE / "desa" / "PANGGUL", source / "PANGGUL")
    (source / "PANGGUL" / "rusak.xlsx").write_bytes(b"PK\x03\x04broken")
    result = runner.invoke(app, ["ingest", str(source), "-w", str(tmp_path / "w")])
    assert result.exit_code == 1, result.output
    assert "rusak.xlsx" in result.output
    log = pd.read_csv(tmp_path / "w" / "ingest_log.csv", dtype=str, keep_default_na=False)
    assert log.loc[log["file"] == "PANGGUL/rusak.xlsx", "status"].tolist() == ["failed"]
    assert (log.loc[log["file"] != "PANGGUL/rusak.xlsx", "status"] != "failed").all()


def test_validate_before_ingest_says_what_to_do(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["validate", "-w", str(tmp_path), "--dukcapil", str(SAMPLE / "dukcapil.parquet")]
    )
    assert result.exit_code == 2
    assert "bantuan ingest" in result.output


def test_registry_without_a_nik_column_is_one_clear_message(tmp_path: Path) -> None:
    runner.invoke(app, ["ingest", str(SAMPLE / "desa" / "PANGGUL"), "-w", str(tmp_path)])
    bad = tmp_path / "registry.csv"
    bad.write_text("NAMA_LGKP,TGL_LHR\nBUDI,1980-01-01\n", "utf-8")
    result = runner.invoke(app, ["validate", "-w", str(tmp_path), "--dukcapil", str(bad)])
    assert result.exit_code == 2
    assert "no column for nik" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "validated.parquet").exists()


def test_sample_chain_end_to_end_without_printing_a_nik(tmp_path: Path) -> None:
    work = tmp_path / "w"
    outputs = [
        runner.invoke(app, ["ingest", str(SAMPLE / "desa"), "-w", str(work)]),
        runner.invoke(
            app,
            ["validate", "-w", str(work), "--dukcapil", str(SAMPLE / "dukcapil.parquet"),
             "--enrolled", str(SAMPLE / "peserta_aktif.csv")],
        ),
    ]  # fmt: skip
    for result in outputs:
        assert result.exit_code == 0, result.output
        assert not re.search(r"\d{12,}", result.output)
    validated = pd.read_csv(work / "validated.csv", dtype=str, keep_default_na=False)
    truth = pd.read_csv(SAMPLE / "truth.csv", dtype=str, keep_default_na=False)
    assert len(validated) == len(truth) == 1002
    merged = validated.merge(truth, on=["source_file", "source_sheet", "source_row"])
    assert len(merged) == len(truth)
    assert (merged["status"] == merged["expected_status"]).mean() >= 0.98
    assert "eligible" in outputs[1].output
    assert (work / "perbaikan").is_dir()
    assert oct((work / "validated.parquet").stat().st_mode & 0o777) == "0o600"
    assert oct(work.stat().st_mode & 0o777) == "0o700"


def test_report_and_run_from_a_config_file(tmp_path: Path) -> None:
    config = tmp_path / "bantuan.toml"
    config.write_text(
        "config_version = 1\n[run]\n"
        f'sources = ["{(SAMPLE / "desa").as_posix()}"]\n'
        f'dukcapil = "{(SAMPLE / "dukcapil.parquet").as_posix()}"\n'
        f'enrolled = "{(SAMPLE / "peserta_aktif.csv").as_posix()}"\n'
        'workdir = "work"\nyear = 2027\nbudget = 20_000_000\n',
        "utf-8",
    )
    result = runner.invoke(app, ["run", "--config", str(config)])
    assert result.exit_code == 0, result.output
    report = tmp_path / "work" / "report"
    assert (report / "lampiran_sk_2027.xlsx").exists()
    selected = pd.read_csv(report / "eligible_2027.csv", dtype=str)
    waiting = pd.read_csv(report / "cadangan_2027.csv", dtype=str)
    assert len(selected) == 20_000_000 // 201_600
    assert "x 12 months x Rp 16.800 = Rp 19.958.400" in screen_text(result.output)
    validated = pd.read_csv(tmp_path / "work" / "validated.csv", dtype=str)
    assert len(selected) + len(waiting) == (validated["status"] == "eligible").sum()
    assert not re.search(r"\d{12,}", result.output)
    # The village workbooks, written while the report stage worked, are whole and recorded.
    work = tmp_path / "work"
    manifest = json.loads((work / "manifest.json").read_text("utf-8"))
    recorded = {output["path"] for output in manifest["stages"]["validate"]["outputs"]}
    written = {p.relative_to(work).as_posix() for p in (work / "perbaikan").rglob("*.xlsx")}
    assert len(written) == 10 and written <= recorded
    assert not list(work.rglob(".*.tmp"))


def test_report_before_validate_and_bad_options(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "-w", str(tmp_path), "--year", "2027"])
    assert result.exit_code == 2 and "bantuan validate" in result.output
    result = runner.invoke(app, ["report", "-w", str(tmp_path), "--months", "13"])
    assert result.exit_code == 2


def test_run_stops_at_the_failing_stage(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["run", str(SAMPLE / "desa" / "PANGGUL"), "-w", str(tmp_path),
         "--dukcapil", str(tmp_path / "missing.csv")],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert (tmp_path / "ingested.parquet").exists()
    assert not (tmp_path / "validated.parquet").exists()


def test_config_prints_the_documented_defaults() -> None:
    result = runner.invoke(app, ["config"])
    assert result.exit_code == 0
    assert "name_min_similarity = 85" in result.output


def test_a_report_for_another_year_than_validated_is_refused(tmp_path: Path) -> None:
    runner.invoke(
        app, ["run", str(SAMPLE / "desa" / "PULE"), "-d", str(SAMPLE / "dukcapil.parquet"),
              "-w", str(tmp_path), "--year", "2027"]
    )  # fmt: skip
    before = (tmp_path / "report" / "eligible_2027.csv").read_bytes()
    result = runner.invoke(app, ["report", "-w", str(tmp_path), "--year", "2028"])
    assert result.exit_code == 2
    assert "validated for 2027" in screen_text(result.output)
    assert not (tmp_path / "report" / "eligible_2028.csv").exists()
    assert (tmp_path / "report" / "eligible_2027.csv").read_bytes() == before


def test_the_example_config_is_valid() -> None:
    from bantuan_iuran.config import load_settings, read_user_config

    example = ROOT / "examples" / "bantuan.toml"
    assert load_settings(example).programme.year == 2027
    assert read_user_config(example)["run"]["sources"] == ["../data/sample/desa"]


def test_an_unreadable_sheet_prints_the_lines_that_read_it_and_they_do(tmp_path: Path) -> None:
    """The analyst pastes the printed [[layout]] lines, fills in the letter, and the sheet is read;
    the override is in the manifest."""
    source = tmp_path / "desa"
    source.mkdir()
    shutil.copy(ROOT / "tests" / "layouts" / "files" / "clerk" / "dua kolom nomor.xlsx", source)
    result = runner.invoke(app, ["ingest", str(source), "-w", str(tmp_path / "w")])
    assert result.exit_code == 1
    hint = result.output[result.output.index("[[layout]]") :]
    lines = [line.strip("│ ") for line in hint.splitlines()[:6]]
    assert lines[:4] == [
        "[[layout]]",
        'file = "dua kolom nomor.xlsx"',
        'sheet = "Sheet1"',
        "header_row = 1",
    ]
    assert "3503" not in result.output.replace("3503********", "")
    config = tmp_path / "bantuan.toml"
    config.write_text("\n".join([*lines[:4], 'nik = "B"', 'name = "D"']) + "\n", "utf-8")
    work = tmp_path / "w2"
    result = runner.invoke(app, ["ingest", str(source), "-w", str(work), "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert len(pd.read_parquet(work / "ingested.parquet")) == 4
    manifest = json.loads((work / "manifest.json").read_text("utf-8"))
    assert manifest["stages"]["ingest"]["config"]["layout"][0]["nik"] == "B"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('file = "a.xlsx"\nnik = "B"', "must give the `nik` and `name`"),
        ('file = "a.xlsx"\nnik = "B"\nname = "C"\nnama = "D"', "unknown keys: nama"),
        ('file = "a.xlsx"\nnik = "2"\nname = "C"', "is not a column letter"),
        ('file = "a.xlsx"\nnik = "B"\nname = "C"\nheader_row = -1', "header_row must be"),
    ],
)
def test_layout_overrides_with_mistakes_are_refused(
    tmp_path: Path, entry: str, message: str
) -> None:
    config = tmp_path / "bantuan.toml"
    config.write_text(f"[[layout]]\n{entry}\n", "utf-8")
    result = runner.invoke(
        app, ["ingest", str(tmp_path), "-w", str(tmp_path / "w"), "--config", str(config)]
    )
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())


@pytest.mark.parametrize("budget", ["30000000", "30.000.000", "Rp 30.000.000"])
def test_budget_as_indonesians_write_it(tmp_path: Path, budget: str) -> None:
    work = tmp_path / "w"
    runner.invoke(app, ["ingest", str(SAMPLE / "desa"), "-w", str(work)])
    runner.invoke(app, ["validate", "-w", str(work), "-d", str(SAMPLE / "dukcapil.parquet")])
    result = runner.invoke(app, ["report", "-w", str(work), "--year", "2027", "--budget", budget])
    assert result.exit_code == 0, result.output
    # Rp 30,000,000 / (Rp 16,800 x 12 months) = 148.8: 148 people.
    assert "The budget of Rp 30.000.000 covers 148 of the" in screen_text(result.output)


@pytest.mark.parametrize("budget", ["-1000000", "2100000000.5", "banyak"])
def test_a_budget_that_is_not_whole_rupiah_is_a_usage_error(tmp_path: Path, budget: str) -> None:
    result = runner.invoke(app, ["report", "-w", str(tmp_path), "--budget", budget])
    assert result.exit_code == 2
    assert "not a whole amount of rupiah" in screen_text(result.output)


def test_a_config_typo_is_exit_2_with_a_did_you_mean(tmp_path: Path) -> None:
    config = tmp_path / "bantuan.toml"
    config.write_text("[programme]\nyaer = 2027\n", "utf-8")
    result = runner.invoke(
        app, ["ingest", str(SAMPLE / "desa" / "PULE"), "-w", str(tmp_path / "w"), "-c", str(config)]
    )
    assert result.exit_code == 2
    assert "Unknown config key `programme.yaer`. Did you mean `year`?" in screen_text(result.output)


def test_basis_without_accepting_suggestions_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", "-w", str(tmp_path), "--basis", "nama"])
    assert result.exit_code == 2
    assert "--accept-suggestions" in screen_text(result.output)


def test_messages_a_newcomer_meets_name_what_to_do(tmp_path: Path) -> None:
    work = tmp_path / "work"
    assert (
        runner.invoke(app, ["ingest", str(SAMPLE / "desa" / "PULE"), "-w", str(work)]).exit_code
        == 0
    )
    validate = ["validate", "-w", str(work)]
    swapped = runner.invoke(
        app,
        [*validate, "-d", str(SAMPLE / "peserta_aktif.csv"), "-e", str(SAMPLE / "dukcapil.csv")],
    )
    assert swapped.exit_code == 2 and "--dukcapil and --enrolled swapped" in screen_text(
        swapped.output
    )
    folder = runner.invoke(app, [*validate, "-d", str(SAMPLE)])
    assert folder.exit_code == 2 and "is a folder" in screen_text(folder.output)
    mistyped = runner.invoke(app, ["report", "-w", str(tmp_path / "wrok")])
    assert mistyped.exit_code == 2 and "There is no work folder" in screen_text(mistyped.output)
    assert not (tmp_path / "wrok").exists()
    assert runner.invoke(app, [*validate, "-d", str(SAMPLE / "dukcapil.parquet")]).exit_code == 0
    config = tmp_path / "bantuan.toml"
    config.write_text('[run]\nbudget = "2.100.000.000"\n', "utf-8")
    report = runner.invoke(app, ["report", "-w", str(work), "--config", str(config)])
    assert report.exit_code == 0
    assert "rows still need a fix from their villages" in screen_text(report.output)
