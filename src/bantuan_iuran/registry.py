"""Reading the civil-registry (Dukcapil) extract and the BPJS enrolled list into canonical frames.

Column names come from the config's mapping (SIAK exports differ); region numbers come unpadded
('1', '2001') and are padded into the 10-digit kode_desa of the person's domicile.

A province's extract holds tens of millions of people, and a batch needs a few thousand of them:
the extract is scanned (pyarrow datasets over Parquet or CSV, in record batches) with a filter
on the NIKs, family cards and (kecamatan, birth date) pairs the batch can use, so memory follows
the batch, not the registry.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.dataset as ds
from pandera import errors as pa_errors

from bantuan_iuran import reference
from bantuan_iuran.config import Settings
from bantuan_iuran.errors import InputError
from bantuan_iuran.money import thousands
from bantuan_iuran.nik import (
    NIK_DECIMAL_ZEROS,
    NIK_IGNORED,
    NIK_LENGTH,
    NIK_SCIENTIFIC,
    NIK_SEPARATORS,
    NIK_TEXT_FORMULA,
    clean_nik,
    mask_nik,
    mask_numbers,
)
from bantuan_iuran.normalize import normalize_date, normalize_sex, normalize_text, pad_code
from bantuan_iuran.schemas import EnrolledTable, RegistryTable
from bantuan_iuran.textfiles import decode_text_bytes, sniff_delimiter

REGISTRY_REQUIRED = ("nik", "name", "birth_date")
_SUFFIXES = (".csv", ".parquet", ".xlsx", ".xls", ".ods")


def read_any_table(path: Path, what: str) -> pd.DataFrame:
    """A CSV, Parquet or workbook (first sheet) as text columns, exactly as stored."""
    if not path.exists():
        raise InputError(f"The {what} file {path} does not exist.")
    if path.is_dir():
        raise InputError(
            f"{path} is a folder; give the {what} file itself ({', '.join(_SUFFIXES)})."
        )
    suffix = path.suffix.lower()
    if suffix not in _SUFFIXES:
        raise InputError(
            f"The {what} file {path.name} is a {suffix or 'suffix-less'} file; "
            f"this tool reads {', '.join(_SUFFIXES)}."
        )
    try:
        if suffix == ".parquet":
            frame = pd.read_parquet(path)
            return frame.astype({c: "str" for c in frame.columns}).fillna("")
        if suffix == ".csv":
            text = decode_text_bytes(path.read_bytes())
            return pd.read_csv(
                io.StringIO(text), sep=sniff_delimiter(text), dtype=str, keep_default_na=False
            )
        return pd.read_excel(path, engine="calamine", dtype=str).fillna("")
    except (ValueError, OSError, UnicodeError, pd.errors.ParserError) as exc:
        raise InputError(f"The {what} file {path.name} cannot be read: {exc}") from exc


def map_columns(
    columns: list[str], aliases: dict[str, tuple[str, ...]], required: tuple[str, ...], what: str
) -> dict[str, str]:
    """Canonical field -> the extract's column, matched case-insensitively on the config aliases."""
    by_key = {str(c).strip().lstrip("\ufeff").upper(): c for c in columns}
    found = {}
    for field_name, names in aliases.items():
        column = next((by_key[n.upper()] for n in names if n.upper() in by_key), None)
        if column is not None:
            found[field_name] = column
    missing = [f for f in required if f not in found]
    if missing:
        expected = "; ".join(f"{f}: {' or '.join(aliases[f])}" for f in missing)
        raise InputError(
            f"The {what} has no column for {', '.join(missing)} (expected {expected}).",
            hint="Name the columns in [registry_columns] / [enrolled_columns] of your config.",
        )
    return found


REGISTRY = "registry (Dukcapil) extract"
_EXAMPLES = 3
_ROUNDING_SAMPLE = 20
_ROUNDED_SHARE = 0.5
_SHORT_LIST = 5
# A few rows without a NIK (a record being corrected) are reported; more is a damaged column.
_UNREADABLE_SHARE = 0.001
_BATCH_ROWS = 64_000


