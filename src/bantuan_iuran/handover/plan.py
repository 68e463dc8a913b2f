"""Who goes into a hand-over: the decree's people not handed over yet (or handed over again
after a rejection the village has since corrected), without those already enrolled and those
outside the age limits in the month cover is to start; and their rows in the branch's
template, every value text, names and birth dates as the registry has them. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from bantuan_iuran.config import Programme
from bantuan_iuran.handover.register import DECREED, REJECTED
from bantuan_iuran.normalize import indonesian_date

EXCLUSIONS = {
    "ALREADY_ENROLLED": "Sudah terdaftar sebagai peserta aktif BPJS Ketenagakerjaan.",
    "AGE_AT_START": "Usia pada bulan mulai kepesertaan di luar batas yang ditetapkan.",
}


@dataclass(frozen=True)
class HandoverPlan:
    people: pd.DataFrame  # to hand over, in kecamatan, desa, decree order
    excluded: pd.DataFrame  # with `exclusion` (a code of EXCLUSIONS)
    start: date  # the first day of the month cover is asked to start


def plan_handover(
    decreed: pd.DataFrame,
    states: pd.DataFrame,
    enrolled: set[str],
    programme: Programme,
    start: date,
    corrected: set[str] = frozenset(),
) -> HandoverPlan:
    """`states` from register.person_states; `enrolled` the NIKs of the branch's latest
    member list (empty when none was given); `corrected` the rejected NIKs whose village has
    answered since the rejection (register.corrected_since_rejection): handed over again."""
    state = decreed["nik"].map(dict(zip(states["nik"], states["state"], strict=True)))
    again = (state == REJECTED) & decreed["nik"].isin(corrected)
    waiting = decreed[((state == DECREED) | again).to_numpy()]
    ages = waiting["birth_date"].map(lambda born: age_on(born, start))
    exclusion = pd.Series("", index=waiting.index, dtype="str")
    exclusion[(ages < programme.min_age) | (ages > programme.max_age)] = "AGE_AT_START"
    exclusion[waiting["nik"].isin(enrolled)] = "ALREADY_ENROLLED"
    return HandoverPlan(
        waiting[exclusion == ""].reset_index(drop=True),
        waiting[exclusion != ""]
        .assign(exclusion=exclusion[exclusion != ""])
        .reset_index(drop=True),
        start,
    )


def age_on(born: str, day: date) -> int:
    """Whole years on `day` of someone born on the ISO date `born`.

    >>> age_on("1961-03-01", date(2027, 2, 1)), age_on("1961-03-01", date(2027, 3, 1))
    (65, 66)
    """
    birth = date.fromisoformat(born)
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def split_name(name: str) -> tuple[str, str, str]:
    """A name over the template's three columns: one word is a first name only; two, a first
    and a last; more, the words between as the middle name.

    >>> split_name("SUKINI"), split_name("AGUS WAHYUDI"), split_name("MUHAMMAD JUNAEDI SETIAWAN")
    (('SUKINI', '', ''), ('AGUS', '', 'WAHYUDI'), ('MUHAMMAD', 'JUNAEDI', 'SETIAWAN'))
    """
    words = name.split()
    if len(words) <= 1:
        return (name.strip(), "", "")
    return (words[0], " ".join(words[1:-1]), words[-1])


TEMPLATE_FIELDS = ("nik", "name", "name_first", "name_middle", "name_last", "birth_place",
                   "birth_date", "sex", "address", "full_address", "rt", "rw", "desa", "kecamatan",
                   "start_date")  # fmt: skip


def check_columns(columns: dict[str, str]) -> None:
    """Every template column names a field or fixed text: a typo is an error before any file
    is written."""
    import difflib

    from bantuan_iuran.errors import ConfigError

    if not columns:
        raise ConfigError("handover.columns is empty: the template needs its columns.")
    for column, spec in columns.items():
        if not spec.startswith("=") and spec not in TEMPLATE_FIELDS:
            close = difflib.get_close_matches(spec, TEMPLATE_FIELDS, n=1)
            hint = (
                f"Did you mean {close[0]!r}?" if close else f"Fields: {', '.join(TEMPLATE_FIELDS)}."
            )
            raise ConfigError(
                f"handover.columns: {column} = {spec!r} is neither a field nor '=text'.", hint=hint
            )


def person_fields(person: dict, start: date) -> dict[str, str]:
    """The fields a template column may name, as text in the branch's spelling."""
    first, middle, last = split_name(person["name"])
    return {
        "nik": person["nik"],
        "name": person["name"],
        "name_first": first,
        "name_middle": middle,
        "name_last": last,
        "birth_place": person["birth_place"].upper(),
        "birth_date": indonesian_date(person["birth_date"]),
        "sex": person["sex"],
        "address": person["address"],
        "full_address": full_address(person),
        "rt": person["rt"],
        "rw": person["rw"],
        "desa": person["desa"],
        "kecamatan": person["kecamatan"],
        "start_date": start.strftime("%d-%m-%Y"),
    }


def full_address(person: dict) -> str:
    """'Dsn Sumber RT 005 RW 002, Pandean, Dongko': the address as a letter would carry it.

    >>> full_address({"address": "Dsn Sumber", "rt": "5", "rw": "02", "desa": "Pandean",
    ...               "kecamatan": "Dongko"})
    'Dsn Sumber RT 005 RW 002, Pandean, Dongko'
    """
    from bantuan_iuran.normalize import normalize_rt

    rt, rw = normalize_rt(person["rt"]), normalize_rt(person["rw"])
    street = " ".join(filter(None, [person["address"], rt and f"RT {rt}", rw and f"RW {rw}"]))
    return ", ".join(filter(None, [street, person["desa"], person["kecamatan"]]))


def template_row(person: dict, columns: dict[str, str], start: date) -> list[str]:
    """A person's row: each column's field, or its fixed text after '='."""
    fields = person_fields(person, start)
    return [spec[1:] if spec.startswith("=") else fields[spec] for spec in columns.values()]
