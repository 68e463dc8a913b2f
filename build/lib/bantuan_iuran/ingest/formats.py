"""The exports and templates villages send most, known by the headers they always carry.

Detection does not depend on them (headers are read by their words, columns by their cells); the
name of a known format goes into ingest_log.csv so an analyst sees at a glance what a file is,
and a file that claims a known format but was read by content stands out.
"""

from __future__ import annotations

from collections.abc import Iterable

from bantuan_iuran.ingest.headers import normalize_header
from bantuan_iuran.ingest.layout import MERGED

# Name, and the normalised headers a sheet of that format always has (see village_formats.md).
KNOWN_FORMATS: tuple[tuple[str, frozenset[str]], ...] = tuple(
    (name, frozenset(normalize_header(h) for h in headers))
    for name, headers in (
        ("OpenSID penduduk", ("nik", "nama", "no_kk", "ayah_nik", "ibu_nik", "tanggallahir")),
        ("OpenSID peserta program", ("Peserta", "No. Peserta", "NIK", "Nama")),
        ("SIAK", ("Nomor KK", "NIK", "Nama Penduduk", "NIK Ayah", "NIK Ibu", "SHDK")),
        ("Buku Induk 2016", ("Nama Lengkap", "NIK", "Tempat dan Tanggal Lahir", "SHDK")),
        ("Buku Induk 2012", ("NIK", "NAMA", "TMPT LHR", "TGL LHR", "NAMA IBU", "NAMA AYAH")),
        ("Buku Induk Permendagri 47/2016", ("NOMOR URUT", "NAMA LENGKAP / PANGGILAN", "NIK")),
        ("BNBA BLT-DD", ("NIK", "NAMA KEPALA KELUARGA", "JUMLAH ANGGOTA KELUARGA")),
        ("e-RDKK", ("Nama Poktan", "Nama Petani", "KTP")),
        ("DTKS", ("iddtks", "nomor_nik", "nama")),
        ("BPJS upload (SIPP)", ("NAMA_DEPAN", "JENIS_IDENTITAS", "NOMOR_IDENTITAS")),
        ("form answers", ("Timestamp",)),
    )
)


def known_format(headers: Iterable[str]) -> str:
    """The first known format whose headers are all among these ('' when none is).

    >>> known_format(["Nomor KK", "NIK", "Nama Penduduk", "Status", "NIK Ayah", "NIK Ibu", "SHDK"])
    'SIAK'
    """
    present = {normalize_header(part) for text in headers for part in text.split(MERGED)}
    return next((name for name, needed in KNOWN_FORMATS if needed <= present), "")