@dataclass(frozen=True)
class RegistryKeys:
    """What a batch can use from the registry: people by NIK, families by KK number, and people
    by domicile kecamatan (6 digits) + the birth date their NIK encodes (DDMMYY, day + 40 for
    women)."""

    niks: frozenset[str] = field(default_factory=frozenset)
    kks: frozenset[str] = field(default_factory=frozenset)
    areas: frozenset[str] = field(default_factory=frozenset)

    def __or__(self, other: RegistryKeys) -> RegistryKeys:
        return RegistryKeys(self.niks | other.niks, self.kks | other.kks, self.areas | other.areas)


class RegistryExtract:
    """An extract opened for scanning; only the rows a batch needs are ever loaded."""

    def __init__(self, path: Path, settings: Settings, allow_empty: bool = False) -> None:
        self.settings, self.path = settings, path
        self.dataset = _open_dataset(path)
        self.columns = _registry_columns(self.dataset.schema.names, settings, path)
        quality = NikQuality.of_batches(
            self.dataset.scanner(
                columns={"nik": self._text("nik")}, batch_size=_BATCH_ROWS
            ).to_batches()
        )
        self.warnings = quality.check(REGISTRY, path, allow_empty, unique=True)
        # Only an extract whose NIKs carry quotes, spaces or dots pays for cleaning every row.
        self._nik = clean_nik_expression(self._text("nik")) if quality.dirty else self._text("nik")

    def _text(self, name: str) -> pc.Expression:
        """The column as large_string, the type of pandas' Parquet and of the CSV reader here:
        comparing in the column's own type spares a copy of every batch."""
        column = self.columns[name]
        field = pc.field(column)
        if self.dataset.schema.field(column).type == pa.large_string():
            return field
        return field.cast(pa.large_string())

    def _filter(self, keys: RegistryKeys) -> pc.Expression:
        nik = self._nik
        expression = nik.isin(_text_array(keys.niks))
        if "kk" in self.columns and keys.kks:
            kk = clean_nik_expression(self._text("kk"))
            expression = expression | kk.isin(_text_array(keys.kks))
        if keys.areas and {"prop", "kab", "kec"} <= set(self.columns):
            kecamatan = [pc.utf8_lpad(self._text(c), 2, "0") for c in ("prop", "kab", "kec")]
            born = pc.utf8_slice_codeunits(nik, 6, 12)
            area = pc.binary_join_element_wise(*kecamatan, born, pa.scalar("", pa.large_string()))
            expression = expression | area.isin(_text_array(keys.areas))
        return expression

    def rows(
        self, keys: RegistryKeys | None = None, fields: Collection[str] | None = None
    ) -> pd.DataFrame:
        """The canonical rows matching any key (every row without keys), read batch by batch;
        only `fields` (canonical names; the others left empty) when a pass needs few: the wide
        columns cost the most."""
        wanted = {f: c for f, c in self.columns.items() if fields is None or f in fields}
        try:
            # Little read-ahead: memory then follows a few record batches, not the registry.
            table = self.dataset.scanner(
                columns=sorted(set(wanted.values())),
                filter=None if keys is None else self._filter(keys),
                batch_size=_BATCH_ROWS,
                batch_readahead=1,
                fragment_readahead=1,
            ).to_table()
        except (pa.ArrowInvalid, OSError) as exc:
            raise InputError(f"The {REGISTRY} cannot be read: {exc}") from exc
        raw = table.cast(pa.schema([(n, pa.string()) for n in table.column_names])).to_pandas()
        del table
        pa.default_memory_pool().release_unused()  # hand the scan's buffers back at once
        try:
            return canonical_registry(raw.fillna(""), self.settings)
        except RepeatedNiks as repeated:
            where = f"The {REGISTRY} {self.path.name}"
            found = self._rows_of(repeated.niks)
            raise InputError(repeated_message(where, found), hint=_REPEATED_HINT) from None

    def _rows_of(self, niks: list[str]) -> list[tuple[str, list[int]]]:
        """Where the extract holds these NIKs, by data row: one more pass over its NIKs, only
        when it is refused."""
        rows: dict[str, list[int]] = {}
        start = 0
        scan = self.dataset.scanner(columns={"nik": self._nik}, batch_size=_BATCH_ROWS)
        for batch in scan.to_batches():
            for nik, found in rows_of_repeated(batch.column(0), None, niks, start):
                rows.setdefault(nik, []).extend(found)
            start += batch.num_rows
        return [(nik, rows[nik]) for nik in niks if len(rows.get(nik, [])) > 1]


