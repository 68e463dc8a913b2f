"""The registry extract, the enrolled list and last year's list are never village lists: a
table with their own columns is not read as one, and a copy of one given to the work folder
(by its digest) is left out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bantuan_iuran.ingest.sources import NOT_A_LIST

if TYPE_CHECKING:
    from bantuan_iuran.config import Settings
    from bantuan_iuran.ingest import IngestResult


def skip_references(result: IngestResult, digests: dict[str, str], known: set[str]) -> list[str]:
    """Leaves out the files that are a copy of a registry extract, enrolled or previous list
    this work folder was given (`known` digests), and says which files were not read as
    village lists for being one."""
    copies = sorted(name for name, digest in digests.items() if digest in known)
    if copies:
        result.applicants = result.applicants[~result.applicants["source_file"].isin(copies)]
        result.applicants = result.applicants.assign(row_id=range(1, len(result.applicants) + 1))
        is_copy = result.log["file"].isin(copies)
        result.log.loc[is_copy, ["status", "rows", "message"]] = (
            "skipped", 0, f"a copy of a reference list; {NOT_A_LIST}",
        )  # fmt: skip
    skipped = result.log[(result.log["status"] == "skipped")
                         & result.log["message"].str.contains(NOT_A_LIST, regex=False)]  # fmt: skip
    return [f"{file}: {message}" for file, message in
            zip(skipped["file"], skipped["message"], strict=True)]  # fmt: skip


def reference_headers(settings: Settings) -> frozenset[str]:
    """Column names only the registry extract or the enrolled list has (a date of death, a
    membership number): a table with one is never read as a village list."""
    names = (*settings.registry_columns.get("death_date", ()),
             *settings.enrolled_columns.get("kpj", ()))  # fmt: skip
    return frozenset(header_key(name) for name in names)


def header_key(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())
