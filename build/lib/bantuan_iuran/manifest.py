"""The audit trail: DIR/manifest.json records, per stage, the tool version, the effective
config, every input and output file with its size and SHA-256, the row counts (reconciled), and
when it ran. Timestamps live here only, so the tables themselves stay byte-identical on re-runs.
"""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from bantuan_iuran import __version__
from bantuan_iuran.atomic import atomic_path

MANIFEST = "manifest.json"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(2**20):
            digest.update(chunk)
    return digest.hexdigest()


def file_record(path: Path, name: str | None = None) -> dict[str, Any]:
    """Path, size and SHA-256; a file that cannot be read is recorded with the reason (its
    reader says so too), never stopping the stage."""
    try:
        return {"path": name or str(path), "bytes": path.stat().st_size, "sha256": sha256_of(path)}
    except OSError as exc:
        return {"path": name or str(path), "bytes": 0, "sha256": "",
                "error": exc.strerror or str(exc)}  # fmt: skip


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# Hashing releases the interpreter's lock: a registry of millions of people is hashed while the
# stage goes on reading it.
_HASHING = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sha256")
Entry = dict[str, Any]


@dataclass
class StageRecord:
    """What one stage read, wrote and counted; `finish` stamps it into the manifest, once every
    file's hash (computed in the background) is in."""

    stage: str
    config: dict[str, Any]
    started: str = field(default_factory=now)
    inputs: list[Future[Entry]] = field(default_factory=list)
    outputs: list[Future[Entry] | Entry] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. the validation round
    batch: str | None = None  # the work folder's batch id, stamped once

    def read(self, path: Path, name: str | None = None) -> Future[Entry]:
        self.inputs.append(_HASHING.submit(file_record, path, name))
        return self.inputs[-1]

    def wrote(self, path: Path, workdir: Path) -> None:
        self.outputs.append(
            _HASHING.submit(file_record, path, path.relative_to(workdir).as_posix())
        )

    def finish(self, workdir: Path) -> None:
        manifest = read_manifest(workdir)
        manifest["tool"] = {"name": "bantuan-iuran", "version": __version__}
        manifest.setdefault("stages", {})[self.stage] = {
            "tool_version": __version__,
            "started": self.started,
            "finished": now(),
            "config": self.config,
            "inputs": [entry.result() for entry in self.inputs],
            "outputs": [e.result() if isinstance(e, Future) else e for e in self.outputs],
            "rows": self.rows,
            **self.extra,
        }
        if self.batch:
            manifest.setdefault("batch", self.batch)
        with atomic_path(workdir / MANIFEST) as tmp:
            tmp.write_text(json.dumps(manifest, indent=2, default=_json_value) + "\n", "utf-8")


def _json_value(value: object) -> object:
    if isinstance(value, Decimal | date):
        return str(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def read_manifest(workdir: Path) -> dict[str, Any]:
    path = workdir / MANIFEST
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}


def changed_since(workdir: Path, stage: str, names: list[str]) -> list[str]:
    """Files `stage` recorded (as input or output) whose bytes differ now, or are gone."""
    record = read_manifest(workdir).get("stages", {}).get(stage, {})
    known = {f["path"]: f for f in [*record.get("inputs", []), *record.get("outputs", [])]}
    changed = []
    for name in names:
        entry = known.get(name)
        if entry is None:
            continue
        path = Path(name) if Path(name).is_absolute() else workdir / name
        if not path.exists() or sha256_of(path) != entry["sha256"]:
            changed.append(name)
    return changed


def recorded_digests(workdir: Path, stage: str) -> list[str]:
    """The SHA-256 of every input the stage last read."""
    record = read_manifest(workdir).get("stages", {}).get(stage, {})
    return [f["sha256"] for f in record.get("inputs", [])]


def recorded_inputs(workdir: Path, stage: str) -> list[str]:
    record = read_manifest(workdir).get("stages", {}).get(stage, {})
    return [f["path"] for f in record.get("inputs", [])]
