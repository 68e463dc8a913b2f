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
    measured in Helvetica (reportlab's own metrics, not the font the code sized with) at the
    cell's font size, on one line or, for wrapped cells, on the lines the row's height holds."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from bantuan_iuran.excel import column_points

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
                width += column_points(max((dimension.width or 8.43) - 0.71, 0))
            size = cell.font.sz or 11
            font = "Helvetica-Bold" if cell.font.b else "Helvetica"
            height = sheet.row_dimensions[cell.row].height or 15
            lines = max(1, int(height // (size * 1.3))) if cell.alignment.wrap_text else 1
            needed = stringWidth(cell.value, font, size) / lines
            if needed > width - 2:
                problems.append(f"{cell.coordinate} {cell.value!r}: {needed:.0f} > {width:.0f} pt")
    return problems
