"""Rupiah as Indonesians read them: dots between thousands, and the amount in words for the
decree (terbilang), from num2words' Indonesian."""

from __future__ import annotations


def rupiah(amount: int) -> str:
    """16800 -> 'Rp 16.800' (Indonesians read 16,800 as sixteen point eight).

    >>> rupiah(2_016_000_000)
    'Rp 2.016.000.000'
    """
    return f"Rp {amount:,}".replace(",", ".")


def thousands(number: int) -> str:
    """619 -> '619', 13159 -> '13.159'."""
    return f"{number:,}".replace(",", ".")


def terbilang(amount: int) -> str:
    """The amount in words, as a decree writes it.

    >>> terbilang(2_016_000_000)
    'dua miliar enam belas juta rupiah'
    """
    from num2words import num2words

    return f"{num2words(amount, lang='id')} rupiah"
