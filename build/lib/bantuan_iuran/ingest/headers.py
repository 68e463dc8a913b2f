"""What a header cell says a column holds, read by its words rather than looked up whole.

Clerks write the same header a hundred ways: `NIK (16 digit)`, `N I K`, `NO. KTP / NIK`,
`nomor_nik`, `NomorKTP`, `403 NIK`, `Nama Lengkap (sesuai KTP)`, `NAMA_LGKP`, `tempatlahir`. A
header is normalised into words, each word is read as a concept (with typo tolerance), and the
concepts decide the field, while the qualifiers that make a column someone else's (`NIK Ayah`,
`Nama Ibu Kandung`, `Nama Poktan`, `NIK KK`) keep it from being taken for the person's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

# Fields a village table may hold; `name_*` are the parts of a name split over columns and
# `number` the row numbering. ingest/__init__.py turns them into the applicant columns.
FIELDS = (
    "nik", "name", "name_first", "name_middle", "name_last", "kk", "birth_place", "birth_date",
    "birth_place_date", "sex", "address", "rt", "rw", "rt_rw", "occupation", "desa", "kecamatan",
    "number",
)  # fmt: skip

EXACT = 100
# Below this a header's words are too unsure to name a field ('Mengurus Rumah Tangga' is data).
MIN_SCORE = 60
_FUZZY_PENALTY = 12
_UNKNOWN_PENALTY = 4
_MIN_FUZZY_SCORE = 85
_MIN_FUZZY_LENGTH = 5

# Word -> concept. Concepts in upper case name what a word is about; OTHER marks words of fields
# this tool does not read (they block nothing, and keep a typo from being read as a field).
_CONCEPTS: dict[str, str] = {
    **dict.fromkeys(["NIK", "NIKS", "KEPENDUDUKAN"], "NIK"),
    **dict.fromkeys(["KTP", "EKTP"], "KTP"),
    **dict.fromkeys(["IDENTITAS", "IDENTITY"], "IDENTITY"),
    **dict.fromkeys(["KK", "NKK", "NOKK"], "KK"),
    **dict.fromkeys(["NAMA", "NAME", "NM"], "NAME"),
    **dict.fromkeys(["DEPAN", "FIRST"], "FIRST"),
    **dict.fromkeys(["TENGAH", "MIDDLE"], "MIDDLE"),
    **dict.fromkeys(["BELAKANG", "LAST", "SURNAME"], "LAST"),
    **dict.fromkeys(["TEMPAT", "TMPT", "TMP", "TPT", "PLACE"], "PLACE"),
    **dict.fromkeys(["TANGGAL", "TANGAL", "TGL", "TANGGL", "BLN", "BULAN", "DATE"], "DATE"),
    **dict.fromkeys(["LAHIR", "LHR", "KELAHIRAN", "BIRTH", "BORN", "DOB"], "BIRTH"),
    "TTL": "PLACEDATE",
    **dict.fromkeys(["JK", "LP", "KELAMIN", "KLMIN", "KLM", "JENKEL", "SEX", "GENDER"], "SEX"),
    **dict.fromkeys(["ALAMAT", "ALMT", "ADDRESS", "DOMISILI", "JALAN", "JL"], "ADDRESS"),
    **dict.fromkeys(["DUSUN", "DUKUH", "KAMPUNG", "LINGKUNGAN", "DSN"], "HAMLET"),
    "RT": "RT",
    "RW": "RW",
    **dict.fromkeys(["PEKERJAAN", "PEKERJAN", "PROFESI", "PENCAHARIAN", "OCCUPATION"], "JOB"),
    **dict.fromkeys(["DESA", "KELURAHAN", "KALURAHAN", "DS", "KEL", "VILLAGE"], "VILLAGE"),
    **dict.fromkeys(["KECAMATAN", "KEC", "DISTRICT"], "DISTRICT"),
    **dict.fromkeys(["NO", "NOMOR", "NOMER", "NMR", "NR", "NUM", "NUMBER", "URUT"], "NUMBER"),
    **dict.fromkeys(["KEPALA", "KELUARGA"], "FAMILY"),
    # Someone else's number, name or date: a parent, a group, a place, a correction.
    **dict.fromkeys(
        (
            "AYAH BAPAK IBU SUAMI ISTRI ANAK WALI ORTU PASANGAN KANDUNG POKTAN GAPOKTAN KELOMPOK "
            "KIOS PENYULUH PETUGAS PENDAMPING KABUPATEN KAB KOTA PROVINSI PROPINSI PROP PROV "
            "PERUSAHAAN USAHA BANK REKENING WARIS PERBAIKAN KOREKSI LAMA SALAH MATI MENINGGAL "
            "KEMATIAN KAWIN PERKAWINAN CERAI DAFTAR PENDAFTARAN PENGAJUAN TERBIT BERLAKU PROGRAM "
            "KODE SEKOLAH AKTA AKTE"
        ).split(),
        "FOREIGN",
    ),
    **dict.fromkeys(
        (
            "AGAMA PENDIDIKAN STATUS UMUR USIA TELEPON TELP HP WA EMAIL KETERANGAN KET GOLONGAN "
            "DARAH KOMODITAS LUAS LAHAN SUBSEKTOR HUBUNGAN SHDK LEVEL JUMLAH TIMESTAMP CATATAN "
            "WARGANEGARA KEWARGANEGARAAN"
        ).split(),
        "OTHER",
    ),
}
# Multi-word names of one concept, joined before the words are read.
_PHRASES = (
    (("INDUK", "KEPENDUDUKAN"), "NIK"),
    (("KARTU", "KELUARGA"), "KK"),
    (("MATA", "PENCAHARIAN"), "PENCAHARIAN"),
    (("FULL", "NAME"), "NAMA"),
    (("JENIS", "KEL"), "KELAMIN"),
    (("JNS", "KEL"), "KELAMIN"),
    (("HUB", "KEL"), "HUBUNGAN"),
    (("LK", "PR"), "LP"),
    # English headers (an NGO's or a donor's sheet).
    (("FAMILY", "CARD"), "KK"),
    (("HOUSEHOLD", "CARD"), "KK"),
    (("NATIONAL", "ID"), "NIK"),
    (("ID", "NUMBER"), "NIK"),
    (("ID", "NO"), "NIK"),
    # The holder of an account or a card is the person a payment list is about.
    (("ACCOUNT", "HOLDER"), "PEMILIK"),
    (("CARD", "HOLDER"), "PEMILIK"),
    (("PEMILIK", "REKENING"), "PEMILIK"),
    (("PEMEGANG", "REKENING"), "PEMILIK"),
    (("PEMEGANG", "KARTU"), "PEMILIK"),
)
# Words that say nothing about the field: the person listed, or how complete the value is.
_NEUTRAL = frozenset(
    "LENGKAP LGKP LKP SESUAI DGN DENGAN GELAR CALON PENERIMA PESERTA PENDUDUK PETANI ANGGOTA KPM "
    "ART WARGA PEMOHON PENGUSUL TENAGA KERJA TK PEKERJA BURUH ID DIGIT YG YANG DAN ATAU PANGGILAN "
    "ASLI TERDAFTAR UTAMA SEKARANG RUMAH TANGGA TINGGAL SAAT INI TH THN TAHUN JENIS JNS PEMILIK "
    "HOLDER BENEFICIARY RECIPIENT OF".split()
)
_NUMBER_WORDS = frozenset(w for w, c in _CONCEPTS.items() if c == "NUMBER")
_LEXICON = tuple(w for w in _CONCEPTS if len(w) >= 4)

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_NON_WORD = re.compile(r"[^A-Z0-9]+")


@dataclass(frozen=True)
class HeaderMatch:
    """`field` is None for a column this tool does not read; `foreign` names the field a
    qualifier took away ('nik' for `NIK Ayah`), or is 'other' for a column known to hold
    something else ('No HP', 'Status'), so content typing does not take it back."""

    field: str | None
    score: int = 0
    foreign: str | None = None


NO_MATCH = HeaderMatch(None)


@lru_cache(maxsize=1 << 14)
def normalize_header(text: str) -> str:
    """Header text as plain upper-case words, the same however it was typed.

    >>> normalize_header("Nama Lengkap\\n(sesuai KTP)"), normalize_header("N I K")
    ('NAMA LENGKAP', 'NIK')
    >>> normalize_header("403 NIK"), normalize_header("NomorKTP"), normalize_header("ibu_nik")
    ('NIK', 'NOMOR KTP', 'IBU NIK')
    >>> normalize_header("(NIK)"), normalize_header("L/P")
    ('NIK', 'LP')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    split = _CAMEL.sub(" ", ascii_text)
    unbracketed = _BRACKETED.sub(" ", split)
    if not _NON_WORD.sub("", unbracketed.upper()).strip("0123456789"):
        unbracketed = split  # '(NIK)' alone: the brackets are all there is
    words = [w for w in _NON_WORD.sub(" ", unbracketed.upper()).split() if not w.isdigit()]
    return " ".join(_join_spaced_letters(words))


