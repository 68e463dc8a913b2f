"""The one font everything printed is measured and drawn with: Bitstream Vera, which reportlab
ships, so that column widths fit the text and the PDF embeds its font on every machine. Vera
is as wide as DejaVu Sans (a spreadsheet's usual fallback) and wider than Calibri or Arial:
a width that fits Vera fits what a spreadsheet program prints with."""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

REGULAR, BOLD = "Vera", "VeraBd"


@cache
def registered() -> tuple[str, str]:
    """Registers the fonts with reportlab once per process and returns their names."""
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = Path(reportlab.__file__).parent / "fonts"
    for name in (REGULAR, BOLD):
        pdfmetrics.registerFont(TTFont(name, str(folder / f"{name}.ttf")))
    return REGULAR, BOLD


@lru_cache(maxsize=1 << 16)  # places, dates, RT/RW and amounts repeat down a list
def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of `text` in points at `size` points: what a value needs to fit on one line.

    >>> round(text_width("3503010101900001", 10))
    102
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    regular, bold_name = registered()
    return stringWidth(text, bold_name if bold else regular, size)


@lru_cache(maxsize=1 << 16)
def digits_wide(text: str, size: float, bold: bool = False) -> float:
    """The width of `text` at `size` points in digits of the 11-point font a spreadsheet
    column is measured in, as a program printing in Vera (DejaVu Sans) or in Helvetica (Arial,
    Liberation Sans) would have it, whichever is wider: Vera is wider in small letters,
    Helvetica in capitals; Calibri lies between."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    regular, bold_name = registered()
    vera = stringWidth(text, bold_name if bold else regular, size)
    helvetica = stringWidth(text, "Helvetica-Bold" if bold else "Helvetica", size)
    return max(vera / _digit(regular), helvetica / _digit("Helvetica"))


@cache
def _digit(font: str) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth("0", font, 11)


@cache
def widest_digits(bold: bool = False) -> float:
    """The widest printable ASCII character, as digits_wide measures it at 11 points: a text
    of n such characters that fits needs no measuring."""
    import string

    return max(digits_wide(char, 11, bold) for char in string.printable.strip())
