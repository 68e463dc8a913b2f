"""Which rows under a header are people, and why the others are not.

Under the header come the people, and also what printouts and clerks add: numbering rows, the
header repeated per page or per family, family separator rows (`No. KK : ...`), a family's own
row in a family-block register, titles of the next table on the sheet, totals, notes, end
markers (`###`) and the signature block. Every row gets a kind, so none is lost unexplained.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bantuan_iuran.ingest.cells import Cell
from bantuan_iuran.ingest.content import is_numbering_row
from bantuan_iuran.ingest.layout import (
    Layout,
    cell_at,
    header_matches,
    is_header_like,
    layout_at,
)
from bantuan_iuran.nik import NIK_LENGTH, clean_nik

_TOTAL = re.compile(r"^(JUMLAH|TOTAL|JML)\b|^\d+\s*(ORANG|ORG|JIWA|KK|PESERTA)\b", re.IGNORECASE)
_SIGNATURE = re.compile(
    r"MENGETAHUI|KEPALA DESA|KADES\b|LURAH\b|SEKRETARIS|CAMAT\b|PETINGGI|NIP[.:\s]|^TTD|"
    r"DIBUAT OLEH|YANG MEMBUAT|PENANGGUNG JAWAB|PERANGKAT DESA|^\(.*\)$|"
    # The place and date line of a signature: "Trenggalek, 14 Oktober 2026".
    r"^[A-Z .]+,\s*\d{1,2}\s+[A-Z]+\s+\d{4}$",
    re.IGNORECASE,
)
_NOTE = re.compile(
    r"^(\*|CATATAN|KETERANGAN|KET|NB|N\.B|NOTE|PETUNJUK|PERHATIAN|SUMBER)\b\s*[.:)]?", re.IGNORECASE
)
_LABELLED = re.compile(r"^[A-Z][A-Z .()/]{0,30}:\s*\S", re.IGNORECASE)
_TITLE_WORDS = re.compile(
    r"\b(DAFTAR|DATA|USULAN|DUSUN|DESA|KELURAHAN|KECAMATAN|RT|RW|LINGKUNGAN|KELOMPOK|BLOK|TAHAP|"
    r"LANJUTAN|HALAMAN|REKAP|LAMPIRAN)\b",
    re.IGNORECASE,
)
_NIK_DIGITS = 8
# Under a total or signature, and after an end marker or a note, only a row with a NIK is still
# a person (the village head's name is not one): the others take the kind that began the footer.
_FOOTER_KIND = {"total": "signature", "signature": "signature", "end": "note", "note": "note"}


@dataclass(frozen=True)
class Block:
    """One table of a sheet: its layout and the title rows above its header (which may name
    another village than the sheet's first table)."""

    layout: Layout
    title: str = ""


@dataclass(frozen=True)
class RowCall:
    index: int
    kind: str
    block: int
    family_kk: str = ""  # the KK of a family-block printout's separator or family row


def name_text(row: Sequence[Cell], layout: Layout) -> str:
    """The name as written, its parts joined when it is split over columns."""
    if len(layout.name_columns) == 1:
        return cell_at(row, layout.name_columns[0]).text
    parts = (cell_at(row, i).text for i in layout.name_columns)
    return " ".join(p for p in parts if p)


def has_nik_digits(row: Sequence[Cell], layout: Layout) -> bool:
    return sum(ch.isdigit() for ch in cell_at(row, layout.index_of("nik")).text) >= _NIK_DIGITS


def row_kind(row: Sequence[Cell], layout: Layout, user_fields: Mapping[str, str]) -> str:
    """'applicant', or what else the row is (one of schemas.DROPPED_KINDS)."""
    texts = [c.text for c in row if c.text]
    if not texts:
        return "blank"
    nik_digits = has_nik_digits(row, layout)
    if not nik_digits and is_header_like(row, user_fields):
        return "header"
    if is_numbering_row(texts):
        return "numbering"
    if texts[0].startswith("###"):
        return "end"
    if len(texts) <= 2 and _NOTE.match(texts[0]):
        return "note"
    if not nik_digits and any(_TOTAL.search(t) for t in texts):
        return "total"
    nik = cell_at(row, layout.index_of("nik")).text
    # Signature blocks are sparse: 'Mengetahui, | Petugas Lapangan, | Kepala Keluarga,'.
    if len(texts) <= 3 and not nik and any(_SIGNATURE.search(t) for t in texts):
        return "signature"
    if len(texts) <= 2 and not nik_digits and any(_LABELLED.match(t) for t in texts):
        return "separator"
    name = name_text(row, layout)
    if len(texts) == 1 and not nik_digits and not texts[0].isdigit():
        # A lone text is a title ('DESA NGULANKULON' over the next table), unless it is a name
        # in the name column: a person whose other cells the village left empty.
        return "applicant" if name and not _TITLE_WORDS.search(name) else "title"
    return "applicant" if nik or name else "other"


def read_table(
    rows: Sequence[Sequence[Cell]],
    first: Layout,
    user_fields: Mapping[str, str],
    redetect: bool = True,
) -> tuple[list[Block], list[RowCall]]:
    """Every row under the first header, each with its kind and table. A header further down
    starts a new table when it reads as one (`redetect`); one that names no NIK or name column
    is a family's own header in a family-block register, and its rows are the family's."""
    blocks = [Block(first)]
    calls: list[RowCall] = []
    # A family-block register prints the first family's own rows above the first header.
    above = first.header_row - 1 if first.header_row else -1
    family_kk = _family_number(rows[above]) if above >= 0 else ""
    layout, footer, in_family = first, "", False
    titles: list[int] = []  # title rows since the last person: the next table's title
    index = first.data_start
    while index < len(rows):
        row = rows[index]
        kind = row_kind(row, layout, user_fields)
        if kind == "header" and redetect:
            new = layout_at(rows, index, user_fields)
            if isinstance(new, Layout):
                title = " ".join(c.text for i in titles for c in rows[i] if c.text)
                blocks.append(Block(new, title))
                calls.extend(
                    RowCall(i, "header", len(blocks) - 1) for i in range(index, new.data_start)
                )
                layout, footer, in_family, titles = new, "", False, []
                index = new.data_start
                continue
            # A family's own header ('NO.KK | NAMA.KK | ALAMAT') opens the family's rows; any
            # other header-like row is a header the table repeats in part.
            in_family = _names_family_card(row, user_fields)
            kind = "parent" if in_family else "header"
        elif in_family and kind == "applicant" and not has_nik_digits(row, layout):
            kind = "parent"
        if footer and kind == "applicant" and not has_nik_digits(row, layout):
            kind = footer
        elif footer == "note" and kind == "title":  # the lines of a note under the table
            kind = "note"
        footer = _FOOTER_KIND.get(kind, footer)
        if kind in ("separator", "parent"):
            family_kk = _family_number(row) or family_kk
        titles = [] if kind == "applicant" else [*titles, index] if kind == "title" else titles
        calls.append(
            RowCall(index, kind, len(blocks) - 1, family_kk if kind == "applicant" else "")
        )
        index += 1
    return blocks, calls


def _names_family_card(row: Sequence[Cell], user_fields: Mapping[str, str]) -> bool:
    return any(m.field == "kk" for m in header_matches(row, user_fields).values())


def _family_number(row: Sequence[Cell]) -> str:
    """The 16-digit number in a family's separator or own row ('No. KK : 3503...')."""
    for cell in row:
        digits = clean_nik(cell.text.rpartition(":")[2])
        if len(digits) == NIK_LENGTH and digits.isdigit():
            return digits
    return ""


@dataclass(frozen=True)
class KeyedRows:
    """A table's rows keyed on a readable NIK, and where a row names someone without one."""

    rows: list[tuple[int, str, Sequence[Cell]]]  # (row as the spreadsheet numbers it, NIK, cells)
    unread: list[str]  # "sheet 'S' row 12: '3.50301E+15' is no NIK"


def rows_by_nik(sheet_name: str, rows: Sequence[Sequence[Cell]], layout: Layout) -> KeyedRows:
    """The rows under `layout` with a NIK read as every NIK is (nik.read_nik), for lists that
    come back (the branch's results, bills, reports); a row with a name but no NIK to trust
    (missing, malformed, or stored as a number by Excel) is named, never dropped in silence."""
    from bantuan_iuran.nik import mask_numbers, read_nik

    keyed: list[tuple[int, str, Sequence[Cell]]] = []
    unread: list[str] = []
    column = layout.index_of("nik")
    for index in range(layout.data_start, len(rows)):
        row = rows[index]
        cell = cell_at(row, column)
        reading = read_nik(cell.text, cell.is_number)
        if not reading.problem and not reading.damaged:
            keyed.append((index + 1, reading.nik, row))
        elif name_text(row, layout):  # a person whose NIK cannot be trusted (Excel, a typo)
            shown = f"{mask_numbers(cell.text)!r} is no NIK" if cell.text else "no NIK"
            if reading.damaged:
                shown = f"{mask_numbers(cell.text)!r} was stored as a number: digits are lost"
            unread.append(f"sheet {sheet_name!r} row {index + 1}: {shown}")
    return KeyedRows(keyed, unread)
