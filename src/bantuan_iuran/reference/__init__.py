"""Official code lists shipped with the package (sources in SOURCES.md beside this file)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath(name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@dataclass(frozen=True)
class Village:
    kode_desa: str
    nama_desa: str
    kode_kecamatan: str
    nama_kecamatan: str
    jenis: str


@cache
def villages() -> tuple[Village, ...]:
    """The desa and kelurahan of Trenggalek, in code order."""
    return tuple(
        Village(
            r["kode_desa"], r["nama_desa"], r["kode_kecamatan"], r["nama_kecamatan"], r["jenis"]
        )
        for r in _rows("wilayah_trenggalek.csv")
    )


@cache
def village_by_code() -> dict[str, Village]:
    return {v.kode_desa: v for v in villages()}


@cache
def kecamatan_names() -> dict[str, str]:
    """Kecamatan code -> name, for Trenggalek."""
    return {v.kode_kecamatan: v.nama_kecamatan for v in villages()}


@cache
def province_codes() -> frozenset[str]:
    return frozenset(r["kode"] for r in _rows("provinsi.csv"))


@cache
def regency_codes() -> frozenset[str]:
    """Current regency/city codes plus retired ones: a NIK keeps the code it was issued under."""
    current = {r["kode"] for r in _rows("kabupaten_kota.csv")}
    retired = {r["kode_lama"] for r in _rows("kabupaten_kota_historis.csv")}
    return frozenset(current | retired)


@cache
def regency_name(code: str) -> str:
    """'3503' -> 'Trenggalek': the name a decree gives its regency (a city keeps 'Kota')."""
    for row in _rows("kabupaten_kota.csv"):
        if row["kode"] == code:
            return row["nama"].removeprefix("Kabupaten ")
    return code


@cache
def east_java_kecamatan_codes() -> frozenset[str]:
    """The only province whose kecamatan list ships; elsewhere a NIK's kecamatan is not checked."""
    return frozenset(r["kode"] for r in _rows("kecamatan_jatim.csv"))


@cache
def occupations() -> dict[str, str]:
    """SIAK occupation code -> official name."""
    return {r["kode"]: r["nama"] for r in _rows("jenis_pekerjaan.csv")}


@cache
def occupation_code_by_label() -> dict[str, str]:
    """Official names and known variants -> code, upper-case, for matching free text."""
    labels = {name.upper(): code for code, name in occupations().items()}
    labels.update({r["alias"].upper(): r["kode"] for r in _rows("jenis_pekerjaan_alias.csv")})
    return labels


@cache
def name_words(kind: str) -> dict[str, str]:
    """The words of one kind in name_words.csv (title, kinship, wife, first_word) -> meaning."""
    return {r["word"]: r["meaning"] for r in _rows("name_words.csv") if r["kind"] == kind}


@cache
def village_aliases() -> tuple[tuple[str, str], ...]:
    """(kode_desa, older spelling) pairs, for recognising villages in file and title text."""
    return tuple((r["kode_desa"], r["alias"]) for r in _rows("desa_alias.csv"))
