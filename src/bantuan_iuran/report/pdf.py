"""The decree attachment as a PDF: the pages decree.py cut, drawn with reportlab in the font
the widths were measured with (embedded), at the workbook's print scale, so that what is signed
does not depend on anyone's spreadsheet program or locale. Same inputs, same bytes."""

from __future__ import annotations

from pathlib import Path

from bantuan_iuran.atomic import atomic_path
from bantuan_iuran.excel import (
    A4_LANDSCAPE_PT,
    CELL_PADDING_PT,
    FONT_SIZE,
    LINE_PT,
    MARGINS_IN,
    column_points,
)
from bantuan_iuran.fonts import registered, text_width
from bantuan_iuran.money import thousands
from bantuan_iuran.report.decree import (
    COLUMNS,
    NUMBER_COLUMNS,
    TITLE_PT,
    DecreeDocument,
    total_label,
)
from bantuan_iuran.report.pages import PERSON, TOTAL, Line


class _Page:
    """Positions on the page: the columns' left edges and the scale everything is drawn at."""

    def __init__(self, document: DecreeDocument) -> None:
        self.scale = document.scale / 100
        self.left = MARGINS_IN["left"] * 72
        self.top = A4_LANDSCAPE_PT[1] - MARGINS_IN["top"] * 72
        widths = [column_points(width) * self.scale for width in document.widths]
        self.edges = [self.left]
        for width in widths:
            self.edges.append(self.edges[-1] + width)
        self.size = FONT_SIZE * self.scale
        self.row = LINE_PT * self.scale
        self.pad = CELL_PADDING_PT * self.scale / 2


