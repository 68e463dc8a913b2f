"""The layout corpus (tests/layouts/): village files in the layouts villages really send, each
read with every applicant row, the right NIK, name and birth date, no extra row, and every other
row under its header accounted for with its kind."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import settings as settings_
from hypothesis import strategies as st

from bantuan_iuran.ingest import find_source_files, run_ingest
from bantuan_iuran.nik import read_nik
from bantuan_iuran.normalize import normalize_date

CORPUS = Path(__file__).parent / "layouts"
EXPECTED = json.loads((CORPUS / "expected.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def corpus(settings):
    return run_ingest(find_source_files([CORPUS / "files"]), settings)


def _read(frame: pd.DataFrame, file: str, sheet: str) -> pd.DataFrame:
    return frame[(frame["source_file"] == file) & (frame["source_sheet"] == sheet)]


@pytest.mark.parametrize("file", sorted(f for f, e in EXPECTED.items() if e["status"] == "ok"))
def test_every_applicant_row_and_nothing_else(corpus, file: str) -> None:
    for sheet, want in EXPECTED[file]["sheets"].items():
        rows = _read(corpus.applicants, file, sheet)
        got = [
            [int(r.source_row), read_nik(r.nik_raw, r.nik_is_number).nik, r.name,
             normalize_date(r.birth_date)]
            for r in rows.itertuples()
        ]  # fmt: skip
        assert got == want["applicants"], f"{file} [{sheet}]"
        dropped = _read(corpus.dropped, file, sheet)
        assert [[int(r.source_row), r.kind] for r in dropped.itertuples()] == want["dropped"]
    log = corpus.log[corpus.log["file"] == file]
    assert set(log["status"]) <= {"ok", "skipped"}, log["message"].tolist()


def test_a_sheet_that_cannot_be_told_is_named_with_the_lines_that_read_it(corpus) -> None:
    log = corpus.log[corpus.log["file"] == "clerk/dua kolom nomor.xlsx"].iloc[0]
    assert log["status"] == "failed"
    assert "could each be the person's NIK" in log["message"]
    assert log["layout_hint"] == (
        '[[layout]]\nfile = "clerk/dua kolom nomor.xlsx"\nsheet = "Sheet1"\nheader_row = 1\n'
        'nik = "?"  # the column letter of the NIK\nname = "D"'
    )
    assert corpus.applicants[corpus.applicants["source_file"] == log["file"]].empty


def test_each_table_of_a_sheet_has_its_own_village(corpus) -> None:
    rows = corpus.applicants[
        corpus.applicants["source_file"] == "clerk/rekap pogalan dua desa.xlsx"
    ]
    assert rows["kode_desa"].tolist() == ["3503122005"] * 3 + ["3503122009"] * 4


def test_family_registers_give_members_their_family_card(corpus) -> None:
    rows = corpus.applicants[corpus.applicants["source_file"].str.startswith("buku_induk/")]
    assert (rows["kk"].str.len() == 16).all()


def test_the_log_says_how_each_column_was_found(corpus) -> None:
    log = corpus.log.set_index("file")
    assert log.loc["clerk/tanpa judul kolom.xlsx", "columns"].startswith(
        "nik=B content; name=C content"
    )
    assert bool(log.loc["clerk/tanpa judul kolom.xlsx", "by_content"])
    assert log.loc["clerk/Surat Usulan Kayen.xlsx", "header_row"] == 20
    assert (
        'nik=B "NIK (16 digit)" header+content'
        in log.loc["clerk/Surat Usulan Kayen.xlsx", "columns"]
    )


def test_corpus_totals(corpus) -> None:
    """Every planted applicant read, no row more."""
    planted = sum(
        len(s["applicants"])
        for e in EXPECTED.values()
        if e["status"] == "ok"
        for s in e["sheets"].values()
    )
    assert len(corpus.applicants) == planted


NIK_A, NIK_B = "3503011205700001", "3503015205700002"
VARIANTS = {
    "NIK (16 digit)": [["NO", "NIK (16 digit)", "NAMA"]],
    "NIK/No. KTP": [["NO", "NIK/No. KTP", "NAMA"]],
    "N I K / N A M A": [["NO", "N I K", "N A M A"]],
    "Nomor Induk Kependudukan (NIK)": [
        ["NO", "Nomor Induk Kependudukan (NIK)", "Nama Lengkap (sesuai KTP)"]
    ],
    "Nama Petani": [["NO", "NIK", "Nama Petani"]],
    "NIK KPM / NAMA KPM": [["NO", "NIK KPM", "NAMA KPM"]],
    "NO. KTP / NIK with NAMA ANGGOTA": [["NO", "NO. KTP / NIK", "NAMA ANGGOTA"]],
    "NIK Calon Peserta": [["NO", "NIK Calon Peserta", "NAMA"]],
    "header on row 20 under a cover letter": [
        *[[f"Dengan hormat, baris surat {i}"] for i in range(19)],
        ["NO", "NIK", "NAMA"],
    ],
    "no header row at all": [["DAFTAR USULAN DESA KAYEN"]],
    "NIK / NAMA": [["NO", "NIK", "NAMA"]],
    "No. NIK / Nama Peserta": [["NO", "No. NIK", "Nama Peserta"]],
    "NOMOR INDUK KEPENDUDUKAN / NAMA LENGKAP": [["NO", "NOMOR INDUK KEPENDUDUKAN", "NAMA LENGKAP"]],
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_one_line_variants(tmp_path: Path, settings, variant: str) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in [*VARIANTS[variant], [1, NIK_A, "BUDI SANTOSO"], [2, NIK_B, "SITI AMINAH"]]:
        workbook.active.append(row)
    workbook.save(tmp_path / "Desa Kayen.xlsx")
    result = run_ingest(find_source_files([tmp_path]), settings)
    assert result.applicants["nik_raw"].tolist() == [NIK_A, NIK_B]
    assert result.applicants["name"].tolist() == ["BUDI SANTOSO", "SITI AMINAH"]
    assert result.failed_files == 0


_CELL = st.one_of(
    st.just(""),
    st.sampled_from(["NIK", "NAMA", "No", "Tgl Lahir", "JUMLAH", "###", "Catatan:", "L", "P"]),
    st.sampled_from([NIK_A, NIK_B, "3.50301E+15", "No. KK : " + NIK_A, "(1)", "-2", "131 orang"]),
    st.text(max_size=12),
    st.integers(-5, 10**16),
)


@settings_(max_examples=150, deadline=None)
@given(st.lists(st.lists(_CELL, max_size=6), max_size=25))
def test_any_grid_is_read_without_crashing_and_every_row_once(grid) -> None:
    """Damaged and random sheets: no exception, and no row both a person and left out."""
    from bantuan_iuran.ingest import SourceFile, ingest_sheet
    from bantuan_iuran.ingest.cells import Sheet, cell_from_value

    sheet = Sheet("S", [[cell_from_value(v) for v in row] for row in grid])
    result = ingest_sheet(SourceFile(Path("x.xlsx"), "x.xlsx"), sheet, {})
    people = [r["source_row"] for r in result.rows]
    dropped = [d["source_row"] for d in result.dropped]
    assert len(set(people) | set(dropped)) == len(people) + len(dropped)
    assert all(1 <= n <= len(grid) for n in people + dropped)
    assert result.log["status"] in ("ok", "skipped", "failed")


def test_known_formats_are_named_in_the_log(corpus) -> None:
    formats = corpus.log[corpus.log["status"] == "ok"].set_index("file")["format"]
    assert formats["siak/Ekspor SIAK Ngulankulon.xlsx"] == "SIAK"
    assert formats["opensid/penduduk_ngadirenggo.xlsx"] == "OpenSID penduduk"
    assert formats["buku_induk/BUKU INDUK SUKOREJO.xlsx"] == "Buku Induk 2016"
    assert formats["dtks/DTKS_NGULANWETAN_2026.txt"] == "DTKS"
    assert formats["bpjs/template_upload_tk_watulimo.xlsx"] == "BPJS upload (SIPP)"
    assert formats["clerk/Surat Usulan Kayen.xlsx"] == ""