def _join_spaced_letters(words: list[str]) -> list[str]:
    """'N I K' -> 'NIK': a run of two or more one-letter words is one word spelt out."""
    joined: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1:
            run.append(word)
            continue
        if run:
            joined.extend(["".join(run)] if len(run) > 1 else run)
            run = []
        if word:
            joined.append(word)
    return joined


@lru_cache(maxsize=1 << 16)
def _concept(word: str) -> tuple[str, int]:
    """A word's concept and its cost: exact, split ('TEMPATLAHIR'), or a typo ('KEPENDUDUKN')."""
    if word in _CONCEPTS:
        return _CONCEPTS[word], 0
    if word in _NEUTRAL:
        return "", 0
    if len(word) >= _MIN_FUZZY_LENGTH:
        best = process.extractOne(word, _LEXICON, scorer=fuzz.ratio, score_cutoff=_MIN_FUZZY_SCORE)
        if best is not None:
            return _CONCEPTS[best[0]], _FUZZY_PENALTY
    return "?", _UNKNOWN_PENALTY


def _split_compound(word: str) -> list[str]:
    """'TEMPATLAHIR' -> ['TEMPAT', 'LAHIR'] when both halves are known words."""
    known = _CONCEPTS.keys() | _NEUTRAL
    if word in known or len(word) < 5:
        return [word]
    for cut in range(2, len(word) - 1):
        head, tail = word[:cut], word[cut:]
        if head in known and (tail in known or _split_compound(tail) != [tail]):
            return [head, *_split_compound(tail)]
    return [word]


