"""Render what `bantuan validate` shows in round 2 of the sample (the generator playing the
villages) as an SVG, then a PNG for the README with rsvg-convert (Debian: librsvg2-bin):

    .venv/bin/python scripts/rounds_picture.py
"""

import contextlib
import shutil
import subprocess
from pathlib import Path

from rich.console import Console

from bantuan_iuran import render
from bantuan_iuran.cli import app

WORK, ANSWERS = Path("work/picture-rounds"), Path("work/picture-rounds-answers")
CHECK = ["-d", "data/sample/dukcapil.parquet", "-e", "data/sample/peserta_aktif.csv",
         "--year", "2027"]  # fmt: skip

for folder in (WORK, ANSWERS):
    shutil.rmtree(folder, ignore_errors=True)
render.status = lambda message: contextlib.nullcontext()
render.console = Console(record=True, width=96, force_terminal=True, highlight=False)
app(["ingest", "data/sample/desa", "-w", str(WORK)], standalone_mode=False)
app(["validate", "-w", str(WORK), *CHECK], standalone_mode=False)
app(["sample", str(ANSWERS), "--answers-to", str(WORK), "--batch", "data/sample"],
    standalone_mode=False)  # fmt: skip
app(["ingest", str(ANSWERS / "desa"), "-w", str(WORK)], standalone_mode=False)
render.console = Console(record=True, width=96, force_terminal=True, highlight=False)
app(["validate", "-w", str(WORK), *CHECK], standalone_mode=False)
render.console.save_svg("docs/rounds.svg", title="bantuan validate, round 2")
subprocess.run(
    ["rsvg-convert", "-b", "white", "docs/rounds.svg", "-o", "docs/rounds.png"], check=True
)
Path("docs/rounds.svg").unlink()
