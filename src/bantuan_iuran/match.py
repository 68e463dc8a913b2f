"""Finding the registry person behind a village row, and who a broken NIK most likely meant.

The name is a veto, never one vote among many: a NIK that exists, a birth date and a village
that agree never outweigh a clearly different name. NIK nearness (one digit off, same first 15
digits) only finds candidates; two people born the same day in one kecamatan hold NIKs one
digit apart, so a look-alike with another name is never suggested.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd
from rapidfuzz import fuzz

from bantuan_iuran.normalize import normalize_name

DIGITS = "0123456789"


@dataclass(frozen=True)
class Written:
    """What a row says of the person besides the name: the birth date (ISO) and the sex ('L',
    'P'), '' when unknown. A suggestion never names a person they rule out."""

    birth_date: str = ""
    sex: str = ""


@dataclass(frozen=True)
class Suggestion:
    nik: str = ""
    basis: str = ""
    note: str = ""


class RegistryRow:
    """A view of one row of the registry's columns: nothing is copied until a value is read."""

    __slots__ = ("_columns", "_position")

    def __init__(self, columns: RegistryColumns, position: int) -> None:
        self._columns, self._position = columns, position

    def __getitem__(self, column: str) -> str:
        return self._columns[column][self._position]


class RegistryColumns(dict):
    """The registry's columns as Python lists (fast to read by position), each made when first
    read: a province's batch holds some 200,000 registry rows, and most columns are never read
    row by row."""

    def __init__(self, registry: pd.DataFrame) -> None:
        super().__init__()
        self.registry = registry

    def __missing__(self, column: str) -> list[str]:
        values = self[column] = self.registry[column].tolist()
        return values


@dataclass
class RegistryIndex:
    """Look-ups into the registry frame by position."""

    registry: pd.DataFrame
    min_similarity: float
    by_nik: dict[str, int] = field(init=False)
    by_kk: dict[str, list[int]] = field(init=False)
    by_birth_date: dict[str, list[int]] = field(init=False)
    _names: list[str] = field(init=False)
    _normalized: dict[int, str] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._columns = columns = RegistryColumns(self.registry)
        self._niks, self._names = columns["nik"], columns["name"]
        self._villages, self._birth_dates = columns["kode_desa"], columns["birth_date"]
        self._kks = columns["kk"]
        self.by_nik = {nik: position for position, nik in enumerate(self._niks) if nik}
        self.by_kk = _positions_by(self._kks)
        self.by_birth_date = _positions_by(self._birth_dates)

    def nik_at(self, position: int) -> str:
        return self._niks[position]

    def person(self, position: int) -> RegistryRow:
        """One registry row, read by column name (much faster than a DataFrame row look-up)."""
        return RegistryRow(self._columns, position)

    def kk_at(self, position: int) -> str:
        return self._kks[position]

    def birth_date_at(self, position: int) -> str:
        return self._birth_dates[position]

    def village_at(self, position: int) -> str:
        return self._villages[position]

    def sex_at(self, position: int) -> str:
        return self._columns["sex"][position] if "sex" in self.registry.columns else ""

    def fits(self, position: int, written: Written) -> bool:
        """Whether the person at `position` can be the one the row describes: the same birth
        date and sex where both are known."""
        born, sex = self.birth_date_at(position), self.sex_at(position)
        return (not written.birth_date or born in ("", written.birth_date)) and (
            not written.sex or sex in ("", written.sex)
        )

    def normalized_name(self, position: int) -> str:
        """Registry names are normalised lazily: only candidates are ever compared."""
        if position not in self._normalized:
            self._normalized[position] = normalize_name(self._names[position])
        return self._normalized[position]

    def similarity(self, name: str, position: int) -> float:
        return name_similarity(name, self.normalized_name(position))

    def same_person_name(self, name: str, position: int) -> bool:
        return self.similarity(name, position) >= self.min_similarity

    def with_name(self, name: str, positions: Iterable[int]) -> list[int]:
        return sorted({p for p in positions if self.same_person_name(name, p)})

    def existing(self, niks: Iterable[str]) -> list[int]:
        return [self.by_nik[n] for n in niks if n in self.by_nik]


SHORT_WORD = 4


@lru_cache(maxsize=1 << 16)
def name_similarity(a: str, b: str) -> float:
    """0-100 between two normalised names. Word order does not matter ('SUKARNO MUHAMAD' is
    'MUHAMAD SUKARNO'), and the score is no higher than its weakest word: 'TRI WIBOWO' and
    'SRI WIBOWO' are two people, though only one letter apart."""
    if not a.split() or not b.split():
        return 0.0
    if a == b:
        return 100.0  # most rows: the same name once normalised
    score = fuzz.token_sort_ratio(a, b)
    for mine, theirs in ((a.split(), b.split()), (b.split(), a.split())):
        for word in mine:
            best = max(_word_similarity(word, other) for other in theirs)
            # One letter makes another short name (SRI/TRI, ANI/ANIK): short words must agree.
            if len(word) <= SHORT_WORD and best < 100:
                best = min(best, 50.0)
            score = min(score, best)
    return float(score)


_VOWELS = frozenset("AEIOU")