def _words_with_phrases(words: Sequence[str]) -> list[str]:
    joined = " ".join(words)
    for phrase, word in _PHRASES:
        joined = re.sub(rf"\b{' '.join(phrase)}\b", word, joined)
    return [part for w in joined.split() for part in _split_compound(w)]


@lru_cache(maxsize=1 << 14)
def match_header(text: str) -> HeaderMatch:
    """The field a header names, how surely (100 = every word known), or what it excludes.

    >>> match_header("NIK (16 digit)").field, match_header("NO. KTP / NIK").field
    ('nik', 'nik')
    >>> match_header("NIK Ayah"), match_header("Nama Poktan").foreign
    (HeaderMatch(field=None, score=0, foreign='nik'), 'name')
    >>> match_header("tempatlahir").field, match_header("JENIS\\nKELAMIN").field
    ('birth_place', 'sex')
    """
    words = _words_with_phrases(normalize_header(text).split())
    if not words:
        return NO_MATCH
    concepts, unknown, cost = _read_words(words)
    if unknown >= 2 and unknown > len(concepts):
        return NO_MATCH  # 'Tempat buang tinja', 'Tercantum di dalam KK': about something else
    field_name = _field_of(concepts, words, unknown)
    if field_name is None:
        return NO_MATCH
    if field_name.startswith("!"):
        return HeaderMatch(None, foreign=field_name[1:])
    score = EXACT - cost - _weakness(field_name, concepts)
    return HeaderMatch(field_name, score) if score >= MIN_SCORE else NO_MATCH


def _read_words(words: Sequence[str]) -> tuple[set[str], int, int]:
    """The concepts named, how many words are unknown, and the cost of the reading."""
    concepts: set[str] = set()
    unknown = cost = 0
    for word in words:
        concept, penalty = _concept(word)
        cost += penalty
        if concept == "?":
            unknown += 1
        elif concept:
            concepts.add(concept)
    return concepts, unknown, cost


