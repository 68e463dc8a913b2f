"""Header words: normalisation (property tests) and the field each real header names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bantuan_iuran.ingest.headers import FIELDS, match_header, normalize_header


@given(st.text())
def test_normalisation_never_crashes_and_is_idempotent(text: str) -> None:
    once = normalize_header(text)
    assert normalize_header(once) == once
    assert once == " ".join(once.split()) and once == once.upper()


@given(st.text())
def test_matching_never_crashes_and_names_a_known_field(text: str) -> None:
    match = match_header(text)
    assert match.field is None or match.field in FIELDS
    assert match.field is None or 60 <= match.score <= 100


@given(st.sampled_from(["NIK", "Nama Lengkap", "Tanggal Lahir", "Jenis Kelamin"]), st.data())
def test_case_spacing_and_separators_do_not_matter(header: str, data) -> None:
    separator = data.draw(st.sampled_from([" ", "_", "\n", "  ", ". "]))
    variant = separator.join(header.split())
    variant = data.draw(st.sampled_from([variant, variant.lower(), variant.upper()]))
    assert match_header(variant).field == match_header(header).field


@pytest.mark.parametrize(
    ("header", "field"),
    [
        # The person's own columns, as real exports and clerks write them.
        ("NIK (16 digit)", "nik"), ("NIK/No. KTP", "nik"), ("N I K", "nik"),
        ("Nomor Induk Kependudukan (NIK)", "nik"), ("NO. KTP / NIK", "nik"), ("KTP", "nik"),
        ("NOMOR_IDENTITAS", "nik"), ("403 NIK", "nik"), ("NomorKTP", "nik"),
        ("nomor_nik", "nik"), ("NIK Calon Peserta", "nik"), ("NIK KEPENDUDUKN", "nik"),
        ("N A M A", "name"), ("Nama Lengkap (sesuai KTP)", "name"), ("Nama Petani", "name"),
        ("NAMA KEPALA KELUARGA", "name"), ("NAMA_LGKP", "name"), ("Nama Penduduk", "name"),
        ("NAMA LENGKAP / PANGGILAN", "name"), ("Full Name", "name"),
        ("NAMA_DEPAN", "name_first"), ("NAMA_TENGAH", "name_middle"),
        ("NAMA_BELAKANG", "name_last"),
        ("no_kk", "kk"), ("NoKK", "kk"), ("No Kartu Keluarga", "kk"), ("NKK", "kk"),
        ("tempatlahir", "birth_place"), ("TMPT LHR", "birth_place"),
        ("tanggallahir", "birth_date"), ("Tgl/Bln/Th", "birth_date"),
        ("Tangal Lahir", "birth_date"),
        ("Tempat/Tanggal Lahir", "birth_place_date"), ("TTL", "birth_place_date"),
        ("TEMPAT & TANGGAL LAHIR", "birth_place_date"),
        ("JENIS\nKELAMIN", "sex"), ("L/P", "sex"), ("Lk/Pr", "sex"), ("Jenis Kel.", "sex"),
        ("sex", "sex"), ("Kelamin", "sex"),
        ("Alamat Lengkap", "address"), ("Dukuh, RT/RW", "address"), ("RT/RW", "rt_rw"),
        ("NO_RT", "rt"), ("RW", "rw"), ("PEKERJAN", "occupation"), ("pekerjaan_id", "occupation"),
        ("Desa/Kel", "desa"), ("Kalurahan", "desa"), ("Nama Desa", "desa"),
        ("kecamatan", "kecamatan"), ("NOMOR URUT", "number"), ("No.", "number"),
        # Someone else's, or something else.
        ("NIK Ayah", None), ("ibu_nik", None), ("NIK_KK", None), ("Perbaikan NIK", None),
        ("Nama Ibu Kandung", None), ("Nama Poktan", None), ("nama_ayah", None),
        ("NAMA.KK", None), ("Nama Penyuluh", None), ("JENIS_IDENTITAS", None),
        ("No HP", None), ("Nomer WA", None), ("No. Peserta", None), ("pendidikan_kk_id", None),
        ("status_kawin", None), ("Timestamp", None), ("Keterangan", None),
        ("Mengurus Rumah Tangga", None), ("BUDI SANTOSO", None),
        # In English, and the holder of an account or card on a payment list.
        ("ID Number", "nik"), ("National ID (NIK)", "nik"), ("Identity No.", "nik"),
        ("Family Card Number", "kk"), ("Family Card No.", "kk"), ("Household Card", "kk"),
        ("Date of Birth", "birth_date"), ("Place of Birth", "birth_place"), ("Gender", "sex"),
        ("Beneficiary Name", "name"), ("Recipient's Name", "name"),
        ("Account Holder Name", "name"), ("Card Holder Name", "name"),
        ("Nama Pemilik Rekening", "name"), ("Nama Pemegang Kartu", "name"),
        ("Nama Bank", None), ("Nomor Rekening", None), ("Phone Number", None),
    ],
)  # fmt: skip
def test_the_field_a_header_names(header: str, field: str | None) -> None:
    assert match_header(header).field == field


def test_qualifiers_say_whose_column_it_is() -> None:
    assert match_header("NIK Ayah").foreign == "nik"
    assert match_header("Nama Ibu Kandung").foreign == "name"
    assert match_header("No HP").foreign == "other"