def _text_array(values: frozenset[str]) -> pa.Array:
    return pa.array(list(values), pa.large_string())


def _registry_columns(names: list[str], settings: Settings, path: Path) -> dict[str, str]:
    """The extract's columns; an enrolled list given as the registry is named as such."""
    try:
        return map_columns(names, settings.registry_columns, REGISTRY_REQUIRED, REGISTRY)
    except InputError as error:
        membership = {n.upper() for n in settings.enrolled_columns.get("kpj", ())}
        if membership & {str(n).strip().upper() for n in names}:
            raise InputError(
                f"{path.name}, given as the registry extract, is a list of BPJS members (it has "
                "a membership number column): are --dukcapil and --enrolled swapped?",
                hint="Give the Dukcapil extract with --dukcapil and the members with --enrolled.",
            ) from error
        raise


def _open_dataset(path: Path) -> ds.Dataset:
    if not path.exists():
        raise InputError(f"The {REGISTRY} file {path} does not exist.")
    if path.is_dir():
        raise InputError(
            f"{path} is a folder; give the {REGISTRY} file itself ({', '.join(_SUFFIXES)})."
        )
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return ds.dataset(path, format="parquet")
        if suffix == ".csv":
            return _csv_dataset(path)
        return ds.dataset(
            pa.Table.from_pandas(read_any_table(path, REGISTRY), preserve_index=False)
        )
    except (pa.ArrowInvalid, OSError, UnicodeError) as exc:
        raise InputError(f"The {REGISTRY} file {path.name} cannot be read: {exc}") from exc


def _csv_dataset(path: Path) -> ds.Dataset:
    """Every column as text (NIKs never become numbers), delimiter and encoding sniffed."""
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    encoding = "utf-8"
    try:
        # Incremental: a character cut at the end of the 64 KB head is not an error.
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError as exc:
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise InputError(f"The {REGISTRY} {path.name} is UTF-16: save it as UTF-8.") from exc
        text, encoding = head.decode("cp1252", errors="replace"), "cp1252"
    delimiter = sniff_delimiter(text)
    header = next(csv.reader([text.splitlines()[0] if text else ""], delimiter=delimiter))
    names = [h.strip() for h in header]
    return ds.dataset(
        path,
        format=ds.CsvFileFormat(
            parse_options=pa_csv.ParseOptions(delimiter=delimiter),
            read_options=pa_csv.ReadOptions(encoding=encoding, column_names=names, skip_rows=1),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string())
            ),
        ),
    )


def read_registry(path: Path, settings: Settings, keys: RegistryKeys | None = None) -> pd.DataFrame:
    """The whole extract (small ones, tests), or only the rows matching `keys`."""
    return RegistryExtract(path, settings).rows(keys)


