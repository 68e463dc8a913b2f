"""Validate: every ingested row checked against the registry, given a status and its reasons.

Pure: frames in, frames out. Normalisation is shared with the registry side (normalize.py), the
NIK rules live in nik.py, the candidate search in match.py, the codes in reasons.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from bantuan_iuran import reference
from bantuan_iuran.config import Programme, Settings
from bantuan_iuran.corrections import is_withdrawal
from bantuan_iuran.frames import plain_columns
from bantuan_iuran.ledger import Decision
from bantuan_iuran.match import (
    RegistryIndex,
    Suggestion,
    Written,
    last_digit_variants,
    one_digit_variants,
    suggest_from_nik_variants,
    suggest_in_area,
    suggest_in_family,
)
from bantuan_iuran.nik import NIK_LENGTH, NikReading, decode_nik, read_nik
from bantuan_iuran.normalize import normalize_name, normalize_sex, stated_birth_date
from bantuan_iuran.reasons import ORDER, REASONS, STATUSES, explain, status_of
from bantuan_iuran.registry import RegistryKeys
from bantuan_iuran.schemas import ValidatedRows

__all__ = [
    "FIRST_PASS_FIELDS",
    "ValidateResult",
    "first_registry_keys",
    "kecamatan_counts",
    "normalized_rows",
    "reason_counts",
    "run_validate",
    "second_registry_keys",
    "variant_keys",
]


@dataclass
class ValidateResult:
    validated: pd.DataFrame


@dataclass
class _Outcome:
    """What validation concluded about one row."""

    reading: NikReading
    codes: list[str] = field(default_factory=list)
    person: int | None = None  # registry position of the person the row identifies
    owner: int | None = None  # registry position holding the NIK written, if any
    similarity: float | None = None
    suggestion: Suggestion = field(default_factory=Suggestion)
    details: list[str] = field(default_factory=list)


def run_validate(
    ingested: pd.DataFrame,
    registry: pd.DataFrame,
    enrolled: pd.DataFrame,
    settings: Settings,
    rows: pd.DataFrame | None = None,
) -> ValidateResult:
    """`rows`: `normalized_rows(ingested)` when the caller has them already."""
    index = RegistryIndex(registry, settings.matching.name_min_similarity)
    if rows is None:
        rows = normalized_rows(ingested, settings.programme)
    enrolled_niks = set(enrolled["nik"])
    outcomes = [_assess(row, index, enrolled_niks, settings) for row in checked_rows(rows)]
    _mark_duplicates(rows, outcomes, index)
    validated = _assemble(rows, outcomes, index, settings.programme.year)
    return ValidateResult(ValidatedRows.validate(validated))


# What second_registry_keys reads of the first pass's rows: names and families, not the rest.
FIRST_PASS_FIELDS = ("nik", "kk", "name", "birth_date")


def first_registry_keys(rows: pd.DataFrame) -> RegistryKeys:
    """The registry rows a batch needs first (`rows` as `normalized_rows` gives them): the
    holders of the NIKs written (a NIK column may hold a KK number, so those too), and what a
    number cell's 16th digit may have been."""
    niks: set[str] = set()
    for reading in rows["nik_reading"]:
        if reading.known_digits >= 15:
            niks.update(last_digit_variants(reading.nik) if reading.damaged else [reading.nik])
    return RegistryKeys(niks=frozenset(niks), kks=frozenset(niks))


@dataclass(frozen=True)
class SecondKeys:
    """The second pass: `keys` (families, areas) and the NIKs nobody holds, whose one-digit
    variants are looked for a chunk at a time (`variant_keys`)."""

    keys: RegistryKeys
    unknown: tuple[str, ...]


# NIKs whose variants one registry scan looks for: about 800,000 keys. A batch has a few
# thousand unknown NIKs and needs one scan; a 100,000-row list of mistyped NIKs needs twenty,
# in bounded memory, where all its 16 million variants at once took 4.5 GB.
VARIANT_CHUNK = 5_000


