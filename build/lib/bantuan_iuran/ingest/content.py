"""What a column holds, judged by its cells: the check on a header, and the only guide where the
header says nothing or there is none.

A NIK column is mostly 16-digit values (text, numbers, numbers Excel damaged) with a known
province and a possible birth date inside; a family-card (KK) column looks the same but repeats
within a family and never carries a woman's day (+40). A name column holds words of letters that
differ from row to row; a place column repeats a few words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import cached_property, lru_cache

from bantuan_iuran import reference
from bantuan_iuran.ingest.cells import Cell
from bantuan_iuran.nik import NIK_LENGTH, read_nik
from bantuan_iuran.normalize import normalize_sex, parse_date, split_place_date

# Enough rows to tell a column's kind; a regency batch profiles a few columns of 170 tables.
SAMPLE_ROWS = 100
_NAME = re.compile(r"^[^\W\d_]{2,}(?:[\s.,'`’\-]+[^\W\d_]+)*[.]?$")
_INTEGER = re.compile(r"^\(?-?\d{1,4}\)?\.?$")
_FIRST_BIRTH_YEAR = 1900
_LAST_BIRTH_YEAR = 2030


class ColumnProfile:
    """What a column's sampled cells hold, each share computed when first asked for (most
    columns are asked one question). Shares are of the filled cells, 0 when none is filled."""

    def __init__(self, index: int, cells: Sequence[Cell]) -> None:
        self.index = index
        self._cells = [c for c in cells if c.text]

    @cached_property
    def filled(self) -> int:
        return len(self._cells)

    def _share(self, test: Callable[[Cell], bool]) -> float:
        return sum(1 for c in self._cells if test(c)) / self.filled if self.filled else 0.0

    @cached_property
    def _niks(self) -> list[str]:
        return [
            read_nik(c.text, c.is_number).nik for c in self._cells if nik_like(c.text, c.is_number)
        ]

    @cached_property
    def nik(self) -> float:
        return len(self._niks) / self.filled if self.filled else 0.0

    @cached_property
    def female(self) -> int:
        """NIK-like values with a woman's day: never a family card."""
        return sum(int(nik[6:8]) > 40 for nik in self._niks)

    @cached_property
    def repeated(self) -> float:
        """NIK-like values that occur more than once: a family card does."""
        counts = Counter(self._niks)
        return sum(k for k in counts.values() if k > 1) / len(self._niks) if self._niks else 0.0

    @cached_property
    def name(self) -> float:
        return self._share(lambda c: name_like(c.text))

    @cached_property
    def distinct(self) -> float:
        return len({c.text.upper() for c in self._cells}) / self.filled if self.filled else 0.0

    @cached_property
    def date(self) -> float:
        return self._share(lambda c: birth_date_like(c.text))

    @cached_property
    def place_date(self) -> float:
        return self._share(lambda c: place_date_like(c.text))

    @cached_property
    def sex(self) -> float:
        return self._share(lambda c: sex_like(c.text))

    @cached_property
    def counting(self) -> float:
        """Each value one more than the one above: the row numbering."""
        numbers = [_integer(c.text) for c in self._cells]
        steps = sum(
            1 for a, b in zip(numbers, numbers[1:], strict=False) if a is not None and b == a + 1
        )
        return steps / max(self.filled - 1, 1)


@lru_cache(maxsize=1 << 16)
def nik_like(text: str, is_number: bool = False) -> bool:
    """Whether a cell could be someone's NIK, even one Excel damaged: 16 digits (or a number
    that lost its last ones) from a known province, with a possible date where it is known.

    >>> nik_like("3503014509800002"), nik_like("3.50301E+15"), nik_like("0812345678901234")
    (True, True, False)
    """
    reading = read_nik(text, is_number)
    nik = reading.nik
    if len(nik) != NIK_LENGTH or not nik.isdigit() or reading.problem == "NIK_FORMAT":
        return False
    if nik[:2] not in reference.province_codes():
        return False
    if reading.known_digits < 12:
        return True
    day, month = int(nik[6:8]), int(nik[8:10])
    return 1 <= month <= 12 and (1 <= day <= 31 or 41 <= day <= 71)


@lru_cache(maxsize=1 << 16)
def name_like(text: str) -> bool:
    """Words of letters (a name, a place, a word like 'PETANI'), not codes or numbers."""
    return bool(_NAME.match(text)) and not normalize_sex(text)


@lru_cache(maxsize=1 << 16)
def birth_date_like(text: str) -> bool:
    if text.isdigit() and len(text) < 5:  # RT 3, a year alone, a row number
        return False
    born = parse_date(text)
    return born is not None and _FIRST_BIRTH_YEAR <= born.year <= _LAST_BIRTH_YEAR


@lru_cache(maxsize=1 << 16)
def place_date_like(text: str) -> bool:
    """'Trenggalek, 12-03-1980': a place and a date in one cell."""
    place, born = split_place_date(text)
    return bool(place) and name_like(place) and bool(born) and birth_date_like(born)


@lru_cache(maxsize=1 << 12)
def sex_like(text: str) -> bool:
    return bool(normalize_sex(text))


def _integer(text: str) -> int | None:
    """'(3)' and '-3' (how Excel stores a typed '(3)') and '3.' are the number 3."""
    if not _INTEGER.match(text):
        return None
    return abs(int(text.strip("().")))


def is_numbering_row(texts: Sequence[str]) -> bool:
    """The row of column numbers printed under a header: '1 2 3', '(1) (2)' (which Excel stores
    as -1, -2), 'KOLOM 2 3'; gaps where a merged header spans two columns."""
    if len(texts) < 3 or any(len(t) > 8 for t in texts[1:]):  # a data row: names, NIKs
        return False
    if (
        texts
        and not texts[0].strip("().-").isdigit()
        and texts[0].upper().startswith(("KOL", "NO"))
    ):
        texts = texts[1:]
    numbers = [_integer(t) for t in texts]
    if len(numbers) < 3 or None in numbers:
        return False
    return all(a < b for a, b in zip(numbers, numbers[1:], strict=False))