def canonical_registry(raw: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """The registry's fields under canonical names, cleaned the same way as village rows."""
    columns = map_columns(list(raw.columns), settings.registry_columns, REGISTRY_REQUIRED, REGISTRY)

    def column(name: str) -> pd.Series:
        if name in columns:
            return raw[columns[name]].fillna("").astype(str).str.strip()
        return pd.Series("", index=raw.index, dtype="str")

    niks = _unique_niks(clean_niks(column("nik")))
    kode_desa = (
        map_unique(column("prop"), lambda v: pad_code(v, 2))
        + map_unique(column("kab"), lambda v: pad_code(v, 2))
        + map_unique(column("kec"), lambda v: pad_code(v, 2))
        + map_unique(column("kel"), lambda v: pad_code(v, 4))
    )
    occupation = map_unique(column("occupation"), normalize_text)
    registry = pd.DataFrame(
        {
            "nik": niks,
            "kk": clean_niks(column("kk")),
            "name": column("name"),
            "birth_place": column("birth_place"),
            "birth_date": _dates(column("birth_date")),
            "sex": map_unique(column("sex"), normalize_sex),
            "occupation": occupation,
            "occupation_code": map_unique(occupation, _occupation_code),
            "address": column("address"),
            "rt": column("rt"),
            "rw": column("rw"),
            "kode_desa": kode_desa.where(kode_desa.str.len() == 10, ""),
            "kecamatan_name": column("kec_name"),
            "desa_name": column("kel_name"),
            "death_date": _dates(column("death_date")),
        }
    )
    try:
        return RegistryTable.validate(registry.reset_index(drop=True), lazy=True)
    except pa_errors.SchemaErrors as exc:
        failures = exc.failure_cases[["column", "check"]].drop_duplicates().head(3)
        described = "; ".join(f"{c}: {k}" for c, k in failures.itertuples(index=False))
        raise InputError(f"The {REGISTRY} does not fit its schema ({described}).") from exc


def map_unique(values: pd.Series, function) -> pd.Series:
    """`values.map(function)`, calling it once per distinct value: registry columns repeat."""
    return values.map({value: function(value) for value in values.unique()})


def clean_niks(values: pd.Series) -> pd.Series:
    """`clean_nik` on each value; a registry's numbers are nearly all clean already, and those
    are found at once."""
    clean = values.str.fullmatch(r"\d{16}")
    return values.where(clean, values[~clean].map(clean_nik))


class RepeatedNiks(InputError):
    """A registry holding NIKs more than once; `niks` are some of them, for finding their rows."""

    def __init__(self, niks: list[str]) -> None:
        super().__init__(
            f"The registry extract holds NIKs more than once (for example "
            f"{', '.join(mask_nik(n) for n in niks)}); a NIK belongs to one person.",
            hint=_REPEATED_HINT,
        )
        self.niks = niks


_REPEATED_HINT = "Ask Dukcapil for a corrected extract, or remove the repeated rows."


def _unique_niks(niks: pd.Series) -> pd.Series:
    """The registry is the reference: a NIK held by two people makes every match doubtful, so
    the extract is refused with one clear message."""
    repeated = niks[niks.duplicated(keep=False) & niks.str.fullmatch(r"\d{16}")]
    if not repeated.empty:
        raise RepeatedNiks(sorted(set(repeated))[:_EXAMPLES])
    return niks


def repeated_message(where: str, repeated: list[tuple[str, list[int]]]) -> str:
    """'<where> holds NIKs more than once (3503********0001 in data rows 4 and 9, ...)'."""
    shown = ", ".join(
        f"{mask_nik(nik)} in data rows {', '.join(thousands(r) for r in rows[:-1])} and "
        f"{thousands(rows[-1])}"
        for nik, rows in repeated
    )
    return f"{where} holds NIKs more than once ({shown}); a NIK belongs to one person."


def clean_nik_expression(nik: Any) -> Any:
    """`nik.clean_nik` in Arrow (on an array, or an expression a scan evaluates): the same
    patterns, every row of a column at once."""
    text = pc.replace_substring_regex(nik, pattern=NIK_TEXT_FORMULA, replacement=r"\1")
    text = pc.replace_substring_regex(text, pattern=NIK_IGNORED, replacement="")
    text = pc.replace_substring_regex(text, pattern=NIK_DECIMAL_ZEROS, replacement=r"\1")
    return pc.replace_substring_regex(text, pattern=NIK_SEPARATORS, replacement="")


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
    def of_batches(cls, batches: Iterable[pa.RecordBatch]) -> NikQuality:
        quality = cls()
        for batch in batches:
            quality.add(batch.column(0))
        return quality

    def add(self, raw: pa.Array) -> None:
        ok = pc.fill_null(_sixteen_digits(raw), False)
        self.ending_in_zero += pc.sum(pc.and_(ok, pc.ends_with(raw, "0"))).as_py() or 0
        # Repeats are looked for in the first batch only (a hash of every row would cost more
        # than the rest of the check); the rows a batch matches are checked too (_unique_niks).
        if self.rows == 0:
            self.repeated = rows_of_repeated(raw, ok)
        bad_at = pc.indices_nonzero(pc.invert(ok))
        if len(bad_at):
            bad = pc.fill_null(pc.take(raw, bad_at), "")
            cleaned = clean_nik_expression(bad)
            readable = pc.fill_null(_sixteen_digits(cleaned), False)
            zeros = pc.and_(readable, pc.ends_with(cleaned, "0"))
            self.ending_in_zero += pc.sum(zeros).as_py() or 0
            scientific = pc.match_substring_regex(bad, NIK_SCIENTIFIC)
            self.dirty += pc.sum(readable).as_py() or 0
            self.scientific += pc.sum(scientific).as_py() or 0
            unread_at = pc.indices_nonzero(pc.invert(readable))
            self.unreadable += len(unread_at)
            for index in unread_at.to_pylist()[: max(0, _EXAMPLES - len(self.examples))]:
                value = bad[index].as_py()
                self.examples.append((self.rows + bad_at[index].as_py() + 1, mask_numbers(value)))
        self.rows += len(raw)

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
            raise InputError(repeated_message(where, self.repeated), hint=_REPEATED_HINT)
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


def rows_of_repeated(
    raw: pa.Array, ok: pa.Array, niks: Collection[str] = (), start: int = 0
) -> list[tuple[str, list[int]]]:
    """Some NIKs `raw` holds more than once (or those of `niks` it holds), each with its data
    rows (1 for the first, `start` rows before this array)."""
    if not niks:
        counts = pc.value_counts(pc.filter(raw, ok))
        niks = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
        niks = sorted(niks.to_pylist())[:_EXAMPLES]
    found = []
    for nik in niks:
        at = pc.indices_nonzero(pc.fill_null(pc.equal(raw, nik), False)).to_pylist()
        if at:
            found.append((nik, [start + index + 1 for index in at]))
    return found


def _sixteen_digits(values: pa.Array) -> pa.Array:
    return pc.and_(pc.equal(pc.utf8_length(values), NIK_LENGTH), pc.utf8_is_digit(values))


def _dates(values: pd.Series) -> pd.Series:
    """ISO text fast through pandas; any other spelling through the shared date normaliser."""
    iso = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
    fast = iso.dt.strftime("%Y-%m-%d").fillna("")
    slow = values[(fast == "") & (values != "")]
    return fast.where(fast != "", slow.map(normalize_date).reindex(values.index, fill_value=""))


def _occupation_code(label: str) -> str:
    if label.isdigit():
        return label
    return reference.occupation_code_by_label().get(label, "")


def read_enrolled(
    path: Path, settings: Settings, allow_empty: bool = False
) -> tuple[pd.DataFrame, list[str]]:
    """The enrolled list's NIKs, and warnings about rows without one."""
    niks, warnings = read_nik_list(path, settings, "enrolled list", allow_empty)
    frame = pd.DataFrame({"nik": pd.Series(sorted(niks), dtype="str")})
    return EnrolledTable.validate(frame), warnings


def read_nik_list(
    path: Path, settings: Settings, what: str, allow_empty: bool = False
) -> tuple[set[str], list[str]]:
    """The NIKs of a list with a NIK column (the enrolled list, last year's participants), read
    like every other NIK; a list whose NIKs Excel damaged is refused (NikQuality)."""
    raw = read_any_table(path, what)
    columns = map_columns(list(raw.columns), settings.enrolled_columns, ("nik",), what)
    values = raw[columns["nik"]].fillna("").astype(str)
    quality = NikQuality()
    quality.add(pa.array(values.tolist(), pa.large_string()))
    warnings = quality.check(what, path, allow_empty)
    niks = clean_niks(values)
    return set(niks[niks.str.fullmatch(r"\d{16}")]), warnings