def variant_keys(unknown: Sequence[str]) -> Iterator[RegistryKeys]:
    for start in range(0, len(unknown), VARIANT_CHUNK):
        chunk = unknown[start : start + VARIANT_CHUNK]
        yield RegistryKeys(niks=frozenset(v for nik in chunk for v in one_digit_variants(nik)))


def second_registry_keys(rows: pd.DataFrame, first: pd.DataFrame, settings: Settings) -> SecondKeys:
    """What finding candidates for the rows the first rows did not settle may use: the NIKs one
    digit away from a NIK nobody holds, the families of the NIKs' holders, and everyone born on
    the stated day in the row's kecamatan (by the birth date their NIK encodes)."""
    index = RegistryIndex(first, settings.matching.name_min_similarity)
    unknown: dict[str, None] = {}
    kks: set[str] = set()
    areas: set[str] = set()
    for row in checked_rows(rows):
        reading = row.nik_reading
        owner = index.by_nik.get(reading.nik) if not reading.problem else None
        if owner is not None:
            similarity = index.similarity(row.name_normalized, owner)
            if similarity >= 100:
                continue  # the holder, beyond doubt: no family member can fit better
            kks.add(index.kk_at(owner))
            if similarity >= index.min_similarity:
                continue
        elif reading.known_digits == NIK_LENGTH and reading.nik not in index.by_kk:
            # Not found: the NIK meant may be one typed digit away. (A NIK held by someone else
            # is a name mismatch, searched in the family; a KK number's family came in first.)
            unknown[reading.nik] = None
        areas.update(_area_keys(row.kode_desa, row.birth_date_stated))
    return SecondKeys(RegistryKeys(kks=frozenset(kks), areas=frozenset(areas)), tuple(unknown))


def _area_keys(kode_desa: str, birth_date: str) -> list[str]:
    if len(kode_desa) != 10 or not birth_date:
        return []
    year, month, day = birth_date.split("-")
    code = f"{month}{year[2:]}"
    return [f"{kode_desa[:6]}{day}{code}", f"{kode_desa[:6]}{int(day) + 40}{code}"]


@dataclass(frozen=True)
class Acceptance:
    """The analyst accepts the registry's suggested NIKs: of these villages (names or codes;
    "all" for every village), those whose basis contains `basis` (any basis when empty)."""

    villages: tuple[str, ...]
    basis: str = ""

    def chooses(self, desa: str, kode_desa: str, basis: str) -> bool:
        wanted = {v.casefold() for v in self.villages}
        return bool(
            ("all" in wanted or desa.casefold() in wanted or kode_desa in wanted)
            and self.basis.casefold() in basis.casefold()
        )

    @property
    def source(self) -> str:
        what = f"dasar berisi '{self.basis}'" if self.basis else "semua dasar"
        return f"kabupaten: saran NIK diterima ({what})"


def acceptance_decisions(
    ingested: pd.DataFrame, validated: pd.DataFrame, acceptance: Acceptance, when: str
) -> list[Decision]:
    """The suggested NIKs the analyst accepts, as the regency's answers for the ledger: never
    over a village's own answer. Validated again, they are checked like any answer."""
    from bantuan_iuran.decisions import digests

    keys = digests(ingested)
    return [
        Decision("acceptance", key, kode, "nik", nik, f"{acceptance.source}; dasar: {basis}", "",
                 "", 0, "", "", when, 0)
        for key, nik, answered, desa, kode, basis in zip(
            keys, validated["nik_suggested"], ingested["answer_nik"], validated["desa"],
            validated["kode_desa"], validated["suggestion_basis"], strict=True,
        )
        if nik and not answered and acceptance.chooses(desa, kode, basis)
    ]  # fmt: skip


def with_answers(ingested: pd.DataFrame) -> pd.DataFrame:
    """The rows as they are to be checked: a village's answer on a returned correction form
    takes the place of what it first sent (kept in sent_nik_raw, sent_name, sent_birth_date);
    an answered NIK was typed as text."""
    answered = {
        column: ingested[answer].where(ingested[answer] != "", ingested[column])
        for column, answer in (("nik_raw", "answer_nik"), ("name", "answer_name"),
                              ("birth_date", "answer_birth_date"))
    }  # fmt: skip
    return ingested.assign(
        sent_nik_raw=ingested["nik_raw"],
        sent_name=ingested["name"],
        sent_birth_date=ingested["birth_date"],
        nik_is_number=ingested["nik_is_number"] & (ingested["answer_nik"] == ""),
        **answered,
    )


