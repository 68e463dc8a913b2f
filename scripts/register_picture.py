"""Render what `bantuan handover` and `bantuan branch-result` show after `make demo` as an
SVG, for the README (then: rsvg-convert -b white docs/register.svg -o docs/register.png, and
delete the SVG). Works on a copy of work/sample before its hand-over."""

import contextlib
import shutil
from pathlib import Path

from rich.console import Console

from bantuan_iuran import render
from bantuan_iuran.cli import app

work, played = Path("work/picture-register"), Path("work/picture-cabang")
for folder in (work, played):
    shutil.rmtree(folder, ignore_errors=True)
shutil.copytree("work/sample", work, ignore=shutil.ignore_patterns("serah_terima", "register.csv"))
with contextlib.closing(__import__("sqlite3").connect(work / "ledger.sqlite")) as ledger:
    ledger.execute("DELETE FROM register")
    ledger.commit()
render.status = lambda message: contextlib.nullcontext()
render.console = Console(record=True, width=96, force_terminal=True, highlight=False)
app(["handover", "-w", str(work)], standalone_mode=False)
app(["sample", str(played), "--branch-to", str(work)], standalone_mode=False)
render.console = Console(record=True, width=96, force_terminal=True, highlight=False)
app(["branch-result", *map(str, sorted(played.iterdir())), "-w", str(work)],
    standalone_mode=False)  # fmt: skip
render.console.save_svg("docs/register.svg", title="bantuan branch-result")
