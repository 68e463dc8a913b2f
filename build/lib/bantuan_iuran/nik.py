"""NIK (16-digit national ID) cleaning, decoding and masking.

Layout: PPKKCC DDMMYY SSSS. PPKKCC is the kecamatan where the NIK was first issued (not where the
person lives now), DD is the birth day plus 40 for women, SSSS a serial that is never 0000.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from bantuan_iuran import reference

NIK_LENGTH = 16

# What clerks, spreadsheets and exports put in and around an ID number's digits, as regular
# expressions that Python and Arrow (registry.py) read alike: spaces of every kind, quote marks
# (Excel's text prefix) and invisible characters (zero-width spaces and joiners, direction marks,
# word joiners, byte-order marks, soft hyphens); the '.0' of a number saved as text; the dots,
# dashes, slashes and underscores that group the digits.
NIK_IGNORED = (
    "[ \t\n\r\f\v'`\u2018\u2019\u00a0\u2007\u202f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad]"
)
NIK_DECIMAL_ZEROS = r"^(\d+)[.,]0+$"
# Excel's text trick in a CSV, ="3503...": the number kept as text, wrapped in a formula.
NIK_TEXT_FORMULA = r'^\s*=\s*"(.*)"\s*$'
_TEXT_FORMULA = re.compile(NIK_TEXT_FORMULA)
NIK_SEPARATORS = r"[./_-]"
_IGNORED = re.compile(NIK_IGNORED)
_DECIMAL_ZEROS = re.compile(NIK_DECIMAL_ZEROS)
_GROUPING = re.compile(NIK_SEPARATORS)
# "3.50301E+15" or, in an Indonesian locale, "3,50301E+15": the cell showed scientific notation.
NIK_SCIENTIFIC = r"^\s*'?(\d)[.,](\d+)\s*[eE]\s*\+?\s*(\d{1,2})\s*$"
_SCIENTIFIC = re.compile(NIK_SCIENTIFIC)
# Twelve digits or more, perhaps grouped by single spaces, dots or dashes ('3503 0112 0570 0001').
# Digits grouped by any separator a file name or a clerk uses (space . - _ / \\).
_LONG_DIGIT_RUN = re.compile(r"\d(?:[ .\-_/\\]?\d){11,}")


@dataclass(frozen=True)
class NikReading:
    """What a NIK cell says: the cleaned number and how many leading digits can be trusted."""

    nik: str
    problem: str = ""
    known_digits: int = NIK_LENGTH

    @property
    def damaged(self) -> bool:
        return self.known_digits < NIK_LENGTH

    def could_be(self, nik: str) -> bool:
        """Whether `nik` is a number this damaged cell may have shown. Scientific notation rounds
        the last digit shown ('3.50305E+15' may be 3503046707910002), so it is a range."""
        half_unit = 10 ** (NIK_LENGTH - self.known_digits) // 2
        return abs(int(nik) - int(self.nik)) <= half_unit


@dataclass(frozen=True)
class NikFacts:
    """What a well-formed NIK encodes; `problem` names the first impossible part."""

    region: str = ""
    birth_date: date | None = None
    sex: str = ""
    problem: str = ""


def clean_nik(raw: str) -> str:
    """Strip what clerks type around the digits.

    >>> clean_nik("'3503 0123.4567-8901")
    '3503012345678901'
    >>> clean_nik("3503012345678900.0"), clean_nik("\u200e3503012345678901\u200b")
    ('3503012345678900', '3503012345678901')
    >>> clean_nik('="3503012345678901"')
    '3503012345678901'
    """
    text = _IGNORED.sub("", _TEXT_FORMULA.sub(r"\1", raw))
    return _GROUPING.sub("", _DECIMAL_ZEROS.sub(r"\1", text))


@lru_cache(maxsize=1 << 16)
def read_nik(raw: str, is_number: bool = False) -> NikReading:
    """Clean a NIK cell and say how far Excel may have damaged it.

    Excel keeps 15 significant digits: a NIK stored as a number loses its 16th digit (it becomes
    0), and one shown in scientific notation keeps only the digits on screen.
    """
    raw = _TEXT_FORMULA.sub(r"\1", raw)
    if not raw or not raw.strip():
        return NikReading("", "NIK_MISSING", 0)
    scientific = _SCIENTIFIC.match(raw)
    if scientific:
        lead, fraction, exponent = scientific.groups()
        digits = (lead + fraction).ljust(int(exponent) + 1, "0")
        if len(digits) == NIK_LENGTH:
            return NikReading(digits, "NIK_EXCEL_ROUNDED", 1 + len(fraction))
        return NikReading(clean_nik(raw), "NIK_FORMAT", 0)
    nik = clean_nik(raw)
    if len(nik) != NIK_LENGTH or not nik.isascii() or not nik.isdigit():
        return NikReading(nik, "NIK_FORMAT", 0)
    if is_number and nik.endswith("0"):
        return NikReading(nik, "", NIK_LENGTH - 1)
    return NikReading(nik)


def nik_birth_date(nik: str, reference_year: int) -> tuple[date | None, str]:
    """Birth date and sex from digits 7-12; the century is the latest not after the reference."""
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "P" if day > 40 else "L"
    if day > 40:
        day -= 40
    century = 2000 if 2000 + year2 <= reference_year else 1900
    try:
        return date(century + year2, month, day), sex
    except ValueError:
        return None, sex


@lru_cache(maxsize=1 << 16)
def decode_nik(nik: str, reference_year: int) -> NikFacts:
    """Check a 16-digit NIK's region, birth date and serial against the official lists."""
    if len(nik) != NIK_LENGTH or not nik.isascii() or not nik.isdigit():
        return NikFacts(problem="NIK_FORMAT")
    region = nik[:6]
    if not region_is_known(region):
        return NikFacts(problem="NIK_INVALID")
    born, sex = nik_birth_date(nik, reference_year)
    if born is None or nik[12:] == "0000":
        return NikFacts(region=region, problem="NIK_INVALID")
    return NikFacts(region=region, birth_date=born, sex=sex)


def region_is_known(region: str) -> bool:
    """Province and regency must exist (retired codes included); kecamatan where the list ships."""
    if region[:2] not in reference.province_codes() or region[:4] not in reference.regency_codes():
        return False
    if region[:2] == "35":
        return region in reference.east_java_kecamatan_codes()
    return region[4:] != "00"


def mask_nik(nik: str) -> str:
    """3503012345670001 -> 3503********0001: enough to find a row, not enough to misuse."""
    if len(nik) <= 8:
        return "*" * len(nik)
    return nik[:4] + "*" * (len(nik) - 8) + nik[-4:]


def mask_numbers(text: str) -> str:
    """Mask every NIK- or KK-length digit run inside free text before it reaches a screen or log,
    also when its digits are grouped.

    >>> mask_numbers("Desa Kayen 3503 0112 0570 0001.xlsx")
    'Desa Kayen 3503********0001.xlsx'
    >>> mask_numbers("PULE/3503_0112_0570_0001.xlsx"), mask_numbers("350301120570/0001.xlsx")
    ('PULE/3503********0001.xlsx', '3503********0001.xlsx')
    """
    return _LONG_DIGIT_RUN.sub(lambda m: mask_nik(re.sub(r"\D", "", m.group(0))), text)
