"""Policy and input conventions: defaults in the package's TOML, overridden by the user's file.

Every policy value (ages, exclusions, name tolerance, header names) lives here, never in code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from bantuan_iuran.errors import ConfigError
from bantuan_iuran.ingest.overrides import LayoutOverride, parse_overrides

CONFIG_VERSION = 1


@dataclass(frozen=True)
class Programme:
    year: int
    min_age: int
    max_age: int
    excluded_occupations: tuple[str, ...]
    regency_code: str


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
    raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)


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
    if version != CONFIG_VERSION:
        raise ConfigError(
            f"Config file {path} has config_version {version}; this tool reads {CONFIG_VERSION}.",
            hint="Compare it with `bantuan config` and update the values that changed.",
        )
    return user


def merge_config(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Nested tables merge; header alias lists extend the defaults so a user only adds names."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            if key == "headers":
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
    try:
        prog = data["programme"]
        programme = Programme(
            year=int(prog["year"]),
            min_age=int(prog["min_age"]),
            max_age=int(prog["max_age"]),
            excluded_occupations=tuple(
                str(x).strip().upper() for x in prog["excluded_occupations"]
            ),
            regency_code=str(prog["regency_code"]),
        )
        matching = Matching(name_min_similarity=float(data["matching"]["name_min_similarity"]))
        settings = Settings(
            programme=programme,
            premium=_premium(data["premium"]),
            matching=matching,
            headers=_alias_table(data["headers"]),
            registry_columns=_alias_table(data["registry_columns"]),
            enrolled_columns=_alias_table(data["enrolled_columns"]),
            layouts=parse_overrides(data.get("layout", [])),
            raw=data,
        )
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        raise ConfigError(f"Config value missing or of the wrong type: {exc}") from exc
    _check(settings)
    return settings


def _premium(table: dict[str, Any]) -> Premium:
    rates = []
    for entry in table["rates"]:
        percent = {k.removesuffix("_percent"): Decimal(str(v)) for k, v in entry.items()
                   if k.endswith("_percent")}  # fmt: skip
        monthly = {k.removesuffix("_monthly"): int(v) for k, v in entry.items()
                   if k.endswith("_monthly")}  # fmt: skip
        rates.append(Rate(date.fromisoformat(str(entry["effective"])), percent, monthly))
    return Premium(
        declared_income=int(table["declared_income"]),
        programmes=tuple(str(p).upper() for p in table["programmes"]),
        months=int(table["months"]),
        start_month=int(table["start_month"]),
        rates=tuple(sorted(rates, key=lambda r: r.effective)),
    )


def _alias_table(table: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    return {key: tuple(str(v) for v in values) for key, values in table.items()}


def _check(settings: Settings) -> None:
    p = settings.programme
    if not 0 <= p.min_age <= p.max_age <= 150:
        raise ConfigError(f"Age bounds {p.min_age}..{p.max_age} are impossible.")
    if not 1900 < p.year < 2200:
        raise ConfigError(f"Programme year {p.year} is out of range.")
    if not 0 < settings.matching.name_min_similarity <= 100:
        raise ConfigError("matching.name_min_similarity must be in (0, 100].")
    premium = settings.premium
    if not 1 <= premium.start_month <= 12 or not 1 <= premium.months <= 13 - premium.start_month:
        raise ConfigError(
            f"premium: {premium.months} months from month {premium.start_month} "
            "do not fit in a year."
        )
    if not premium.rates:
        raise ConfigError("premium.rates is empty: give at least one rate with its effective date.")
    for programme in premium.programmes:
        if not any(programme in r.percent or programme in r.monthly for r in premium.rates):
            raise ConfigError(f"premium: no rate for programme {programme}.")
