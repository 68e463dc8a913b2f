"""Delimited text as villages and registries export it: the encoding and the delimiter are
guessed from the bytes, since nobody says which they used.

Below both stages: ingest reads village CSV and text exports with it, the registry reader its
CSV extracts.
"""

from __future__ import annotations

from collections import Counter

DELIMITERS = (",", ";", "\t", "|")
_SNIFF_LINES = 30


def decode_text_bytes(data: bytes) -> str:
    """Villages send UTF-8 (often with a BOM), UTF-16 from 'Unicode text', or Windows cp1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the most lines into the same number of fields.

    Counting lines, not characters: a title line 'DESA X, KEC. Y' or names with commas must not
    outvote the ';' or '|' of every table row.

    >>> sniff_delimiter("DESA BESUKI, KEC. PANGGUL\\nNIK;NAMA\\n3503;BUDI, S.PD\\n3504;SITI")
    ';'
    >>> sniff_delimiter("iddtks|nama|alamat\\n1|BUDI|RT 1, RW 2")
    '|'
    """
    lines = [line for line in text.splitlines()[:_SNIFF_LINES] if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        counts = Counter(line.count(delimiter) for line in lines)
        counts.pop(0, None)
        if not counts:
            continue
        fields, lines_agreeing = max(counts.items(), key=lambda item: (item[1], item[0]))
        score = (lines_agreeing, fields)
        if score > best_score:
            best, best_score = delimiter, score
    return best
