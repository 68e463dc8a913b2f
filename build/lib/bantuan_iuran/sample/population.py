"""A synthetic civil-registry (Dukcapil/SIAK) extract, built with vectorised numpy for 10M rows."""

from __future__ import annotations

import csv
from datetime import date
from importlib import resources

import numpy as np
import pandas as pd

from bantuan_iuran import reference
from bantuan_iuran.sample import names

# Share of registry people living outside the regency, and of residents whose NIK was first
# issued in another regency (they moved here; a NIK never changes).
OUTSIDE_SHARE = 0.03
MIGRANT_SHARE = 0.08
DECEASED_SHARE = 0.015


def _pick(rng: np.random.Generator, pool: tuple[str, ...], size: int) -> np.ndarray:
    return np.asarray(pool, dtype=object)[rng.integers(0, len(pool), size)]


def _take(values: list[str], index: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=object)[index]


def _other_jatim_kecamatan(regency: str) -> list[tuple[str, str]]:
    text = resources.files("bantuan_iuran.reference").joinpath("kecamatan_jatim.csv")
    rows = csv.DictReader(text.read_text("utf-8").splitlines())
    return [(r["kode"], r["nama"]) for r in rows if r["kode_kabupaten_kota"] != regency]


def make_names(rng: np.random.Generator, female: np.ndarray) -> np.ndarray:
    size = len(female)
    first = np.where(female, _pick(rng, names.FEMALE, size), _pick(rng, names.MALE, size))
    # One man in twenty carries Muhammad first: the name villages write six ways.
    muhammad = (~female) & (rng.random(size) < 0.05)
    first = np.where(muhammad, "MUHAMMAD " + first, first)
    words = rng.integers(1, 3, size)
    second = _pick(rng, names.SECOND, size)
    return np.where(words > 1, first + " " + second, first)


def make_registry(
    rng: np.random.Generator, size: int, year: int, focus: list[str] | None = None
) -> pd.DataFrame:
    """People with SIAK column names; NIKs unique, KK numbers shared within households. Half
    the residents live in the `focus` villages, so a small extract still holds their applicants."""
    villages = reference.villages()
    outside = _other_jatim_kecamatan("3503")
    lives_outside = rng.random(size) < OUTSIDE_SHARE
    village_index = rng.integers(0, len(villages), size)
    if focus:
        focus_index = np.asarray([i for i, v in enumerate(villages) if v.kode_desa in focus])
        focused = rng.random(size) < 0.5
        village_index = np.where(focused, rng.choice(focus_index, size), village_index)
    outside_index = rng.integers(0, len(outside), size)
    outside_kec = _take([k for k, _ in outside], outside_index)
    kec_code = np.where(
        lives_outside, outside_kec, _take([v.kode_kecamatan for v in villages], village_index)
    )
    kel_code = np.where(
        lives_outside,
        (2000 + rng.integers(1, 15, size)).astype(str).astype(object),
        _take([v.kode_desa[6:] for v in villages], village_index),
    )
    kec_name = np.where(
        lives_outside,
        _take([n for _, n in outside], outside_index),
        _take([v.nama_kecamatan for v in villages], village_index),
    )
    kel_name = np.where(
        lives_outside, "DESA " + kel_code, _take([v.nama_desa for v in villages], village_index)
    )
    migrant = (~lives_outside) & (rng.random(size) < MIGRANT_SHARE)
    issued_in = np.where(migrant, outside_kec, kec_code)
    female = rng.random(size) < 0.5
    age_days = rng.integers(365, 90 * 365, size)
    born = pd.to_datetime(date(year, 1, 1)) - pd.to_timedelta(age_days, unit="D")
    day = born.day.to_numpy() + np.where(female, 40, 0)
    prefix = (
        pd.Series(issued_in)
        + pd.Series(day).astype(str).str.zfill(2)
        + pd.Series(born.month).astype(str).str.zfill(2)
        + pd.Series(born.year % 100).astype(str).str.zfill(2)
    )
    serial = prefix.groupby(prefix).cumcount() + 1
    nik = prefix + serial.astype(str).str.zfill(4)
    occupation_codes = np.asarray(list(names.OCCUPATION_WEIGHTS), dtype=object)
    weights = np.asarray(list(names.OCCUPATION_WEIGHTS.values()), dtype=float)
    occupation = occupation_codes[rng.choice(len(weights), size, p=weights / weights.sum())]
    occupation = np.where(age_days < 17 * 365, "3", occupation)
    labels = reference.occupations()
    deceased = rng.random(size) < DECEASED_SHARE
    death = pd.to_datetime(date(year - 1, 6, 1)) - pd.to_timedelta(
        rng.integers(0, 2000, size), unit="D"
    )
    registry = pd.DataFrame(
        {
            "NIK": nik.to_numpy(),
            "NO_KK": "",
            "NAMA_LGKP": make_names(rng, female),
            "TMPT_LHR": _pick(rng, names.BIRTH_PLACES, size),
            "TGL_LHR": born.strftime("%Y-%m-%d"),
            "JENIS_KLMIN": np.where(female, "PEREMPUAN", "LAKI-LAKI"),
            "JENIS_PKRJN": [labels[c] for c in occupation],
            "ALAMAT": "DSN " + _pick(rng, names.DUSUN, size),
            "NO_RT": rng.integers(1, 12, size).astype(str),
            "NO_RW": rng.integers(1, 6, size).astype(str),
            "NO_PROP": [k[:2] for k in kec_code],
            "NO_KAB": [str(int(k[2:4])) for k in kec_code],
            "NO_KEC": [str(int(k[4:6])) for k in kec_code],
            "NO_KEL": kel_code,
            "NAMA_KEC": pd.Series(kec_name).str.upper().to_numpy(),
            "NAMA_KEL": pd.Series(kel_name).str.upper().to_numpy(),
            "TGL_MATI": np.where(deceased, death.strftime("%Y-%m-%d"), ""),
        }
    )
    return registry.assign(NO_KK=make_family_cards(rng, registry))


def make_family_cards(rng: np.random.Generator, registry: pd.DataFrame) -> np.ndarray:
    """Households of one to five people of one village share a KK number: the domicile
    kecamatan, the card's issue date, and a serial."""
    village = (
        registry["NO_PROP"] + registry["NO_KAB"].str.zfill(2) + registry["NO_KEC"].str.zfill(2)
    ) + registry["NO_KEL"]
    order = np.argsort(village.to_numpy(), kind="stable")
    sizes = rng.integers(1, 6, len(registry))
    household = np.repeat(np.arange(len(registry)), sizes)[: len(registry)]
    issued = pd.to_datetime(date(2005, 1, 1)) + pd.to_timedelta(
        rng.integers(0, 7000, len(registry)), unit="D"
    )
    kk_of_household = (
        village.str[:6].to_numpy()[order] + pd.Series(issued.strftime("%d%m%y")).to_numpy()
    )
    head_of = pd.Series(kk_of_household).groupby(household).transform("first")
    # KK serials start at 5001 so a family card never equals a person's NIK in the sample.
    serial = pd.Series(household).groupby(head_of.to_numpy()).rank(method="dense").astype(int)
    kk_sorted = head_of + (serial + 5000).astype(str)
    kk = np.empty(len(registry), dtype=object)
    kk[order] = kk_sorted.to_numpy()
    return kk
