"""Normalisers used on both sides of every comparison: village rows and registry rows alike.

Each returns a canonical text ("" when nothing usable is there) and never raises on any text.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from functools import lru_cache

from bantuan_iuran import reference

# Titles, degrees and forms of address clerks write around a name (H. = Haji, Hj. = Hajjah,
# Drs., Bu, Mbah, ...): reference/name_words.csv.
_TITLES = frozenset(reference.name_words("title")) | frozenset(reference.name_words("kinship"))
# A first word that abbreviates a first name ('St. Aminah' is Siti Aminah, not a degree S.T.).
_FIRST_WORDS = {word: full.split()[0] for word, full in reference.name_words("first_word").items()}
_DEGREE = re.compile(
    r"^(S|M|A)\s?(PD|E|H|T|AG|SOS|KOM|IP|KEP|KES|SI|HUT|PT|FARM|KED|AK|MD|PDI|HI|TR|STAT|PSI|AP"
    r"|IKOM|GZ|KM|SN|SY|TH|ST|MA|MM|PSI)?$|^AMD$|^AMDKEB$|^AMK$|^MM$|^MBA$|^SE$|^SH$|^ST$|^SP$|^SPD$"
    r"|^SAG$|^SSOS$|^SKOM$|^SIP$|^SKEP$|^MPD$|^MSI$|^MAG$|^BA$|^BSC$|^LC$|^MA$|^SPDI$|^SHI$"
)
# Muhammad is written M., Moch., Moh., Muh., Mochammad, Muhamad, ... on the same person's papers.
# "S.Pd", "S.E.", "A.Md" written without a comma; "M. Ali" (with a space) is a name, not a degree.
_DOTTED_DEGREE = re.compile(r"\b[SMA](?:\.[A-Z]{1,5})+\b\.?")
_MUHAMMAD = frozenset(
    "M MOCH MOCHAMAD MOCHAMMAD MOCHAMED MOH MOHD MOHAMAD MOHAMMAD MOHAMMED MOHAMED MUH MUHAMAD "
    "MUHAMMAD MUHAMMED MUCHAMAD MUCHAMMAD MOKH MOKHAMAD MOKHAMMAD MUKHAMAD MUKHAMMAD "
    "MHD MUHD".split()
)
# Pre-1972 spellings, folded to one comparison key: oe->u, tj->c, dj->j then j->y (so old "j"
# and new "y" meet, and old "dj" meets new "j"), sj->sy and nj->ny follow, ch->kh (Cholil is
# Kholil) but for the words where ch is c (Chandra is Candra: reference/name_words.csv).
# "Setjowati" is read both as Setyowati and Secowati, so ty meets c as well.
_SPELLINGS = (("OE", "U"), ("TJ", "C"), ("DJ", "J"), ("J", "Y"), ("TY", "C"), ("CH", "KH"))
_CH_IS_C = tuple(reference.name_words("ch_is_c"))
_REPEATED_LETTER = re.compile(r"([A-Z])\1+")
_NON_LETTER = re.compile(r"[^A-Z ]+")
_SPACES = re.compile(r"\s+")


def _ascii_upper(text: str) -> str:
    if text.isascii():
        return text.upper()  # most text: nothing to decompose
    decomposed = unicodedata.normalize("NFKD", text)
    # Accents go, and so do invisible characters (zero-width spaces, direction marks, soft
    # hyphens: category Cf) that would otherwise split 'SU\u200bPARMAN' into two words.
    return "".join(
        c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) != "Cf"
    ).upper()


def _strip_degrees(text: str) -> str:
    """Cut ", S.Pd" style suffixes: everything after a comma made only of degree tokens."""
    head, *tail = text.split(",")
    kept = [head]
    for part in tail:
        letters = re.sub(r"[^A-Z]", "", part)
        if letters and not _DEGREE.match(letters):
            kept.append(part)
    return " ".join(kept)


def _drop_titles(tokens: list[str]) -> list[str]:
    kept = [t for t in tokens if t not in _TITLES and not (len(t) > 1 and _DEGREE.match(t))]
    return kept or tokens


@lru_cache(maxsize=1 << 16)
def fold_spelling(token: str) -> str:
    """Fold one upper-case word to its post-1972 comparison spelling (see _SPELLINGS)."""
    if token.startswith(_CH_IS_C):
        token = token.replace("CH", "C")
    previous = None
    while previous != token:
        previous = token
        for old, new in _SPELLINGS:
            token = token.replace(old, new)
        token = _REPEATED_LETTER.sub(r"\1", token)
    return token


@lru_cache(maxsize=1 << 18)
def normalize_name(value: object) -> str:
    """A comparison key for a person's name, the same for every way a clerk writes it.

    >>> normalize_name("H. Moch. Soekarno, S.Pd")
    'MUHAMAD SUKARNO'
    >>> normalize_name("muhammad  sukarno")
    'MUHAMAD SUKARNO'
    """
    if not isinstance(value, str) or not value.strip():
        return ""
    # Folding can make a new title-like word ("AAH" -> "AH"): repeat until nothing changes.
    previous, text = "", _normalize_once(value)
    while text != previous:
        previous, text = text, _normalize_once(text)
    return text


def _normalize_once(value: str) -> str:
    text = _ascii_upper(value).strip()
    first, _, rest = text.partition(".")
    if rest.strip() and first.strip() in _FIRST_WORDS:  # 'ST. AMINAH', before degrees go
        text = f"{_FIRST_WORDS[first.strip()]} {rest}"
    text = _DOTTED_DEGREE.sub(" ", _strip_degrees(text))
    # Dotted initials and titles ("H.", "M.") become tokens of their own.
    tokens = _NON_LETTER.sub(" ", text.replace(".", ". ")).split()
    tokens = _drop_titles(tokens)
    tokens = ["MUHAMMAD" if t in _MUHAMMAD else t for t in tokens]
    return " ".join(fold_spelling(t) for t in tokens)


_MONTHS = {
    "JAN": 1, "JANUARI": 1, "JANUARY": 1, "FEB": 2, "FEBRUARI": 2, "PEBRUARI": 2, "FEBRUARY": 2,
    "MAR": 3, "MARET": 3, "MARCH": 3, "APR": 4, "APRIL": 4, "MEI": 5, "MAY": 5, "JUN": 6, "JUNI": 6,
    "JUNE": 6, "JUL": 7, "JULI": 7, "JULY": 7, "AGU": 8, "AGS": 8, "AGT": 8, "AGUSTUS": 8, "AUG": 8,
    "AUGUST": 8, "SEP": 9, "SEPT": 9, "SEPTEMBER": 9, "OKT": 10, "OKTOBER": 10, "OCT": 10,
    "OCTOBER": 10, "NOV": 11, "NOP": 11, "NOVEMBER": 11, "NOPEMBER": 11, "DES": 12, "DESEMBER": 12,
    "DEC": 12, "DECEMBER": 12,
}  # fmt: skip
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?")
_DMY = re.compile(r"(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4}|\d{2})(?!\d)")
_DAY_MONTH_NAME = re.compile(r"(\d{1,2})[\s\-/.]*([A-Z]{3,9})[\s\-/.,]*(\d{4}|\d{2})(?!\d)")
_SERIAL = re.compile(r"^\d{4,5}(?:\.0+)?$")
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(value: object, latest_year: int = 1999) -> date | None:
    """Read a birth date however it was written; None when no real date is there. A two-digit
    year takes the latest century not after `latest_year`.

    >>> parse_date("12 Mei 1970"), parse_date("TRENGGALEK, 12-05-1970"), parse_date("25700")
    (datetime.date(1970, 5, 12), datetime.date(1970, 5, 12), datetime.date(1970, 5, 12))
    >>> parse_date("12-Agt-79"), parse_date("30-Nov-69"), parse_date("05-Mei-05", 2009)
    (datetime.date(1979, 8, 12), datetime.date(1969, 11, 30), datetime.date(2005, 5, 5))
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = _ascii_upper(value).strip()
    if not text:
        return None
    if _SERIAL.match(text):
        # Excel serial day number (1900 system); 4-5 digits cover 1927-2173.
        return _EXCEL_EPOCH + timedelta(days=int(float(text)))
    for pattern, order in ((_ISO, "ymd"), (_DMY, "dmy"), (_DAY_MONTH_NAME, "dMy")):
        found = pattern.search(text)
        if found:
            return _make_date(found.groups(), order, latest_year)
    return None


