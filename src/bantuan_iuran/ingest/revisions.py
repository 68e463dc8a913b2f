"""A village that sends its list again: which file counts, only on evidence.

A file replaces another of the same village only where something says so: its name carries a
revision word ("revisi", "revisi 2", "perbaikan", "rev3", "ralat", "update"...) and names the
village, or the analyst says it in the config ([[revision]] new = ..., old = ...). The same
path sent again needs no rule: the new bytes are what is read. Replacement is per village: a
recap of several villages loses only the replaced village's rows, listed in dropped.csv as
`replaced`. Two lists of one village without such evidence are both read; when they share
most of their people they are reported as a possible revision, with the [[revision]] lines to
paste. Two revisions that cannot be told apart are a tie, reported, and both read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatch
from itertools import combinations
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from bantuan_iuran.errors import ConfigError

if TYPE_CHECKING:
    import pandas as pd

    from bantuan_iuran.ledger import Decision

# Share of two lists' people (all of them, either list) in both that makes them look like
# versions of one list (reported, never acted on without evidence).
SAME_LIST = 0.5
_REVISION = re.compile(
    r"(?i)(?<![a-z])(?:revisi|rev|perbaikan|koreksi|update|updated|ralat|pembaruan|pembaharuan"
    r"|terbaru|baru|pengganti)(?:\s*[-_ ]?\s*(\d{1,2}))?(?![a-z\d])"
)
_DATES = (
    re.compile(r"(?<!\d)(?P<y>20\d\d)[-_.](?P<m>\d\d?)[-_.](?P<d>\d\d?)(?!\d)"),
    re.compile(r"(?<!\d)(?P<d>\d\d?)[-_.](?P<m>\d\d?)[-_.](?P<y>20\d\d)(?!\d)"),
)


@dataclass(frozen=True)
class Replacement:
    old: str
    new: str
    kode_desa: str  # the village whose rows of `old` are replaced
    why: str  # the evidence, in words for the log


@dataclass(frozen=True)
class PossibleRevision:
    """Two lists of one village that may be versions, read both: the analyst decides."""

    first: str
    second: str
    kode_desa: str
    why: str

    @property
    def rule(self) -> str:
        return f'[[revision]]\nnew = "{self.second}"\nold = "{self.first}"'


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


def revision_number(name: str, village: str = "") -> int:
    """0 when the name carries no revision word; 1 for "revisi", "perbaikan"; n for "revisi n".
    The village's own name is taken out first (Desa Baru, Baruharjo are no revisions).

    >>> revision_number("Desa Melis.xlsx"), revision_number("Desa Melis revisi.xlsx")
    (0, 1)
    >>> revision_number("melis_rev3.xlsx"), revision_number("BARUHARJO.xlsx", "Baruharjo")
    (3, 0)
    >>> revision_number("Desa Baru revisi 2.xlsx", "Baru")
    2
    """
    return revision_in(PurePosixPath(name).stem, village)


def revision_in(text: str, village: str = "") -> int:
    """The revision a text (a file's name, a sheet's title rows) names, as revision_number."""
    text = text.replace("_", " ")
    if village:
        text = re.sub(rf"(?i)(?<![a-z]){re.escape(village)}(?![a-z])", " ", text)
    numbers = [int(m.group(1) or 1) for m in _REVISION.finditer(text)]
    return max(numbers, default=0)


def find_replacements(
    applicants: pd.DataFrame,
    stated: Sequence[tuple[str, str]] = (),
    titles: dict[str, str] | None = None,
) -> tuple[list[Replacement], list[PossibleRevision]]:
    """Which files replace which, for which village: the analyst's statements (`stated`, (new,
    old) patterns) first, then revisions named as such in a file's name or its sheets' title
    rows (`titles`); and the pairs that only look alike."""
    villages = _villages_by_file(applicants)
    replaced: dict[tuple[str, str], Replacement] = {}
    for new, old, kode in _stated(stated, villages):
        replaced[old, kode] = Replacement(old, new, kode, "stated in the config")
    possible = []
    by_village: dict[str, list[str]] = {}
    for file, codes in villages.items():
        for kode in codes:
            by_village.setdefault(kode, []).append(file)
    several = {kode: sorted(files) for kode, files in by_village.items() if kode and len(files) > 1}
    people = _people_by_file(applicants) if several else {}
    for kode, files in sorted(several.items()):
        for a, b in combinations(files, 2):
            if (a, kode) in replaced or (b, kode) in replaced:
                continue
            found = _evidence(a, b, kode, titles or {})
            if isinstance(found, Replacement):
                replaced[found.old, kode] = found
            elif _same_list(people[a], people[b]):
                why = found or "they share most of their people; nothing says which is newer"
                possible.append(PossibleRevision(a, b, kode, why))
    return sorted(replaced.values(), key=lambda r: (r.old, r.kode_desa)), possible


def _villages_by_file(applicants: pd.DataFrame) -> dict[str, set[str]]:
    return {
        file: set(codes)
        for file, codes in applicants.groupby("source_file")["kode_desa"].unique().items()
    }


def _stated(
    stated: Sequence[tuple[str, str]], villages: dict[str, set[str]]
) -> list[tuple[str, str, str]]:
    """(new, old, village) for each [[revision]] rule; a rule that matches nothing is an error."""
    found = []
    files = sorted(villages)
    for new_pattern, old_pattern in stated:
        olds = [f for f in files if fnmatch(f, old_pattern)]
        news = [f for f in files if fnmatch(f, new_pattern) and f not in olds]
        if not olds or not news:
            missing = "old" if not olds else "new"
            raise ConfigError(
                f"[[revision]] new = {new_pattern!r}, old = {old_pattern!r}: the {missing} "
                "pattern matches no village list among the sources.",
                hint="Write the files as ingest_log.csv names them (* and ? match any text).",
            )
        new = news[0]
        found.extend((new, old, kode) for old in olds for kode in villages[old] & villages[new])
    return found


def _evidence(a: str, b: str, kode_desa: str, titles: dict[str, str]) -> Replacement | str:
    """The replacement the names (or titles) prove, or why they prove none ('' when neither
    says it). A file is a revision of the village when its name or title names both."""
    from bantuan_iuran.ingest.village import identify_village
    from bantuan_iuran.reference import village_by_code

    village = village_by_code().get(kode_desa)
    name = village.nama_desa if village else ""
    marks = {}
    for file in (a, b):
        path = PurePosixPath(file)
        folders = list(path.parts[:-1])
        texts = [path.stem, titles.get(file, "")]
        marks[file] = None
        for text in filter(None, texts):
            number = revision_in(text, name)
            if number and identify_village([text], folders).kode_desa == kode_desa:
                marks[file] = (number, file_date(file))
                break
    if marks[a] is None and marks[b] is None:
        return ""
    if marks[a] is None or marks[b] is None:
        new, old = (a, b) if marks[a] is not None else (b, a)
        return Replacement(old, new, kode_desa, f"{PurePosixPath(new).name} says it is a revision")
    if marks[a][0] != marks[b][0]:
        new, old = (a, b) if marks[a][0] > marks[b][0] else (b, a)
        return Replacement(old, new, kode_desa, "a higher revision number")
    date_a, date_b = marks[a][1], marks[b][1]
    if date_a and date_b and date_a != date_b:
        new, old = (a, b) if date_a > date_b else (b, a)
        return Replacement(old, new, kode_desa, "a later date in the name")
    return "a tie: both names say the same revision"


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


def revision_decisions(
    replacements: Sequence[Replacement], digests: dict[str, str]
) -> list[Decision]:
    """Each replacement as a ledger decision (recorded once, with the new file's digest)."""
    from bantuan_iuran.ledger import Decision
    from bantuan_iuran.manifest import now

    return [
        Decision("revision", r.old, r.kode_desa, "file", r.new, r.why, r.new, "", 0, "",
                 digests.get(r.new, ""), now(), 0)
        for r in replacements
    ]  # fmt: skip
