"""A list that decides who is paid (the registry extract, the enrolled list), opened as a DuckDB
view: columns as text, each row numbered in file order (`__row`, the data row a message names).

A province's extract holds tens of millions of people and a batch needs a few thousand of them:
DuckDB scans the file on every core and joins it with the batch's keys, so only the rows asked
for are ever loaded. Parquet and UTF-8 CSV are read by DuckDB itself; a Windows-1252 CSV is
first copied as UTF-8 into a private temporary file (DuckDB reads no other encoding without an
extension it would download); a workbook is read by pandas and handed over in memory.
"""

from __future__ import annotations

import codecs
import csv
import os
import shutil
import tempfile
import weakref
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from bantuan_iuran.errors import InputError
from bantuan_iuran.money import thousands
from bantuan_iuran.nik import (
    NIK_DECIMAL_ZEROS,
    NIK_IGNORED,
    NIK_SCIENTIFIC,
    NIK_SEPARATORS,
    NIK_TEXT_FORMULA,
    mask_nik,
    mask_numbers,
)
from bantuan_iuran.textfiles import sniff_delimiter

ROW = "__row"  # the data row (1 for the first row under the header)
SUFFIXES = (".csv", ".parquet", ".xlsx", ".xls", ".ods")
_SIXTEEN_DIGITS = "'[0-9]{16}'"
_EXAMPLES = 3
# Repeated NIKs are looked for among the first rows only (every row's NIK in a hash table would
# cost more than the rest of the check); the rows a batch matches are all checked.
_REPEAT_ROWS = 64_000
_HEAD_BYTES = 1 << 16
_ROUNDING_SAMPLE = 20
_ROUNDED_SHARE = 0.5
_SHORT_LIST = 5
# A few rows without a NIK (a record being corrected) are reported; more is a damaged column.
_UNREADABLE_SHARE = 0.001
_COPY_CHUNK = 1 << 22
_NOT_UTF8 = "not utf-8 encoded"  # DuckDB's words for a CSV row that is not UTF-8


def literal(text: str) -> str:
    """A SQL string literal: DuckDB reads backslashes as they are, quotes doubled."""
    return "'" + text.replace("'", "''") + "'"


def identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def clean_nik_sql(value: str) -> str:
    """`nik.clean_nik` as a SQL expression: the same regular expressions (RE2 reads them as
    Python does), every match replaced."""
    text = f"regexp_replace({value}, {literal(NIK_TEXT_FORMULA)}, '\\1', 'g')"
    text = f"regexp_replace({text}, {literal(NIK_IGNORED)}, '', 'g')"
    text = f"regexp_replace({text}, {literal(NIK_DECIMAL_ZEROS)}, '\\1', 'g')"
    return f"regexp_replace({text}, {literal(NIK_SEPARATORS)}, '', 'g')"


def clean_when_needed_sql(value: str) -> str:
    """For comparing with 16-digit keys: cleaned only where the value is not 16 characters long
    (nearly all of a registry's are 16 digits; cleaning only removes characters, so a 16-character
    value with anything else in it can match no key either way)."""
    return f"CASE WHEN length({value}) = 16 THEN {value} ELSE {clean_nik_sql(value)} END"


def sixteen_digits_sql(value: str) -> str:
    return f"coalesce(regexp_full_match({value}, {_SIXTEEN_DIGITS}), false)"


