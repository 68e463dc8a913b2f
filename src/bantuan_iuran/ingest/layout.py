"""Where a village's table is and what each column holds: headers read by their words
(headers.py), confirmed or found by what the cells hold (content.py).

The header may be anywhere in the first 60 rows, over two rows under merged parents, or missing;
the table may start in any column. Where the person's NIK or name column cannot be told, the
sheet is not guessed at: the problem names the candidate columns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bantuan_iuran.ingest.cells import EMPTY, Cell
from bantuan_iuran.ingest.content import (
    SAMPLE_ROWS,
    ColumnProfile,
    birth_date_like,
    nik_like,
)
from bantuan_iuran.ingest.headers import NO_MATCH, HeaderMatch, header_field, names_nothing

HEADER_SEARCH_ROWS = 60
# Joins a merged parent header and the sub-header under it: 'Tempat dan Tanggal Lahir » Tgl'.
MERGED = " » "
NAME_FIELDS = ("name", "name_first", "name_middle", "name_last")
_IDENTIFYING = frozenset({"nik", *NAME_FIELDS})
_LONG_NUMBER = re.compile(r"\d{10,}")
# Content shares that make a column what it looks like.
_NIK_SHARE = 0.5
_FEW_NIKS_SHARE = 0.25
_NAME_SHARE = 0.6
_DATE_SHARE = 0.6
_SEX_SHARE = 0.8
_DISAGREES = 0.2


@dataclass(frozen=True)
class Found:
    """How a field's column was decided, for the log: 'header', 'header+content', 'content'
    or 'override'; `sure` is False when the content does not back the header up."""

    column: int
    header: str
    how: str
    sure: bool = True


@dataclass
class Layout:
    """A table: `columns` maps a column index to its field; `extra` keeps the headers of columns
    no field takes, so their values travel with the row."""

    header_row: int | None
    data_start: int
    columns: dict[int, str]
    extra: dict[int, str] = field(default_factory=dict)
    found: dict[str, Found] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._positions = {name: index for index, name in self.columns.items()}
        self.name_columns = [self._positions[n] for n in NAME_FIELDS if n in self._positions]

    def index_of(self, column: str) -> int | None:
        return self._positions.get(column)

    @property
    def by_content(self) -> bool:
        """Read with a required column that no header named, or that its content contradicts."""
        required = [f for name, f in self.found.items() if name in ("nik", *NAME_FIELDS)]
        return any(f.how == "content" or not f.sure for f in required)

    def header_texts(self) -> list[str]:
        return [*self.extra.values(), *(f.header for f in self.found.values())]

    def describe(self) -> str:
        """'nik=C "NIK (16 digit)" header+content; name=B "Nama" header' for ingest_log.csv."""
        parts = []
        for name, found in sorted(self.found.items(), key=lambda item: item[1].column):
            header = f' "{found.header}"' if found.header else ""
            doubt = " (content disagrees)" if not found.sure else ""
            parts.append(f"{name}={column_letter(found.column)}{header} {found.how}{doubt}")
        return "; ".join(parts)


@dataclass(frozen=True)
class LayoutProblem:
    """Why a sheet with a table in it cannot be read, and the columns a person should look at;
    `header_row` and `columns` are the best guess to start an override from."""

    message: str
    header_row: int | None
    columns: dict[str, int]
    # False when no column is headed as a NIK or holds one: not a list of people to read.
    has_niks: bool = True


def unnamed_headers(layout: Layout) -> dict[int, str]:
    """The columns a village field's header does not name, by their header: those no field
    takes, and those taken by content alone (a bill's "JKK" column of 10000s reads as dates):
    for lists with columns of their own (bills, the branch's results)."""
    guessed = {f.column: f.header for f in layout.found.values() if f.how == "content"}
    return dict(sorted({**layout.extra, **guessed}.items()))


def column_letter(index: int) -> str:
    """0 -> 'A', 27 -> 'AB', as the spreadsheet shows it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_at(row: Sequence[Cell], index: int | None) -> Cell:
    if index is None or index >= len(row):
        return EMPTY
    return row[index]


def header_matches(row: Sequence[Cell], user_fields: Mapping[str, str]) -> dict[int, HeaderMatch]:
    matches = {}
    for index, cell in enumerate(row):
        if cell.text and not cell.is_number:
            match = header_field(cell.text, user_fields)
            if match is not NO_MATCH:
                matches[index] = match
    return matches


def has_long_number(row: Sequence[Cell]) -> bool:
    return any(_LONG_NUMBER.search(c.text.replace(" ", "")) for c in row if c.text)


def is_header_like(row: Sequence[Cell], user_fields: Mapping[str, str]) -> bool:
    """A row of column titles inside a table: two fields or more named, a third of its cells
    recognised as titles, and no ID number or date (a data row's 'Dsn Tegalan' names no
    column)."""
    texts = [c.text for c in row if c.text]
    if has_long_number(row) or any(birth_date_like(t) for t in texts):
        return False
    matches = header_matches(row, user_fields)
    fields = {m.field for m in matches.values()} - {None, "number"}
    return len(fields) >= 2 and 3 * len(matches) >= len(texts)


def find_layout(
    rows: Sequence[Sequence[Cell]], user_fields: Mapping[str, str], start: int = 0
) -> Layout | LayoutProblem | None:
    """The first table from `start`: under the first row in HEADER_SEARCH_ROWS that names the
    person's NIK or name and leads to both, else by content alone. None when the rows hold no
    table at all (a cover sheet, a summary)."""
    problem = None
    for index in range(start, min(len(rows), start + HEADER_SEARCH_ROWS)):
        found = layout_at(rows, index, user_fields)
        if isinstance(found, Layout):
            return found
        problem = problem or found
    by_content = _layout_by_content(rows, start, user_fields)
    return by_content if isinstance(by_content, Layout) else problem or by_content


def layout_at(
    rows: Sequence[Sequence[Cell]], index: int, user_fields: Mapping[str, str]
) -> Layout | LayoutProblem | None:
    """The table under row `index` if that row is its header."""
    row = rows[index]
    matches = header_matches(row, user_fields)
    fields = {m.field for m in matches.values()}
    if not fields & _IDENTIFYING or len(fields - {None}) < 2 or has_long_number(row):
        return None
    data_start = index + 1
    below = rows[index + 1] if index + 1 < len(rows) else []
    sub = header_matches(below, user_fields)
    if sub and _is_sub_header(below, sub, row, matches):
        matches = {**matches, **sub}  # the sub-header names the columns under a merged parent
        data_start = index + 2
    headers = _header_texts(row, below if data_start == index + 2 else [])
    return _resolve(rows, index, data_start, matches, headers)


def _is_sub_header(
    row: Sequence[Cell],
    matches: Mapping[int, HeaderMatch],
    parent: Sequence[Cell],
    parent_matches: Mapping[int, HeaderMatch],
) -> bool:
    """'Tempat Lahir | Tgl/Bln/Th' under a merged 'Tempat dan Tanggal Lahir': titles that refine
    their parents, sparse and without a digit, unlike a first data row whose NIK is missing
    ('Dsn Karang' under 'Alamat' repeats its parent's field: data)."""
    texts = [c.text for c in row if c.text]
    if any(ch.isdigit() for t in texts for ch in t):
        return False
    fields = {i: m.field for i, m in matches.items() if m.field not in (None, "number")}
    if not fields or any(parent_matches.get(i, NO_MATCH).field == f for i, f in fields.items()):
        return False
    parent_texts = sum(1 for c in parent if c.text)
    return 2 * len(matches) >= len(texts) or 2 * len(texts) <= parent_texts


def _header_texts(row: Sequence[Cell], below: Sequence[Cell]) -> dict[int, str]:
    texts = {i: c.text for i, c in enumerate(row) if c.text}
    for i, cell in enumerate(below):
        if cell.text:
            texts[i] = f"{texts[i]}{MERGED}{cell.text}" if i in texts else cell.text
    return texts


def _resolve(
    rows: Sequence[Sequence[Cell]],
    header_row: int | None,
    data_start: int,
    matches: Mapping[int, HeaderMatch],
    headers: Mapping[int, str],
) -> Layout | LayoutProblem:
    columns = _Columns(rows[data_start : data_start + SAMPLE_ROWS], matches, headers)
    problem = columns.resolve_nik() or columns.resolve_name()
    if problem is not None:
        return LayoutProblem(problem, header_row, columns.suggested(), columns.has_niks)
    columns.resolve_others()
    # The numbering column only kept content typing off it; its values travel as extra.
    fields = {i: name for i, name in columns.fields.items() if name != "number"}
    extra = {i: t for i, t in headers.items() if i not in fields and _has_word(t)}
    return Layout(header_row, data_start, fields, extra, columns.found)


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _best_column_per_field(matches: Mapping[int, HeaderMatch]) -> dict[int, str]:
    """Each field at its best-scored column, the leftmost on a tie ('Alamat' over 'Dusun')."""
    best: dict[str, tuple[int, int]] = {}
    for index, match in sorted(matches.items()):
        if match.field and (match.field not in best or match.score > best[match.field][1]):
            best[match.field] = (index, match.score)
    return {index: name for name, (index, _) in sorted(best.items(), key=lambda item: item[1])}


def _family_card_like(profile: ColumnProfile) -> bool:
    """A KK number repeats within a family and never carries a woman's day."""
    return profile.female == 0 and profile.repeated > 0


class _Columns:
    """A table's columns being decided: first by their headers, then by their cells. Columns
    are profiled only when a decision needs them (most tables need two)."""

    def __init__(
        self,
        sample: Sequence[Sequence[Cell]],
        matches: Mapping[int, HeaderMatch],
        headers: Mapping[int, str],
    ) -> None:
        self.sample = sample
        self.headers = headers
        self.fields = _best_column_per_field(matches)
        self.found = {
            n: Found(i, headers.get(i, ""), "header")
            for i, n in self.fields.items()
            if n != "number"
        }
        self.foreign = {i: m.foreign for i, m in matches.items() if m.foreign}
        width = max((len(r) for r in sample), default=0)
        self.width = max(width, max(headers, default=-1) + 1)
        self._profiles: dict[int, ColumnProfile] = {}
        self.has_niks = True

    def profile(self, index: int) -> ColumnProfile:
        if index not in self._profiles:
            cells = [row[index] for row in self.sample if index < len(row)]
            self._profiles[index] = ColumnProfile(index, cells)
        return self._profiles[index]

    def free(self) -> list[ColumnProfile]:
        """Columns no header claimed for a field or for someone else, with something in them."""
        taken = self.fields.keys() | self.foreign.keys()
        profiles = (self.profile(i) for i in range(self.width) if i not in taken)
        return [p for p in profiles if p.filled]

    def take(self, name: str, profile: ColumnProfile) -> None:
        self.fields[profile.index] = name
        self.found[name] = Found(profile.index, self.headers.get(profile.index, ""), "content")

    def confirm(self, name: str, share: float, filled: int) -> None:
        """A header its cells back is 'header+content'; one they contradict is doubtful."""
        current = self.found[name]
        if filled and share >= _NIK_SHARE:
            self.found[name] = Found(current.column, current.header, "header+content")
        elif filled >= 3 and share < _DISAGREES:
            self.found[name] = Found(current.column, current.header, "header", sure=False)

    def resolve_nik(self) -> str | None:
        if "nik" in self.found:
            column = self.found["nik"].column
            self.confirm("nik", self.profile(column).nik, self.profile(column).filled)
            if not self.found["nik"].sure:
                candidates = [p for p in self.free() if p.nik >= 0.8]
                if len(candidates) == 1:  # the header sits over the wrong column
                    del self.fields[column]
                    self.take("nik", candidates[0])
            return None
        free = self.free()
        candidates = [p for p in free if p.nik >= _NIK_SHARE]
        if not candidates:
            # A short list whose notes fill the column below it: NIK-like values are specific
            # enough that a few of them, in one column only, make it the NIK column.
            few = [p for p in free if p.nik >= _FEW_NIKS_SHARE and p.nik * p.filled >= 2]
            candidates = few if len(few) == 1 else []
        if not candidates:
            self.has_niks = False
            return "no column is headed as a NIK or holds NIKs"
        people = [p for p in candidates if not _family_card_like(p)]
        if len(candidates) > 1 and len(people) != 1:
            named = " and ".join(self.describe(p.index) for p in candidates)
            return f"columns {named} could each be the person's NIK and no header says which"
        nik = candidates[0] if len(candidates) == 1 else people[0]
        self.take("nik", nik)
        cards = [p for p in candidates if p is not nik]
        if len(cards) == 1 and "kk" not in self.found:
            self.take("kk", cards[0])
        return None

    def resolve_name(self) -> str | None:
        named = [n for n in NAME_FIELDS if n in self.found]
        for name in named:
            profile = self.profile(self.found[name].column)
            self.confirm(name, profile.name, profile.filled)
        if named:
            return None
        candidates = [
            p
            for p in self.free()
            if p.name >= _NAME_SHARE
            and (p.filled < 4 or p.distinct >= 0.5)
            # A header about something else ('Jenis Vaksin') needs more than a row or two.
            and (names_nothing(self.headers.get(p.index, "")) or p.filled >= 3)
        ]
        if not candidates:
            return "no column is headed as a name or holds names"
        # Names differ from row to row, places repeat; the leftmost wins a tie (name first).
        self.take("name", max(candidates, key=lambda p: (round(p.name * p.distinct, 1), -p.index)))
        return None

    def resolve_others(self) -> None:
        """Birth date and sex found by content where no header named them; a 'Tanggal Lahir'
        column that holds 'Trenggalek, 12-03-1980' read as both."""
        for name in ("birth_date", "birth_place"):
            if name in self.found and self.profile(self.found[name].column).place_date >= 0.6:
                column = self.found.pop(name).column
                self.fields[column] = "birth_place_date"
                header = self.headers.get(column, "")
                self.found["birth_place_date"] = Found(column, header, "header+content")
        if not self.found.keys() & {"birth_date", "birth_place_date"}:
            free = self.free()
            dates = [p for p in free if p.date >= _DATE_SHARE and p.place_date < _DATE_SHARE]
            combined = [p for p in free if p.place_date >= _DATE_SHARE]
            if dates:
                self.take("birth_date", max(dates, key=lambda p: p.date))
            elif combined:
                self.take("birth_place_date", combined[0])
        if "sex" not in self.found:
            sexes = [p for p in self.free() if p.sex >= _SEX_SHARE and p.counting < 0.5]
            sexes = [p for p in sexes if p.distinct * p.filled <= 6]
            if sexes:
                self.take("sex", sexes[0])

    def describe(self, index: int) -> str:
        header = self.headers.get(index, "")
        letter = column_letter(index)
        return f'{letter} "{header}"' if header else f"{letter} (no header)"

    def suggested(self) -> dict[str, int]:
        return {name: index for index, name in self.fields.items() if name != "number"}


def _layout_by_content(
    rows: Sequence[Sequence[Cell]], start: int, user_fields: Mapping[str, str]
) -> Layout | LayoutProblem | None:
    """A table with no header a person can read: it starts at the first row holding a NIK; the
    row above is kept as its header text when it looks like one."""
    for index in range(start, min(len(rows), start + HEADER_SEARCH_ROWS)):
        if any(nik_like(c.text, c.is_number) for c in rows[index] if c.text):
            break
    else:
        return None
    above = rows[index - 1] if index > start else []
    header_row = index - 1 if _looks_like_header_text(above) else None
    if header_row is None:
        above = []
    headers = {i: c.text for i, c in enumerate(above) if c.text}
    resolved = _resolve(rows, header_row, index, header_matches(above, user_fields), headers)
    if isinstance(resolved, Layout) and _nik_count(rows, resolved) < 2:
        return None  # one number on a cover or instruction sheet is not a table
    return resolved


def _looks_like_header_text(row: Sequence[Cell]) -> bool:
    texts = [c.text for c in row if c.text]
    return len(texts) >= 2 and not has_long_number(row) and not all(t.isdigit() for t in texts)


def _nik_count(rows: Sequence[Sequence[Cell]], layout: Layout) -> int:
    column = layout.index_of("nik")
    sample = rows[layout.data_start : layout.data_start + SAMPLE_ROWS]
    return sum(nik_like(cell_at(r, column).text, cell_at(r, column).is_number) for r in sample)
