"""Policy and input conventions: defaults in the package's TOML, overridden by the user's file.

Every policy value (ages, exclusions, name tolerance, header names) lives here, never in code.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from bantuan_iuran.errors import ConfigError
from bantuan_iuran.ingest.headers import FIELDS
from bantuan_iuran.ingest.overrides import LayoutOverride, parse_overrides

CONFIG_VERSION = 1


@dataclass(frozen=True)
class Programme:
    year: int
    min_age: int
    max_age: int
    excluded_occupations: tuple[str, ...]
    regency_code: str
    year_is_default: bool = False  # no year given: the next calendar year


@dataclass(frozen=True)
class Rate:
    """The premium rates in force from `effective` on: a percentage of the declared income or a
    flat monthly amount per programme."""

    effective: date
    percent: dict[str, Decimal]
    monthly: dict[str, int]


@dataclass(frozen=True)
class Premium:
    declared_income: int
    programmes: tuple[str, ...]
    months: int
    start_month: int
    rates: tuple[Rate, ...]


@dataclass(frozen=True)
class Matching:
    name_min_similarity: float


@dataclass(frozen=True)
class Settings:
    programme: Programme
    premium: Premium
    matching: Matching
    headers: dict[str, tuple[str, ...]]
    registry_columns: dict[str, tuple[str, ...]]
    enrolled_columns: dict[str, tuple[str, ...]]
    layouts: tuple[LayoutOverride, ...] = ()
    revisions: tuple[tuple[str, str], ...] = ()  # (new, old) file patterns
    received: tuple[tuple[str, str], ...] = ()  # (file pattern, ISO time): the analyst's word
    decree: Decree = field(default_factory=lambda: Decree())
    corrections: Corrections = field(default_factory=lambda: Corrections())
    budget: BudgetTable = field(default_factory=lambda: BudgetTable())
    handover: Handover = field(default_factory=lambda: Handover())
    claims: Claims = field(default_factory=lambda: Claims())
    raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)


def utc_time(when: datetime | date) -> str:
    """A time as the ledger compares them (ISO, UTC, seconds); a date or a time without a zone
    is this computer's local time."""
    if not isinstance(when, datetime):
        when = datetime(when.year, when.month, when.day)
    return when.astimezone(UTC).isoformat(timespec="seconds")


def default_year() -> int:
    """The programme year when none is given: next year's premiums are budgeted this year."""
    return date.today().year + 1


def default_config_text() -> str:
    return resources.files("bantuan_iuran").joinpath("default_config.toml").read_text("utf-8")


def load_settings(path: Path | None = None, overrides: dict[str, Any] | None = None) -> Settings:
    """Defaults, then the user's file, then command-line overrides (each may leave values out)."""
    data = tomllib.loads(default_config_text())
    if path is not None:
        data = merge_config(data, read_user_config(path))
    if overrides:
        data = merge_config(data, overrides)
    return settings_from_dict(data)


def read_user_config(path: Path) -> dict[str, Any]:
    try:
        user = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"Config file not found: {path}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Config file {path} is not valid TOML: {exc}") from exc
    version = user.get("config_version", CONFIG_VERSION)
    if isinstance(version, bool) or not isinstance(version, int):
        raise ConfigError(
            f"Config file {path}: config_version must be a whole number, not {version!r}."
        )
    if version != CONFIG_VERSION:
        raise ConfigError(
            f"Config file {path} has config_version {version}; this tool reads {CONFIG_VERSION}.",
            hint="Compare it with `bantuan config` and update the values that changed.",
        )
    return user