class ExtractSource:
    """One list as the view `extract` of its own DuckDB connection."""

    def __init__(self, what: str, name: str = "") -> None:
        # For messages: "The registry (Dukcapil) extract dukcapil.csv".
        self.what, self.name = what, name
        # Nothing spilled to disk: DuckDB's default would write personal data into '.tmp' in
        # whatever folder the analyst runs from (a batch's queries fit in memory many times).
        self.connection = duckdb.connect(
            config={"preserve_insertion_order": True, "temp_directory": ""}
        )
        self._temporary: tempfile.TemporaryDirectory | None = None
        # A CSV read as UTF-8 for its head: (path, delimiter, names) to read it again as cp1252.
        self._maybe_cp1252: tuple[Path, str, list[str]] | None = None
        self._keys = 0
        self.names: list[str] = []

    @classmethod
    def of_file(cls, path: Path, what: str) -> ExtractSource:
        check_path(path, what)
        source = cls(what, path.name)
        try:
            source._create(source._open(path))
        except (duckdb.Error, OSError, UnicodeError, ValueError) as exc:
            raise InputError(f"The {what} file {path.name} cannot be read: {_said(exc)}") from exc
        return source

    @classmethod
    def of_table(cls, table: pa.Table, what: str) -> ExtractSource:
        """A list already read (a workbook, the enrolled list), checked by the same rules."""
        source = cls(what)
        source.connection.register("in_memory", table)
        source._create(f"SELECT *, row_number() OVER () AS {ROW} FROM in_memory")
        return source

    def _create(self, query: str) -> None:
        self.connection.execute(f"CREATE VIEW extract AS {query}")
        columns = self.connection.sql("SELECT * FROM extract LIMIT 0").columns
        self.names = [c for c in columns if c != ROW]

    def _open(self, path: Path) -> str:
        """The query of the file's rows, numbered."""
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            return (
                f"SELECT * EXCLUDE (file_row_number), file_row_number + 1 AS {ROW} "
                f"FROM read_parquet({literal(str(path))}, file_row_number = true)"
            )
        if suffix == ".csv":
            return self._csv(path)
        from bantuan_iuran.registry import read_any_table

        table = pa.Table.from_pandas(read_any_table(path, self.what), preserve_index=False)
        self.connection.register("in_memory", table)
        return f"SELECT *, row_number() OVER () AS {ROW} FROM in_memory"

    def _csv(self, path: Path) -> str:
        """Every column as text (NIKs never become numbers), the delimiter sniffed, the
        header's names stripped. A head that is not UTF-8 makes a Windows-1252 file at once;
        one that is may still meet cp1252 further on ('JOSÉ' in row 90,000): DuckDB says so
        when it reads that row, and `table` then reads the file again as cp1252."""
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise InputError(f"The {self.what} {path.name} is UTF-16: save it as UTF-8.")
        try:
            # Incremental: a character cut at the end of the head is not an error.
            text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
        except UnicodeDecodeError:
            text = head.decode("cp1252", errors="replace")
            path = self._as_utf8(path)
        delimiter = sniff_delimiter(text)
        header = next(csv.reader([text.splitlines()[0] if text else ""], delimiter=delimiter))
        names = [h.strip() for h in header] or ["column0"]
        if self._temporary is None:
            self._maybe_cp1252 = (path, delimiter, names)
        return _read_csv(path, delimiter, names)

    def _as_utf8(self, path: Path) -> Path:
        """A Windows-1252 file copied as UTF-8, readable by this user only, removed with the
        connection (personal data never outlives the run)."""
        self._temporary = tempfile.TemporaryDirectory(prefix="bantuan-")
        weakref.finalize(self, self._temporary.cleanup)
        target = Path(self._temporary.name) / "extract.csv"
        with (
            path.open("r", encoding="cp1252", errors="replace", newline="") as source,
            open(target, "w", encoding="utf-8", newline="", opener=_private) as copy,
        ):
            shutil.copyfileobj(source, copy, _COPY_CHUNK)
        return target

    def text(self, name: str) -> str:
        """The column as text, whatever its type in the file."""
        return f"CAST({identifier(name)} AS VARCHAR)"

    def keys(self, values: Collection[str]) -> str:
        """A one-column table of `values`, registered for this connection: joins on it are hash
        joins, where a list written into the query would be compared value by value."""
        self._keys += 1
        name = f"keys_{self._keys}"
        self.connection.register(name, pa.table({"k": pa.array(list(values), pa.string())}))
        return name

    def table(self, query: str) -> pa.Table:
        try:
            return self.connection.sql(query).to_arrow_table()
        except duckdb.Error as exc:
            if self._maybe_cp1252 and _NOT_UTF8 in str(exc):
                path, delimiter, names = self._maybe_cp1252
                self._maybe_cp1252 = None
                copy = _read_csv(self._as_utf8(path), delimiter, names)
                self.connection.execute(f"CREATE OR REPLACE VIEW extract AS {copy}")
                return self.table(query)
            named = f"The {self.what} {self.name}".rstrip()
            raise InputError(f"{named} cannot be read: {_said(exc)}") from exc

    def rows_of(self, nik: str, niks: Iterable[str]) -> list[tuple[str, list[int]]]:
        """Where the file holds these NIKs (`nik`, the NIK column's expression), by data row."""
        wanted = self.keys(niks)
        found = self.table(
            f"SELECT {nik} AS nik, list({ROW} ORDER BY {ROW}) AS rows FROM extract "
            f"WHERE {nik} IN (SELECT k FROM {wanted}) GROUP BY 1 HAVING count(*) > 1 ORDER BY 1"
        )
        return list(zip(found["nik"].to_pylist(), found["rows"].to_pylist(), strict=True))

    def nik_quality(self, column: str) -> NikQuality:
        return NikQuality.of(self, self.text(column))


