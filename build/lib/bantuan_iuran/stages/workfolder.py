"""What the command line asks of a work folder outside the stages: its decisions' history,
and the purge of its intermediate tables."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from bantuan_iuran.atomic import remove_stale_temporaries
from bantuan_iuran.errors import InputError
from bantuan_iuran.manifest import (
    StageRecord,
)

if TYPE_CHECKING:
    pass
from bantuan_iuran.stages.common import CORRECTIONS, INGESTED, INTERMEDIATE, REPORT


def decision_history(workdir: Path, what: str = "") -> pd.DataFrame:
    """The ledger's decisions about `what` (history.py), for `bantuan history`."""
    from bantuan_iuran.history import decision_history as history_of
    from bantuan_iuran.ledger import reading_ledger

    with reading_ledger(workdir) as ledger:
        if ledger is None:
            raise InputError(f"{workdir} has no ledger yet.", hint="Run `bantuan ingest` first.")
        recorded = ledger.history()
    ingested = pd.read_parquet(workdir / INGESTED) if (workdir / INGESTED).exists() else None
    return history_of(recorded, ingested, what)


def purge(workdir: Path, ledger: bool = False) -> list[str]:
    """Delete the intermediate tables that hold personal data; keep the final lists under
    report/, the logs, the manifest (which records the purge) and the ledger of decisions
    (unless `ledger`: a programme's year needs it until its end)."""
    import shutil

    if not (workdir / "manifest.json").exists():
        raise InputError(f"{workdir} is not a bantuan work directory (no manifest.json).")
    record = StageRecord("purge", {})
    removed = []
    changes = sorted(p.name for p in workdir.glob("perubahan_*.csv"))  # NIKs and names too
    for name in (*INTERMEDIATE, *changes, *(["ledger.sqlite"] if ledger else [])):
        path = workdir / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
        else:
            continue
        removed.append(name)
    removed.extend(p.name for p in remove_stale_temporaries(workdir, [CORRECTIONS, REPORT]))
    record.rows = {"removed": len(removed)}
    record.outputs = [{"path": name, "removed": True} for name in removed]
    record.finish(workdir)
    return removed
