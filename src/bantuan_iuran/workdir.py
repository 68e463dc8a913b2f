"""Reading and writing stage tables: atomic writes live here, once.

Every output is written to a temporary file in the same folder and renamed into place, so a
crash leaves the previous output or none, never half a file. Work files hold personal data and
are created readable by their owner only.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from bantuan_iuran.errors import InputError

if TYPE_CHECKING:
    from pandera.pandas import DataFrameModel

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def ensure_private_dir(path: Path) -> Path:
    """Create `path` and any missing parents readable by the owner only."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
        folder.chmod(PRIVATE_DIR)
    if not missing:
        path.chmod(PRIVATE_DIR)
    return path


def remove_stale_temporaries(workdir: Path) -> list[Path]:
    """Temporary files a killed run left behind (never a finished output)."""
    stale = sorted(workdir.rglob(".*.tmp")) if workdir.exists() else []
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`; renamed onto it only when the block succeeds."""
    ensure_private_dir(target.parent)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        temporary.chmod(PRIVATE_FILE)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


# Row groups of this size let a reader scan a large table in bounded memory.
PARQUET_ROW_GROUP = 65_536


def write_parquet(frame: pd.DataFrame, target: Path) -> None:
    with atomic_path(target) as tmp:
        frame.to_parquet(tmp, index=False, row_group_size=PARQUET_ROW_GROUP)


def write_csv(frame: pd.DataFrame, target: Path) -> None:
    """UTF-8 with a BOM so Excel shows Indonesian text right; '\\n' line ends for stable bytes.
    Text that a spreadsheet would run as a formula is written inert."""
    with atomic_path(target) as tmp:
        inert_formulas(frame).to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """'=HYPERLINK(...)' in a name -> "'=HYPERLINK(...)": shown as typed, never evaluated
    (the OWASP advice for CSV injection). Only text columns; numbers stay numbers."""
    text_columns = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c])]
    return frame.assign(
        **{
            c: frame[c].where(~frame[c].str.startswith(_FORMULA_STARTS, na=False), "'" + frame[c])
            for c in text_columns
        }
    )


def read_table(
    path: Path, stage_hint: str, schema: type[DataFrameModel] | None = None
) -> pd.DataFrame:
    """A stage table, checked against its schema: a damaged or foreign file is one message."""
    if not path.exists():
        raise InputError(f"{path} does not exist.", hint=f"Run `bantuan {stage_hint}` first.")
    try:
        frame = pd.read_parquet(path)
        return schema.validate(frame) if schema is not None else frame
    except Exception as exc:  # pyarrow and pandera raise many types for a damaged table
        raise InputError(
            f"{path.name} cannot be used ({type(exc).__name__}: {str(exc)[:200]}).",
            hint=f"Run `bantuan {stage_hint}` again.",
        ) from exc
