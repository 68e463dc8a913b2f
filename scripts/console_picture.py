"""Render what `bantuan validate` and `bantuan report` show on the sample as an SVG, for the
README (then: rsvg-convert -b white docs/summary.svg -o docs/summary.png, and delete the SVG)."""

import contextlib
from pathlib import Path

from rich.console import Console

from bantuan_iuran import render
from bantuan_iuran.cli import app

render.console = Console(record=True, width=96, force_terminal=True, highlight=False)
render.status = lambda message: contextlib.nullcontext()
work = Path("work/picture")
app(["ingest", "data/sample/desa", "-w", str(work)], standalone_mode=False)
render.console = Console(record=True, width=96, force_terminal=True, highlight=False)
app(
    ["validate", "-w", str(work), "-d", "data/sample/dukcapil.parquet",
     "-e", "data/sample/peserta_aktif.csv", "--year", "2027"],
    standalone_mode=False,
)  # fmt: skip
app(["report", "-w", str(work), "--year", "2027"], standalone_mode=False)
render.console.save_svg("docs/summary.svg", title="bantuan validate / bantuan report")