def merge_config(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Nested tables merge; header alias lists extend the defaults so a user only adds names;
    a template's columns are replaced whole."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            if key == "columns":  # a template's columns: the user's template, whole
                merged[key] = value
            elif key == "headers":
                merged[key] = {
                    k: [*base[key].get(k, []), *v] if isinstance(v, list) else v
                    for k, v in {**base[key], **value}.items()
                }
            else:
                merged[key] = merge_config(base[key], value)
        else:
            merged[key] = value
    return merged


def settings_from_dict(data: dict[str, Any]) -> Settings:
    """Settings from the merged tables, every key and type checked against `ConfigFile`."""
    config = validated_config(data)
    programme = config.programme
    settings = Settings(
        programme=Programme(
            year=programme.year or default_year(),
            min_age=programme.min_age,
            max_age=programme.max_age,
            excluded_occupations=tuple(x.strip().upper() for x in programme.excluded_occupations),
            regency_code=programme.regency_code,
            year_is_default=programme.year is None,
        ),
        premium=_premium(config.premium),
        matching=Matching(name_min_similarity=config.matching.name_min_similarity),
        headers=_alias_table(config.headers),
        registry_columns=_alias_table(config.registry_columns),
        enrolled_columns=_alias_table(config.enrolled_columns),
        layouts=parse_overrides(data.get("layout", [])),
        revisions=tuple((r.new, r.old) for r in config.revision),
        received=tuple((r.file, utc_time(r.when)) for r in config.received),
        decree=config.decree,
        corrections=config.corrections,
        budget=config.budget,
        handover=config.handover,
        claims=config.claims,
        raw=data,
    )
    _check(settings)
    return settings


def _premium(premium: PremiumTable) -> Premium:
    rates = [
        Rate(
            rate.effective,
            {k.removesuffix("_percent"): Decimal(str(v)) for k, v in rate.amounts("_percent")},
            {k.removesuffix("_monthly"): int(v) for k, v in rate.amounts("_monthly")},
        )
        for rate in premium.rates
    ]
    return Premium(
        declared_income=premium.declared_income,
        programmes=tuple(p.upper() for p in premium.programmes),
        months=premium.months,
        start_month=premium.start_month,
        rates=tuple(sorted(rates, key=lambda r: r.effective)),
    )


def _alias_table(table: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {key: tuple(values) for key, values in table.items()}


def _check(settings: Settings) -> None:
    """What the types cannot say: values that only make sense together."""
    p = settings.programme
    if p.min_age > p.max_age:
        raise ConfigError(f"Age bounds {p.min_age}..{p.max_age} are impossible.")
    premium = settings.premium
    if premium.months > 13 - premium.start_month:
        raise ConfigError(
            f"premium: {premium.months} months from month {premium.start_month} "
            "do not fit in a year."
        )
    for programme in premium.programmes:
        if not any(programme in r.percent or programme in r.monthly for r in premium.rates):
            raise ConfigError(f"premium: no rate for programme {programme}.")


# ---------------------------------------------------------------------------- the file's schema
# One statement of what a config file may hold (pydantic, strict: a string is not a number, an
# unknown key is an error). Pandera already loads pydantic in every stage, so it costs no
# start-up; `bantuan --help` loads neither.


def _rupiah_text(value: Any) -> Any:
    """Money may be written as text, as Indonesians write it ("2.100.000.000")."""
    return parse_rupiah(value) if isinstance(value, str) else value


Money = Annotated[int, BeforeValidator(_rupiah_text), Field(ge=0)]
Names = list[str]


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class ProgrammeTable(_Table):
    year: int | None = Field(default=None, ge=1901, le=2199)
    min_age: int = Field(ge=0, le=150)
    max_age: int = Field(ge=0, le=150)
    excluded_occupations: Names
    regency_code: str = Field(pattern=r"^\d{4}$")


class RateTable(BaseModel):
    """`effective` and amounts named `<PROGRAMME>_percent` (text, of the declared income) or
    `<PROGRAMME>_monthly` (whole rupiah)."""

    model_config = ConfigDict(extra="allow", strict=True)
    effective: date

    @field_validator("effective", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        return date.fromisoformat(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _amounts_are_rates(self) -> RateTable:
        for key, value in (self.model_extra or {}).items():
            if not re.fullmatch(r"[A-Z]+_(percent|monthly)", key):
                raise ValueError(f"unknown key {key!r} (rates are PROGRAMME_percent or _monthly)")
            if key.endswith("_monthly") and (isinstance(value, bool) or not isinstance(value, int)):
                raise ValueError(f"{key} must be whole rupiah, not {value!r}")
            if key.endswith("_percent") and not _is_decimal(value):
                raise ValueError(f'{key} must be a number written as text, like "1"')
            if Decimal(str(value)) < 0:
                raise ValueError(f"{key} must not be negative")
        return self

    def amounts(self, suffix: str) -> list[tuple[str, Any]]:
        return [(k, v) for k, v in (self.model_extra or {}).items() if k.endswith(suffix)]


def _is_decimal(value: Any) -> bool:
    try:
        return not isinstance(value, bool) and Decimal(str(value)).is_finite()
    except ArithmeticError:
        return False


class PremiumTable(_Table):
    declared_income: Money
    programmes: Names
    months: int = Field(ge=1, le=12)
    start_month: int = Field(ge=1, le=12)
    rates: list[RateTable] = Field(min_length=1)


class MatchingTable(_Table):
    name_min_similarity: float = Field(gt=0, le=100)


class Decree(_Table):
    """The decree's identification and its signatory; empty values print as dotted blanks."""

    nomor: str = ""
    tanggal: str = ""
    tentang: str = ""
    tempat: str = ""
    jabatan: str = ""
    nama: str = ""
    nip: str = ""


class Corrections(_Table):
    """The cover text of the villages' correction forms: by when, to whom, whom to ask."""

    batas_waktu: str = ""
    kirim_ke: str = ""
    kontak: str = ""


class Revision(_Table):
    """A village's list that replaces another ([[revision]]): file patterns as ingest_log.csv
    names the files (* and ? match any text)."""

    new: str
    old: str


class ReceivedRule(_Table):
    """When a returned file was received, in the analyst's word ([[received]]): it decides which
    of two answers to one row came later where the files' own times do not."""

    file: str
    when: datetime | date


class BudgetLineTable(_Table):
    """One detail line of the budget (RKA/DPA in SIPD): its account, its words, the premium
    programmes it pays."""

    rekening: str
    uraian: str
    programmes: Names = Field(min_length=1)


class BudgetTable(_Table):
    """The budget's detail lines for the year; account codes and sub-kegiatan vary by regency."""

    sub_kegiatan: str = ""
    sumber_dana: str = ""
    satuan: str = "Orang / Bulan"
    lines: list[BudgetLineTable] = []


class Handover(_Table):
    """The registration file for the BPJS Ketenagakerjaan branch: the template's columns (a
    column's value is a field of the person, or fixed text after '='), its sheet and file
    name (the branch's upload keeps the name it was downloaded with), rows a file, the
    collective ('wadah') and whom the cover letter names."""

    template_file: str = "template_upload_tk.xlsx"
    sheet: str = "data_tk_baru"
    max_rows: int = Field(default=10_000, ge=1, le=1_048_575)
    columns: dict[str, str] = {}
    wadah: str = ""
    kepada: str = ""
    kontak: str = ""
    penandatangan: str = ""
    jabatan: str = ""


class Claims(_Table):
    """The death benefit a deceased member's heirs may claim, by months of contributions."""

    full_benefit: Money = 42_000_000
    basic_benefit: Money = 10_000_000
    min_months: int = Field(default=3, ge=0)
    due_day: int = Field(default=15, ge=1, le=28)  # of the month a premium is for
    max_unpaid_months: int = Field(default=3, ge=1)  # then the collective is deactivated


class RunTable(_Table):
    """The scheduled job's inputs (cli.py reads them; paths are relative to the file)."""

    sources: Names = []
    dukcapil: str | None = None
    enrolled: str | None = None
    workdir: str | None = None
    previous: str | None = None
    year: int | None = Field(default=None, ge=1901, le=2199)
    months: int | None = Field(default=None, ge=1, le=12)
    start_month: int | None = Field(default=None, ge=1, le=12)
    budget: Money | None = None
    allow_empty: bool = False


class ConfigFile(_Table):
    config_version: int
    programme: ProgrammeTable
    premium: PremiumTable
    matching: MatchingTable
    decree: Decree = Decree()
    corrections: Corrections = Corrections()
    budget: BudgetTable = BudgetTable()
    handover: Handover = Handover()
    claims: Claims = Claims()
    headers: dict[str, Names]
    registry_columns: dict[str, Names]
    enrolled_columns: dict[str, Names]
    run: RunTable = RunTable()

    @field_validator("headers")
    @classmethod
    def _header_fields(cls, headers: dict[str, Names]) -> dict[str, Names]:
        known = [f for f in FIELDS if f != "number"]
        for key in headers:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                also = f" (did you mean {close[0]!r}?)" if close else ""
                raise ValueError(f"{key!r} is not a field{also}; fields: {', '.join(known)}")
        return headers

    # Checked with their own messages by ingest/overrides.py.
    layout: list[dict[str, Any]] = []
    revision: list[Revision] = []
    received: list[ReceivedRule] = []


def validated_config(data: dict[str, Any]) -> ConfigFile:
    try:
        return ConfigFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(*_explained(exc)) from None


def _explained(exc: ValidationError) -> tuple[str, str]:
    """The first mistake in a person's words: where, what, and a did-you-mean for a typo."""
    error = exc.errors(include_url=False)[0]
    location = [str(part) for part in error["loc"]]
    where = ".".join(location) or "the file"
    if error["type"] == "extra_forbidden":
        table = ConfigFile
        for part in location[:-1]:
            table = _sub_table(table, part)
        known = list(table.model_fields) if table else []
        close = difflib.get_close_matches(location[-1], known, n=1)
        hint = f"Did you mean `{close[0]}`?" if close else f"Known keys: {', '.join(known)}."
        return f"Unknown config key `{where}`.", hint
    given = error.get("input")
    shown = f" (given: {given!r})" if not isinstance(given, dict | list) else ""
    return (
        f"Config value `{where}` is wrong: {error['msg']}{shown}.",
        "Compare with `bantuan config`.",
    )


def _sub_table(table: type[BaseModel] | None, key: str) -> type[BaseModel] | None:
    if table is None or key not in table.model_fields:
        return None
    annotation = table.model_fields[key].annotation
    return (
        annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    )


def parse_rupiah(text: str) -> int:
    """An amount as Indonesians write it: '2.100.000.000', 'Rp 2.100.000.000', '2100000000',
    '2_100_000_000'; whole rupiah only.

    >>> parse_rupiah("Rp 2.100.000.000"), parse_rupiah("2100000000")
    (2100000000, 2100000000)
    """
    cleaned = re.sub(r"^\s*Rp\.?\s*", "", text.strip(), flags=re.IGNORECASE)
    if re.fullmatch(r"\d{1,3}([._ ,]\d{3})+|\d+", cleaned):
        return int(re.sub(r"\D", "", cleaned))
    raise ValueError(
        f"{text!r} is not a whole amount of rupiah (write 2.100.000.000 or 2100000000)"
    )
