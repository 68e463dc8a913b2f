"""Trust: hostile and broken input, output safety, personal data, crash safety, audit trail."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from bantuan_iuran.cli import app
from bantuan_iuran.config import load_settings
from bantuan_iuran.ingest import find_source_files, run_ingest
from helpers import SAMPLE, screen_text

CORPUS = Path(__file__).parent / "corpus" / "files"
runner = CliRunner()
SIXTEEN_DIGITS = re.compile(r"\d{16}")


def _ingest_one(name: str, tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS / name, folder / name)
    shutil.copy(SAMPLE / "desa" / "PULE" / "pakel.xlsx", folder / "pakel.xlsx")
    return run_ingest(find_source_files([folder]), load_settings())


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.xlsx", "empty (0 bytes)"),
        ("truncated.xlsx", "damaged"),
        ("surat.xlsx", "Word document"),
        ("scan.xlsx", "PDF"),
        ("terkunci.xlsx", "password-protected"),
        ("xml_bomb.xlsx", "XML bomb"),
        ("zip_bomb.xlsx", "zip bomb"),
    ],
)
def test_each_bad_file_fails_alone_with_a_plain_reason(tmp_path: Path, name, message) -> None:
    result = _ingest_one(name, tmp_path)
    failed = result.log[result.log["status"] == "failed"]
    assert failed["file"].tolist() == [name]
    assert message in failed["message"].iloc[0]
    assert result.log.loc[result.log["file"] == "pakel.xlsx", "status"].eq("ok").all()
    assert len(result.applicants) > 50


@pytest.mark.parametrize(
    ("name", "rows"),
    [
        ("utf16.csv", 1),
        ("ragged.csv", 2),
        ("formatted_to_last_row.xlsx", 100),
        ("wide.xlsx", 1),
        ("formulas.xlsx", 5),
        ("export_web.xls", 1),  # a web page's table saved as .xls, as web applications export
    ],
)
def test_odd_but_readable_files_are_read(tmp_path: Path, name: str, rows: int) -> None:
    result = _ingest_one(name, tmp_path)
    mine = result.applicants[result.applicants["source_file"] == name]
    assert len(mine) == rows
    assert result.failed_files == 0


def test_formula_cells_count_by_their_cached_value(tmp_path: Path) -> None:
    rows = _ingest_one("formulas.xlsx", tmp_path).applicants
    first = rows[rows["source_file"] == "formulas.xlsx"].iloc[0]
    assert (first["name"], first["birth_date"]) == ("BUDI SANTOSO", "12-05-1980")
    names = rows[rows["source_file"] == "formulas.xlsx"]["name"].tolist()
    assert names[1:] == ['=HYPERLINK("http://example.invalid","klik")', "+SITI", "-SITI",
                         "@SUM(A1:A2)"]  # fmt: skip


@pytest.fixture(scope="module")
def chain(tmp_path_factory) -> dict[str, object]:
    """The whole chain on the sample plus the injection file, output captured."""
    root = tmp_path_factory.mktemp("chain")
    source = root / "desa"
    shutil.copytree(SAMPLE / "desa", source)
    shutil.copy(CORPUS / "formulas.xlsx", source / "KARANGAN_formulas.xlsx")
    shutil.copy(CORPUS / "zip_bomb.xlsx", source / "bom.xlsx")
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in source.rglob("*") if p.is_file()}
    work = root / "work"
    result = runner.invoke(
        app,
        ["run", str(source), "-d", str(SAMPLE / "dukcapil.csv"),
         "-e", str(SAMPLE / "peserta_aktif.csv"), "-w", str(work), "--year", "2027",
         "--budget", "30000000"],
    )  # fmt: skip
    return {"result": result, "work": work, "source": source, "before": before}


def test_chain_goes_on_past_a_bad_file_and_says_so(chain) -> None:
    result = chain["result"]
    assert result.exit_code == 1, result.output
    assert "bom.xlsx" in result.output


def test_no_full_nik_ever_reaches_the_screen(chain) -> None:
    assert not SIXTEEN_DIGITS.search(chain["result"].output)
    assert "3503*" in chain["result"].output or "eligible" in chain["result"].output


def test_inputs_are_never_modified(chain) -> None:
    for path, (data, mtime) in chain["before"].items():
        assert path.read_bytes() == data
        assert path.stat().st_mtime_ns == mtime


def test_no_output_holds_a_formula_or_a_numeric_nik(chain) -> None:
    work: Path = chain["work"]
    workbooks = sorted(work.rglob("*.xlsx"))
    assert len(workbooks) >= 5
    for path in workbooks:
        for sheet in openpyxl.load_workbook(path).worksheets:
            header_nik_columns = set()
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"formula in {path.name}!{cell.coordinate}"
                    if isinstance(cell.value, str) and cell.value.startswith("NIK"):
                        header_nik_columns.add(cell.column)
                    if isinstance(cell.value, int | float):
                        assert cell.column not in header_nik_columns, f"numeric NIK in {path}"
                        assert not SIXTEEN_DIGITS.fullmatch(str(int(cell.value)))
    for path in sorted(work.rglob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        for column in frame.columns:
            assert not frame[column].str.match(r"^[=+\-@\t\r]").any(), f"{path.name}:{column}"
    validated = pd.read_csv(work / "validated.csv", dtype=str, keep_default_na=False)
    assert '\'=HYPERLINK("http://example.invalid","klik")' in set(validated["name"])


def test_work_files_are_readable_by_the_owner_only(chain) -> None:
    work: Path = chain["work"]
    for path in [work, *work.rglob("*")]:
        mode = path.stat().st_mode & 0o777
        assert mode == (0o700 if path.is_dir() else 0o600), f"{path}: {oct(mode)}"


def test_manifest_records_inputs_config_and_reconciled_counts(chain) -> None:
    manifest = json.loads((chain["work"] / "manifest.json").read_text())
    stages = manifest["stages"]
    assert list(stages) == ["ingest", "validate", "report"]
    validate = stages["validate"]
    rows = validate["rows"]
    assert rows["ingested"] == rows["eligible"] + rows["needs_fix"] + rows["ineligible"]
    assert rows["ingested"] == stages["ingest"]["rows"]["applicant_rows"]
    registry = next(f for f in validate["inputs"] if f["path"].endswith("dukcapil.csv"))
    assert registry["bytes"] == (SAMPLE / "dukcapil.csv").stat().st_size
    assert len(registry["sha256"]) == 64
    assert validate["config"]["programme"]["year"] == 2027
    assert (
        stages["report"]["rows"]["selected"] + stages["report"]["rows"]["waiting"]
        == (rows["eligible"])
    )
    assert validate["started"] <= validate["finished"]


def test_reruns_give_byte_identical_csv(chain, tmp_path: Path) -> None:
    work = tmp_path / "again"
    runner.invoke(
        app,
        ["run", str(chain["source"]), "-d", str(SAMPLE / "dukcapil.csv"),
         "-e", str(SAMPLE / "peserta_aktif.csv"), "-w", str(work), "--year", "2027",
         "--budget", "30000000"],
    )  # fmt: skip
    first = sorted(p.relative_to(chain["work"]) for p in chain["work"].rglob("*.csv"))
    assert first == sorted(p.relative_to(work) for p in work.rglob("*.csv"))
    for name in first:
        assert (chain["work"] / name).read_bytes() == (work / name).read_bytes(), name


def test_same_file_twice_is_reported_and_counted_once(tmp_path: Path) -> None:
    source = tmp_path / "desa"
    source.mkdir()
    shutil.copy(SAMPLE / "desa" / "PULE" / "pakel.xlsx", source / "pakel.xlsx")
    shutil.copy(SAMPLE / "desa" / "PULE" / "pakel.xlsx", source / "pakel (1).xlsx")
    work = tmp_path / "w"
    result = runner.invoke(
        app,
        ["run", str(source), "-d", str(SAMPLE / "dukcapil.parquet"), "-w", str(work)],
    )
    output = result.output.replace("\n", " ")
    assert "the same bytes as" in " ".join(output.split())
    # The same people twice: one version of the village's list replaces the other, whose
    # rows are accounted for in dropped.csv.
    validated = pd.read_parquet(work / "validated.parquet")
    kept = validated["source_file"].iloc[0]
    assert (validated["source_file"] == kept).all()
    dropped = pd.read_csv(work / "dropped.csv", dtype=str, keep_default_na=False)
    replaced = dropped[dropped["kind"] == "replaced"]
    assert len(replaced) == len(validated) and (replaced["text"] == f"diganti oleh {kept}").all()
    eligible = validated[validated["status"] == "eligible"]
    assert eligible["nik"].is_unique and not validated["reasons"].str.contains("DUPLICATE").any()
    listed = pd.read_csv(work / "report" / "eligible_2027.csv", dtype=str)
    assert sorted(listed["nik"]) == sorted(eligible["nik"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("NAMA_LGKP,TGL_LHR\nBUDI,1980-01-01\n", "no column for nik"),
        ("NIK,NAMA_LGKP,TGL_LHR\n3.50301E+15,BUDI,1980-01-01\n", "scientific notation"),
        ("NIK,NAMA_LGKP,TGL_LHR\n3503011205800001,BUDI,1980-05-12\n"
         "3503011205800001,SITI,1981-01-01\n",
         "dukcapil.csv holds NIKs more than once (3503********0001 in data rows 1 and 2)"),
    ],
)  # fmt: skip
def test_a_broken_registry_is_one_clear_message_and_nothing_is_written(
    tmp_path: Path, content: str, message: str
) -> None:
    runner.invoke(app, ["ingest", str(SAMPLE / "desa" / "PULE"), "-w", str(tmp_path)])
    registry = tmp_path / "dukcapil.csv"
    registry.write_text(content, "utf-8")
    result = runner.invoke(app, ["validate", "-w", str(tmp_path), "-d", str(registry)])
    assert result.exit_code == 2
    assert message in screen_text(result.output)
    assert not SIXTEEN_DIGITS.search(result.output)
    assert not (tmp_path / "validated.parquet").exists()


def test_an_enrolled_list_in_an_unknown_format_stops_with_exit_2(tmp_path: Path) -> None:
    runner.invoke(app, ["ingest", str(SAMPLE / "desa" / "PULE"), "-w", str(tmp_path)])
    enrolled = tmp_path / "peserta.json"
    enrolled.write_text("[]", "utf-8")
    result = runner.invoke(
        app,
        ["validate", "-w", str(tmp_path), "-d", str(SAMPLE / "dukcapil.parquet"),
         "-e", str(enrolled)],
    )  # fmt: skip
    assert result.exit_code == 2 and "peserta.json" in result.output
    assert not (tmp_path / "validated.parquet").exists()


def test_a_stage_warns_when_its_inputs_changed_since_the_previous_one(tmp_path: Path) -> None:
    source = tmp_path / "desa"
    shutil.copytree(SAMPLE / "desa" / "PULE", source)
    work = tmp_path / "w"
    runner.invoke(app, ["ingest", str(source), "-w", str(work)])
    (source / "pakel.xlsx").write_bytes(
        (SAMPLE / "desa" / "PULE" / "karanganyar.xlsx").read_bytes()
    )
    result = runner.invoke(
        app, ["validate", "-w", str(work), "-d", str(SAMPLE / "dukcapil.parquet")]
    )
    assert "village file(s) changed since `bantuan ingest`" in result.output.replace("\n", " ")
    table = pd.read_parquet(work / "validated.parquet")
    table.iloc[:5].to_parquet(work / "validated.parquet")
    result = runner.invoke(app, ["report", "-w", str(work)])
    assert "validated.parquet changed since the last `bantuan validate`" in result.output.replace(
        "\n", " "
    )
    refused = runner.invoke(app, ["ingest", str(source), "-w", str(work)])
    assert refused.exit_code == 2 and "Pakel" in refused.output  # its list is gone
    runner.invoke(app, ["ingest", str(source), "-w", str(work), "--drop-villages"])
    result = runner.invoke(app, ["report", "-w", str(work)])
    assert "ingested.parquet changed since the last `bantuan validate`" in result.output.replace(
        "\n", " "
    )


KILL_DURING_WRITE = """
import os, signal, sys
import pyarrow.csv as pa_csv
from bantuan_iuran.cli import app