def _make_date(parts: tuple[str, ...], order: str, latest_year: int) -> date | None:
    if order == "ymd":
        year, month, day = (int(p) for p in parts)
    elif order == "dmy":
        day, month, year = int(parts[0]), int(parts[1]), int(parts[2])
    else:
        month_number = _MONTHS.get(parts[1])
        if month_number is None:
            return None
        day, month, year = int(parts[0]), month_number, int(parts[2])
    if order != "ymd" and len(parts[2]) == 2:
        year += 2000 if 2000 + year <= latest_year else 1900
    try:
        return date(year, month, day)
    except ValueError:
        return None


@lru_cache(maxsize=1 << 16)
def indonesian_date(iso: str) -> str:
    """1970-05-12 -> 12-05-1970, as Indonesian documents write dates."""
    return "-".join(reversed(iso.split("-"))) if iso else ""


def normalize_date(value: object, latest_year: int = 1999) -> str:
    """ISO text of `parse_date`, '' when unreadable; ISO input comes back unchanged."""
    parsed = parse_date(value, latest_year)
    return parsed.isoformat() if parsed else ""


_TWO_DIGIT_YEAR = re.compile(r"(?<!\d)\d{2}\s*$")


def has_two_digit_year(written: str) -> bool:
    """'12/5/80', '12-Agt-79': a date whose century the reader must decide."""
    return bool(_TWO_DIGIT_YEAR.search(written.strip()))


