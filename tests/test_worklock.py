"""The work folder is ours alone: one run at a time, a foreign folder left as it was, our own
outputs never read back as village files, and file-system errors as one message (exit 2)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from bantuan_iuran.cli import app
from helpers import SAMPLE, screen_text

runner = CliRunner()
HOLD = """
import sys, time
from pathlib import Path
from bantuan_iuran.worklock import hold_workdir
with hold_workdir(Path(sys.argv[1]), "run"):
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_second_run_on_the_same_folder_is_refused_naming_the_first(tmp_path: Path) -> None:
    work = tmp_path / "work"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(work)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        result = runner.invoke(app, ["ingest", str(SAMPLE / "desa" / "PULE"), "-w", str(work)])
        assert result.exit_code == 2
        assert f"in use by process {holder.pid} (bantuan run, since" in screen_text(result.output)
        assert not (work / "ingested.parquet").exists()
    finally:
        holder.kill()
        holder.wait()
    result = runner.invoke(app, ["ingest", str(SAMPLE / "desa" / "PULE"), "-w", str(work)])
    assert result.exit_code == 0, result.output  # the OS released the dead holder's lock


def test_a_foreign_folder_keeps_its_mode_and_its_files(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    theirs = [shared / ".draft.tmp", shared / "notes.tmp", shared / ".x.bantuan.tmp"]
    for path in theirs:
        path.write_text("someone else's", "utf-8")
    result = runner.invoke(app, ["ingest", str(SAMPLE / "desa" / "PULE"), "-w", str(shared)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert all(p.read_text("utf-8") == "someone else's" for p in theirs)
    assert stat.S_IMODE((shared / "ingested.parquet").stat().st_mode) == 0o600


def test_a_file_given_as_the_work_folder_is_one_message(tmp_path: Path) -> None:
    afile = tmp_path / "work"
    afile.write_text("not a folder", "utf-8")
    mode = stat.S_IMODE(afile.stat().st_mode)
    result = runner.invoke(app, ["ingest", str(SAMPLE / "desa" / "PULE"), "-w", str(afile)])
    assert result.exit_code == 2
    assert f"Cannot use {afile}: is a file, not a folder" in screen_text(result.output)
    assert stat.S_IMODE(afile.stat().st_mode) == mode and afile.read_text("utf-8") == "not a folder"


def test_a_work_folder_inside_the_sources_is_never_read_as_village_files(tmp_path: Path) -> None:
    source = tmp_path / "desa"
    shutil.copytree(SAMPLE / "desa" / "PANGGUL", source / "PANGGUL")
    work = source / "work"
    for _ in range(2):
        result = runner.invoke(app, ["ingest", str(source), "-w", str(work)])
        assert result.exit_code == 0, result.output
    log = pd.read_csv(work / "ingest_log.csv", dtype=str, keep_default_na=False)
    assert sorted(log["file"]) == ["PANGGUL/DS_SAWAHAN_2027.xlsx", "PANGGUL/Desa Besuki.xlsx"]


def test_a_read_only_work_folder_is_exit_2_not_a_traceback(tmp_path: Path) -> None:
    if os.geteuid() == 0:  # root writes anywhere: make the folder a file's child instead
        target = tmp_path / "file" / "work"
        (tmp_path / "file").write_text("x", "utf-8")
    else:
        (tmp_path / "ro").mkdir(mode=0o500)
        target = tmp_path / "ro" / "work"
    result = runner.invoke(app, ["ingest", str(SAMPLE / "desa" / "PULE"), "-w", str(target)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "Cannot use" in screen_text(result.output)


def test_file_names_are_masked_like_any_text(tmp_path: Path) -> None:
    source = tmp_path / "desa"
    source.mkdir()
    (source / "Desa Kayen 3503 0112 0570 0001 [revisi].xlsx").write_bytes(b"PK\x03\x04broken")
    result = runner.invoke(app, ["ingest", str(source), "-w", str(tmp_path / "w")])
    assert result.exit_code == 1
    shown = screen_text(result.output)
    assert "Desa Kayen 3503********0001 [revisi].xlsx" in shown
    assert "0112" not in shown


def test_correction_workbooks_always_match_the_validated_rows(tmp_path: Path) -> None:
    work = tmp_path / "w"
    runner.invoke(app, ["ingest", str(SAMPLE / "desa"), "-w", str(work)])
    registry = ["-d", str(SAMPLE / "dukcapil.parquet")]
    assert runner.invoke(app, ["validate", "-w", str(work), *registry]).exit_code == 0
    old = work / "perbaikan" / "LAMA" / "Desa Hilang.xlsx"
    old.parent.mkdir()
    old.write_bytes(b"last round's workbook")
    result = runner.invoke(app, ["validate", "-w", str(work), *registry])
    assert result.exit_code == 0
    assert not old.exists() and not old.parent.exists()
    assert "Removed 1 correction workbook(s)" in screen_text(result.output)
    validated = pd.read_csv(work / "validated.csv", dtype=str, keep_default_na=False)
    villages = validated.loc[validated["status"] != "eligible", ["kecamatan", "desa"]]
    assert len(list((work / "perbaikan").rglob("*.xlsx"))) == len(villages.drop_duplicates())


def test_a_full_disk_is_exit_2_naming_the_file(tmp_path: Path) -> None:
    """On a tiny file system of its own (skipped where the test may not mount one)."""
    import pytest

    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small file system here")
    try:
        result = runner.invoke(app, ["ingest", str(SAMPLE / "desa"), "-w", str(disk / "work")])
        assert result.exit_code == 2
        shown = screen_text(result.output)
        assert "No space left on device" in shown and str(disk / "work") in shown
        assert "Traceback" not in result.output
        assert not list((disk / "work").glob(".*.tmp"))  # the half-written file was removed
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_an_output_that_cannot_be_replaced_is_named_not_its_temporary(
    tmp_path, monkeypatch
) -> None:
    import os

    from bantuan_iuran.atomic import atomic_path

    def refused(source, target):  # what Windows says when Excel holds the file open
        raise PermissionError(13, "Permission denied", str(source), None, str(target))

    monkeypatch.setattr(os, "replace", refused)
    target = tmp_path / "lampiran_sk_2027.xlsx"
    try:
        with atomic_path(target) as temporary:
            temporary.write_text("x")
    except OSError as error:
        assert error.filename == str(target) and "open in another program" in error.strerror
    else:
        raise AssertionError("the replace was refused: an error must say so")
    assert list(tmp_path.iterdir()) == []  # the temporary is gone
