"""Render what `bantuan month` shows for April of the sample's year (after `make demo`) as an
SVG, for the README (then: rsvg-convert -b white docs/month.svg -o docs/month.png, and delete
the SVG). Works on a copy of work/sample."""

import contextlib
import shutil
from pathlib import Path

from rich.console import Console

from bantuan_iuran import render
from bantuan_iuran.cli import app

work = Path("work/picture-month")
shutil.rmtree(work, ignore_errors=True)
shutil.copytree("work/sample", work)
render.status = lambda message: contextlib.nullcontext()
render.console = Console(record=True, width=110, force_terminal=True, highlight=False)
render.errors = render.console
app(["month", "work/sample-tahun/tagihan_2027-04.xlsx", "-m", "2027-04", "-w", str(work),
     "--today", "2027-04-20"], standalone_mode=False)  # fmt: skip
render.console.save_svg("docs/month.svg", title="bantuan month")
shutil.rmtree(work)
