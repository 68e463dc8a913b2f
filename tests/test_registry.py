"""The registry extract and the enrolled list: one reading of a NIK everywhere, and lists whose
NIKs were damaged refused whole, never half-used."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from bantuan_iuran.cli import app
from bantuan_iuran.errors import InputError
from bantuan_iuran.pipeline import ingest_stage, validate_stage
from bantuan_iuran.registry import read_enrolled
from helpers import SAMPLE, screen_text

runner = CliRunner()


def _registry() -> pd.DataFrame:
    return pd.read_csv(SAMPLE / "dukcapil.csv", dtype=str, keep_default_na=False)


def _write(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def ingested(tmp_path_factory, settings) -> Path:
    work = tmp_path_factory.mktemp("ingested")
    ingest_stage([SAMPLE / "desa"], work, settings)
    return work


def _statuses(ingested: Path, tmp_path: Path, registry: Path, settings) -> pd.Series:
    work = tmp_path / "work"
    shutil.copytree(ingested, work)
    outcome = validate_stage(work, registry, SAMPLE / "peserta_aktif.csv", settings)
    return outcome.validated.set_index("row_id")["status"]


@pytest.fixture(scope="module")
def clean_statuses(ingested, tmp_path_factory, settings) -> pd.Series:
    return _statuses(ingested, tmp_path_factory.mktemp("clean"), SAMPLE / "dukcapil.csv", settings)


@pytest.mark.parametrize(
    "dirty",
    [
        lambda nik: "'" + nik,  # Excel's text prefix kept by an export
        lambda nik: " " + nik + " ",
        lambda nik: nik + ".0",  # a number column saved as text
        lambda nik: f"{nik[:4]}-{nik[4:8]}-{nik[8:12]}-{nik[12:]}",
        lambda nik: nik[:6] + "\u200b" + nik[6:],  # a zero-width space from a web page
    ],
    ids=["apostrophe", "spaces", "decimal", "dashes", "zero-width"],
)
def test_dirty_registry_niks_give_the_clean_runs_result(
    ingested, clean_statuses, tmp_path: Path, settings, dirty
) -> None:
    registry = _registry()
    registry["NIK"] = registry["NIK"].map(dirty)
    path = _write(registry, tmp_path / "dukcapil.csv")
    statuses = _statuses(ingested, tmp_path, path, settings)
    assert (clean_statuses == "eligible").sum() > 500
    pd.testing.assert_series_equal(statuses, clean_statuses)


def _damaged_after(rows: int, damage) -> pd.DataFrame:
    registry = _registry()
    registry.loc[rows:, "NIK"] = registry.loc[rows:, "NIK"].map(damage)
    return registry


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (lambda: _registry().head(0), "has no rows"),
        (lambda: _damaged_after(10_000, lambda n: f"{int(n):.5E}"), "scientific notation"),
        (lambda: _damaged_after(0, lambda n: n[:15] + "0"), "end in 0"),
        (lambda: _damaged_after(15_000, lambda n: n[:12]), "are not 16 digits"),
    ],
    ids=["header only", "scientific after row 10,000", "rounded", "truncated"],
)
def test_a_damaged_registry_is_refused_with_exit_2(
    ingested, tmp_path: Path, frame, message: str
) -> None:
    work = tmp_path / "work"
    shutil.copytree(ingested, work)
    registry = _write(frame(), tmp_path / "dukcapil.csv")
    result = runner.invoke(app, ["validate", "-w", str(work), "-d", str(registry)])
    assert result.exit_code == 2, result.output
    assert message in screen_text(result.output)
    assert not (work / "validated.csv").exists()


def _enrolled(tmp_path: Path, damage) -> Path:
    enrolled = pd.read_csv(SAMPLE / "peserta_aktif.csv", dtype=str, keep_default_na=False)
    enrolled["NIK"] = enrolled["NIK"].map(damage)
    return _write(enrolled, tmp_path / "peserta.csv")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda n: f"{int(n):.5E}", "scientific notation"),
        (lambda n: n[:15] + "0", "end in 0"),
    ],
    ids=["scientific", "rounded to 15 digits"],
)
def test_a_damaged_enrolled_list_is_refused(tmp_path: Path, settings, damage, message) -> None:
    with pytest.raises(InputError, match=message):
        read_enrolled(_enrolled(tmp_path, damage), settings)


def test_an_empty_enrolled_list_needs_saying_so(tmp_path: Path, settings) -> None:
    path = tmp_path / "peserta.csv"
    path.write_text("NIK,NAMA\n", "utf-8")
    with pytest.raises(InputError, match="has no rows"):
        read_enrolled(path, settings)
    frame, warnings = read_enrolled(path, settings, allow_empty=True)
    assert frame.empty and warnings == []


def test_a_dirty_enrolled_list_is_read_like_village_niks(tmp_path: Path, settings) -> None:
    frame, _ = read_enrolled(_enrolled(tmp_path, lambda n: "'" + n + ".0"), settings)
    clean, _ = read_enrolled(SAMPLE / "peserta_aktif.csv", settings)
    pd.testing.assert_frame_equal(frame, clean)


def test_a_few_rows_without_nik_are_reported_not_refused(tmp_path: Path, settings) -> None:
    registry = _registry()
    registry.loc[5, "NIK"] = ""
    path = _write(registry, tmp_path / "dukcapil.csv")
    from bantuan_iuran.registry import RegistryExtract

    warnings = RegistryExtract(path, settings).warnings
    assert warnings == [
        "The registry (Dukcapil) extract dukcapil.csv: 1 rows have no readable NIK "
        "(data row 6: '')."
    ]


def test_a_nik_held_twice_far_apart_is_named_with_its_file_and_rows(tmp_path, monkeypatch) -> None:
    """The first rows are checked for repeats when the extract is opened; a repeat further
    down is found among the rows a batch matches, and named with the rows that hold it."""
    from bantuan_iuran import extract
    from bantuan_iuran import registry as module
    from bantuan_iuran.config import load_settings

    monkeypatch.setattr(extract, "_REPEAT_ROWS", 2)
    lines = ["NIK,NAMA_LGKP,TGL_LHR"] + [
        f"35030112058000{n:02d},ORANG {n},1980-05-12" for n in range(1, 8)
    ]
    lines.append("3503011205800003,ORANG LAIN,1990-01-01")
    path = tmp_path / "extract.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    extract = module.RegistryExtract(path, load_settings())
    assert not extract.warnings
    with pytest.raises(InputError) as raised:
        extract.rows(module.RegistryKeys(niks=frozenset({"3503011205800003"})))
    assert "extract.csv holds NIKs more than once" in str(raised.value)
    assert "3503********0003 in data rows 3 and 8" in str(raised.value)


def _spellings(tmp_path: Path) -> dict[str, Path]:
    """The sample extract as the files Dukcapil offices send: Parquet with its numbers stored
    as numbers, UTF-8 CSV with a byte-order mark and semicolons, Windows-1252 CSV whose first
    accented name lies beyond the first 64 KB, and a workbook."""
    registry = _registry()
    registry.loc[len(registry) - 1, "NAMA_LGKP"] = "JOSÉ “ANTÓNIO”"  # 0xC9, 0x93, 0x94 in cp1252
    paths = {"csv": _write(registry, tmp_path / "plain.csv")}
    numbers = registry.assign(NO_RT=registry["NO_RT"].astype(int), NIK=registry["NIK"].astype(int))
    numbers.to_parquet(paths.setdefault("parquet", tmp_path / "numbers.parquet"), index=False)
    text = registry.to_csv(index=False, sep=";")
    (paths.setdefault("bom;", tmp_path / "bom.csv")).write_bytes(b"\xef\xbb\xbf" + text.encode())
    (paths.setdefault("cp1252", tmp_path / "windows.csv")).write_bytes(
        registry.to_csv(index=False).encode("cp1252")
    )
    registry.to_excel(paths.setdefault("xlsx", tmp_path / "book.xlsx"), index=False)
    return paths


def test_every_spelling_of_an_extract_gives_the_same_rows_in_file_order(
    tmp_path: Path, settings
) -> None:
    from bantuan_iuran.registry import RegistryKeys, read_registry

    paths = _spellings(tmp_path)
    assert paths["cp1252"].stat().st_size > 1 << 16
    whole = {kind: read_registry(path, settings) for kind, path in paths.items()}
    last = whole["csv"].iloc[-1]  # everyone of the last person's kecamatan and birth date
    area = last["kode_desa"][:6] + last["nik"][6:12]
    keys = RegistryKeys(niks=frozenset(whole["csv"]["nik"][::7]), areas=frozenset({area}))
    some = {kind: read_registry(path, settings, keys) for kind, path in paths.items()}
    for kind in paths:
        pd.testing.assert_frame_equal(whole[kind], whole["csv"], obj=kind)
        pd.testing.assert_frame_equal(some[kind], some["csv"], obj=kind)
    assert whole["cp1252"]["name"].iloc[-1] == "JOSÉ “ANTÓNIO”"
    at = pd.Index(whole["csv"]["nik"]).get_indexer(some["csv"]["nik"])
    assert len(at) > len(whole["csv"]) // 7 and (at[1:] > at[:-1]).all()  # in file order


def test_a_utf16_extract_is_refused_with_what_to_do(tmp_path: Path, settings) -> None:
    from bantuan_iuran.registry import RegistryExtract

    path = tmp_path / "unicode.csv"
    path.write_bytes(_registry().head(50).to_csv(index=False).encode("utf-16"))
    with pytest.raises(InputError, match="is UTF-16: save it as UTF-8"):
        RegistryExtract(path, settings)


def test_the_extract_is_read_without_spilling_personal_data_to_disk(tmp_path, settings) -> None:
    """DuckDB would offload large intermediate results to '.tmp' in the current folder."""
    from bantuan_iuran.registry import RegistryExtract

    extract = RegistryExtract(SAMPLE / "dukcapil.parquet", settings)
    spill = extract.source.connection.sql("SELECT current_setting('temp_directory')").fetchall()
    assert spill == [("",)]


def test_a_damaged_csv_extract_is_refused_naming_the_line_not_the_person(
    tmp_path: Path, settings
) -> None:
    from bantuan_iuran.registry import RegistryExtract

    lines = _registry().head(30).to_csv(index=False).splitlines()
    lines[12] = ",".join(lines[12].split(",")[:2])  # a row cut short
    path = tmp_path / "dukcapil.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(InputError) as raised:
        RegistryExtract(path, settings)
    message = str(raised.value)
    assert "dukcapil.csv cannot be read" in message and "Line: 13" in message
    assert "Expected Number of Columns" in message
    assert lines[12].split(",")[0] not in message  # the NIK is masked
