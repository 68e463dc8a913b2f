"""Which village a file (or sheet, or row) comes from, as the official 10-digit kode_desa.

Ten village names exist in two kecamatan of Trenggalek (Besuki, Depok, ...) and ten villages share
their kecamatan's name, so a village is only decided when exactly one candidate is left: an
ambiguous or unknown village is reported, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from bantuan_iuran import reference
from bantuan_iuran.normalize import fold_spelling

_VILLAGE_WORDS = frozenset({"DESA", "DS", "KELURAHAN", "KEL", "KALURAHAN"})
_KECAMATAN_WORDS = frozenset({"KECAMATAN", "KEC", "KC"})
_STOP_WORDS = frozenset({"KABUPATEN", "KAB", "KOTA", "PROVINSI", "PROV", "TAHUN", "TH", "THN"})
_MAX_NAME_WORDS = 3


@dataclass(frozen=True)
class VillageMatch:
    kode_desa: str = ""
    problem: str = ""


def compact_key(text: str) -> str:
    """'Karang Anyar' and 'KARANGANYAR' meet; old spellings fold ('Soember' -> 'SUMBER')."""
    return fold_spelling(re.sub(r"[^A-Z]", "", text.upper()))


@cache
def _desa_index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for village in reference.villages():
        index.setdefault(compact_key(village.nama_desa), set()).add(village.kode_desa)
    for kode, alias in reference.village_aliases():
        index.setdefault(compact_key(alias), set()).add(kode)
    return {key: frozenset(codes) for key, codes in index.items()}


@cache
def _kecamatan_index() -> dict[str, str]:
    return {compact_key(name): code for code, name in reference.kecamatan_names().items()}


def _words(text: str) -> list[str]:
    return re.sub(r"[^A-Z0-9]+", " ", text.upper()).split()


def _phrases(words: Sequence[str]) -> Iterable[tuple[int, str]]:
    """Every run of one to three words, compacted, with its start position."""
    for start in range(len(words)):
        for length in range(1, _MAX_NAME_WORDS + 1):
            if start + length <= len(words):
                yield start, compact_key("".join(words[start : start + length]))


def _after_keyword(words: Sequence[str], keywords: frozenset[str]) -> list[list[str]]:
    """The words after each 'DESA'/'KECAMATAN' up to the next keyword."""
    stops = _VILLAGE_WORDS | _KECAMATAN_WORDS | _STOP_WORDS
    found = []
    for i, word in enumerate(words):
        if word in keywords:
            tail = []
            for following in words[i + 1 : i + 1 + _MAX_NAME_WORDS]:
                if following in stops or following.isdigit():
                    break
                tail.append(following)
            found.append(tail)
    return found


def _without_stop_phrases(words: Sequence[str]) -> list[str]:
    """Drop 'KABUPATEN TRENGGALEK' and the like: the regency is not a kecamatan mention."""
    kept, skip = [], 0
    for word in words:
        if skip:
            skip -= 1
        elif word in _STOP_WORDS:
            skip = 1
        else:
            kept.append(word)
    return kept


def kecamatan_mentions(text: str) -> set[str]:
    words = _words(text)
    named = _after_keyword(words, _KECAMATAN_WORDS)
    index = _kecamatan_index()
    if named:
        return {index[k] for tail in named for _, k in _phrases(tail) if k in index}
    return {index[k] for _, k in _phrases(_without_stop_phrases(words)) if k in index}


def desa_mentions(text: str) -> dict[str, set[str]]:
    """Candidate village codes by the phrase that named them."""
    words = _words(text)
    named = _after_keyword(words, _VILLAGE_WORDS)
    phrases = (
        [p for tail in named for _, p in _phrases(tail)]
        if named
        else [p for _, p in _phrases(_without_stop_phrases(words))]
    )
    index = _desa_index()
    return {p: set(index[p]) for p in phrases if p in index}


def identify_village(texts_by_priority: Sequence[str], context: Sequence[str] = ()) -> VillageMatch:
    """Decide the village from texts, most specific first (a row's desa cell, the sheet's title
    rows, the file name, the folders); `context` texts only narrow the kecamatan."""
    hints = set().union(*(kecamatan_mentions(t) for t in [*texts_by_priority, *context]))
    for text in texts_by_priority:
        mentions = desa_mentions(text)
        if not mentions:
            continue
        codes = _narrow(mentions, hints)
        if not codes:
            named = ", ".join(sorted(mentions))
            return VillageMatch(problem=f"village {named} is not in the kecamatan the file names")
        if len(codes) == 1:
            return VillageMatch(next(iter(codes)))
        names = ", ".join(sorted({reference.village_by_code()[c].nama_desa for c in codes}))
        where = " or ".join(sorted({reference.village_by_code()[c].nama_kecamatan for c in codes}))
        return VillageMatch(problem=f"village is ambiguous: {names} (kecamatan {where})")
    return VillageMatch(problem="village not recognised from the file name, title or folder")


def _narrow(mentions: dict[str, set[str]], hints: set[str]) -> set[str]:
    """Keep candidates in a hinted kecamatan; a phrase that is itself the kecamatan's name only
    counts when nothing else is left ('DESA BESUKI KECAMATAN PANGGUL' names Besuki)."""
    kecamatan_keys = {compact_key(reference.kecamatan_names()[h]) for h in hints}
    other = {p: c for p, c in mentions.items() if p not in kecamatan_keys} or mentions
    codes = set().union(*other.values())
    if hints:
        return {c for c in codes if c[:6] in hints}
    return codes