def normalized_rows(ingested: pd.DataFrame, programme: Programme) -> pd.DataFrame:
    """The rows as checked (with the villages' answers), with the NIK as read (nik.read_nik),
    the name, birth date and sex as compared (normalize.py); a two-digit year is resolved with
    the row's NIK. Each distinct value is read once, whatever the size of the batch."""
    ingested = with_answers(ingested)
    cells = list(zip(ingested["nik_raw"], ingested["nik_is_number"], strict=True))
    readings = {cell: read_nik(*cell) for cell in set(cells)}
    stated = list(zip(ingested["birth_date"], ingested["nik_raw"], strict=True))
    dates = {
        cell: stated_birth_date(*cell, programme.year, programme.min_age) for cell in set(stated)
    }
    return ingested.assign(
        nik_reading=[readings[cell] for cell in cells],
        name_normalized=ingested["name"].map(normalize_name),
        birth_date_stated=[dates[cell] for cell in stated],
        sex_stated=ingested["sex"].map(normalize_sex),
    )


# What the row-by-row rules read of a row (normalized_rows).
_CHECKED = ("nik_reading", "name", "name_normalized", "birth_date", "birth_date_stated",
            "sex_stated", "kode_desa", "answer_action", "answer_note")  # fmt: skip


def checked_rows(rows: pd.DataFrame) -> Iterator:
    """The rows as the rules read them, one named tuple each: only the columns they read are
    made Python objects, the rest of a province's batch stays in Arrow's compact form."""
    return plain_columns(rows[list(_CHECKED)]).itertuples(index=False)


def _assess(row, index: RegistryIndex, enrolled: set[str], settings: Settings) -> _Outcome:
    if is_withdrawal(row.answer_action):
        detail = "; ".join(filter(None, [row.answer_action, row.answer_note]))
        return _Outcome(row.nik_reading, ["WITHDRAWN"], details=[detail])
    outcome = _identify(row, index, settings.programme.year)
    if not row.kode_desa:
        outcome.codes.append("VILLAGE_UNKNOWN")
    if row.birth_date.strip() and not row.birth_date_stated:
        outcome.codes.append("BIRTHDATE_INVALID")  # '31/02/1990': never read as no date
        outcome.details.append(f"tanggal lahir tertulis {row.birth_date.strip()!r}")
    if outcome.person is not None:
        _check_person(row, outcome, index, enrolled, settings)
    return outcome


def _identify(row, index: RegistryIndex, year: int) -> _Outcome:
    """Who the row is about: the NIK's holder when the names agree; otherwise the reasons the
    NIK fails and, where the registry makes one person clear, that person's NIK."""
    reading = row.nik_reading
    name = row.name_normalized
    if not name:
        return _Outcome(reading, codes=["NAME_MISSING"], owner=index.by_nik.get(reading.nik))
    owner = index.by_nik.get(reading.nik) if not reading.problem else None
    if owner is not None:
        similarity = index.similarity(name, owner)
        if similarity >= index.min_similarity and not _closer_in_family(index, owner, name):
            return _Outcome(reading, person=owner, owner=owner, similarity=similarity)
        if not reading.damaged:
            return _name_mismatch(row, reading, index, owner, similarity, year)
    return _broken_nik(row, reading, index, year, owner)


def _written(row, reading: NikReading, year: int) -> Written:
    """The birth date the row states, and the sex its NIK encodes when that NIK is the row's
    own (it encodes the stated birth date), else the sex column's."""
    sex = row.sex_stated
    if row.birth_date_stated and not reading.problem:
        facts = decode_nik(reading.nik, year)
        if facts.birth_date and facts.birth_date.isoformat() == row.birth_date_stated:
            sex = facts.sex
    return Written(row.birth_date_stated, sex)


