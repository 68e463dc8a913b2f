"""The synthetic batch generator: village files, a registry extract, the enrolled list, and the
truth it planted. Deterministic for a seed; synthetic people only."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from bantuan_iuran import reference
from bantuan_iuran.sample.batch import Listing, People, listing_for, plan_village
from bantuan_iuran.sample.files import FORMATS, build_sheets, write_grids
from bantuan_iuran.sample.population import make_registry
from bantuan_iuran.workdir import write_csv, write_parquet

__all__ = ["SampleSummary", "generate_sample"]

# Villages whose name exists in two kecamatan: the batch always includes some of them.
_SHARED_NAMES = ("Besuki", "Karanganyar", "Sawahan", "Pandean")


@dataclass(frozen=True)
class SampleSummary:
    villages: int
    files: int
    applicants: int
    registry: int
    enrolled: int


def choose_villages(rng: np.random.Generator, count: int) -> list[reference.Village]:
    """`count` villages over at least three kecamatan, including same-name villages."""
    every = list(reference.villages())
    if count >= len(every):
        return every
    shared = [v for v in every if v.nama_desa in _SHARED_NAMES]
    chosen = {v.kode_desa: v for v in shared[: min(count // 2, len(shared))]}
    for index in rng.permutation(len(every)):
        if len(chosen) >= count:
            break
        chosen.setdefault(every[index].kode_desa, every[index])
    return sorted(chosen.values(), key=lambda v: v.kode_desa)


def generate_sample(
    outdir: Path,
    seed: int = 2025,
    villages: int = 10,
    applicants: int = 1000,
    registry_size: int = 20000,
    enrolled: int | None = None,
    year: int = 2027,
    on_village: Callable[[str], None] | None = None,
) -> SampleSummary:
    rng = np.random.default_rng(seed)
    chosen = choose_villages(rng, villages)
    registry = make_registry(rng, registry_size, year, focus=[v.kode_desa for v in chosen])
    people = People(registry, year, rng)
    counts = rng.multinomial(applicants, np.full(len(chosen), 1 / len(chosen)))
    plans = {
        v.kode_desa: plan_village(people, v.kode_desa, int(n))
        for v, n in zip(chosen, counts, strict=True)
    }
    _plant_duplicates(people, plans)
    truth_rows, files = [], 0
    # Every format appears once the batch has as many villages as the cycle has formats.
    formats = [FORMATS[i % len(FORMATS)] for i in rng.permutation(len(chosen))]
    for village, file_format in zip(chosen, formats, strict=True):
        listings = plans[village.kode_desa]
        if not listings:
            continue
        path, relative, names_kecamatan = _file_name(rng, outdir, village, file_format)
        grids, placed = build_sheets(
            rng,
            village.nama_desa,
            village.nama_kecamatan,
            listings,
            text_only=file_format.startswith("csv"),
            allow_split=file_format == "xlsx",
            title_names_kecamatan=names_kecamatan,
        )
        write_grids(grids, path, file_format)
        files += 1
        sheet_of = (lambda p: "") if file_format.startswith("csv") else (lambda p: p.sheet)
        truth_rows.extend(_truth_row(relative, sheet_of(p), p.row, p.listing) for p in placed)
        if on_village:
            on_village(village.nama_desa)
    enrolled_list = _enrolled(people, plans, enrolled if enrolled is not None else applicants // 4)
    write_csv(registry, outdir / "dukcapil.csv")
    write_parquet(registry, outdir / "dukcapil.parquet")
    write_csv(enrolled_list, outdir / "peserta_aktif.csv")
    write_csv(pd.DataFrame(truth_rows), outdir / "truth.csv")
    return SampleSummary(len(chosen), files, len(truth_rows), len(registry), len(enrolled_list))


def _plant_duplicates(people: People, plans: dict[str, list[Listing]]) -> None:
    """A duplicate lists, again, someone another village (or the same one) already listed: the
    listing in the person's home village is the one kept."""
    rng = people.rng
    originals = [
        (kode, listing) for kode, listings in plans.items() for listing in listings
        if listing.case == "clean"
    ]  # fmt: skip
    protected: set[int] = set()
    for kode, listings in plans.items():
        for position, listing in enumerate(list(listings)):
            if listing.case != "clean" or id(listing) in protected or rng.random() >= 0.025:
                continue
            home, original = originals[int(rng.integers(0, len(originals)))]
            if original.case != "clean" or original is listing:
                continue
            protected.add(id(original))
            person = people.index_of[original.true_nik]
            copy = listing_for(people, person, kode, "duplicate")
            if home == kode:
                listings.append(copy)  # later in the same file: the first listing is kept
            else:
                listings[position] = copy
                listing.case = "replaced"
                people.used.discard(people.index_of[listing.true_nik])


def _file_name(rng, outdir: Path, village: reference.Village, file_format: str):
    suffix = ".csv" if file_format.startswith("csv") else f".{file_format}"
    desa, kecamatan = village.nama_desa, village.nama_kecamatan
    style = int(rng.integers(0, 5))
    folder = outdir / "desa" / kecamatan.upper()
    names_kecamatan = rng.random() < 0.7
    if style == 0:
        stem = f"Desa {desa}"
    elif style == 1:
        stem = f"DS_{desa.upper()}_2027"
    elif style == 2:
        stem = desa.lower()
    elif style == 3:
        stem = f"Usulan BPJS {desa} Kec {kecamatan}"
    else:
        stem, names_kecamatan = "data_calon_penerima_final_rev2", True
    path = folder / f"{stem}{suffix}"
    if path.exists():
        path = folder / f"Desa {desa}{suffix}"
    relative = path.relative_to(outdir / "desa").as_posix()
    return path, relative, names_kecamatan


def _truth_row(relative: str, sheet: str, row: int, listing: Listing) -> dict[str, object]:
    return {
        "source_file": relative,
        "source_sheet": sheet,
        "source_row": row,
        "kode_desa": listing.kode_desa,
        "case": listing.case,
        "expected_status": listing.status,
        "expected_reason": listing.reason,
        "true_nik": listing.true_nik,
        "expected_suggestion": listing.true_nik if listing.expect_suggestion else "",
    }


def _enrolled(people: People, plans: dict[str, list[Listing]], size: int) -> pd.DataFrame:
    """Applicants planted as already enrolled, plus other registry adults, as BPJS lists them."""
    rng = people.rng
    planted = [
        listing.true_nik
        for listings in plans.values()
        for listing in listings
        if listing.case == "enrolled"
    ]
    others = np.flatnonzero(people.pools["eligible"])
    others = [people.nik[i] for i in rng.permutation(others) if int(i) not in people.used]
    niks = planted + others[: max(0, size - len(planted))]
    registry = people.registry.set_index("NIK")
    return pd.DataFrame(
        {
            "NIK": niks,
            "KPJ": [re.sub(r"\D", "", str(20000000000 + i * 7919))[:11] for i in range(len(niks))],
            "NAMA": registry.loc[niks, "NAMA_LGKP"].to_numpy() if niks else [],
            "PROGRAM": "JKK, JKM",
            "STATUS": "AKTIF",
        }
    )