def names_nothing(text: str) -> bool:
    """A header that says nothing of what its column holds ('', 'No', 'Nomor 2', 'ID'), so the
    column's cells may say it instead."""
    concepts, unknown, _ = _read_words(_words_with_phrases(normalize_header(text).split()))
    return not unknown and concepts <= {"NUMBER", "IDENTITY"}


def _field_of(concepts: set[str], words: Sequence[str], unknown: int) -> str | None:
    """The field the concepts name; '!field' when a qualifier makes it someone else's."""
    if "OTHER" in concepts:  # 'Status NIK', 'pendidikan_kk_id', 'No HP': another attribute
        return "!other"
    foreign = "FOREIGN" in concepts
    if "NAME" in concepts:
        return _name_field(concepts, foreign)
    if concepts & {"PLACE", "DATE", "BIRTH", "PLACEDATE"}:
        return _birth_field(concepts, foreign, unknown)
    person_fields = concepts & {"SEX", "ADDRESS", "HAMLET", "RT", "RW", "JOB", "VILLAGE"}
    if (
        "NIK" in concepts
        or ("KTP" in concepts and not person_fields)
        or ("IDENTITY" in concepts and "NUMBER" in concepts)
    ):
        return "!nik" if foreign or "KK" in concepts else "nik"
    if "KK" in concepts:
        return "!kk" if foreign else "kk"
    return _other_field(concepts, foreign, words)


def _name_field(concepts: set[str], foreign: bool) -> str:
    if "VILLAGE" in concepts:
        return "desa"
    if foreign or "DISTRICT" in concepts or ("KK" in concepts and "FAMILY" not in concepts):
        return "!name"
    for part, field_name in (("FIRST", "name_first"), ("MIDDLE", "name_middle")):
        if part in concepts:
            return field_name
    return "name_last" if "LAST" in concepts else "name"


def _birth_field(concepts: set[str], foreign: bool, unknown: int) -> str | None:
    if foreign:
        return "!birth_date"
    if "BIRTH" not in concepts and "PLACEDATE" not in concepts and unknown:
        return None  # 'Tanggal Vaksin', 'Tgl Cetak KK': another date
    if "PLACEDATE" in concepts or {"PLACE", "DATE"} <= concepts:
        return "birth_place_date"
    return "birth_place" if "PLACE" in concepts else "birth_date"


def _other_field(concepts: set[str], foreign: bool, words: Sequence[str]) -> str | None:
    if "SEX" in concepts:
        return "!sex" if foreign else "sex"
    if concepts & {"ADDRESS", "HAMLET"}:
        return "!address" if foreign else "address"
    if {"RT", "RW"} <= concepts:
        return "rt_rw"
    for concept, field_name in (("RT", "rt"), ("RW", "rw"), ("JOB", "occupation")):
        if concept in concepts:
            return f"!{field_name}" if foreign and field_name == "occupation" else field_name
    if "VILLAGE" in concepts:
        return "desa"
    if "DISTRICT" in concepts:
        return "kecamatan"
    if all(w in _NUMBER_WORDS for w in words):
        return "number"
    return None


def _weakness(field_name: str, concepts: set[str]) -> int:
    """A bare 'TANGGAL', 'TEMPAT' or 'DUSUN' names the field less surely than 'TANGGAL LAHIR',
    so that a better column wins when both are there."""
    if field_name in ("birth_date", "birth_place") and "BIRTH" not in concepts:
        return 25
    if field_name == "nik" and "FAMILY" in concepts:  # 'NIK Kepala Keluarga' beside 'NIK'
        return 10
    if field_name == "address" and "ADDRESS" not in concepts:
        return 15
    if field_name == "desa" and "FOREIGN" in concepts:  # 'Kode Desa' under 'Nama Desa'
        return 10
    return 0


def user_header_fields(headers: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """The analyst's [headers] names from the config: normalised header -> field, read first."""
    return {
        normalize_header(alias): field_name
        for field_name, aliases in headers.items()
        for alias in aliases
        if normalize_header(alias)
    }


def header_field(text: str, user_fields: Mapping[str, str]) -> HeaderMatch:
    """The config's names win over the words (an analyst's `KTP NO` is the NIK, whatever the
    words say); everything else is read by its words."""
    if not text:
        return NO_MATCH
    named = user_fields.get(normalize_header(text)) if user_fields else None
    return HeaderMatch(named, EXACT) if named else match_header(text)