def _private(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)


def _read_csv(path: Path, delimiter: str, names: list[str]) -> str:
    columns = ", ".join(f"{literal(n)}: 'VARCHAR'" for n in names)
    return (
        f"SELECT *, row_number() OVER () AS {ROW} FROM read_csv({literal(str(path))}, "
        f"delim = {literal(delimiter)}, quote = '\"', escape = '\"', header = true, "
        f"auto_detect = false, columns = {{{columns}}})"
    )


def check_path(path: Path, what: str) -> None:
    if not path.exists():
        raise InputError(f"The {what} file {path} does not exist.")
    if path.is_dir():
        raise InputError(
            f"{path} is a folder; give the {what} file itself ({', '.join(SUFFIXES)})."
        )
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(
            f"The {what} file {path.name} is a {path.suffix.lower() or 'suffix-less'} file; "
            f"this tool reads {', '.join(SUFFIXES)}."
        )


def _said(error: Exception) -> str:
    """DuckDB's message: its first line and what it expected ('CSV Error on Line: 3; Expected
    Number of Columns: 3 Found: 2'), never the line itself, with any NIK-like number masked."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()] or [repr(error)]
    kept = [lines[0], *(line for line in lines[1:] if line.startswith("Expected"))]
    return mask_numbers("; ".join(kept))


@dataclass
class NikQuality:
    """What a list's NIK column holds, over every row: a registry or enrolled list decides who is
    paid, so one whose NIKs were damaged (by Excel, mostly) is refused, not half-used."""

    rows: int = 0
    dirty: int = 0  # readable once quotes, spaces, dots or '.0' are removed
    scientific: int = 0  # '3.50301E+15': digits lost
    unreadable: int = 0  # empty, or not 16 digits even after cleaning
    ending_in_zero: int = 0  # a number cell keeps 15 digits: the 16th becomes 0
    # NIKs seen twice in the first rows, with their data rows
    repeated: list[tuple[str, list[int]]] = field(default_factory=list)
    examples: list[tuple[int, str]] = field(default_factory=list)  # (row, masked value)

    @classmethod
    def of(cls, source: ExtractSource, raw: str) -> NikQuality:
        """One pass over every row for the counts, the cleaning only over the rows that are not
        16 digits (none, in most extracts), the examples and repeats over the few they concern."""
        ok = sixteen_digits_sql(raw)
        total = source.table(
            f"SELECT count(*) AS rows, count(*) FILTER ({ok} AND {raw} LIKE '%0') AS zeros, "
            f"count(*) FILTER (NOT {ok}) AS bad FROM extract"
        ).to_pylist()[0]
        quality = cls(rows=total["rows"], ending_in_zero=total["zeros"])
        if total["bad"]:
            quality._count_bad(source, raw, ok)
        if quality.unreadable:
            cleaned = clean_nik_sql(raw)
            examples = source.table(
                f"SELECT {ROW} AS row, coalesce({raw}, '') AS raw FROM extract WHERE NOT {ok} "
                f"AND NOT {sixteen_digits_sql(cleaned)} ORDER BY {ROW} LIMIT {_EXAMPLES}"
            )
            quality.examples = [
                (row, mask_numbers(value))
                for row, value in zip(
                    examples["row"].to_pylist(), examples["raw"].to_pylist(), strict=True
                )
            ]
        repeated = source.table(
            f"SELECT {raw} AS nik, list({ROW} ORDER BY {ROW}) AS rows FROM extract "
            f"WHERE {ROW} <= {_REPEAT_ROWS} AND {ok} GROUP BY 1 HAVING count(*) > 1 "
            f"ORDER BY 1 LIMIT {_EXAMPLES}"
        )
        quality.repeated = list(
            zip(repeated["nik"].to_pylist(), repeated["rows"].to_pylist(), strict=True)
        )
        return quality

    def _count_bad(self, source: ExtractSource, raw: str, ok: str) -> None:
        """What the values that are not 16 digits are: readable once cleaned, Excel's scientific
        notation, or nothing to read."""
        readable = sixteen_digits_sql("cleaned")
        counts = source.table(
            f"SELECT count(*) FILTER ({readable}) AS dirty, "
            f"count(*) FILTER ({readable} AND cleaned LIKE '%0') AS zeros, "
            f"count(*) FILTER (NOT {readable}) AS unreadable, "
            f"count(*) FILTER (coalesce(regexp_matches(raw, {literal(NIK_SCIENTIFIC)}), false))"
            f" AS scientific FROM (SELECT raw, {clean_nik_sql('raw')} AS cleaned "
            f"FROM (SELECT {raw} AS raw FROM extract WHERE NOT {ok}))"
        ).to_pylist()[0]
        self.dirty, self.scientific = counts["dirty"], counts["scientific"]
        self.unreadable = counts["unreadable"]
        self.ending_in_zero += counts["zeros"]

    def check(
        self, what: str, path: Path, allow_empty: bool = False, unique: bool = False
    ) -> list[str]:
        """Refuse what would change the result quietly; the warnings for what does not. A
        registry (`unique`) holds a person once; a list may repeat one."""
        where = f"The {what} {path.name}"
        if self.rows == 0 and not allow_empty:
            raise InputError(
                f"{where} has no rows: every applicant would be checked against nobody.",
                hint="Give the right file, or --allow-empty if the list is really empty.",
            )
        if self.scientific:
            raise InputError(
                f"{where} has {thousands(self.scientific)} NIKs written as numbers in scientific "
                f"notation (3.50301E+15; {self._shown()}): the file was saved with the NIK column "
                "as numbers (by Excel, mostly), and digits are lost.",
                hint="Ask for the file as CSV or Parquet with the NIK column as text.",
            )
        readable = self.rows - self.unreadable
        if self._rounded(readable):
            raise InputError(
                f"{where}: {thousands(self.ending_in_zero)} of {thousands(readable)} NIKs end in "
                "0, as they do when Excel stored them as numbers (it keeps 15 digits): the last "
                "digit is lost.",
                hint="Ask for the file as CSV or Parquet with the NIK column as text.",
            )
        if unique and self.repeated:
            raise InputError(repeated_message(where, self.repeated), hint=REPEATED_HINT)
        if self.unreadable > _UNREADABLE_SHARE * self.rows:
            raise InputError(
                f"{where}: {thousands(self.unreadable)} of {thousands(self.rows)} NIKs are not 16 "
                f"digits ({self._shown()}): the NIK column is damaged or is not the NIK.",
            )
        if self.unreadable:
            unread = thousands(self.unreadable)
            return [f"{where}: {unread} rows have no readable NIK ({self._shown()})."]
        return []

    def _rounded(self, readable: int) -> bool:
        """Serials end in 0 one time in ten: most of a long list, or all of a short one, ending
        in 0 is Excel's rounding."""
        if readable >= _ROUNDING_SAMPLE:
            return self.ending_in_zero > readable * _ROUNDED_SHARE
        return readable >= _SHORT_LIST and self.ending_in_zero == readable

    def _shown(self) -> str:
        return ", ".join(f"data row {row}: '{value}'" for row, value in self.examples)


REPEATED_HINT = "Ask Dukcapil for a corrected extract, or remove the repeated rows."


def repeated_message(where: str, repeated: list[tuple[str, list[int]]]) -> str:
    """'<where> holds NIKs more than once (3503********0001 in data rows 4 and 9, ...)'."""
    shown = ", ".join(
        f"{mask_nik(nik)} in data rows {', '.join(thousands(r) for r in rows[:-1])} and "
        f"{thousands(rows[-1])}"
        for nik, rows in repeated
    )
    return f"{where} holds NIKs more than once ({shown}); a NIK belongs to one person."
