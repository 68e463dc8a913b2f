"""What a correction form carries for reading it back: its sheets' and columns' names, the
mark and version of its hidden sheet, and the fingerprints of each row as sent and as shown.
No spreadsheet library here: the readers of returned forms (in helper processes) load it
alone; corrections.py lays the form out with it."""

from __future__ import annotations

import hashlib
import re

FORM_SHEET, REFUSED_SHEET, DETAIL_SHEET, KEYS_SHEET = (
    "Perbaikan", "Tidak memenuhi syarat", "Rincian", "_bantuan",
)  # fmt: skip
# The form: what the village sent, the problem, and the answer columns (yellow).
SENT_COLUMNS = (
    ("Baris di file", 5.5),
    ("NIK dari desa", 17),
    ("Nama dari desa", 17),
    ("Tgl lahir dari desa", 11),
    ("Masalah dan saran", 28),
)
ANSWER_COLUMNS = (
    ("NIK yang benar", 17),
    ("Nama sesuai KTP", 16),
    ("Tgl lahir sesuai KTP", 11),
    ("Tindak lanjut", 13),
    ("Catatan", 10),
)
FORM_MARK = "bantuan-iuran form"  # A1 of the hidden sheet: how a returned form is recognised
# The answered fields and the ingested columns they fill.
ANSWER_FIELDS = {"nik": "answer_nik", "name": "answer_name", "birth_date": "answer_birth_date",
                 "action": "answer_action", "note": "answer_note"}  # fmt: skip


def row_digest(
    source_file: str, source_sheet: str, source_row: int, nik: str, name: str, birth_date: str
) -> str:
    """A fingerprint of a row as the village sent it (where it is and its NIK, name and birth
    date as written): an answer belongs to the row only while this still matches, whatever
    numbers the rows get when files are added or removed."""
    text = "\x1f".join([source_file, source_sheet, str(source_row), nik, name, birth_date])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


FORM_VERSION = "2"  # of the hidden sheet: version 2 ties rows by the values they show
KEY_FIELDS = ("sheet", "row", "row_id", "digest", "baris", "nik", "name", "birth_date")


def shown_digest(text: str) -> str:
    """A fingerprint of what one cell of a form shows, as a spreadsheet program may give it
    back (spaces, case, a number read as 12.0): a returned row is found by what it shows,
    wherever it was moved.

    >>> shown_digest(" Siti  AMINAH") == shown_digest("siti aminah")
    True
    >>> shown_digest("12.0") == shown_digest("12")
    True
    """
    canonical = " ".join(text.split()).casefold()
    canonical = re.sub(r"^(\d+)\.0+$", r"\1", canonical)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]
