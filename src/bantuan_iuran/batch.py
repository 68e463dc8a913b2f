"""The work folder's batch, guarded across runs through the ledger: its programme year, its
villages, the files that are never village lists, and the rounds of exchange with the villages.

A work folder is validated for one programme year, and keeps it: a later command that names
another year is refused, and one that names none uses it (the default year moves in January).
A run whose sources leave out villages already in the batch is refused unless the analyst
says so (`--drop-villages`), since it would take their people off the decree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from fnmatch import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING

from bantuan_iuran.errors import InputError
from bantuan_iuran.ledger import Decision, Ledger
from bantuan_iuran.manifest import now

if TYPE_CHECKING:
    import pandas as pd

    from bantuan_iuran.config import Settings

YEAR, BATCH, ROUND, ROUND_INPUTS, REFERENCES = (
    "year", "batch", "round", "round_inputs", "reference_files",
)  # fmt: skip


def fixed_year(ledger: Ledger | None, settings: Settings) -> Settings:
    """The settings with the work folder's programme year: the year it was validated for."""
    recorded = ledger.fact(YEAR) if ledger else None
    if recorded is None:
        return settings
    if int(recorded) == settings.programme.year or settings.programme.year_is_default:
        programme = replace(settings.programme, year=int(recorded), year_is_default=False)
        return replace(settings, programme=programme)
    raise InputError(
        f"This work folder was validated for {recorded}, not {settings.programme.year}: ages, "
        "enrolment and premiums were judged for that year.",
        hint=f"Leave out --year (or give {recorded}), or start the {settings.programme.year} "
        "programme in a new work folder (--workdir work/"
        f"{settings.programme.year}).",
    )


def work_settings(workdir: Path, settings: Settings) -> Settings:
    """The settings with the year of the work folder, read without writing to it."""
    from bantuan_iuran.ledger import reading_ledger

    with reading_ledger(workdir) as ledger:
        return fixed_year(ledger, settings)


def keep_year(ledger: Ledger, settings: Settings) -> None:
    if ledger.fact(YEAR) is None:
        ledger.set_fact(YEAR, str(settings.programme.year), "validate")


def guard_villages(
    ledger: Ledger, applicants: pd.DataFrame, drop: bool, failed_files: Iterable[str]
) -> list[str]:
    """Refuses a batch that would leave out villages already in it (unless `drop`), records
    the batch's villages, and says what was dropped."""
    from bantuan_iuran.reference import village_by_code

    present = applicants[applicants["kode_desa"] != ""]
    first_files = present.groupby("kode_desa")["source_file"].first().to_dict()
    known = ledger.villages()
    missing = sorted(set(known) - set(first_files))
    names = village_by_code()
    described = [
        f"{names[code].nama_desa} ({code}, first sent in {known[code]})" if code in names else code
        for code in missing
    ]
    if missing and not drop:
        failed = list(failed_files)
        cause = f" Files that could not be read: {', '.join(failed)}." if failed else ""
        raise InputError(
            f"The sources leave out {len(missing)} village(s) already in this batch: "
            f"{'; '.join(described)}. Their people would be taken off the list.{cause}",
            hint="Give every source folder (or the files of those villages); to take them off "
            "deliberately, run again with --drop-villages.",
        )
    ledger.drop_villages(missing)
    ledger.record(
        Decision("drop_village", code, code, "village", "dropped", "--drop-villages", "", "", 0,
                 "", "", now(), 0)
        for code in missing
    )  # fmt: skip
    ledger.add_villages(first_files)
    return [f"Dropped from the batch, as asked (--drop-villages): {d}." for d in described]


def new_batch() -> str:
    """A work folder's batch id, made at its first validation: its forms carry it."""
    import uuid

    return uuid.uuid4().hex[:12]


def received_time(path: Path, relative: str, rules: Iterable[tuple[str, str]]) -> str:
    """When a file was received: the analyst's word ([[received]]) or its modification time."""
    for pattern, when in rules:
        if fnmatch(relative, pattern):
            return when
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return ""
    return datetime.fromtimestamp(stamp, UTC).isoformat(timespec="seconds")


def check_received_rules(rules: Iterable[tuple[str, str]], files: Iterable[str]) -> None:
    """A [[received]] rule that matches no file is a mistake, never silence."""
    names = list(files)
    for pattern, _ in rules:
        if not any(fnmatch(name, pattern) for name in names):
            raise InputError(
                f"[[received]] file = {pattern!r} matches no file among the sources.",
                hint="Write the file as ingest_log.csv names it (* and ? match any text).",
            )


def reference_digests(ledger: Ledger) -> set[str]:
    """SHA-256 of the registry extracts, enrolled and previous lists this folder was given."""
    return set(filter(None, (ledger.fact(REFERENCES) or "").split(",")))


def keep_references(ledger: Ledger, digests: Iterable[str]) -> None:
    known = reference_digests(ledger) | set(filter(None, digests))
    ledger.set_fact(REFERENCES, ",".join(sorted(known)), "validate/report")


def exchange_round(ledger: Ledger, inputs: Iterable[str]) -> int:
    """The round of exchange with the villages this validation belongs to: a new round only
    when something came from the villages since the last (a new or changed file, a form)."""
    digest = hashlib.sha256("\n".join(sorted(inputs)).encode()).hexdigest()
    current = int(ledger.fact(ROUND) or 0)
    if current and ledger.fact(ROUND_INPUTS) == digest:
        return current
    ledger.set_fact(ROUND, str(current + 1), "validate")
    ledger.set_fact(ROUND_INPUTS, digest, "validate")
    return current + 1
