"""The decree attachment cut into pages, once, for both the workbook and the PDF: a kecamatan
or desa heading is never the last line of a page, and a page that starts inside a group starts
with its headings again, marked "(lanjutan)". Pure: lines in, pages out."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any

KECAMATAN, DESA, PERSON, TOTAL = "kecamatan", "desa", "person", "total"
CONTINUED = " (lanjutan)"


@dataclass(frozen=True)
class Line:
    """One printed line of the table. `cells` are a person's texts; a heading or a total has
    its text in `label` (and a total its amount); a person's `numbers` are their months and
    premiums; `lines` is how many text lines it takes."""

    kind: str
    label: str = ""
    cells: tuple[str, ...] = ()
    numbers: tuple[int, ...] = ()
    people: int = 0
    amount: int = 0
    kecamatan: str = ""
    desa: str = ""
    lines: int = 1


def kecamatan_heading(kecamatan: str) -> str:
    return f"KECAMATAN {kecamatan.upper()}"


def desa_heading(desa: str) -> str:
    return f"DESA/KELURAHAN {desa.upper()}"


NUMBER_FIELDS = ("months", "premium_monthly", "premium_total")


def decree_lines(
    people: Sequence[dict[str, Any]],
    cells: Sequence[tuple[str, ...]],
    lines_of: Callable[[tuple[str, ...]], int] = lambda cells: 1,
) -> list[Line]:
    """Headings, people and subtotals in order; `people` are contiguous per kecamatan and desa,
    `cells` their texts in the same order, `lines_of(cells)` a person's height in lines."""
    lines: list[Line] = []
    texts = iter(cells)
    for kecamatan, in_kecamatan in groupby(people, key=itemgetter("kecamatan")):
        in_kecamatan = list(in_kecamatan)
        lines.append(Line(KECAMATAN, kecamatan_heading(kecamatan), kecamatan=kecamatan))
        for desa, in_desa in groupby(in_kecamatan, key=itemgetter("desa")):
            in_desa = list(in_desa)
            lines.append(Line(DESA, desa_heading(desa), kecamatan=kecamatan, desa=desa))
            for person in in_desa:
                numbers = tuple(int(person[field]) for field in NUMBER_FIELDS)
                row = next(texts)
                lines.append(Line(PERSON, "", row, numbers, 1, 0, kecamatan, desa, lines_of(row)))
            lines.append(_total(f"Jumlah Desa/Kelurahan {desa}", in_desa, kecamatan, desa))
        lines.append(_total(f"Jumlah Kecamatan {kecamatan}", in_kecamatan, kecamatan))
    lines.append(_total("JUMLAH SELURUHNYA", people))
    return lines


def _total(label: str, people: Sequence[dict[str, Any]], kecamatan: str = "", desa: str = ""):
    amount = sum(int(person["premium_total"]) for person in people)
    return Line(TOTAL, label, people=len(people), amount=amount, kecamatan=kecamatan, desa=desa)


# People printed above the grand total on its page, so that the total and the signature
# never stand alone on the last page.
WITH_TOTAL = 3


def paginate(lines: Sequence[Line], first: int, rest: int, tail: int = 0) -> list[list[Line]]:
    """Pages of at most `first` (then `rest`) text lines. A heading moves to the next page
    unless the first line under it fits too; the last WITH_TOTAL people, the totals after them
    and the `tail` lines printed under the grand total (the amount in words, the signature)
    move to the next page together."""
    ending = _ending(lines)
    pages: list[list[Line]] = []
    page: list[Line] = []
    room = first
    for index, line in enumerate(lines):
        needed = _block_height(lines, index, ending, tail)
        if page and needed > room:
            pages.append(page)
            page = list(_continuation(line))
            room = rest - sum(item.lines for item in page)
        page.append(line)
        room -= line.lines
    if page:
        pages.append(page)
    return pages


def _ending(lines: Sequence[Line]) -> int:
    """Where the block that ends the document starts: its last WITH_TOTAL people."""
    people = [index for index, line in enumerate(lines) if line.kind == PERSON]
    return people[-WITH_TOTAL] if len(people) >= WITH_TOTAL else (people or [len(lines) - 1])[0]


def _block_height(lines: Sequence[Line], index: int, ending: int, tail: int) -> int:
    """What must fit with this line: a heading with the headings and first line under it;
    from the ending on, everything to the end with the tail."""
    height = 0
    for at in range(index, len(lines)):
        if at >= ending:
            return height + sum(line.lines for line in lines[at:]) + tail
        height += lines[at].lines
        if lines[at].kind not in (KECAMATAN, DESA):
            break
    return height


def _continuation(line: Line) -> Iterator[Line]:
    """The headings a page repeats when it starts inside a kecamatan or a desa."""
    if line.kind == KECAMATAN or not line.kecamatan:
        return
    yield Line(KECAMATAN, kecamatan_heading(line.kecamatan) + CONTINUED, kecamatan=line.kecamatan)
    if line.kind != DESA and line.desa:
        yield Line(
            DESA, desa_heading(line.desa) + CONTINUED, kecamatan=line.kecamatan, desa=line.desa
        )