def write_decree_pdf(document: DecreeDocument, path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    regular, bold = registered()
    with atomic_path(path) as tmp:
        canvas = Canvas(
            str(tmp),
            pagesize=A4_LANDSCAPE_PT,
            invariant=True,  # no creation time or random id: the same bytes every run
            initialFontName=regular,
            pageCompression=1,
        )
        canvas.setTitle(document.heading[0])
        page = _Page(document)
        count = len(document.pages)
        for number, lines in enumerate(document.pages, start=1):
            y = page.top
            if number == 1:
                y = _title(canvas, page, document, (regular, bold))
            y = _header(canvas, page, y, document.header_pt, bold)
            rows: list[float] = []  # the edges of the people's rows since the last other line
            for line in lines:
                if line.kind != PERSON:
                    _people_grid(canvas, page, rows)
                    rows = []
                top, y = y, _line(canvas, page, y, line, (regular, bold))
                if line.kind == PERSON:
                    rows = rows or [top]
                    rows.append(y)
            _people_grid(canvas, page, rows)
            if number == count:
                _closing(canvas, page, y, document, (regular, bold))
            canvas.setFont(regular, page.size)
            canvas.drawCentredString(
                A4_LANDSCAPE_PT[0] / 2, 0.25 * 72, f"Halaman {number} dari {count}"
            )
            canvas.showPage()
        canvas.save()


def _title(canvas, page: _Page, document: DecreeDocument, fonts: tuple[str, str]) -> float:
    regular, bold = fonts
    y = page.top - TITLE_PT * page.scale
    canvas.setFont(bold, 13 * page.scale)
    canvas.drawString(page.left, y + 4 * page.scale, document.heading[0])
    canvas.setFont(regular, page.size)
    for text in document.heading[1:]:
        y -= page.row
        canvas.drawString(page.left, y + 4 * page.scale, text)
    for label, value in document.identification:
        y -= page.row
        canvas.drawString(page.edges[1] + page.pad, y + 4 * page.scale, label)
        canvas.drawString(page.edges[2] + page.pad, y + 4 * page.scale, f": {value}")
    return y - page.row * 2  # the blank row above the table


def _header(canvas, page: _Page, y: float, height_pt: float, bold: str) -> float:
    from reportlab.lib.utils import simpleSplit

    height = height_pt * page.scale
    canvas.setFillGray(0.87)
    canvas.rect(page.edges[0], y - height, page.edges[-1] - page.edges[0], height, fill=1)
    canvas.setFillGray(0)
    canvas.setFont(bold, page.size)
    for column, (header, *_bounds) in enumerate(COLUMNS):
        width = page.edges[column + 1] - page.edges[column] - 2 * page.pad
        for offset, text in enumerate(simpleSplit(header, bold, page.size, width)):
            baseline = y - page.size * (offset + 1) - page.pad / 2
            canvas.drawString(page.edges[column] + page.pad, baseline, text)
    _grid(canvas, page, y, height, page.edges)
    return y - height


def _line(canvas, page: _Page, y: float, line: Line, fonts: tuple[str, str]) -> float:
    from reportlab.lib.utils import simpleSplit

    regular, bold = fonts
    height = page.row * line.lines
    baseline = y - page.row + 4 * page.scale
    last = len(COLUMNS) - 1
    if line.kind == PERSON:
        # One text object a row: thirteen thousand rows of a drawString per cell take seconds.
        text = canvas.beginText()
        text.setFont(regular, page.size)
        for column, value in enumerate(line.cells):
            left, right = page.edges[column], page.edges[column + 1]
            if column >= len(COLUMNS) - NUMBER_COLUMNS:
                text.setTextOrigin(right - page.pad - text_width(value, page.size), baseline)
                text.textOut(value)
                continue
            width = right - left - 2 * page.pad
            parts = [value] if line.lines == 1 else simpleSplit(value, regular, page.size, width)
            for offset, part in enumerate(parts):
                text.setTextOrigin(left + page.pad, baseline - offset * page.row)
                text.textOut(part)
        canvas.drawText(text)  # its grid is drawn with its neighbours' (_people_grid)
    elif line.kind == TOTAL:
        canvas.setFont(bold, page.size)
        canvas.drawRightString(page.edges[last] - page.pad, baseline, total_label(line))
        canvas.drawRightString(page.edges[-1] - page.pad, baseline, thousands(line.amount))
        _grid(canvas, page, y, height, [page.edges[0], page.edges[last], page.edges[-1]])
    else:
        canvas.setFont(bold, page.size)
        canvas.drawString(page.edges[0] + page.pad, baseline, line.label)
        _grid(canvas, page, y, height, [page.edges[0], page.edges[-1]])
    return y - height


def _people_grid(canvas, page: _Page, rows: list[float]) -> None:
    """The grid of consecutive people's rows (`rows`: their top, then each row's bottom) in one
    rectangle and one path of lines, as a row-by-row grid would print them: drawing a grid per
    row had taken a quarter of the PDF's time."""
    if len(rows) < 2:
        return
    top, bottom = rows[0], rows[-1]
    _grid(canvas, page, top, top - bottom, page.edges)
    left, right = page.edges[0], page.edges[-1]
    canvas.lines([(left, y, right, y) for y in rows[1:-1]])


def _grid(canvas, page: _Page, y: float, height: float, edges: list[float]) -> None:
    canvas.setLineWidth(0.5 * page.scale)
    canvas.rect(edges[0], y - height, edges[-1] - edges[0], height)
    canvas.lines([(x, y, x, y - height) for x in edges[1:-1]])


def _closing(canvas, page: _Page, y: float, document: DecreeDocument, fonts) -> None:
    regular, bold = fonts
    closing, signature = document.closing, document.signature_column
    canvas.setFont(bold, page.size)
    canvas.drawString(page.edges[2] + page.pad, y - page.row + 4 * page.scale, closing[0])
    canvas.setFont(regular, page.size)
    for offset, text in enumerate(closing[1:], start=2):
        baseline = y - page.row * offset + 4 * page.scale
        canvas.drawString(page.edges[signature] + page.pad, baseline, text)