def _by_husbands_name(row, index: RegistryIndex, owner: int, written: Written) -> bool:
    """A wife written by her husband's name ('Ny. Slamet', 'Bu Kasiman') with her own NIK: the
    holder is a woman of the stated birth date, the name is a form of address for a married
    woman and a man's in her family."""
    first = re.split(r"[^A-Z]+", row.name.strip().upper(), maxsplit=1)[0]
    if first not in reference.name_words("wife") or not written.birth_date:
        return False
    if index.sex_at(owner) != "P" or index.birth_date_at(owner) != written.birth_date:
        return False
    family = index.by_kk.get(index.kk_at(owner), [])
    husband = Written(sex="L")
    return any(index.fits(p, husband) for p in index.with_name(row.name_normalized, family))


def _closer_in_family(index: RegistryIndex, owner: int, name: str) -> bool:
    """SUMARNI written with her sister SUWARNI's NIK: a family member whose name fits better
    than the holder's is the person meant."""
    best = index.similarity(name, owner)
    if best >= 100:
        return False
    members = index.by_kk.get(index.kk_at(owner), [])
    return any(index.similarity(name, m) > best for m in members if m != owner)


def _name_mismatch(
    row, reading: NikReading, index: RegistryIndex, owner: int, similarity: float, year: int
) -> _Outcome:
    """A NIK that exists under someone else's name: often a spouse's or parent's NIK, so the
    family card is the first place to look; or a wife written by her husband's name, who is
    asked for her own name and never given her husband's NIK."""
    written = _written(row, reading, year)
    if _by_husbands_name(row, index, owner, written):
        return _Outcome(reading, codes=["NAME_OF_HUSBAND"], owner=owner, similarity=similarity)
    kk = index.kk_at(owner)
    suggestion = suggest_in_family(
        index, kk, row.name_normalized, written, exclude=index.nik_at(owner)
    )
    if not suggestion.nik and not suggestion.note:
        suggestion = suggest_in_area(index, row.name_normalized, written, row.kode_desa)
    return _Outcome(
        reading, codes=["NAME_MISMATCH"], owner=owner, similarity=similarity, suggestion=suggestion
    )


def _broken_nik(
    row, reading: NikReading, index: RegistryIndex, year: int, owner: int | None
) -> _Outcome:
    name, born, village = row.name_normalized, _written(row, reading, year), row.kode_desa
    if reading.problem == "NIK_MISSING":
        code, suggestion = "NIK_MISSING", suggest_in_area(index, name, born, village)
    elif reading.problem == "NIK_FORMAT":
        code, suggestion = "NIK_FORMAT", suggest_in_area(index, name, born, village)
    elif reading.damaged:
        # A number cell: the first 15 digits are right; scientific notation keeps fewer.
        code = "NIK_EXCEL_ROUNDED"
        if reading.known_digits == 15:
            suggestion = suggest_from_nik_variants(
                index, last_digit_variants(reading.nik), name, born, "15 digit pertama + nama"
            )
        else:
            suggestion = suggest_in_area(index, name, born, village, nik_fits=reading.could_be)
    elif reading.nik in index.by_kk:
        code, suggestion = "NIK_IS_KK", suggest_in_family(index, reading.nik, name, born)
    else:
        invalid = decode_nik(reading.nik, year).problem == "NIK_INVALID"
        code = "NIK_INVALID" if invalid else "NIK_NOT_FOUND"
        suggestion = suggest_from_nik_variants(
            index, one_digit_variants(reading.nik), name, born, "satu angka NIK berbeda + nama"
        )
    if not suggestion.nik and not suggestion.note and code != "NIK_MISSING":
        suggestion = suggest_in_area(index, name, born, village)
    return _Outcome(reading, codes=[code], owner=owner, suggestion=suggestion)


