"""A village that sends its whole list again: which file counts.

Two files of one village that are mostly the same people (by the NIKs written or by the
names: at least half of the people in either are in both) are two versions of one list: the
newer replaces the older, and the older's rows are listed in dropped.csv as `replaced`, never
silently lost.
Newer is decided, in this order, by a date in the file's name ("Desa Melis 2027-01-20.xlsx",
"... 20-01-2027 ..."), by a revision word and its number ("revisi", "revisi 2", "perbaikan",
"rev2"), and last by the file's modification time. The analyst can say it instead in the
config ([[revision]] new = ..., old = ...). Two genuinely different lists of one village (few
people in common) are both read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatch
from itertools import combinations
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# Share of the two lists' people (all of them, either list) in both that makes them two
# versions: a short list of a few people from a longer one (a supplement, the rows corrected,
# a form pasted elsewhere) never replaces it.
SAME_LIST = 0.5
_REVISION = re.compile(r"(?i)\b(?:revisi|rev|perbaikan|koreksi|update|baru)\s*[-_ ]?(\d*)")
_DATES = (
    re.compile(r"(?<!\d)(?P<y>20\d\d)[-_.](?P<m>\d\d?)[-_.](?P<d>\d\d?)(?!\d)"),
    re.compile(r"(?<!\d)(?P<d>\d\d?)[-_.](?P<m>\d\d?)[-_.](?P<y>20\d\d)(?!\d)"),
)


@dataclass(frozen=True)
class Replacement:
    old: str
    new: str
    why: str  # how the newer was decided, in words for the log


def file_date(name: str) -> date | None:
    """A date written in a file's name.

    >>> file_date("Desa Melis 20-01-2027.xlsx"), file_date("melis_2027-01-21_rev.xlsx")
    (datetime.date(2027, 1, 20), datetime.date(2027, 1, 21))
    """
    for pattern in _DATES:
        match = pattern.search(PurePosixPath(name).stem)
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                continue
    return None


def revision_number(name: str) -> int:
    """0 for a first version; 1 for "revisi", "perbaikan"; n for "revisi n".

    >>> revision_number("Desa Melis.xlsx"), revision_number("Desa Melis revisi.xlsx")
    (0, 1)
    >>> revision_number("melis_rev3.xlsx")
    3
    """
    match = _REVISION.search(PurePosixPath(name).stem.replace("_", " "))
    if not match:
        return 0
    return int(match.group(1)) if match.group(1) else 1


def _newer(a: str, b: str, mtimes: dict[str, float]) -> tuple[str, str, str]:
    """(newer, older, why) of two versions of a list: the first rule that tells them apart."""
    rules = (
        ("date in the name", file_date),
        ("revision in the name", revision_number),
        ("modification time", lambda name: mtimes.get(name, 0.0)),
    )
    for why, rule in rules:
        first, second = rule(a), rule(b)
        if first is not None and second is not None and first != second:
            return (a, b, why) if first > second else (b, a, why)
    return a, b, "modification time"


def find_replacements(
    applicants: pd.DataFrame,
    paths: dict[str, Path],
    stated: Sequence[tuple[str, str]] = (),
) -> list[Replacement]:
    """Which files replace which: the analyst's statements (`stated`, (new, old) patterns)
    first, then versions of one village's list found by the people they share."""
    files = sorted(set(applicants["source_file"]))
    replaced: dict[str, Replacement] = {}
    for new_pattern, old_pattern in stated:
        for old in (f for f in files if fnmatch(f, old_pattern)):
            new = next((f for f in files if fnmatch(f, new_pattern) and f != old), None)
            if new:
                replaced[old] = Replacement(old, new, "stated in the config")
    villages = applicants.groupby("kode_desa")["source_file"].unique()
    several = [files for kode, files in villages.items() if kode and len(files) > 1]
    people = _people_by_file(applicants) if several else {}  # most batches: one file a village
    mtimes = {name: _mtime(path) for name, path in paths.items()} if several else {}
    for village_files in several:
        for a, b in combinations(sorted(village_files), 2):
            if a in replaced or b in replaced or not _same_list(people[a], people[b]):
                continue
            new, old, why = _newer(a, b, mtimes)
            replaced[old] = Replacement(old, new, why)
    return sorted(replaced.values(), key=lambda r: r.old)


def _people_by_file(applicants: pd.DataFrame) -> dict[str, tuple[set[str], set[str]]]:
    """Per file, the NIKs written (15 digits or more) and the names, as compared."""
    from bantuan_iuran.normalize import normalize_name

    digits = applicants["nik_raw"].str.replace(r"\D", "", regex=True)
    frame = applicants.assign(digits=digits, person=applicants["name"].map(normalize_name))
    return {
        file: (set(group["digits"][group["digits"].str.len() >= 15]), set(group["person"]) - {""})
        for file, group in frame.groupby("source_file")
    }


def _same_list(a: tuple[set[str], set[str]], b: tuple[set[str], set[str]]) -> bool:
    """Mostly the same people by their NIKs, or by their names (a revision that corrects
    many NIKs keeps the names)."""
    return any(
        len(x | y) > 0 and len(x & y) / len(x | y) >= SAME_LIST for x, y in zip(a, b, strict=True)
    )


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
