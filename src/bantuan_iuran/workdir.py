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

import pandas as pd

from bantuan_iuran.errors import InputError

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def ensure_private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    path.chmod(PRIVATE_DIR)
    return path


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`; renamed onto it only when the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        temporary.chmod(PRIVATE_FILE)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def write_parquet(frame: pd.DataFrame, target: Path) -> None:
    with atomic_path(target) as tmp:
        frame.to_parquet(tmp, index=False)


def write_csv(frame: pd.DataFrame, target: Path) -> None:
    """UTF-8 with a BOM so Excel shows Indonesian text right; '\\n' line ends for stable bytes."""
    with atomic_path(target) as tmp:
        frame.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")


def read_table(path: Path, stage_hint: str) -> pd.DataFrame:
    if not path.exists():
        raise InputError(f"{path} does not exist.", hint=f"Run `bantuan {stage_hint}` first.")
    return pd.read_parquet(path)
