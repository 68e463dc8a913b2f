"""One run at a time in a work folder: two runs on the same folder would delete each other's
temporaries and leave one run's ingested rows beside the other's validated ones.

The lock is an OS file lock (filelock), released by the OS if the process dies; beside it the
holder writes who it is, so the run that is turned away can say which process holds the folder.
No pandas here: every command takes the lock before its stage starts.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from bantuan_iuran.atomic import PRIVATE_FILE, atomic_path, ensure_private_dir
from bantuan_iuran.errors import InputError

LOCK = ".bantuan.lock"
HOLDER = ".bantuan.lock.holder"


@contextlib.contextmanager
def hold_workdir(workdir: Path, command: str, must_exist: bool = False) -> Iterator[None]:
    """The work folder for this process alone while the block runs; a second run on the same
    folder is refused at once, naming the process that holds it. A command that reads what an
    earlier one wrote (`must_exist`) never makes a mistyped folder."""
    if must_exist and not workdir.is_dir():
        raise InputError(
            f"There is no work folder {workdir}.",
            hint="Give the --workdir that `bantuan ingest` (or `bantuan run`) wrote.",
        )
    ensure_private_dir(workdir)
    lock = FileLock(workdir / LOCK, timeout=0, mode=PRIVATE_FILE)
    try:
        lock.acquire()
    except Timeout:
        raise InputError(
            f"The work folder {workdir} is in use by {_holder(workdir)}.",
            hint="Wait for that run to finish, or give another --workdir.",
        ) from None
    try:
        with atomic_path(workdir / HOLDER) as tmp:
            started = time.strftime("%Y-%m-%d %H:%M:%S")
            tmp.write_text(f"process {os.getpid()} (bantuan {command}, since {started})", "utf-8")
        yield
    finally:
        (workdir / HOLDER).unlink(missing_ok=True)
        lock.release()


def _holder(workdir: Path) -> str:
    try:
        return (workdir / HOLDER).read_text("utf-8").strip() or "another run"
    except OSError:
        return "another run"
