"""Small frames and paths shared by the tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bantuan_iuran.config import Settings
from bantuan_iuran.registry import canonical_registry

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"


def registry_frame(people: list[dict[str, str]], settings: Settings) -> pd.DataFrame:
    """A registry extract from SIAK-named rows; unspecified fields take a Trenggalek default."""
    defaults = {
        "NIK": "",
        "NO_KK": "",
        "NAMA_LGKP": "",
        "TMPT_LHR": "TRENGGALEK",
        "TGL_LHR": "1980-01-01",
        "JENIS_KLMIN": "LAKI-LAKI",
        "JENIS_PKRJN": "PETANI/PEKEBUN",
        "ALAMAT": "DSN KRAJAN",
        "NO_RT": "1",
        "NO_RW": "2",
        "NO_PROP": "35",
        "NO_KAB": "3",
        "NO_KEC": "1",
        "NO_KEL": "2001",
        "NAMA_KEC": "PANGGUL",
        "NAMA_KEL": "BESUKI",
        "TGL_MATI": "",
    }
    raw = pd.DataFrame([{**defaults, **p} for p in people], dtype="str")
    return canonical_registry(raw, settings)


def ingested_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Ingested rows with provenance filled in; each dict overrides the defaults."""
    defaults: dict[str, object] = {
        "source_file": "PANGGUL/Desa Besuki.xlsx",
        "source_sheet": "Sheet1",
        "kode_desa": "3503012001",
        "nik_raw": "",
        "nik_is_number": False,
        "name": "",
        "birth_place": "",
        "birth_date": "",
        "sex": "",
        "address": "",
        "rt": "",
        "rw": "",
        "occupation": "",
        "kk": "",
        "extra": "",
        **dict.fromkeys(
            (
                "answer_nik",
                "answer_name",
                "answer_birth_date",
                "answer_action",
                "answer_note",
                "answer_source",
            ),
            "",
        ),  # fmt: skip
    }
    frame = pd.DataFrame([{**defaults, **r} for r in rows])
    frame.insert(0, "row_id", range(1, len(frame) + 1))
    frame.insert(3, "source_row", range(5, 5 + len(frame)))
    return frame.astype({"nik_is_number": "bool"})


def screen_text(output: str) -> str:
    """What a command printed, as one line of words: panel borders and line wraps removed."""
    return " ".join(output.replace("│", " ").replace("╭", " ").replace("╰", " ").split())


def cell_overflows(sheet) -> list[str]:
    """Cells of an openpyxl sheet whose text is wider than their column (or merged range),
    printed in Helvetica (Arial's and Liberation Sans's metrics, not the font the code sized
    with) by a program that sizes the columns by Helvetica's digit, at the cell's font size,
    on one line or, for wrapped cells, on the lines the row's height holds."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from bantuan_iuran.excel import column_points

    digit_px = stringWidth("0", "Helvetica", 11) / 0.75

    merged = {r.start_cell.coordinate: r for r in sheet.merged_cells.ranges}
    letters = {}
    problems = []
    for row in sheet.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str) or not cell.value or cell.font is None:
                continue
            if cell.border.left.style is None and cell.coordinate not in merged:
                continue  # text around the table (titles, signature) may run on
            span = merged.get(cell.coordinate)
            columns = range(span.min_col, span.max_col + 1) if span else [cell.column]
            width = 0.0
            for column in columns:
                letter = letters.setdefault(column, cell.parent.cell(1, column).column_letter)
                dimension = sheet.column_dimensions[letter]
                # openpyxl reads back the width with xlsxwriter's padding (+0.71) added
                width += column_points(max((dimension.width or 8.43) - 0.71, 0), digit_px)
            size = cell.font.sz or 11
            font = "Helvetica-Bold" if cell.font.b else "Helvetica"
            height = sheet.row_dimensions[cell.row].height or 15
            lines = max(1, int(height // (size * 1.3))) if cell.alignment.wrap_text else 1
            needed = stringWidth(cell.value, font, size) / lines
            if needed > width - 2:
                problems.append(f"{cell.coordinate} {cell.value!r}: {needed:.0f} > {width:.0f} pt")
    return problems


def excel_fit_scale(sheet) -> int:
    """The per cent at which Excel prints a sheet fitted to one A4 landscape page wide: its
    columns' widths as the file gives them (characters of Calibri 11's 7-pixel digit, padding
    included), never above 100 %."""
    import math

    from openpyxl.utils import get_column_letter

    from bantuan_iuran.excel import printable_points

    setup = sheet.page_setup
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    # fitToWidth is left out when it is 1, the default
    assert (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0)
    widths = [sheet.column_dimensions[get_column_letter(c)].width or 9.140625
              for c in range(1, sheet.max_column + 1)]  # fmt: skip
    pixels = sum(int(width * 7 + 0.5) for width in widths)
    return min(100, math.floor(printable_points()[0] / (pixels * 0.75) * 100))


_NO_CARLITO = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><pattern>
    <patelt name="family"><string>Carlito</string></patelt>
  </pattern></rejectfont></selectfont>
</fontconfig>
"""
# Printed as on an office computer with Calibri's metric twin, and as on one without it
# (LibreOffice installed without its recommended fonts: DejaVu Sans, a wider font, instead).
FONT_MACHINES = ["Carlito", "no Carlito"]


def print_with_libreoffice(path: Path, outdir: Path, machine: str):
    """`path` printed to PDF by LibreOffice (a profile of its own per machine, so that runs in
    parallel never share one), as pypdf's reader; "no Carlito" refuses that font to the one
    process through fontconfig."""
    import os
    import subprocess

    import pypdf

    env = dict(os.environ)
    profile = outdir / f"profile-{machine.replace(' ', '-')}"
    if machine == "no Carlito":
        conf = outdir / "no-carlito.conf"
        conf.write_text(_NO_CARLITO)
        env["FONTCONFIG_FILE"] = str(conf)
    target = outdir / machine.replace(" ", "-")
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(target), str(path)],
        check=True, capture_output=True, timeout=240, env=env,
    )  # fmt: skip
    return pypdf.PdfReader(target / f"{path.stem}.pdf")
