"""Ingest: a folder of village submissions, exactly as sent, into one table of applicant rows.

Every row keeps its provenance (file, sheet, the row number a person sees) and every cell its text
as read; rows that are not applicants are counted per file and listed in `dropped`.

Files are read in helper processes too (processes.py): this module loads pandas only in the
functions that build frames, so that a helper starts light.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from bantuan_iuran.ingest.cells import INPUT_SUFFIXES, Sheet, UnreadableFile, read_sheets
from bantuan_iuran.ingest.layout import Layout, alias_lookup, cell_at, classify_row, find_layout
from bantuan_iuran.ingest.village import identify_village
from bantuan_iuran.nik import mask_numbers
from bantuan_iuran.normalize import split_place_date, split_rt_rw
from bantuan_iuran.processes import map_shared

if TYPE_CHECKING:
    import pandas as pd

    from bantuan_iuran.config import Settings

__all__ = ["IngestResult", "SourceFile", "find_source_files", "folder_summary", "run_ingest"]

# The applicant fields a village file may hold, as text exactly as read (schemas.py uses them).
APPLICANT_FIELDS = (
    "name",
    "birth_place",
    "birth_date",
    "sex",
    "address",
    "rt",
    "rw",
    "occupation",
    "kk",
)


@dataclass(frozen=True)
class SourceFile:
    path: Path
    relative: str  # relative to the SOURCE folder it was found under, '/' separators


@dataclass
class IngestResult:
    applicants: pd.DataFrame
    log: pd.DataFrame
    dropped: pd.DataFrame

    @property
    def failed_files(self) -> int:
        return int(self.log.loc[self.log["status"] == "failed", "file"].nunique())


@dataclass
class _SheetResult:
    rows: list[dict[str, object]] = field(default_factory=list)
    dropped: list[dict[str, object]] = field(default_factory=list)
    log: dict[str, object] = field(default_factory=dict)


def find_source_files(sources: Iterable[Path]) -> list[SourceFile]:
    """Spreadsheets under each folder (recursively) and each file named, in a stable order.
    Office lock files (~$...) and hidden files are not submissions."""
    found: list[SourceFile] = []
    for source in sources:
        if source.is_dir():
            for path in sorted(source.rglob("*")):
                relative = path.relative_to(source).as_posix()
                if path.is_file() and _is_submission(path):
                    found.append(SourceFile(path, relative))
        else:
            found.append(SourceFile(source, source.name))
    return found


def _is_submission(path: Path) -> bool:
    return path.suffix.lower() in INPUT_SUFFIXES and not path.name.startswith(("~$", "."))


def run_ingest(
    files: Sequence[SourceFile],
    settings: Settings,
    on_file: Callable[[SourceFile], None] | None = None,
) -> IngestResult:
    import pandas as pd

    from bantuan_iuran.schemas import DroppedRows, IngestedRows, IngestLog

    per_file = map_shared(
        partial(ingest_file, lookup=alias_lookup(settings.headers)),
        files,
        weights=[_size(source.path) for source in files],
        on_result=on_file,
    )
    results = [result for file_results in per_file for result in file_results]
    rows = [row for r in results for row in r.rows]
    applicants = pd.DataFrame(rows, columns=list(IngestedRows.to_schema().columns))
    return IngestResult(
        applicants=IngestedRows.validate(applicants.assign(row_id=range(1, len(rows) + 1))),
        log=IngestLog.validate(pd.DataFrame([r.log for r in results])),
        dropped=DroppedRows.validate(
            pd.DataFrame(
                [d for r in results for d in r.dropped],
                columns=list(DroppedRows.to_schema().columns),
            )
        ),
    )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # unreadable: ingest_file says why


def folder_summary(log: pd.DataFrame) -> pd.DataFrame:
    """Per top folder (usually the kecamatan): files, sheets read, rows, rows left out, files
    that failed; the per-file detail stays in ingest_log.csv."""
    import pandas as pd

    folder = log["file"].str.split("/").str[0].where(log["file"].str.contains("/"), "(top)")
    by_folder = log.assign(folder=folder).groupby("folder", sort=True)
    return (
        pd.DataFrame(
            {
                "files": by_folder["file"].nunique(),
                "sheets read": by_folder["status"].agg(lambda s: int((s == "ok").sum())),
                "applicant rows": by_folder["rows"].sum(),
                "rows left out": by_folder["dropped"].sum(),
                "failed files": by_folder.apply(
                    lambda g: g.loc[g["status"] == "failed", "file"].nunique(), include_groups=False
                ),
            }
        )
        .astype("int64")
        .reset_index()
    )


def ingest_file(source: SourceFile, lookup: dict[str, str]) -> list[_SheetResult]:
    try:
        sheets = read_sheets(source.path)
    except UnreadableFile as exc:
        return [_failed(source, "", str(exc))]
    except OSError as exc:
        return [_failed(source, "", f"cannot open the file: {exc.strerror or exc}")]
    results = [ingest_sheet(source, sheet, lookup) for sheet in sheets]
    if not any(r.log["status"] == "ok" for r in results):
        names = ", ".join(s.name or "(csv)" for s in sheets)
        return [_failed(source, "", f"no sheet has a NIK and a name column (sheets: {names})")]
    return results


def _failed(source: SourceFile, sheet: str, message: str) -> _SheetResult:
    return _SheetResult(log=_log_entry(source, sheet, "failed", message=message))


def _log_entry(
    source: SourceFile,
    sheet: str,
    status: str,
    rows: int = 0,
    dropped: int = 0,
    kode_desa: str = "",
    message: str = "",
) -> dict[str, object]:
    return {
        "file": source.relative,
        "sheet": sheet,
        "status": status,
        "rows": rows,
        "dropped": dropped,
        "kode_desa": kode_desa,
        "message": message,
    }


def ingest_sheet(source: SourceFile, sheet: Sheet, lookup: dict[str, str]) -> _SheetResult:
    layout = find_layout(sheet.rows, lookup)
    if layout is None:
        return _SheetResult(
            log=_log_entry(source, sheet.name, "skipped", message="no NIK and name header found")
        )
    title = " ".join(c.text for row in sheet.rows[: layout.header_row] for c in row if c.text)
    folders = source.relative.split("/")[:-1]
    stem = Path(source.relative).stem
    village = identify_village([f"{sheet.name} {title}".strip(), stem, *reversed(folders)])
    result = _SheetResult()
    kinds: Counter[str] = Counter()
    kinds_by_row = _classify_rows(sheet, layout, lookup)
    last_applicant = max((i for i, k in kinds_by_row.items() if k == "applicant"), default=-1)
    desa_column = layout.index_of("desa")
    for index, kind in kinds_by_row.items():
        row = sheet.rows[index]
        if kind != "applicant":
            # Blank rows under the last applicant are the sheet's padding, not rows of the table.
            if kind != "blank" or index < last_applicant:
                kinds[kind] += 1
                result.dropped.append(_dropped(source, sheet, index, kind))
            continue
        kode_desa = village.kode_desa
        if desa_column is not None and cell_at(row, desa_column).text:
            row_village = identify_village([cell_at(row, desa_column).text], [title, *folders])
            kode_desa = row_village.kode_desa or kode_desa
        result.rows.append(_applicant(source, sheet, index, row, layout, kode_desa))
    message = "; ".join(
        filter(None, [village.problem, ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))])
    )
    result.log = _log_entry(
        source, sheet.name, "ok", len(result.rows), sum(kinds.values()), village.kode_desa, message
    )
    return result


def _has_nik_digits(row: Sequence, layout: Layout) -> bool:
    return sum(ch.isdigit() for ch in cell_at(row, layout.index_of("nik")).text) >= 8


def _classify_rows(sheet: Sheet, layout: Layout, lookup: dict[str, str]) -> dict[int, str]:
    """Each row under the header: 'applicant' or why not. Under a total or signature row only a
    row with a NIK is still an applicant (the village head's name is not one)."""
    kinds: dict[int, str] = {}
    footer = False
    for index in range(layout.data_start, len(sheet.rows)):
        kind = classify_row(sheet.rows[index], layout, lookup)
        if footer and kind == "applicant" and not _has_nik_digits(sheet.rows[index], layout):
            kind = "signature"
        footer = footer or kind in ("total", "signature")
        kinds[index] = kind
    return kinds


def _dropped(source: SourceFile, sheet: Sheet, index: int, kind: str) -> dict[str, object]:
    """A row left out, with what it said (ID numbers masked) so a reader can check the call."""
    text = " | ".join(c.text for c in sheet.rows[index] if c.text)
    return {
        "source_file": source.relative,
        "source_sheet": sheet.name,
        "source_row": index + 1,
        "kind": kind,
        "text": mask_numbers(text)[:120],
    }


def _applicant(
    source: SourceFile, sheet: Sheet, index: int, row: Sequence, layout: Layout, kode_desa: str
) -> dict[str, object]:
    values = {column: cell_at(row, i).text for i, column in layout.columns.items()}
    if "birth_place_date" in values:
        place, born = split_place_date(values.pop("birth_place_date"))
        values.setdefault("birth_place", place)
        values.setdefault("birth_date", born)
    if "rt_rw" in values:
        rt, rw = split_rt_rw(values.pop("rt_rw"))
        values.setdefault("rt", rt)
        values.setdefault("rw", rw)
    extra = {
        header: cell_at(row, i).text for i, header in layout.extra.items() if cell_at(row, i).text
    }
    nik_cell = cell_at(row, layout.index_of("nik"))
    return {
        "row_id": 0,
        "source_file": source.relative,
        "source_sheet": sheet.name,
        "source_row": index + 1,
        "kode_desa": kode_desa,
        "nik_raw": nik_cell.text,
        "nik_is_number": nik_cell.is_number,
        **{name: values.get(name, "") for name in APPLICANT_FIELDS},
        "extra": json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else "",
    }
