"""The tool installed as an office computer would install it: the wheel into a clean virtual
environment, then the chain through the installed `bantuan` command (no make, no source
tree on the path)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

from helpers import ROOT, SAMPLE


def test_the_wheel_installs_into_a_clean_environment_and_runs_the_chain(tmp_path: Path) -> None:
    project = tmp_path / "project"  # a copy: building leaves a build/ folder where it builds
    shutil.copytree(ROOT / "src", project / "src",
                    ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))  # fmt: skip
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, project / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(project), "--no-deps", "-q", "-w",
         str(tmp_path)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    wheel = next(tmp_path.glob("bantuan_iuran-*.whl"))
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    scripts = environment / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run(
        [str(scripts / "python"), "-m", "pip", "install", "-q", str(wheel)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    bantuan = str(scripts / "bantuan")
    away = tmp_path / "elsewhere"  # not the source tree: only the installed package can run
    away.mkdir()
    helped = subprocess.run([bantuan, "--help"], capture_output=True, text=True, cwd=away)
    assert helped.returncode == 0 and "validate" in helped.stdout
    chain = subprocess.run(
        [bantuan, "run", str(SAMPLE / "desa"), "-d", str(SAMPLE / "dukcapil.parquet"),
         "-e", str(SAMPLE / "peserta_aktif.csv"), "--year", "2027", "-w", str(away / "work")],
        capture_output=True, text=True, cwd=away, timeout=600,
    )  # fmt: skip
    assert chain.returncode in (0, 1), chain.stdout + chain.stderr
    assert (away / "work" / "report" / "lampiran_sk_2027.pdf").exists()
    assert "619 people x 12 months" in " ".join(chain.stdout.split())
