"""Files Excel opens that are not workbooks: web-page tables saved as .xls (what many
Indonesian web applications export as "Excel") and Excel 2003 XML spreadsheets. Each table (or
worksheet) becomes a sheet of cells for the same layout detection as any workbook; merged
cells keep their value in the first cell, as a workbook reader gives them.

lxml reads both, with entity resolution and network access off, so an XML bomb cannot expand.
"""

from __future__ import annotations

import re
from datetime import datetime

from bantuan_iuran.ingest.cells import EMPTY, Cell, Sheet, UnreadableFile, cell_from_value

_SPREADSHEET_NS = "urn:schemas-microsoft-com:office:spreadsheet"
_SS = f"{{{_SPREADSHEET_NS}}}"
_SNIFF = 4096


def markup_kind(head: bytes) -> str:
    """'xml' for an Excel 2003 XML spreadsheet, 'html' for a web page, '' for anything else.

    >>> markup_kind(b'<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook')
    'xml'
    >>> markup_kind(b"\\xef\\xbb\\xbf<html><body><table>"), markup_kind(b"PK\\x03\\x04")
    ('html', '')
    """
    text = head[:_SNIFF].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not text.startswith(b"<"):
        return ""
    if _SPREADSHEET_NS.encode() in text or b'progid="excel.sheet"' in text:
        return "xml"
    if any(tag in text for tag in (b"<html", b"<table", b"<!doctype html", b"<meta", b"<head")):
        return "html"
    return ""


def read_markup(data: bytes, kind: str) -> list[Sheet]:
    if b"<!ENTITY" in data:
        raise UnreadableFile("the file declares XML entities (a possible XML bomb); refused")
    sheets = read_spreadsheet_xml(data) if kind == "xml" else read_html_tables(data)
    if not sheets:
        what = "Excel 2003 XML spreadsheet" if kind == "xml" else "web page (HTML)"
        raise UnreadableFile(f"the file is a {what} without any table; ask for the Excel file")
    return sheets


def read_html_tables(data: bytes) -> list[Sheet]:
    """Every table of a web page as a sheet ('Tabel 1', 'Tabel 2'...), nested tables apart."""
    import lxml.html
    from lxml import etree

    try:
        document = lxml.html.document_fromstring(data)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableFile(f"the web page (HTML) cannot be read ({exc})") from exc
    tables = document.xpath("//table")
    return [Sheet(f"Tabel {n}", _html_rows(table)) for n, table in enumerate(tables, start=1)]


def _html_rows(table) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    spans: dict[int, int] = {}  # column -> rows still covered by a cell above (rowspan)
    for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        row: list[Cell] = []
        for td in tr.xpath("./td|./th"):
            while spans.get(len(row), 0) > 0:
                spans[len(row)] -= 1
                row.append(EMPTY)
            width = _bounded(td.get("colspan"), 1, 1000)
            height = _bounded(td.get("rowspan"), 1, 1000)
            for offset in range(width):
                if height > 1:
                    spans[len(row)] = height - 1
                row.append(_html_cell(td) if offset == 0 else EMPTY)
        while spans.get(len(row), 0) > 0:
            spans[len(row)] -= 1
            row.append(EMPTY)
        rows.append(row)
    return rows


def _bounded(value: str | None, low: int, high: int) -> int:
    """A count written in an attribute (colspan, ss:MergeAcross), within what a sheet can
    hold; a damaged one counts as `low`."""
    try:
        return min(max(int(value or low), low), high)
    except ValueError:
        return low


def _html_cell(td) -> Cell:
    """A cell's text as shown: a line break (<br>) stays a line break, other spaces fold."""
    for br in td.iter("br"):
        br.tail = "\n" + (br.tail or "")
    lines = (" ".join(line.split()) for line in td.text_content().split("\n"))
    text = "\n".join(line for line in lines if line)
    return Cell(text) if text else EMPTY


def read_spreadsheet_xml(data: bytes) -> list[Sheet]:
    """The worksheets of an Excel 2003 XML spreadsheet (SpreadsheetML)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)  # fmt: skip
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise UnreadableFile(f"the Excel 2003 XML spreadsheet is damaged ({exc})") from exc
    return [
        Sheet(sheet.get(f"{_SS}Name", f"Sheet{n}"), _xml_rows(sheet))
        for n, sheet in enumerate(root.iter(f"{_SS}Worksheet"), start=1)
    ]


def _xml_rows(worksheet) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for table in worksheet.iter(f"{_SS}Table"):
        for element in table.iter(f"{_SS}Row"):
            index = _index(element.get(f"{_SS}Index"))
            while index and len(rows) < index - 1:
                rows.append([])
            row: list[Cell] = []
            for cell in element.iter(f"{_SS}Cell"):
                column = _index(cell.get(f"{_SS}Index"))
                while column and len(row) < column - 1:
                    row.append(EMPTY)
                row.append(_xml_cell(cell))
                row.extend([EMPTY] * _bounded(cell.get(f"{_SS}MergeAcross"), 0, 16_384))
            rows.append(row)
    return rows


def _index(value: str | None) -> int:
    """A 1-based ss:Index, bounded as a sheet is (a damaged one is ignored)."""
    try:
        number = int(value or 0)
    except ValueError:
        return 0
    return number if 0 < number <= 1_048_576 else 0


def _xml_cell(cell) -> Cell:
    data = cell.find(f"{_SS}Data")
    if data is None:
        return EMPTY
    text = "".join(data.itertext()).strip()
    kind = data.get(f"{_SS}Type", "String")
    if kind == "Number":
        try:
            return cell_from_value(float(text))
        except ValueError:
            return Cell(text)
    if kind == "DateTime":
        try:
            return cell_from_value(datetime.fromisoformat(re.sub(r"\.\d+$", "", text)))
        except ValueError:
            return Cell(text)
    if kind == "Boolean":
        return cell_from_value(text == "1")
    return cell_from_value(text)