original = pa_csv.write_csv

def write_csv_then_die(table, out, *args, **kwargs):
    original(table, out, *args, **kwargs)
    if "validated.csv" in out.name:
        out.flush()
        os.ftruncate(out.fileno(), os.fstat(out.fileno()).st_size // 2)
        os.kill(os.getpid(), signal.SIGKILL)

pa_csv.write_csv = write_csv_then_die
app(sys.argv[1:])
"""


def test_a_run_killed_while_writing_leaves_the_previous_outputs_whole(tmp_path: Path) -> None:
    work = tmp_path / "w"
    args = ["validate", "-w", str(work), "-d", str(SAMPLE / "dukcapil.parquet")]
    runner.invoke(app, ["ingest", str(SAMPLE / "desa" / "PULE"), "-w", str(work)])
    assert runner.invoke(app, args).exit_code == 0
    previous = (work / "validated.csv").read_bytes()
    killed = subprocess.run(
        [sys.executable, "-c", KILL_DURING_WRITE, *args], capture_output=True, check=False
    )
    assert killed.returncode == -9
    assert (work / "validated.csv").read_bytes() == previous
    leftovers = list(work.glob(".validated.csv.*.tmp"))
    assert leftovers, "the kill happened mid-write, into the temporary file"
    assert runner.invoke(app, args).exit_code == 0
    assert (work / "validated.csv").read_bytes() == previous
    assert not list(work.rglob("*.tmp"))


def test_purge_keeps_the_final_lists_and_the_manifest(tmp_path: Path) -> None:
    work = tmp_path / "w"
    runner.invoke(
        app, ["run", str(SAMPLE / "desa" / "PULE"), "-d", str(SAMPLE / "dukcapil.parquet"),
              "-w", str(work)]
    )  # fmt: skip
    result = runner.invoke(app, ["purge", "-w", str(work)], input="y\n")
    assert result.exit_code == 0, result.output
    left = sorted(p.relative_to(work).as_posix() for p in work.rglob("*") if p.is_file())
    assert "ingested.parquet" not in left and "validated.csv" not in left
    assert not any(p.startswith("perbaikan") for p in left)
    assert {"manifest.json", "report/eligible_2027.csv", "report/lampiran_sk_2027.xlsx"} <= set(
        left
    )
    manifest = json.loads((work / "manifest.json").read_text())
    assert "purge" in manifest["stages"]
    refused = runner.invoke(app, ["purge", "-w", str(tmp_path / "nowhere"), "--yes"])
    assert refused.exit_code == 2
    assert os.path.exists(work / "manifest.json")


def test_a_damaged_work_table_is_one_message(tmp_path: Path) -> None:
    (tmp_path / "ingested.parquet").write_bytes(b"PAR1 not really")
    result = runner.invoke(
        app, ["validate", "-w", str(tmp_path), "-d", str(SAMPLE / "dukcapil.csv")]
    )
    assert result.exit_code == 2
    assert "ingested.parquet cannot be used" in result.output.replace("\n", " ")
    pd.DataFrame({"x": [1]}).to_parquet(tmp_path / "validated.parquet")
    result = runner.invoke(app, ["report", "-w", str(tmp_path)])
    assert result.exit_code == 2 and "bantuan validate" in result.output
