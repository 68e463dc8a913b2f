"""What clerks write in free text on a returned form: the follow-up ("Tindak lanjut") however it
is typed, and a NIK, a birth date, a name or a withdrawal inside a note ("Catatan").

Words are read by their stems with typo tolerance, never from a list of whole phrases, so
"Meninggal dunia", "sdh meninggal th 2024", "almarhum", "pindah ke Malang", "tdk bersedia"
and "tetap diusulkan" are understood; what is not understood is said, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from bantuan_iuran.normalize import (
    has_two_digit_year,
    indonesian_date,
    parse_date,
    stated_birth_date,
)

KEEP = "tetap diusulkan"
WITHDRAW_PREFIX = "dibatalkan: "

# Stems of the words that give a reason to withdraw, by reason (the reason as the form words it).
_WITHDRAW_STEMS = {
    "meninggal": ("meninggal", "wafat", "almarhum", "almarhumah", "alm", "mati", "tiada",
                  "mninggal", "md"),
    "pindah": ("pindah", "keluar", "domisili", "merantau", "tki", "pmi"),
    "mengundurkan diri": ("mengundurkan", "mundur", "bersedia", "menolak", "tolak"),
    "bukan warga": ("warga", "penduduk"),
    "batal": ("batal", "dibatalkan", "hapus", "dihapus", "coret", "dicoret", "gugur", "cabut"),
}  # fmt: skip
_KEEP_STEMS = ("tetap", "lanjut", "dilanjutkan", "diusulkan", "usulkan", "benar", "sesuai", "ya",
               "masih", "hidup", "aktif")  # fmt: skip
# Words that turn the reason around: "tidak bersedia", "bukan warga", "belum meninggal".
_NEGATIONS = ("tidak", "tdk", "bukan", "bkn", "belum", "blm", "tak", "gak", "ga", "nggak")
# A reason read only together with a negation before it.
_NEEDS_NEGATION = {"bersedia", "warga", "penduduk"}
_MIN_SIMILARITY = 88
# Endings a stem may take and stay the same word ("meninggalnya", "dibatalkan", "pindahan").
_SUFFIXES = ("", "nya", "kan", "an", "i", "lah", "pun")


@dataclass(frozen=True)
class Action:
    """A follow-up as understood: `value` is what validation reads ('tetap diusulkan',
    'dibatalkan: pindah'), or '' when it could not be understood."""

    value: str
    understood: bool

    @property
    def withdraws(self) -> bool:
        return self.value.startswith(WITHDRAW_PREFIX)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.casefold())


def _like(word: str, stem: str) -> bool:
    """The same word with an ending, or a typo of it (one letter more, less or other); short
    stems must match whole. "keluarga" is not "keluar".

    >>> _like("meningal", "meninggal"), _like("meninggalnya", "meninggal")
    (True, True)
    >>> _like("keluarga", "keluar")
    False
    """
    if len(stem) <= 3:
        return word == stem
    if word.startswith(stem) and word[len(stem) :] in _SUFFIXES:
        return True
    return abs(len(word) - len(stem)) <= 1 and fuzz.ratio(word, stem) >= _MIN_SIMILARITY


def read_action(text: str) -> Action:
    """A follow-up typed freely.

    >>> read_action("Meninggal dunia").value, read_action("DIBATALKAN: PINDAH").value
    ('dibatalkan: meninggal', 'dibatalkan: pindah')
    >>> read_action("tdk bersedia").value, read_action("Lanjut").value
    ('dibatalkan: mengundurkan diri', 'tetap diusulkan')
    >>> read_action("tanya pak kades")
    Action(value='', understood=False)
    """
    words = _words(text)
    reason = _withdraw_reason(words)
    if reason:
        return Action(WITHDRAW_PREFIX + reason, True)
    if any(_like(word, stem) for word in words for stem in _KEEP_STEMS):
        return Action(KEEP, True)
    return Action("", not words)


def _withdraw_reason(words: list[str]) -> str:
    """The first reason to withdraw the words give; a more precise reason beats 'batal'."""
    found = []
    for index, word in enumerate(words):
        negated = index > 0 and words[index - 1] in _NEGATIONS
        for reason, stems in _WITHDRAW_STEMS.items():
            for stem in stems:
                if not _like(word, stem):
                    continue
                if (stem in _NEEDS_NEGATION) != negated:
                    continue
                found.append(reason)
    precise = [reason for reason in found if reason != "batal"]
    return (precise or found or [""])[0]


_NIK_IN_TEXT = re.compile(r"(?<!\d)\d(?:[\s.\-]?\d){15}(?!\d)")
_DATE_IN_TEXT = re.compile(
    r"(?<!\d)\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*(?:\d{4}|\d{2})(?!\d)"
    r"|(?<!\d)\d{1,2}\s+[A-Za-z]{3,9}\s+\d{4}(?!\d)"
)
_NAME_IN_TEXT = re.compile(
    r"(?i)\bnama\b(?:\s+(?:yang|yg)\s+benar|\s+sesuai\s+ktp|\s+seharusnya|\s+di\s+ktp)?"
    r"\s*[:=]?\s*(?P<name>[A-Za-z][A-Za-z.' ]{1,60}[A-Za-z.])"
)
_NAME_STOPS = re.compile(r"(?i)\s+(?:tgl|tanggal|lahir|nik|no|sudah|sdh|dan|,).*$")


_KK_BEFORE = re.compile(r"(?i)\b(?:kk|k\.k\.?|kartu keluarga)\W*(?:no\W*)?$")
_BIRTH_CUE = re.compile(r"(?i)lahir|\blhr\b|\bttl\b|\btgl\b|tanggal")


def _birth_date_meant(text: str, found: re.Match[str]) -> bool:
    """A date in a note is a birth date when the note says so, or says nothing else."""
    if _BIRTH_CUE.search(text):
        return True
    return not _words(text[: found.start()] + " " + text[found.end() :])


@dataclass(frozen=True)
class NoteReading:
    """What a note holds: a NIK, a birth date (as written), a name, a follow-up; `rest` is
    what is left once they are taken out (shown to the analyst when it says anything)."""

    nik: str = ""
    birth_date: str = ""
    name: str = ""
    action: str = ""
    rest: str = ""


def read_note(text: str) -> NoteReading:
    """A clerk's note, read for what it answers.

    >>> read_note("nik yg benar 3503.0411.0580.0003").nik
    '3503041105800003'
    >>> read_note("sudah meninggal th 2024").action
    'dibatalkan: meninggal'
    >>> read_note("Nama yang benar: SITI AMINAH tgl lahir 12-05-1980")
    NoteReading(nik='', birth_date='12-05-1980', name='SITI AMINAH', action='', rest='')

    A family card's number is no NIK, and a date beside a death is no birth date:

    >>> read_note("no KK 3503041205090001").nik, read_note("meninggal 12-03-2024").birth_date
    ('', '')
    """
    rest = text
    nik = ""
    found = _NIK_IN_TEXT.search(rest)
    if found and not _KK_BEFORE.search(rest[: found.start()]):
        nik = re.sub(r"\D", "", found.group(0))
        rest = rest.replace(found.group(0), " ")
    born = ""
    found = _DATE_IN_TEXT.search(rest)
    if found and parse_date(found.group(0)) is not None and _birth_date_meant(rest, found):
        born = found.group(0).strip()
        rest = rest.replace(found.group(0), " ")
    name = ""
    found = _NAME_IN_TEXT.search(rest)
    if found:
        name = _NAME_STOPS.sub("", found.group("name")).strip()
        rest = rest.replace(found.group(0), " ")
    action = read_action(rest)
    value = action.value if action.withdraws else ""
    leftover = "" if (nik or born or name or value) and not _says_more(rest) else rest.strip()
    return NoteReading(nik, born, name, value, " ".join(leftover.split()))


# Words a note uses around an answer that say nothing more themselves.
_FILLER = {"nik", "yg", "yang", "benar", "nama", "tgl", "tanggal", "lahir", "sesuai", "ktp",
           "kk", "sudah", "sdh", "th", "thn", "tahun", "no", "nomor", "di", "dan", "dunia",
           "seharusnya", "adalah", "ke", "yaitu"}  # fmt: skip


def _says_more(rest: str) -> bool:
    words = [w for w in _words(rest) if w not in _FILLER]
    action = read_action(" ".join(words))
    return bool(words) and not action.withdraws


def full_date(written: str, nik: str, year: int, min_age: int = 18) -> str:
    """An answered birth date with a two-digit year written out (normalize.stated_birth_date
    decides the century); any other date as written.

    >>> full_date("12/5/80", "3503041205800003", 2027), full_date("3-1-05", "", 2027)
    ('12-05-1980', '03-01-2005')
    >>> full_date("31-02-80", "", 2027)
    '31-02-80'
    """
    if not has_two_digit_year(written):
        return written.strip()
    iso = stated_birth_date(written, nik, year, min_age)
    return indonesian_date(iso) if iso else written.strip()
