"""Which applicants each village lists, with the problems real lists carry, and the truth.

Every planted row records the status and reason validation should find and, where the registry
makes the right person clear, the NIK that should be suggested.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from bantuan_iuran import reference
from bantuan_iuran.nik import decode_nik
from bantuan_iuran.sample import names

# Share of applicant rows per planted case: (case, status, reason, repairable).
CASES = {
    "clean": (0.53, "eligible", "", False),
    "number_exact": (0.01, "eligible", "", False),
    "empty_birth_date": (0.03, "eligible", "", False),
    "nik_missing": (0.03, "needs_fix", "NIK_MISSING", True),
    "nik_format": (0.02, "needs_fix", "NIK_FORMAT", True),
    "nik_invalid": (0.015, "needs_fix", "NIK_INVALID", True),
    "excel_number": (0.03, "needs_fix", "NIK_EXCEL_ROUNDED", True),
    "excel_scientific": (0.01, "needs_fix", "NIK_EXCEL_ROUNDED", True),
    "nik_is_kk": (0.015, "needs_fix", "NIK_IS_KK", True),
    "nik_typo": (0.02, "needs_fix", "NIK_NOT_FOUND", True),
    "absent": (0.01, "needs_fix", "NIK_NOT_FOUND", False),
    "lookalike": (0.01, "needs_fix", "NIK_NOT_FOUND", False),
    "spouse_nik": (0.015, "needs_fix", "NAME_MISMATCH", True),
    "birth_date_mismatch": (0.015, "needs_fix", "BIRTHDATE_MISMATCH", False),
    # Planted afterwards by copying another village's listing (see _plant_duplicates).
    "duplicate": (0.0, "ineligible", "DUPLICATE", False),
    "deceased": (0.015, "ineligible", "DECEASED", False),
    "out_of_area": (0.015, "ineligible", "OUT_OF_AREA", False),
    "age": (0.02, "ineligible", "AGE", False),
    "enrolled": (0.025, "ineligible", "ALREADY_ENROLLED", False),
    "excluded_occupation": (0.015, "ineligible", "EXCLUDED_OCCUPATION", False),
}


@dataclass
class Listing:
    """One applicant row as the village writes it, and what validation should conclude."""

    kode_desa: str
    case: str
    nik: object  # str, int (a number cell), or None
    name: str
    birth_place: str
    birth_date: date | None
    sex: str
    address: str
    rt: str
    rw: str
    occupation: str
    true_nik: str = ""
    expect_suggestion: bool = False
    duplicate_of: int | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return CASES[self.case][1]

    @property
    def reason(self) -> str:
        return CASES[self.case][2]


@dataclass
class People:
    """Registry columns as arrays plus the pools each case draws from."""

    registry: pd.DataFrame
    year: int
    rng: np.random.Generator
    used: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        r = self.registry
        self.nik = r["NIK"].to_numpy()
        self.kk = r["NO_KK"].to_numpy()
        self.niks = set(self.nik)
        self.kks = set(self.kk)
        born = pd.to_datetime(r["TGL_LHR"])
        start = pd.Timestamp(date(self.year, 1, 1))
        age = (start.year - born.dt.year) - ((born.dt.month > 1) | (born.dt.day > 1)).astype(int)
        self.born = born.dt.date.to_numpy()
        village = (
            r["NO_PROP"] + r["NO_KAB"].str.zfill(2) + r["NO_KEC"].str.zfill(2) + r["NO_KEL"]
        ).to_numpy()
        self.village = village
        in_area = pd.Series(village).str.startswith("3503").to_numpy()
        alive = (r["TGL_MATI"] == "").to_numpy()
        codes = {v: k for k, v in reference.occupations().items()}
        excluded = r["JENIS_PKRJN"].map(codes).isin(names.EXCLUDED_OCCUPATIONS).to_numpy()
        adult = ((age >= 19) & (age <= 64)).to_numpy()
        self.pools = {
            "eligible": in_area & alive & adult & ~excluded,
            "deceased": in_area & ~alive & adult & ~excluded,
            "out_of_area": ~in_area & alive & adult & ~excluded,
            "age": in_area
            & alive
            & ~excluded
            & (((age >= 10) & (age <= 16)) | (age >= 67)).to_numpy(),
            "excluded_occupation": in_area & alive & adult & excluded,
        }
        self.by_village: dict[tuple[str, str], list[int]] = {}
        self.first_free: dict[tuple[str, str], int] = {}
        self.index_of = {nik: index for index, nik in enumerate(self.nik)}
        self.names = r["NAMA_LGKP"].to_numpy(dtype=object)
        self.families = r.groupby("NO_KK", sort=False).indices  # card -> its people, in order

    def draw(self, pool: str, kode_desa: str | None, condition=None) -> int | None:
        """An unused person from the pool (in the village when one is given)."""
        key = (pool, kode_desa or "")
        if key not in self.by_village:
            mask = self.pools[pool] & (self.village == kode_desa if kode_desa else True)
            candidates = np.flatnonzero(mask)
            self.by_village[key] = self.rng.permutation(candidates).tolist()
            self.first_free[key] = 0
        order = self.by_village[key]
        # Everyone before first_free is used: each draw starts there, not at the top (a
        # village of 100.000 rows would otherwise cost 100.000 squared steps).
        position = self.first_free[key]
        while position < len(order) and order[position] in self.used:
            position += 1
        self.first_free[key] = position
        for at in range(position, len(order)):
            index = order[at]
            if index not in self.used and (condition is None or condition(index)):
                self.used.add(index)
                return index
        return None


def choose_case(rng: np.random.Generator) -> str:
    cases = list(CASES)
    weights = np.asarray([CASES[c][0] for c in cases])
    return cases[rng.choice(len(cases), p=weights / weights.sum())]


def plan_village(people: People, kode_desa: str, count: int) -> list[Listing]:
    listings: list[Listing] = []
    while len(listings) < count:
        listing = plant(people, kode_desa, choose_case(people.rng))
        if listing is None:
            listing = plant(people, kode_desa, "clean")
        if listing is None:
            break
        listings.append(listing)
    return listings


def listing_for(people: People, index: int, kode_desa: str, case: str) -> Listing:
    row = people.registry.iloc[index]
    return Listing(
        kode_desa=kode_desa,
        case=case,
        nik=str(row["NIK"]),
        name=present_name(people.rng, row["NAMA_LGKP"], row["JENIS_KLMIN"] == "PEREMPUAN"),
        birth_place=str(row["TMPT_LHR"]).title(),
        birth_date=people.born[index],
        sex=str(row["JENIS_KLMIN"]),
        address=str(row["ALAMAT"]).title(),
        rt=str(row["NO_RT"]),
        rw=str(row["NO_RW"]),
        occupation=str(row["JENIS_PKRJN"]).title(),
        true_nik=str(row["NIK"]),
    )


def plant(people: People, kode_desa: str, case: str) -> Listing | None:
    rng = people.rng
    pool = case if case in people.pools else "eligible"
    where = None if case == "out_of_area" else kode_desa
    condition = None
    if case == "number_exact":
        condition = lambda i: people.nik[i].endswith("0")  # noqa: E731
    elif case == "excel_number":
        condition = lambda i: not people.nik[i].endswith("0")  # noqa: E731
    elif case == "spouse_nik":
        condition = lambda i: _household_partner(people, i) is not None  # noqa: E731
    index = people.draw(pool, where, condition)
    if index is None:
        return None
    listing = listing_for(people, index, kode_desa, case)
    true_nik = listing.true_nik
    listing.expect_suggestion = CASES[case][3]
    if case == "number_exact":
        listing.nik = int(true_nik)
    elif case == "empty_birth_date":
        listing.birth_date = None
        listing.birth_place = ""
    elif case == "nik_missing":
        listing.nik = None
    elif case == "nik_format":
        cut = int(rng.integers(6, 16))
        listing.nik = true_nik[:cut] + true_nik[cut + 1 :]
    elif case == "nik_invalid":
        listing.nik = true_nik[:4] + "99" + true_nik[6:]
    elif case == "excel_number":
        listing.nik = int(true_nik[:15] + "0")
    elif case == "excel_scientific":
        listing.nik = f"{int(true_nik) / 1e15:.5f}E+15"
    elif case == "nik_is_kk":
        listing.nik = people.kk[index]
    elif case == "nik_typo":
        listing.nik = _typo(people, true_nik)
    elif case in ("absent", "lookalike"):
        _make_stranger(people, listing, case)
    elif case == "spouse_nik":
        listing.nik = people.nik[_household_partner(people, index)]
    elif case == "birth_date_mismatch":
        listing.birth_date = listing.birth_date + timedelta(days=int(rng.integers(40, 900)))
    elif case == "enrolled":
        listing.extra["enrolled"] = "1"
    return listing


def _household_partner(people: People, index: int) -> int | None:
    """Another adult of the same family card with a clearly different first name."""
    same_card = people.families[people.kk[index]]
    full_names = people.names
    first = full_names[index].split()[0]
    for other in same_card:
        if other != index and people.pools["eligible"][other]:
            if full_names[other].split()[0] != first:
                return int(other)
    return None


def _typo(people: People, nik: str) -> str:
    """One digit wrong, or two neighbours swapped, giving a valid NIK nobody holds."""
    rng = people.rng
    for _ in range(50):
        digits = list(nik)
        position = int(rng.integers(6, 16))
        if rng.random() < 0.3 and position < 15 and digits[position] != digits[position + 1]:
            digits[position], digits[position + 1] = digits[position + 1], digits[position]
        else:
            digits[position] = str((int(digits[position]) + int(rng.integers(1, 10))) % 10)
        candidate = "".join(digits)
        if _unused_valid(people, candidate):
            return candidate
    return nik[:15] + str((int(nik[15]) + 5) % 10)


def _unused_valid(people: People, nik: str) -> bool:
    return (
        nik not in people.niks
        and nik not in people.kks
        and not decode_nik(nik, people.year).problem
    )


def _make_stranger(people: People, listing: Listing, case: str) -> None:
    """Someone the registry does not hold. A look-alike carries the NIK of a neighbour born the
    same day in the same kecamatan but one serial digit apart: it must never be suggested."""
    rng = people.rng
    template = listing.true_nik
    female = listing.sex == "PEREMPUAN"
    pool = names.FEMALE if female else names.MALE
    base_first = listing.name.split()[0].upper()
    first = next(n for n in rng.permutation(pool) if n != base_first)
    listing.name = f"{first.title()} {rng.choice(names.SECOND).title()}"
    if case == "lookalike":
        for serial in range(1, 10000):
            candidate = template[:12] + str(serial).zfill(4)
            if sum(a != b for a, b in zip(candidate, template, strict=True)) == 1 and (
                _unused_valid(people, candidate)
            ):
                listing.nik = candidate
                break
    else:
        for _ in range(100):
            candidate = template[:12] + str(int(rng.integers(7000, 9999)))
            if _unused_valid(people, candidate):
                listing.nik = candidate
                break
    listing.true_nik = ""
    listing.expect_suggestion = False


def present_name(rng: np.random.Generator, name: str, female: bool) -> str:
    """How a clerk writes a registry name: titles, Moch./M., old spellings, case, a typo."""
    roll = rng.random()
    words = name.split()
    if words[0] == "MUHAMMAD" and roll < 0.8:
        words[0] = str(rng.choice(["Moch.", "M.", "Muh.", "Mochammad", "Moh."]))
    elif roll < 0.08:
        words.insert(0, "Hj." if female else "H.")
    elif roll < 0.12:
        words[-1] = words[-1] + ","
        words.append(str(rng.choice(["S.Pd", "S.E.", "A.Md"])))
    elif roll < 0.2:
        words = [_old_spelling(w) for w in words]
    elif roll < 0.23 and len(words) > 1 and len(words[-1]) >= 7:
        # A slip of the keyboard in a long surname; short names are left alone because one
        # letter there makes another name (SUPARMI, SUPARNI).
        w = words[-1]
        position = int(rng.integers(1, len(w) - 1))
        neighbours = {w[position - 1], w[position], w[position + 1]}
        slip = next(c for c in "EIOUA" if c not in neighbours)
        words[-1] = w[:position] + slip + w[position + 1 :]
    text = " ".join(words)
    style = rng.random()
    if style < 0.4:
        return text.title().replace("S.Pd", "S.Pd")
    if style < 0.5:
        return text.lower()
    return text


def _old_spelling(word: str) -> str:
    """Write a name as before 1972: u -> oe, j -> dj, y -> j, c -> tj, kh -> ch."""
    for new, old in (("U", "OE"), ("J", "DJ"), ("Y", "J"), ("C", "TJ"), ("KH", "CH")):
        if new in word:
            return word.replace(new, old, 1)
    return word