def stated_birth_date(written: str, nik: str, year: int, min_age: int) -> str:
    """A row's birth date as ISO text. A two-digit year takes the century of the NIK's own
    birth year where the NIK encodes the same two digits, else the latest that leaves the
    person at least `min_age` in `year`, so that an adult is never read as a child.

    >>> stated_birth_date("12-08-01", "3503011208010003", 2027, 18)
    '2001-08-12'
    >>> stated_birth_date("12-08-15", "", 2027, 18), stated_birth_date("12-Agt-79", "", 2027, 18)
    ('1915-08-12', '1979-08-12')
    """
    if not has_two_digit_year(written):
        return normalize_date(written)
    latest = year - min_age
    digits = re.sub(r"\D", "", nik)
    if len(digits) == 16 and digits[10:12] == written.strip()[-2:]:
        latest = year if 2000 + int(digits[10:12]) <= year else 1999
    return normalize_date(written, latest)


_SEX = {
    "L": "L", "LK": "L", "LAKI": "L", "LAKILAKI": "L", "PRIA": "L", "M": "L", "MALE": "L", "1": "L",
    "P": "P", "PR": "P", "PEREMPUAN": "P", "WANITA": "P", "W": "P", "F": "P", "FEMALE": "P",
    "2": "P",
}  # fmt: skip


def normalize_sex(value: object) -> str:
    """'Laki-laki', 'LK', 'L' -> 'L'; 'Perempuan', 'PR', 'P' -> 'P'; anything else -> ''."""
    if not isinstance(value, str):
        return ""
    return _SEX.get(re.sub(r"[^A-Z0-9]", "", _ascii_upper(value)), "")


def normalize_rt(value: object) -> str:
    """'RT 2', '02', '2.0' -> '002': RT and RW numbers are three digits in the registry."""
    if not isinstance(value, str):
        return ""
    digits = re.sub(r"\.0+$", "", value.strip())
    digits = re.sub(r"\D", "", digits)
    return digits[-3:].zfill(3) if digits else ""


def split_rt_rw(value: object) -> tuple[str, str]:
    """'002/003', 'RT 2 RW 3', '2-3' -> ('002', '003')."""
    if not isinstance(value, str):
        return "", ""
    numbers = re.findall(r"\d+", value)
    if len(numbers) < 2:
        return normalize_rt(value), ""
    return numbers[0][-3:].zfill(3), numbers[1][-3:].zfill(3)


def split_place_date(value: object) -> tuple[str, str]:
    """'TRENGGALEK, 12-05-1970' -> ('TRENGGALEK', '12-05-1970'), the date part kept as written."""
    if not isinstance(value, str) or not value.strip():
        return "", ""
    place, sep, rest = value.rpartition(",")
    if sep and place.strip():
        return place.strip(), rest.strip()
    found = re.search(r"\d", value)
    if found:
        return value[: found.start()].strip(" ,/"), value[found.start() :].strip()
    return value.strip(), ""


def pad_code(value: object, width: int) -> str:
    """Registry region numbers come unpadded ('1', '2001', '1.0'); codes are fixed-width text."""
    if not isinstance(value, str):
        return ""
    digits = re.sub(r"\.0+$", "", value.strip())
    return digits.zfill(width) if digits.isdigit() else ""


def normalize_text(value: object) -> str:
    """Upper case, single spaces: for occupations, places and addresses."""
    if not isinstance(value, str):
        return ""
    return _SPACES.sub(" ", _ascii_upper(value)).strip()
