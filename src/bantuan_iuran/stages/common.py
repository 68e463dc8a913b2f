"""What every stage shares: the work folder's file names, the stage record's start, and
the warnings about inputs that changed since the stage before."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bantuan_iuran.atomic import ensure_private_dir, remove_stale_temporaries
from bantuan_iuran.config import Settings
from bantuan_iuran.manifest import (
    StageRecord,
    changed_since,
)

if TYPE_CHECKING:
    pass

INGESTED = "ingested.parquet"
VALIDATED = "validated.parquet"
CORRECTIONS = "perbaikan"
REPORT = "report"
DECREED = "decreed.parquet"  # the people the report lists for the decree: what is handed over
WAITING = "waiting.parquet"  # with a budget: the eligible it does not reach, in priority order
HANDOVER = "serah_terima"  # the registration files for the BPJS branch and what comes back
# What `bantuan purge` deletes: every table that holds personal data before the final lists.
ROUNDS = "rounds"  # each validation's outcome per row: rounds/round_<n>.parquet
ANSWERED_ASIDE = "perbaikan_diubah"  # forms changed in the work folder, kept from overwriting
INTERMEDIATE = (INGESTED, VALIDATED, "validated.csv", CORRECTIONS, ROUNDS, "answers.csv",
                ANSWERED_ASIDE)  # fmt: skip


@dataclass
class StageOutcome:
    warnings: list[str] = field(default_factory=list)


def start_stage(
    workdir: Path, stage: str, settings: Settings, writes_in: Sequence[str] = ()
) -> StageRecord:
    ensure_private_dir(workdir)
    remove_stale_temporaries(workdir, writes_in)
    return StageRecord(stage, settings.raw)


def changed_forms(workdir: Path) -> list[str]:
    """Correction forms in perbaikan/ whose bytes changed since validation wrote them: a
    village's answers may have been typed into them in place."""
    folder = workdir / CORRECTIONS
    if not folder.exists():
        return []
    written = [p.relative_to(workdir).as_posix() for p in sorted(folder.rglob("*.xlsx"))]
    return [name for name in changed_since(workdir, "validate", written)
            if (workdir / name).exists()]  # fmt: skip


def stale_warnings(workdir: Path, stage: str, names: list[str], command: str) -> list[str]:
    return [
        f"{name} changed since the last `bantuan {command}`: run `bantuan {command}` again."
        for name in changed_since(workdir, stage, names)
    ]
