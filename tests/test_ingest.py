"""Ingest over hand-made workbooks: each kind of mess villages send, and each broken file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from bantuan_iuran.config import Settings
from bantuan_iuran.ingest import find_source_files, run_ingest
from helpers import SAMPLE

NIK_A = "3503011205700001"
NIK_B = "3503015205700002"
# Excel keeps 15 significant digits: NIK_A typed as a number is stored like this.
EXCEL_NUMBER = int(NIK_A[:15] + "0")


def _workbook(path: Path, sheets: dict[str, list[list[object]]], merges=()) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for merge in merges:
            sheet.merge_cells(merge)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _ingest(folder: Path, settings: Settings):
    return run_ingest(find_source_files([folder]), settings)


def test_title_rows_merged_header_totals_and_signature(tmp_path: Path, settings) -> None:
    _workbook(
        tmp_path / "PANGGUL" / "Desa Besuki.xlsx",
        {
            "Data": [
                ["DAFTAR CALON PENERIMA BANTUAN IURAN BPJS KETENAGAKERJAAN"],
                ["DESA BESUKI KECAMATAN PANGGUL"],
                [],
                ["NO", "NIK", "NAMA LENGKAP", "TEMPAT/TGL LAHIR", None, "L/P", "RT/RW", "No HP"],
                [None, None, None, "TEMPAT", "TANGGAL"],
                [1, 2, 3, 4, 5, 6, 7, 8],
                [1, EXCEL_NUMBER, "H. Moch Soekarno", "Trenggalek", dt.date(1970, 5, 12), "L",
                 "002/003", "0812"],
                [],
                [2, "'" + NIK_B, "Siti", "Trenggalek", "12 Mei 1970", "P", "2/3"],
                [None, "JUMLAH", "2 orang"],
                [None, None, "Trenggalek, 14 Oktober 2026"],
                [None, None, "Mengetahui,"],
                [None, None, "Kepala Desa Besuki"],
                [None, None, "( SUPARMAN )"],
            ]
        },
        merges=("A1:H1", "D4:E4"),
    )  # fmt: skip
    result = _ingest(tmp_path, settings)
    rows = result.applicants
    assert rows["source_row"].tolist() == [7, 9]
    assert rows["kode_desa"].unique().tolist() == ["3503012001"]
    first, second = rows.iloc[0], rows.iloc[1]
    assert (first["nik_raw"], first["nik_is_number"]) == ("3503011205700000", True)
    assert (second["nik_raw"], second["nik_is_number"]) == ("'" + NIK_B, False)
    assert (first["birth_place"], first["birth_date"]) == ("Trenggalek", "1970-05-12")
    assert (first["rt"], first["rw"]) == ("002", "003")
    assert first["extra"] == '{"NO": "1", "No HP": "0812"}'
    assert result.dropped["kind"].tolist() == [
        "numbering", "blank", "total", "signature", "signature", "signature", "signature"
    ]  # fmt: skip
    assert result.log["dropped"].sum() == len(result.dropped)
    assert result.dropped["text"].tolist()[2:4] == [
        "JUMLAH | 2 orang",
        "Trenggalek, 14 Oktober 2026",
    ]


def test_combined_place_date_column_and_village_from_title_only(tmp_path: Path, settings) -> None:
    _workbook(
        tmp_path / "KARANGAN" / "data_calon_penerima_final_rev2.xlsx",
        {
            "Sheet1": [
                ["USULAN PESERTA DESA KAYEN KECAMATAN KARANGAN"],
                ["No. NIK", "Nama Peserta", "Tempat, Tgl Lahir", "Jenis Kelamin"],
                [NIK_A, "Budi", "TRENGGALEK, 12-05-1970", "Laki-laki"],
            ]
        },
    )
    row = _ingest(tmp_path, settings).applicants.iloc[0]
    assert (row["birth_place"], row["birth_date"], row["sex"]) == (
        "TRENGGALEK",
        "12-05-1970",
        "Laki-laki",
    )
    assert row["kode_desa"] == "3503062001"  # Kayen, Karangan
    assert row["source_file"] == "KARANGAN/data_calon_penerima_final_rev2.xlsx"


def test_two_data_sheets_and_a_rekap_sheet(tmp_path: Path, settings) -> None:
    header = ["NIK", "NAMA", "TGL LAHIR"]
    _workbook(
        tmp_path / "DS_BESUKI.xlsx",
        {
            "Data 1": [["DESA BESUKI KEC. MUNJUNGAN"], header, [NIK_A, "A", "01-01-1980"]],
            "Data 2": [["DESA BESUKI KEC. MUNJUNGAN"], header, [NIK_B, "B", "02-01-1980"]],
            "Rekap": [["REKAP"], ["Jumlah", 2]],
        },
    )
    result = _ingest(tmp_path, settings)
    assert result.applicants["source_sheet"].tolist() == ["Data 1", "Data 2"]
    assert result.applicants["kode_desa"].unique().tolist() == ["3503022009"]
    assert result.log.set_index("sheet")["status"].to_dict() == {
        "Data 1": "ok",
        "Data 2": "ok",
        "Rekap": "skipped",
    }
    assert result.failed_files == 0


def test_ambiguous_village_is_reported_not_guessed(tmp_path: Path, settings) -> None:
    _workbook(tmp_path / "Desa Besuki.xlsx", {"S": [["NIK", "NAMA"], [NIK_A, "A"]]})
    result = _ingest(tmp_path, settings)
    assert result.applicants["kode_desa"].tolist() == [""]
    assert "ambiguous" in result.log["message"].iloc[0]


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-8-sig", ";"), ("cp1252", ","), ("utf-16", ";")]
)
def test_csv_encodings_and_delimiters(tmp_path: Path, settings, encoding, delimiter) -> None:
    lines = [
        "DAFTAR USULAN DESA SUKOREJO KECAMATAN GANDUSARI",
        delimiter.join(["NIK", "NAMA", "TGL LAHIR", "KETERANGAN"]),
        delimiter.join(["3.50301E+15", "Sutrisno", "12/05/1970", "Petani tembakau"]),
        delimiter.join(["", "Siti Ma\u2019ruf\u00e9", "", ""]),
    ]
    path = tmp_path / "GANDUSARI" / "sukorejo.csv"
    path.parent.mkdir()
    path.write_bytes("\r\n".join(lines).encode(encoding, errors="replace"))
    rows = _ingest(tmp_path, settings).applicants
    assert rows["source_row"].tolist() == [3, 4]
    assert rows["source_sheet"].tolist() == ["", ""]
    assert rows["nik_raw"].tolist() == ["3.50301E+15", ""]
    assert rows["kode_desa"].unique().tolist() == ["3503102003"]
    assert rows["extra"].iloc[0] == '{"KETERANGAN": "Petani tembakau"}'


def test_a_csv_saved_as_a_workbook_with_each_row_in_one_cell(tmp_path: Path, settings) -> None:
    """Opened where the list separator is another, every line lands in column A; saved as
    a workbook it still holds the table."""
    lines = ["DAFTAR USULAN DESA SUKOREJO KECAMATAN GANDUSARI", "NIK;NAMA;TGL LAHIR",
             f"{NIK_A};Sutrisno;12/05/1970", f"{NIK_B};Siti Aminah;01/02/1981"]  # fmt: skip
    _workbook(tmp_path / "GANDUSARI" / "sukorejo.xlsx", {"Sheet1": [[line] for line in lines]})
    rows = _ingest(tmp_path, settings).applicants
    assert rows["nik_raw"].tolist() == [NIK_A, NIK_B]
    assert rows["name"].tolist() == ["Sutrisno", "Siti Aminah"]
    assert rows["source_row"].tolist() == [3, 4]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.xlsx", b"", "empty"),
        ("broken.xlsx", b"PK\x03\x04 this is not a real zip", "damaged"),
        ("page.xls", b"<html><body><p>Sesi Anda berakhir</p></body></html>", "web page (HTML)"),
        ("scan.xlsx", b"%PDF-1.4 not a workbook", "PDF"),
        ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "password"),
    ],
)
def test_unreadable_files_fail_alone(tmp_path: Path, settings, name, content, message) -> None:
    (tmp_path / name).write_bytes(content)
    _workbook(tmp_path / "Desa Kayen.xlsx", {"S": [["NIK", "NAMA"], [NIK_A, "A"]]})
    result = _ingest(tmp_path, settings)
    failed = result.log[result.log["status"] == "failed"]
    assert failed["file"].tolist() == [name]
    assert message.lower() in failed["message"].iloc[0].lower()
    assert len(result.applicants) == 1
    assert result.failed_files == 1


def test_sheet_without_nik_and_name_columns_fails_the_file(tmp_path: Path, settings) -> None:
    _workbook(tmp_path / "rekap.xlsx", {"Rekap": [["Desa", "Jumlah"], ["Besuki", 3]]})
    result = _ingest(tmp_path, settings)
    assert result.log["status"].tolist() == ["failed"]
    assert "no sheet has a table with a NIK and a name column" in result.log["message"].iloc[0]
    assert result.log["layout_hint"].iloc[0].startswith('[[layout]]\nfile = "rekap.xlsx"')


def test_lock_files_and_other_suffixes_are_not_submissions(tmp_path: Path) -> None:
    names = ("~$Desa Kayen.xlsx", "notes.docx", ".hidden.csv", "Desa Kayen.xlsx", "dtks.txt")
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    found = [f.relative for f in find_source_files([tmp_path])]
    assert found == ["Desa Kayen.xlsx", "dtks.txt"]


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_committed_xls_and_ods_files_are_read(settings, suffix: str) -> None:
    files = [f for f in find_source_files([SAMPLE / "desa"]) if f.relative.endswith(suffix)]
    assert files, f"the sample batch has no {suffix} file"
    result = run_ingest(files, settings)
    assert len(result.applicants) > 50
    assert (result.applicants["kode_desa"].str.len() == 10).all()
    assert result.failed_files == 0


def test_generated_batch_is_accounted_for_row_by_row(batch: Path, settings) -> None:
    """Every planted applicant once, with the right provenance and village, nothing else."""
    result = _ingest(batch / "desa", settings)
    truth = pd.read_csv(batch / "truth.csv", dtype=str, keep_default_na=False)
    truth["source_row"] = truth["source_row"].astype(int)
    key = ["source_file", "source_sheet", "source_row"]
    got = result.applicants[[*key, "kode_desa"]].sort_values(key).reset_index(drop=True)
    want = truth[[*key, "kode_desa"]].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)
    assert result.failed_files == 0


def test_linked_folders_are_read_once_and_every_odd_link_is_logged(
    tmp_path: Path, settings
) -> None:
    elsewhere = tmp_path / "elsewhere" / "PANGGUL"
    _workbook(elsewhere / "Desa Besuki.xlsx", {"S": [["NIK", "NAMA"], [NIK_A, "A"]]})
    source = tmp_path / "desa"
    _workbook(source / "KARANGAN" / "Desa Kayen.xlsx", {"S": [["NIK", "NAMA"], [NIK_B, "B"]]})
    (source / "PANGGUL").symlink_to(elsewhere)  # a kecamatan folder kept on another disk
    (source / "KARANGAN" / "loop").symlink_to(source)
    (source / "KARANGAN" / "Desa Sumber.xlsx").symlink_to(tmp_path / "moved.xlsx")
    (source / "catatan.txt.bak").symlink_to(tmp_path / "gone")
    result = _ingest(source, settings)
    assert result.applicants["source_file"].tolist() == [
        "KARANGAN/Desa Kayen.xlsx", "PANGGUL/Desa Besuki.xlsx"
    ]  # fmt: skip
    log = result.log.set_index("file")
    assert log.loc["KARANGAN/loop", "status"] == "skipped"
    assert "leads back to a folder already read" in log.loc["KARANGAN/loop", "message"]
    assert log.loc["KARANGAN/Desa Sumber.xlsx", "status"] == "failed"
    assert log.loc["catatan.txt.bak", "status"] == "skipped"


def test_a_stray_cell_at_xfd1048576_fails_its_file_alone(tmp_path: Path) -> None:
    """The reader would lay out 17 billion cells and abort the process: refused before reading.
    Run in its own process, so a regression cannot take the test run down with it."""
    import subprocess
    import sys

    source = tmp_path / "desa"
    _workbook(source / "Desa Kayen.xlsx", {"S": [["NIK", "NAMA"], [NIK_A, "A"]]})
    workbook = openpyxl.Workbook()
    workbook.active.append(["NIK", "NAMA"])
    workbook.active.append([NIK_B, "B"])
    workbook.active["XFD1048576"] = "x"
    workbook.save(source / "Desa Sumber.xlsx")
    work = tmp_path / "work"
    done = subprocess.run(
        [sys.executable, "-c", "from bantuan_iuran.cli import main; main()", "ingest",
         str(source), "-w", str(work)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    log = pd.read_csv(work / "ingest_log.csv", dtype=str, keep_default_na=False)
    assert log.set_index("file")["status"].to_dict() == {
        "Desa Kayen.xlsx": "ok", "Desa Sumber.xlsx": "failed"
    }  # fmt: skip
    assert "row 1.048.576 and column 16.384" in log["message"].iloc[1]
