"""Files written atomically and privately: the one place for both rules.

Every output is written to a temporary file in the same folder and renamed into place, so a
crash leaves the previous output or none, never half a file. Work files hold personal data and
are created readable by their owner only. No pandas here: workbook writers in other processes
import this module.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
# Our temporaries are named `.<target>.bantuan-<random>.tmp`: only those are ever cleared.
TEMPORARY_MARK = ".bantuan-"
_TEMPORARIES = f".*{TEMPORARY_MARK}*.tmp"


class NotAFolder(OSError):
    """A path given as a folder is a file."""


def ensure_private_dir(path: Path) -> Path:
    """Create `path` and any missing parents readable by the owner only. A folder that exists
    is used as it is: its mode is its owner's business (the files written in it are private)."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
        folder.chmod(PRIVATE_DIR)
    if not path.is_dir():
        raise NotAFolder(20, "is a file, not a folder", str(path))
    return path


def remove_stale_temporaries(workdir: Path, within: Sequence[str] = ()) -> list[Path]:
    """Temporary files a killed run left behind (never a finished output): in `workdir` itself
    and anywhere under the folders `within` it, where the caller writes. Other folders are left
    alone: a helper process may be writing there right now."""
    if not workdir.exists():
        return []
    stale = sorted(
        [
            *workdir.glob(_TEMPORARIES),
            *(p for name in within for p in (workdir / name).rglob(_TEMPORARIES)),
        ]
    )
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`; renamed onto it only when the block succeeds."""
    ensure_private_dir(target.parent)
    handle, name = tempfile.mkstemp(
        prefix=f".{target.name}{TEMPORARY_MARK}", suffix=".tmp", dir=target.parent
    )
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        temporary.chmod(PRIVATE_FILE)
        os.replace(temporary, target)
    except PermissionError as error:  # on Windows: the file is open in Excel
        reason = "it may be open in another program (close it there and run again)"
        raise OSError(error.errno, reason, str(target)) from error
    except OSError as error:  # a writer's 'No space left on device' names no file: name ours
        if error.filename is None or Path(error.filename) == temporary:
            raise OSError(error.errno, error.strerror or str(error), str(target)) from error
        raise
    finally:
        temporary.unlink(missing_ok=True)