def _check_person(row, outcome: _Outcome, index: RegistryIndex, enrolled: set[str], settings):
    person = index.person(outcome.person)
    programme = settings.programme
    if (
        row.birth_date_stated
        and person["birth_date"]
        and row.birth_date_stated != person["birth_date"]
    ):
        swapped = day_month_swapped(row.birth_date_stated) == person["birth_date"]
        outcome.codes.append("BIRTHDATE_SWAPPED" if swapped else "BIRTHDATE_MISMATCH")
    if person["death_date"]:
        outcome.codes.append("DECEASED")
        outcome.details.append(f"meninggal {person['death_date']}")
    if not person["kode_desa"].startswith(programme.regency_code):
        outcome.codes.append("OUT_OF_AREA")
        outcome.details.append(f"domisili {person['desa_name']}, {person['kecamatan_name']}")
    # The registry's birth date decides; a registry row without one falls back to the row's.
    age = age_on(person["birth_date"] or row.birth_date_stated, date(programme.year, 1, 1))
    if age is not None and not programme.min_age <= age <= programme.max_age:
        outcome.codes.append("AGE")
        outcome.details.append(f"usia {age} tahun (batas {programme.min_age}-{programme.max_age})")
    if person["nik"] in enrolled:
        outcome.codes.append("ALREADY_ENROLLED")
    if _excluded(person["occupation"], person["occupation_code"], programme.excluded_occupations):
        outcome.codes.append("EXCLUDED_OCCUPATION")
        outcome.details.append(f"pekerjaan {person['occupation']}")


def _excluded(occupation: str, code: str, excluded: tuple[str, ...]) -> bool:
    return bool(code and code in excluded) or bool(occupation and occupation in excluded)


def day_month_swapped(iso: str) -> str:
    """The date with its day and month exchanged ('' when that is no date).

    >>> day_month_swapped("1982-03-05"), day_month_swapped("1982-03-25")
    ('1982-05-03', '')
    """
    year, month, day = iso.split("-")
    return f"{year}-{day}-{month}" if int(day) <= 12 and day != month else ""


def age_on(birth_date: str, day: date) -> int | None:
    """Whole years completed on `day`."""
    if not birth_date:
        return None
    born = date.fromisoformat(birth_date)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _mark_duplicates(rows: pd.DataFrame, outcomes: list[_Outcome], index: RegistryIndex) -> None:
    """One listing per person: the one from the village where the registry says the person
    lives, otherwise the first in file order; the others point to it."""
    listings: dict[int, list[int]] = {}
    for position, outcome in enumerate(outcomes):
        if outcome.person is not None:
            listings.setdefault(outcome.person, []).append(position)
    villages = rows["kode_desa"].tolist()
    files, row_numbers = rows["source_file"].tolist(), rows["source_row"].tolist()
    for person, positions in listings.items():
        if len(positions) < 2:
            continue
        home = index.village_at(person)
        kept = next((p for p in positions if villages[p] == home), positions[0])
        where = f"{files[kept]} baris {row_numbers[kept]}"
        for position in positions:
            if position != kept:
                outcomes[position].codes.append("DUPLICATE")
                outcomes[position].details.append(f"dipertahankan: {where}")


