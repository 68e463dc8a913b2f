"""Reading the civil-registry (Dukcapil) extract and the BPJS enrolled list into canonical frames.

Column names come from the config's mapping (SIAK exports differ); region numbers come unpadded
('1', '2001') and are padded into the 10-digit kode_desa of the person's domicile.

A province's extract holds tens of millions of people, and a batch needs a few thousand of them:
the extract is a DuckDB view (extract.py) joined with the NIKs, family cards and (kecamatan,
birth date) pairs the batch can use, so memory follows the batch, not the registry.
"""

from __future__ import annotations

import io
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
from pandera import errors as pa_errors

from bantuan_iuran import reference
from bantuan_iuran.config import Settings
from bantuan_iuran.errors import InputError
from bantuan_iuran.extract import (
    REPEATED_HINT,
    ROW,
    ExtractSource,
    check_path,
    clean_nik_sql,
    clean_when_needed_sql,
    identifier,
    repeated_message,
)
from bantuan_iuran.nik import clean_nik, mask_nik
from bantuan_iuran.normalize import normalize_date, normalize_sex, normalize_text, pad_code
from bantuan_iuran.schemas import EnrolledTable, RegistryTable
from bantuan_iuran.textfiles import decode_text_bytes, sniff_delimiter

REGISTRY_REQUIRED = ("nik", "name", "birth_date")


def read_any_table(path: Path, what: str) -> pd.DataFrame:
    """A CSV, Parquet or workbook (first sheet) as text columns, exactly as stored."""
    check_path(path, what)
    suffix = path.suffix.lower()
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
        self.source = ExtractSource.of_file(path, REGISTRY)
        self.columns = _registry_columns(self.source.names, settings, path)
        quality = self.source.nik_quality(self.columns["nik"])
        self.warnings = quality.check(REGISTRY, path, allow_empty, unique=True)
        # Only an extract whose NIKs carry quotes, spaces or dots pays for cleaning every row.
        nik = self._text("nik")
        self._nik = clean_when_needed_sql(nik) if quality.dirty else nik

    def _text(self, name: str) -> str:
        return self.source.text(self.columns[name])

    def _matching(self, keys: RegistryKeys, columns: str) -> str:
        """The rows any key matches, each row once, in file order. Each kind of key is a query of
        its own: a join on one column lets DuckDB skip what cannot match while it scans, where one
        filter over three joins computes every key of every row."""
        source = self.source
        matches = [f"{self._nik} IN (SELECT k FROM {source.keys(keys.niks)})"]
        if "kk" in self.columns and keys.kks:
            kk, families = self._text("kk"), source.keys(keys.kks)
            # As written (the scan skips row groups that cannot match), and cleaned where it is
            # not 16 characters long (clean_when_needed_sql).
            matches.append(f"{kk} IN (SELECT k FROM {families})")
            matches.append(
                f"length({kk}) <> 16 AND {clean_nik_sql(kk)} IN (SELECT k FROM {families})"
            )
        if keys.areas and {"prop", "kab", "kec"} <= set(self.columns):
            matches.append(self._in_areas(keys.areas))
        union = " UNION ALL ".join(
            f"SELECT {columns}, {ROW} FROM extract WHERE {match}" for match in matches
        )
        return f"SELECT DISTINCT ON ({ROW}) * FROM ({union}) ORDER BY {ROW}"

    def _in_areas(self, areas: frozenset[str]) -> str:
        """People by kecamatan and the birth date their NIK encodes. The region numbers are
        compared as written first ('3' or '03' for 03), which the scan does cheaply; the padded
        key is made only for the rows left."""
        parts = ("prop", "kab", "kec")
        written = [
            f"{self._text(part)} IN (SELECT k FROM "
            f"{self.source.keys(_spellings({area[2 * i : 2 * i + 2] for area in areas}))})"
            for i, part in enumerate(parts)
        ]
        kecamatan = " || ".join(_two_digits(self._text(part)) for part in parts)
        area = f"{kecamatan} || substr({self._nik}, 7, 6)"
        return " AND ".join([*written, f"({area}) IN (SELECT k FROM {self.source.keys(areas)})"])

    def rows(
        self, keys: RegistryKeys | None = None, fields: Collection[str] | None = None
    ) -> pd.DataFrame:
        """The canonical rows matching any key (every row without keys), in file order; only
        `fields` (canonical names; the others left empty) when a pass needs few: the wide
        columns cost the most."""
        wanted = {f: c for f, c in self.columns.items() if fields is None or f in fields}
        columns = ", ".join(
            f"{self.source.text(c)} AS {identifier(c)}" for c in sorted(set(wanted.values()))
        )
        if keys is None:
            query = f"SELECT {columns}, {ROW} FROM extract ORDER BY {ROW}"
        else:
            query = self._matching(keys, columns)
        table = self.source.table(query).drop_columns([ROW])
        raw = table.cast(pa.schema([(n, pa.string()) for n in table.column_names])).to_pandas()
        del table
        pa.default_memory_pool().release_unused()  # the query's buffers back to the system
        try:
            return canonical_registry(raw.fillna(""), self.settings)
        except RepeatedNiks as repeated:
            where = f"The {REGISTRY} {self.path.name}"
            found = self.source.rows_of(self._nik, repeated.niks)
            raise InputError(repeated_message(where, found), hint=REPEATED_HINT) from None


def _spellings(codes: set[str]) -> set[str]:
    """Every way a region number that pads to one of `codes` may be written ('3' for '03')."""
    return codes | {code[1:] for code in codes if code.startswith("0")}


def _two_digits(code: str) -> str:
    """A region number padded to two digits, a longer one kept whole (as `pad_code` does)."""
    return f"CASE WHEN length({code}) < 2 THEN lpad({code}, 2, '0') ELSE {code} END"


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
            hint=REPEATED_HINT,
        )
        self.niks = niks


def _unique_niks(niks: pd.Series) -> pd.Series:
    """The registry is the reference: a NIK held by two people makes every match doubtful, so
    the extract is refused with one clear message."""
    repeated = niks[niks.duplicated(keep=False) & niks.str.fullmatch(r"\d{16}")]
    if not repeated.empty:
        raise RepeatedNiks(sorted(set(repeated))[:_EXAMPLES])
    return niks


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
    table = pa.table({"nik": pa.array(values.tolist(), pa.string())})
    quality = ExtractSource.of_table(table, what).nik_quality("nik")
    warnings = quality.check(what, path, allow_empty)
    niks = clean_niks(values)
    return set(niks[niks.str.fullmatch(r"\d{16}")]), warnings
