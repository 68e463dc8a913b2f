from pathlib import Path

import pandas as pd

from bantuan_iuran.sample import generate_sample


def test_same_seed_same_batch(tmp_path: Path) -> None:
    first = generate_sample(tmp_path / "a", seed=3, villages=4, applicants=120, registry_size=3000)
    generate_sample(tmp_path / "b", seed=3, villages=4, applicants=120, registry_size=3000)
    for name in ("truth.csv", "dukcapil.csv", "peserta_aktif.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a" / "desa").rglob("*.*"))
    assert files == sorted(
        p.relative_to(tmp_path / "b") for p in (tmp_path / "b" / "desa").rglob("*.*")
    )
    assert first.applicants == len(pd.read_csv(tmp_path / "a" / "truth.csv"))


def test_registry_has_siak_columns_and_unique_niks(tmp_path: Path) -> None:
    generate_sample(tmp_path, seed=5, villages=3, applicants=60, registry_size=2000)
    registry = pd.read_parquet(tmp_path / "dukcapil.parquet")
    assert list(registry.columns) == [
        "NIK", "NO_KK", "NAMA_LGKP", "TMPT_LHR", "TGL_LHR", "JENIS_KLMIN", "JENIS_PKRJN",
        "ALAMAT", "NO_RT", "NO_RW", "NO_PROP", "NO_KAB", "NO_KEC", "NO_KEL", "NAMA_KEC",
        "NAMA_KEL", "TGL_MATI",
    ]  # fmt: skip
    assert registry["NIK"].is_unique
    assert registry["NIK"].str.fullmatch(r"\d{16}").all()
    assert not set(registry["NIK"]) & set(registry["NO_KK"])
    assert (registry["NO_KEC"].str.len() <= 2).all()  # unpadded, as SIAK exports come