def _assemble(
    rows: pd.DataFrame, outcomes: list[_Outcome], index: RegistryIndex, year: int
) -> pd.DataFrame:
    registry = index.registry
    person = pd.Series([o.person for o in outcomes], index=rows.index, dtype="Int64")
    matched = registry.reindex(person.fillna(-1).astype(int)).set_axis(rows.index)
    matched = matched.fillna("")
    codes = [sorted(set(o.codes), key=ORDER.__getitem__) for o in outcomes]
    facts = [
        _nik_facts(o.reading, raw, year) for o, raw in zip(outcomes, rows["nik_raw"], strict=True)
    ]
    villages = reference.village_by_code()
    return pd.DataFrame(
        {
            "row_id": rows["row_id"],
            "source_file": rows["source_file"],
            "source_sheet": rows["source_sheet"],
            "source_row": rows["source_row"],
            "kode_desa": rows["kode_desa"],
            "desa": rows["kode_desa"].map(lambda k: villages[k].nama_desa if k in villages else ""),
            "kecamatan": rows["kode_desa"].map(
                lambda k: villages[k].nama_kecamatan if k in villages else ""
            ),
            "nik_raw": rows["nik_raw"],
            "nik": [f[0] for f in facts],
            "nik_suggested": [o.suggestion.nik for o in outcomes],
            "suggestion_basis": [o.suggestion.basis or o.suggestion.note for o in outcomes],
            "status": [status_of(c) for c in codes],
            "reasons": [";".join(c) for c in codes],
            "reason_text": [explain(c) for c in codes],
            "reason_detail": ["; ".join(o.details) for o in outcomes],
            "nik_region": [f[1] for f in facts],
            "nik_birth_date": [f[2] for f in facts],
            "nik_sex": [f[3] for f in facts],
            "name": rows["name"],
            "name_normalized": rows["name_normalized"],
            "name_similarity": [o.similarity for o in outcomes],
            "birth_date_stated": rows["birth_date_stated"],
            "birth_date": rows["birth_date_stated"].where(
                rows["birth_date_stated"] != "", matched["birth_date"]
            ),
            "birth_place": rows["birth_place"].where(
                rows["birth_place"] != "", matched["birth_place"]
            ),
            "sex": rows["sex_stated"].where(rows["sex_stated"] != "", matched["sex"]),
            "address": rows["address"].where(rows["address"] != "", matched["address"]),
            "rt": rows["rt"],
            "rw": rows["rw"],
            "occupation": rows["occupation"],
            "registry_nik": matched["nik"],
            "registry_name": _registry_value(registry, outcomes, "name"),
            "registry_birth_date": _registry_value(registry, outcomes, "birth_date"),
            "registry_kode_desa": _registry_value(registry, outcomes, "kode_desa"),
            "registry_desa": _registry_value(registry, outcomes, "desa_name"),
            "registry_kecamatan": _registry_value(registry, outcomes, "kecamatan_name"),
            "registry_occupation": matched["occupation"],
            "registry_death_date": matched["death_date"],
            **{column: rows[column] for column in _ANSWER_RECORD},
        }
    )


# What validated.parquet keeps of an answer: the values first sent, and the answer's record.
_ANSWER_RECORD = ("sent_nik_raw", "sent_name", "sent_birth_date", "answer_action",
                  "answer_note", "answer_source")  # fmt: skip


def _registry_value(registry: pd.DataFrame, outcomes: list[_Outcome], column: str) -> list[str]:
    """The registry's value for the person identified or, failing that, the NIK's holder:
    the evidence a clerk needs beside the village's own value."""
    values = registry[column].tolist()
    return [
        values[o.person if o.person is not None else o.owner]
        if (o.person is not None or o.owner is not None)
        else ""
        for o in outcomes
    ]


def _nik_facts(reading: NikReading, raw: str, year: int) -> tuple[str, str, str, str]:
    """(nik, nik_region, nik_birth_date, nik_sex): the cleaned NIK and what it encodes."""
    nik = reading.nik if reading.nik else raw
    facts = decode_nik(reading.nik, year) if not reading.problem else None
    if facts is None or facts.problem:
        return nik, "", "", ""
    return nik, facts.region, facts.birth_date.isoformat(), facts.sex


def reason_counts(validated: pd.DataFrame) -> pd.DataFrame:
    """Rows per reason code, in the codes' fixed order (a row may carry several)."""
    codes = validated["reasons"].str.split(";").explode()
    counts = codes[codes != ""].value_counts()
    ordered = sorted(counts.index, key=ORDER.__getitem__)
    return pd.DataFrame(
        {
            "reason": ordered,
            "status": [REASONS[c].status for c in ordered],
            "rows": [int(counts[c]) for c in ordered],
        }
    )


def kecamatan_counts(validated: pd.DataFrame) -> pd.DataFrame:
    """Rows per kecamatan and status, every status a column."""
    table = pd.crosstab(validated["kecamatan"].replace("", "(tidak dikenali)"), validated["status"])
    table = table.reindex(columns=list(STATUSES), fill_value=0)
    table["total"] = table.sum(axis=1)
    return (
        table.reset_index()
        .rename(columns={"kecamatan": "kecamatan"})
        .astype({s: "int64" for s in [*STATUSES, "total"]})
    )
