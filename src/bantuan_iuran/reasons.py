"""Reason codes: stable English codes, their status class, and what the village reads.

The codes never change meaning; the Indonesian text may be improved freely.
"""

from __future__ import annotations

from dataclasses import dataclass

NEEDS_FIX = "needs_fix"
INELIGIBLE = "ineligible"
ELIGIBLE = "eligible"
STATUSES = (ELIGIBLE, NEEDS_FIX, INELIGIBLE)


@dataclass(frozen=True)
class Reason:
    code: str
    status: str
    text: str
    label: str  # a few words, for a column header or a short cell


_REASONS = (
    Reason("NIK_MISSING", NEEDS_FIX, "NIK tidak diisi.", "NIK kosong"),
    Reason(
        "NIK_FORMAT",
        NEEDS_FIX,
        "NIK tidak terdiri dari 16 angka (ada huruf, atau angkanya kurang/lebih).",
        "NIK bukan 16 angka",
    ),
    Reason(
        "NIK_INVALID",
        NEEDS_FIX,
        "NIK 16 angka tetapi tidak mungkin benar: kode wilayah tidak dikenal, tanggal lahir "
        "tidak valid, atau nomor urut 0000.",
        "NIK tidak sah",
    ),
    Reason(
        "NIK_EXCEL_ROUNDED",
        NEEDS_FIX,
        "NIK rusak oleh Excel: diketik sebagai angka sehingga angka terakhir menjadi 0 atau "
        "tampil seperti 3,50301E+15. Ketik ulang NIK sebagai teks (awali dengan tanda ').",
        "NIK rusak oleh Excel",
    ),
    Reason(
        "NIK_IS_KK",
        NEEDS_FIX,
        "Yang ditulis adalah nomor Kartu Keluarga (KK), bukan NIK.",
        "Nomor KK, bukan NIK",
    ),
    Reason(
        "NIK_NOT_FOUND",
        NEEDS_FIX,
        "NIK tidak ditemukan dalam data kependudukan (Dukcapil).",
        "NIK tidak terdaftar",
    ),
    Reason("NAME_MISSING", NEEDS_FIX, "Nama tidak diisi.", "Nama kosong"),
    Reason(
        "NAME_MISMATCH",
        NEEDS_FIX,
        "Nama berbeda dengan data Dukcapil: NIK ini terdaftar atas nama orang lain.",
        "Nama tidak cocok",
    ),
    Reason(
        "NAME_OF_HUSBAND",
        NEEDS_FIX,
        "Yang ditulis adalah nama suami (misalnya Ny. ... atau Bu ...). NIK dan tanggal lahirnya "
        "cocok dengan data Dukcapil: tulis nama ibu sendiri sesuai KTP.",
        "Ditulis dengan nama suami",
    ),
    Reason(
        "BIRTHDATE_INVALID",
        NEEDS_FIX,
        "Tanggal lahir tidak dapat dibaca atau tidak mungkin (misalnya 31/02/1990). Tulis sebagai "
        "tanggal-bulan-tahun, misalnya 12-05-1980.",
        "Tanggal lahir tidak sah",
    ),
    Reason(
        "BIRTHDATE_SWAPPED",
        NEEDS_FIX,
        "Tanggal dan bulan lahir tertukar: tanggal yang ditulis sama dengan data Dukcapil bila "
        "tanggal dan bulannya dibalik. Mohon dipastikan dan ditulis tanggal-bulan-tahun.",
        "Tanggal dan bulan tertukar",
    ),
    Reason(
        "BIRTHDATE_MISMATCH",
        NEEDS_FIX,
        "Tanggal lahir berbeda dengan data Dukcapil.",
        "Tanggal lahir tidak cocok",
    ),
    Reason(
        "VILLAGE_UNKNOWN",
        NEEDS_FIX,
        "Desa pengusul tidak dapat dikenali dari nama file, judul, atau folder.",
        "Desa tidak dikenali",
    ),
    Reason(
        "BPJS_REJECTED",
        NEEDS_FIX,
        "Pendaftaran ke BPJS Ketenagakerjaan ditolak kantor cabang. Periksa NIK, nama, dan "
        "tanggal lahir dengan KTP/KK: tulis yang benar, atau batalkan bila orangnya tidak lagi "
        "diusulkan.",
        "Ditolak BPJS",
    ),
    Reason(
        "DUPLICATE",
        INELIGIBLE,
        "NIK yang sama diusulkan lebih dari sekali; usulan di baris lain yang dipertahankan.",
        "Usulan ganda",
    ),
    Reason(
        "WITHDRAWN",
        INELIGIBLE,
        "Dibatalkan oleh desa pada formulir perbaikan.",
        "Dibatalkan oleh desa",
    ),
    Reason(
        "DECEASED",
        INELIGIBLE,
        "Menurut data Dukcapil yang bersangkutan telah meninggal.",
        "Meninggal dunia",
    ),
    Reason(
        "OUT_OF_AREA",
        INELIGIBLE,
        "Menurut data Dukcapil yang bersangkutan berdomisili di luar kabupaten.",
        "Di luar kabupaten",
    ),
    Reason(
        "AGE",
        INELIGIBLE,
        "Usia pada 1 Januari tahun program di luar batas yang ditetapkan.",
        "Usia di luar batas",
    ),
    Reason(
        "ALREADY_ENROLLED",
        INELIGIBLE,
        "Sudah terdaftar sebagai peserta aktif BPJS Ketenagakerjaan.",
        "Sudah peserta aktif",
    ),
    Reason(
        "EXCLUDED_OCCUPATION",
        INELIGIBLE,
        "Pekerjaan menurut Dukcapil (PNS/ASN, TNI, POLRI) tidak termasuk sasaran program.",
        "PNS/TNI/POLRI",
    ),
)

REASONS: dict[str, Reason] = {r.code: r for r in _REASONS}
# Codes are listed in this order wherever a row carries several.
ORDER: dict[str, int] = {r.code: i for i, r in enumerate(_REASONS)}


def status_of(codes: list[str]) -> str:
    classes = {REASONS[c].status for c in codes}
    if INELIGIBLE in classes:
        return INELIGIBLE
    if NEEDS_FIX in classes:
        return NEEDS_FIX
    return ELIGIBLE


def explain(codes: list[str]) -> str:
    return " ".join(REASONS[c].text for c in codes)


def labels(codes: list[str]) -> str:
    """The codes of a row as the village reads them: 'Nama tidak cocok; Tanggal lahir ...'."""
    return "; ".join(REASONS[c].label for c in codes if c in REASONS)
