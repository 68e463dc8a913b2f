"""The branch's bill for a month, in whatever layout it comes: per person (found by the same
header and content detection as village lists: the NIK, the name, and the amounts of JKK, JKM
and their sum by their headers' words) or totals only (people and amount, read from the lines
that name them). The month the bill is for is read from its words, to be compared with the
month it is given for."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bantuan_iuran.ingest.cells import Sheet
from bantuan_iuran.ingest.headers import normalize_header
from bantuan_iuran.ingest.layout import Layout, cell_at, find_layout, unnamed_headers
from bantuan_iuran.ingest.rows import name_text, rows_by_nik
from bantuan_iuran.normalize import normalize_name
from bantuan_iuran.report.decree import MONTH_NAMES

_AMOUNT_WORDS = {"IURAN", "JUMLAH", "TOTAL", "TAGIHAN", "NOMINAL", "RP", "RUPIAH", "BAYAR"}


@dataclass(frozen=True)
class BillLine:
    sheet: str
    row: int
    nik: str
    name: str
    kpj: str
    amounts: dict[str, int]  # per programme ('JKK', 'JKM') where the bill splits them
    total: int


@dataclass(frozen=True)
class Bill:
    lines: list[BillLine]  # empty for a bill of totals only
    people: int | None  # the head count the bill states (None: not stated)
    amount: int | None  # the amount the bill states (None: not stated)
    months: set[tuple[int, int]]  # (year, month) named in its words
    unread: list[str]  # lines naming someone without a readable NIK


def read_bill(sheets: Sequence[Sheet], file_name: str, programmes: Sequence[str]) -> Bill:
    """Every person line of every sheet with a table of NIKs, and the totals it states."""
    lines: list[BillLine] = []
    unread: list[str] = []
    words: list[str] = [file_name]
    people = amount = None
    for sheet in sheets:
        words.append(sheet.name)
        layout = find_layout(sheet.rows, {})
        table = isinstance(layout, Layout) and layout.index_of("nik") is not None
        top = layout.header_row if table and layout.header_row is not None else len(sheet.rows)
        for row in sheet.rows[: top if table else len(sheet.rows)]:
            texts = [cell.text for cell in row if cell.text]
            words.extend(texts)
            people, amount = _stated_totals(texts, people, amount)
        if table:
            columns = _amount_columns(layout, programmes)
            lines.extend(_lines(sheet, layout, columns, unread))
    return Bill(lines, people, amount, months_named(" ".join(words)), unread)


def _lines(
    sheet: Sheet, layout: Layout, columns: dict[str, int], unread: list[str]
) -> list[BillLine]:
    """The person lines; rows naming someone without a readable NIK go to `unread`."""
    keyed = rows_by_nik(sheet.name, sheet.rows, layout)
    unread += keyed.unread
    found = []
    for number, nik, row in keyed.rows:
        amounts = {name: money_value(cell_at(row, column).text)
                   for name, column in columns.items() if name != "total"}  # fmt: skip
        total = money_value(cell_at(row, columns["total"]).text) if "total" in columns else 0
        kpj = re.sub(r"\D", "", cell_at(row, columns.get("kpj")).text)
        found.append(BillLine(sheet.name, number, nik, normalize_name(name_text(row, layout)),
                              kpj, amounts, total or sum(amounts.values())))  # fmt: skip
    return found


def _amount_columns(layout: Layout, programmes: Sequence[str]) -> dict[str, int]:
    """A column per programme named in its header (JKK, JKM), the sum's column (iuran, jumlah,
    total), and the membership number's."""
    found: dict[str, int] = {}
    for index, header in unnamed_headers(layout).items():
        words = set(normalize_header(header).split())
        named = [p for p in programmes if p in words]
        if len(named) == 1 and named[0] not in found:
            found[named[0]] = index
        elif "KPJ" in words and "kpj" not in found:
            found["kpj"] = index
        elif words & _AMOUNT_WORDS and not named and "total" not in found:
            found["total"] = index
    return found


def money_value(text: str) -> int:
    """Whole rupiah as a bill writes them, grouped or not, with or without cents; 0 for what
    is no amount.

    >>> money_value("Rp 16.800"), money_value("16,800"), money_value("16800.0"), money_value("-")
    (16800, 16800, 16800, 0)
    >>> money_value("10.000"), money_value("1.234.567,00"), money_value("12,852,000.00")
    (10000, 1234567, 12852000)
    """
    cleaned = re.sub(r"^\s*Rp\.?\s*", "", text.strip(), flags=re.IGNORECASE).replace(" ", "")
    grouped = re.fullmatch(r"(\d{1,3}(?:([.,])\d{3})+)(?:[.,]\d{1,2})?", cleaned, re.ASCII)
    if grouped and (len(cleaned) == len(grouped.group(1)) or cleaned[len(grouped.group(1))]
                    != grouped.group(2)):  # fmt: skip
        return int(re.sub(r"\D", "", grouped.group(1)))
    decimal = re.fullmatch(r"(\d+)(?:[.,]\d{1,2})?", cleaned, re.ASCII)
    return int(decimal.group(1)) if decimal else 0


def _stated_totals(texts: list[str], people: int | None, amount: int | None):
    """'Jumlah Tenaga Kerja: 765', 'Total Iuran | Rp 12.852.000' in the lines over a table
    (or on a sheet of totals)."""
    line = normalize_header(" ".join(texts))
    numbers = [money_value(t) for t in re.findall(r"(?:Rp\.?\s*)?\d[\d.,]*", " ".join(texts))]
    numbers = [n for n in numbers if n]
    if not numbers:
        return people, amount
    if (
        people is None
        and re.search(r"\b(TENAGA KERJA|PESERTA|ORANG|TK)\b", line)
        and not re.search(r"\bIURAN|TAGIHAN|RP\b", line)
    ):
        people = numbers[-1]
    elif amount is None and re.search(r"\b(TOTAL|JUMLAH) (IURAN|TAGIHAN)|TOTAL TAGIHAN\b", line):
        amount = numbers[-1]
    return people, amount


def months_named(text: str) -> set[tuple[int, int]]:
    """The months a text names: 'Maret 2027', 'MARET-2027', '03/2027', '2027-03'.

    >>> sorted(months_named("TAGIHAN PERIODE MARET 2027 (03/2027)"))
    [(2027, 3)]
    """
    found = set()
    upper = text.upper()
    for number, name in enumerate(MONTH_NAMES, start=1):
        for year in re.findall(rf"\b{name.upper()}[\s\-/]*(\d{{4}})\b", upper):
            found.add((int(year), number))
    for month, year in re.findall(r"\b(\d{1,2})[/-](\d{4})\b", upper):
        if 1 <= int(month) <= 12:
            found.add((int(year), int(month)))
    for year, month in re.findall(r"\b(\d{4})[/-](\d{1,2})\b(?![/-]\d)", upper):
        if 1 <= int(month) <= 12:
            found.add((int(year), int(month)))
    return found
