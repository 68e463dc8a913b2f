"""Which files are the sources: spreadsheets under the folders given, each once, in a stable
order, without the work folder, office lock files, or the reference lists given to the run."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from bantuan_iuran.ingest.cells import INPUT_SUFFIXES

NOT_A_LIST = "the registry extract or the enrolled list, not a village list"


@dataclass(frozen=True)
class SourceFile:
    path: Path
    relative: str  # relative to the SOURCE folder it was found under, '/' separators
    skipped: str = ""  # why a link found in the sources is not read (logged, never silent)


def find_source_files(
    sources: Iterable[Path], workdir: Path | None = None, references: Sequence[Path] = ()
) -> list[SourceFile]:
    """Spreadsheets under each folder (recursively, through links to folders) and each file
    named, in a stable order. Office lock files (~$...) and hidden files are not submissions,
    nor anything in the work folder (which may sit inside a source folder: its outputs are not
    village files), and the registry, enrolled and previous lists (`references`) are listed
    as skipped. A link that loops or leads nowhere is listed with the reason, and so is a path
    that two source folders both hold (it is read from the first)."""
    found: list[SourceFile] = []
    own = workdir.resolve() if workdir is not None else None
    given = {path.resolve(): path.name for path in references if path.exists()}
    for source in sources:
        if not source.is_dir():
            found.append(SourceFile(source, source.name))
            continue
        files = [
            SourceFile(path, path.relative_to(source).as_posix(), skipped)
            for path, skipped in _walk(source)
            if skipped or (_is_submission(path) and not _inside(path, own))
        ]
        found.extend(sorted(files, key=lambda f: PurePosixPath(f.relative).parts))
    return _named_once([_not_a_reference(f, given) for f in found])


def _not_a_reference(source: SourceFile, references: dict[Path, str]) -> SourceFile:
    if source.skipped or source.path.resolve() not in references:
        return source
    return SourceFile(source.path, source.relative, f"given as a reference list; {NOT_A_LIST}")


def _named_once(files: list[SourceFile]) -> list[SourceFile]:
    """Two source folders holding the same path: the second is listed, not read (its rows
    would carry the same provenance as the first's)."""
    first: dict[str, Path] = {}
    named = []
    for source in files:
        if source.relative in first and not source.skipped:
            message = (
                f"{source.path} has the same path as {first[source.relative]} from another "
                "source folder: not read; give one of them, or rename it"
            )
            source = SourceFile(source.path, f"{source.relative} ({source.path.parent})", message)
        first.setdefault(source.relative, source.path)
        named.append(source)
    return named


def _walk(source: Path) -> Iterator[tuple[Path, str]]:
    """Files under `source` in name order, following links to folders once each."""
    seen = {source.resolve()}
    for folder, folders, files in os.walk(source, followlinks=True):
        here = Path(folder)
        for name in sorted(folders):
            target = (here / name).resolve()
            if target in seen:
                yield here / name, f"the link {name} leads back to a folder already read; skipped"
                folders.remove(name)
            seen.add(target)
        folders.sort()
        for name in sorted(files):
            path = here / name
            # A village file whose link leads nowhere fails when it is opened, with the reason.
            if path.is_symlink() and not path.exists() and not _is_submission(path):
                yield path, f"the link {name} leads nowhere (its target was moved or deleted)"
            else:
                yield path, ""


def _inside(path: Path, folder: Path | None) -> bool:
    return folder is not None and path.resolve().is_relative_to(folder)


def _is_submission(path: Path) -> bool:
    return path.suffix.lower() in INPUT_SUFFIXES and not path.name.startswith(("~$", "."))