def _word_similarity(a: str, b: str) -> float:
    """0-100 between two words of a name. A silent H dropped is the same word; one consonant
    for another (SUMARNI / SUWARNI, SUPRIYADI / SUPRIYATI) or a last vowel turned I
    (SUKARNO / SUKARNI, the Javanese -o of a man and -i of a woman) makes another person's."""
    if _one_h_apart(a, b):
        return 100.0
    if len(a) == len(b) and a != b:
        apart = [i for i in range(len(a)) if a[i] != b[i]]
        if len(apart) == 1 and _another_persons_letter(a, b, apart[0]):
            return 50.0
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    if len(longer) == len(shorter) + 1 and longer.startswith(shorter) and longer[-1] not in _VOWELS:
        return 50.0  # a consonant added at the end: SYAFI / SYAFIK, ANI / ANIK
    return fuzz.ratio(a, b)


def _another_persons_letter(a: str, b: str, at: int) -> bool:
    """The one letter two words differ in makes them two people's names.

    >>> _another_persons_letter("SUMARNI", "SUWARNI", 2)
    True
    >>> _another_persons_letter("SUKARNO", "SUKARNI", 6)
    True
    >>> _another_persons_letter("SUBAKTI", "SUBEKTI", 3)
    False
    """
    pair = {a[at], b[at]}
    if not pair & _VOWELS:
        return True  # a consonant for another
    last_vowel = max((i for i, letter in enumerate(a) if letter in _VOWELS), default=-1)
    return at == last_vowel and "I" in pair and pair & {"O", "A"} != set()


def _one_h_apart(a: str, b: str) -> bool:
    """The same word but for one silent H, dropped or added ('FAHMI' / 'FAMI', 'SUHDI' /
    'SUDI'): how Javanese clerks write Arabic names, not another person.

    >>> _one_h_apart("FAHMI", "FAMI"), _one_h_apart("SUDI", "SUHDI"), _one_h_apart("TRI", "SRI")
    (True, True, False)
    """
    if abs(len(a) - len(b)) != 1:
        return False
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return any(
        longer[i] == "H" and longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer))
    )


def _positions_by(values: list[str]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for position, value in enumerate(values):
        if value:
            groups.setdefault(value, []).append(position)
    return groups


def last_digit_variants(nik: str) -> list[str]:
    """Excel turned the 16th digit into 0: the person holds one of these ten."""
    return [nik[:15] + d for d in DIGITS]


@lru_cache(maxsize=1 << 12)  # 160 variants each: a larger cache costs more than it saves
def one_digit_variants(nik: str) -> tuple[str, ...]:
    """Every NIK one typed digit away: one digit wrong, or two neighbours swapped."""
    variants = {nik[:i] + d + nik[i + 1 :] for i in range(len(nik)) for d in DIGITS if d != nik[i]}
    variants |= {
        nik[:i] + nik[i + 1] + nik[i] + nik[i + 2 :]
        for i in range(len(nik) - 1)
        if nik[i] != nik[i + 1]
    }
    return tuple(sorted(variants))


def choose(positions: list[int], index: RegistryIndex, basis: str) -> Suggestion:
    """A suggestion only when exactly one person fits; otherwise say how many did."""
    niks = sorted({index.nik_at(p) for p in positions})
    if len(niks) == 1:
        return Suggestion(niks[0], basis)
    if len(niks) > 1:
        return Suggestion(note=f"{len(niks)} kandidat cocok ({basis}); tidak ada saran")
    return Suggestion()


def suggest_from_nik_variants(
    index: RegistryIndex, variants: Sequence[str], name: str, written: Written, basis: str
) -> Suggestion:
    """Candidates among NIKs close to the one written, confirmed by name (and the stated birth
    date and sex when known)."""
    # Birth date and sex first: comparing names costs far more, and most holders of a NIK one
    # digit away are strangers of another age.
    fitting = [p for p in index.existing(variants) if index.fits(p, written)]
    return choose(index.with_name(name, fitting), index, basis)


def suggest_in_family(
    index: RegistryIndex, kk: str, name: str, written: Written, exclude: str = ""
) -> Suggestion:
    """The family member the row names, never one of another sex or birth date than the row
    says (a wife written under her husband's name is not her husband)."""
    members = [p for p in index.by_kk.get(kk, []) if index.nik_at(p) != exclude]
    fitting = [p for p in members if index.fits(p, written)]
    return choose(index.with_name(name, fitting), index, "anggota KK yang namanya cocok")


def suggest_in_area(
    index: RegistryIndex,
    name: str,
    written: Written,
    kode_desa: str,
    nik_fits: Callable[[str], bool] | None = None,
) -> Suggestion:
    """Name and birth date (and sex, when known) within the village, then within its
    kecamatan; `nik_fits` keeps only NIKs a damaged cell may have shown."""
    if not written.birth_date or not name:
        return Suggestion()
    born_that_day = [
        p for p in index.by_birth_date.get(written.birth_date, []) if index.fits(p, written)
    ]
    if nik_fits is not None:
        born_that_day = [p for p in born_that_day if nik_fits(index.nik_at(p))]
    for area, width, basis in (
        (kode_desa, 10, "nama + tanggal lahir di desa ini"),
        (kode_desa[:6], 6, "nama + tanggal lahir di kecamatan ini"),
    ):
        if len(area) != width:
            continue
        local = [p for p in born_that_day if index.village_at(p)[:width] == area]
        found = index.with_name(name, local)
        if found:
            return choose(found, index, basis)
    return Suggestion()
