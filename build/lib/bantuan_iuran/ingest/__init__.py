"""Ingest: a folder of village submissions, exactly as sent, into one table of applicant rows.

Every row keeps its provenance (file, sheet, the row number a person sees) and every cell its text
as read; rows that are not applicants are counted per file and listed in `dropped`.

Files are read in helper processes too (processes.py): this module loads pandas only in the
functions that build frames, so that a helper starts light.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from bantuan_iuran.formkeys import ANSWER_FIELDS
from bantuan_iuran.ingest.answers import (
    ReturnedForm,
    is_form_without_keys,
    keys_sheet,
    read_form,
)
from bantuan_iuran.ingest.cells import (
    ISOLATED_SUFFIXES,
    Sheet,
    UnreadableFile,
    read_sheets,
)
from bantuan_iuran.ingest.formats import known_format
from bantuan_iuran.ingest.headers import user_header_fields
from bantuan_iuran.ingest.layout import Layout, LayoutProblem, cell_at, find_layout
from bantuan_iuran.ingest.multivalue import split_labelled_cells
from bantuan_iuran.ingest.overrides import (
    LayoutOverride,
    find_override,
    layout_from_override,
    override_problem,
    suggest_override,
)
from bantuan_iuran.ingest.references import (
    header_key,
    reference_headers,
    skip_references,
)
from bantuan_iuran.ingest.revisions import (
    PossibleRevision,
    Replacement,
    find_replacements,
    revision_decisions,
)
from bantuan_iuran.ingest.rows import Block, RowCall, name_text, read_table
from bantuan_iuran.ingest.sources import NOT_A_LIST, SourceFile, find_source_files
from bantuan_iuran.ingest.tworows import join_two_row_persons
from bantuan_iuran.ingest.village import VillageMatch, identify_village
from bantuan_iuran.nik import mask_numbers
from bantuan_iuran.normalize import split_place_date, split_rt_rw
from bantuan_iuran.processes import ISOLATED_MEMORY, map_shared

if TYPE_CHECKING:
    import pandas as pd

    from bantuan_iuran.config import Settings

__all__ = [
    "IngestResult",
    "SourceFile",
    "find_source_files",
    "folder_summary",
    "revision_decisions",
    "run_ingest",
    "skip_references",
]

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


@dataclass
class IngestResult:
    applicants: pd.DataFrame
    log: pd.DataFrame
    dropped: pd.DataFrame
    forms: list[ReturnedForm] = field(default_factory=list)  # correction forms sent back
    replacements: list[Replacement] = field(default_factory=list)  # lists sent again
    possible_revisions: list[PossibleRevision] = field(default_factory=list)
    answers: pd.DataFrame | None = None  # answers.csv: set once the ledger is applied

    @property
    def failed_files(self) -> int:
        return int(self.log.loc[self.log["status"] == "failed", "file"].nunique())


@dataclass
class _SheetResult:
    rows: list[dict[str, object]] = field(default_factory=list)
    dropped: list[dict[str, object]] = field(default_factory=list)
    log: dict[str, object] = field(default_factory=dict)
    forms: list[ReturnedForm] = field(default_factory=list)
    title: str = ""  # the rows above the table (a revision may say so there)


def run_ingest(
    files: Sequence[SourceFile],
    settings: Settings,
    on_file: Callable[[SourceFile], None] | None = None,
    copies: dict[str, str] | None = None,
) -> IngestResult:
    """The applicant rows of every village file, and the correction forms sent back (their
    answers are applied by the pipeline, through the ledger). `copies` (a file -> the file
    with the same bytes it copies) are read once: the copy's rows are left out as replaced."""
    import pandas as pd

    from bantuan_iuran.schemas import DroppedRows, IngestedRows, IngestLog

    read = partial(
        ingest_file,
        user_fields=user_header_fields(settings.headers),
        overrides=settings.layouts,
        not_lists=reference_headers(settings),
    )
    # .xls and .ods readers have no guard against a file that makes them abort: those files
    # are read by helpers alone, so one of them can only fail itself.
    per_file = map_shared(
        read,
        files,
        weights=[_size(source.path) for source in files],
        on_result=on_file,
        crashed=_crashed,
        isolate=lambda source: source.path.suffix.lower() in ISOLATED_SUFFIXES,
    )
    results = [result for file_results in per_file for result in file_results]
    rows = [row for r in results for row in r.rows]
    applicants = pd.DataFrame(rows, columns=list(IngestedRows.to_schema().columns))
    same = _copies(applicants, copies or {})
    is_copy = applicants["source_file"].isin(copies or {})
    titles: dict[str, str] = {}
    for result in results:
        if result.title:
            file = str(result.log["file"])
            titles[file] = f"{titles.get(file, '')} {result.title}".strip()
    replacements, possible = find_replacements(applicants[~is_copy], settings.revisions, titles)
    replacements = sorted([*replacements, *same], key=lambda r: (r.old, r.kode_desa))
    newer = {(r.old, r.kode_desa): r.new for r in replacements}
    replaced_by = [
        newer.get(key, "")
        for key in zip(applicants["source_file"], applicants["kode_desa"], strict=True)
    ]
    old = pd.Series([bool(new) for new in replaced_by], index=applicants.index, dtype=bool)
    dropped = [d for r in results for d in r.dropped] + _replaced_rows(
        applicants[old], [new for new in replaced_by if new]
    )
    applicants = applicants[~old].assign(row_id=range(1, int((~old).sum()) + 1), **_NO_ANSWER)
    log = pd.DataFrame([_with_replacement(r.log, replacements, dropped) for r in results])
    return IngestResult(
        applicants=IngestedRows.validate(applicants),
        forms=[form for r in results for form in r.forms],
        log=IngestLog.validate(log),
        replacements=replacements,
        possible_revisions=possible,
        dropped=DroppedRows.validate(
            pd.DataFrame(dropped, columns=list(DroppedRows.to_schema().columns))
        ),
    )


def _copies(applicants: pd.DataFrame, copies: dict[str, str]) -> list[Replacement]:
    """A file sent twice under two names, as the copy replaced by the first, per village."""
    return [
        Replacement(copy, copies[copy], kode, f"the same bytes as {copies[copy]}: read once")
        for copy, kode in sorted(
            set(zip(applicants["source_file"], applicants["kode_desa"], strict=True))
        )
        if copy in copies
    ]


def _replaced_rows(rows: pd.DataFrame, newer: list[str]) -> list[dict[str, object]]:
    """The rows of a replaced list, for dropped.csv: every row is accounted for."""
    return [
        {
            "source_file": file,
            "source_sheet": sheet,
            "source_row": row,
            "kind": "replaced",
            "text": f"diganti oleh {new}",
        }  # fmt: skip
        for file, sheet, row, new in zip(
            rows["source_file"], rows["source_sheet"], rows["source_row"], newer, strict=True
        )
    ]


def _with_replacement(
    log: dict[str, object], replacements: list[Replacement], dropped: list[dict[str, object]]
) -> dict[str, object]:
    """A sheet's log line with its rows that a newer list replaced counted as left out."""
    mine = [r for r in replacements if r.old == log["file"]]
    if not mine:
        return log
    gone = sum(
        1 for d in dropped if d["kind"] == "replaced" and d["source_file"] == log["file"]
        and d["source_sheet"] == log["sheet"]
    )  # fmt: skip
    notes = [f"rows of {r.kode_desa} replaced by {r.new} ({r.why})" for r in mine]
    note = "; ".join(notes) + ": they are in dropped.csv as replaced"
    message = "; ".join(filter(None, [str(log["message"]), note]))
    rows = int(log["rows"]) - gone
    return {**log, "rows": rows, "dropped": int(log["dropped"]) + gone, "message": message}


ANSWER_FORM = "formulir perbaikan"  # the format ingest_log.csv gives a returned form
_NO_ANSWER = dict.fromkeys((*ANSWER_FIELDS.values(), "answer_source"), "")


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


def unread_files(log: pd.DataFrame) -> pd.DataFrame:
    """Per file that could not be read, or was read only in part: what was read, and why the
    rest was not (the first reason; ingest_log.csv has every sheet's)."""
    import pandas as pd

    lines = []
    for file, entries in log.groupby("file", sort=True):
        failed = entries[entries["status"] == "failed"]
        if failed.empty:
            continue
        read = int((entries["status"] == "ok").sum())
        sheets = len(entries)
        what = "not read" if not read else f"read in part: {read} of {sheets} sheets"
        hint = "see the [[layout]] lines above" if failed["layout_hint"].ne("").any() else ""
        lines.append({"file": file, "read": what, "why": str(failed["message"].iloc[0]),
                      "to read it": hint})  # fmt: skip
    return pd.DataFrame(lines, columns=["file", "read", "why", "to read it"])


def ingest_file(
    source: SourceFile,
    user_fields: dict[str, str],
    overrides: Sequence[LayoutOverride] = (),
    not_lists: frozenset[str] = frozenset(),
) -> list[_SheetResult]:
    if source.skipped:
        return [_SheetResult(log=_log_entry(source, "", "skipped", message=source.skipped))]
    try:
        sheets = read_sheets(source.path)
    except UnreadableFile as exc:
        return [_failed(source, "", str(exc))]
    except OSError as exc:
        return [_failed(source, "", f"cannot open the file: {exc.strerror or exc}")]
    if keys_sheet(sheets) is not None:
        return [_answer_form(source, sheets)]
    if is_form_without_keys(sheets):
        message = (
            "a correction form without its hidden sheet (copied into a new file?): its answers "
            "cannot be tied to their rows, and it is not read as a village list; ask the village "
            "for the form as it was sent, with only the yellow columns filled in"
        )
        return [_failed(source, "", message)]
    sheets = [join_two_row_persons(split_labelled_cells(sheet)) for sheet in sheets]
    results = [ingest_sheet(source, sheet, user_fields, overrides, not_lists) for sheet in sheets]
    if any(NOT_A_LIST in str(r.log["message"]) for r in results):
        return [_SheetResult(log=r.log) if r.log["status"] == "ok" else r for r in results]
    if not any(r.log["status"] != "skipped" for r in results):
        names = ", ".join(s.name or "(csv)" for s in sheets)
        hint = suggest_override(source.relative, sheets[0].name if sheets else "", None, {})
        message = f"no sheet has a table with a NIK and a name column (sheets: {names})"
        return [_failed(source, "", message, hint)]
    return results


def _answer_form(source: SourceFile, sheets: Sequence[Sheet]) -> _SheetResult:
    """A correction form sent back: its answers, not applicant rows."""
    form = read_form(source.relative, sheets)
    message = f"correction form sent back: {form.answered} of {len(form.rows)} rows answered"
    if form.damaged:
        message += f"; {form.damaged} entries of its hidden sheet are damaged and tie no row"
    log = _log_entry(source, "", "ok", file_format=ANSWER_FORM, message=message)
    return _SheetResult(forms=[form], log=log)


def _crashed(source: SourceFile) -> list[_SheetResult]:
    """A file its reader died on (an abort, or more memory than any village file needs)."""
    message = (
        "the reader stopped on this file (it crashed or needed more than "
        f"{ISOLATED_MEMORY // 2**30} GB of memory); save it again as .xlsx and send it anew"
    )
    return [_failed(source, "", message)]


def _failed(source: SourceFile, sheet: str, message: str, hint: str = "") -> _SheetResult:
    return _SheetResult(log=_log_entry(source, sheet, "failed", message=message, hint=hint))


def _log_entry(
    source: SourceFile,
    sheet: str,
    status: str,
    rows: int = 0,
    dropped: int = 0,
    kode_desa: str = "",
    header_row: int | None = None,
    file_format: str = "",
    columns: str = "",
    message: str = "",
    hint: str = "",
    by_content: bool = False,
) -> dict[str, object]:
    return {
        "file": source.relative,
        "sheet": sheet,
        "status": status,
        "rows": rows,
        "dropped": dropped,
        "kode_desa": kode_desa,
        "header_row": 0 if header_row is None else header_row + 1,
        "format": file_format,
        "columns": columns,
        "by_content": by_content,
        "message": message,
        "layout_hint": hint,
    }


def ingest_sheet(
    source: SourceFile,
    sheet: Sheet,
    user_fields: dict[str, str],
    overrides: Sequence[LayoutOverride] = (),
    not_lists: frozenset[str] = frozenset(),
) -> _SheetResult:
    override = find_override(overrides, source.relative, sheet.name)
    problem = override_problem(override, sheet.rows) if override else ""
    if problem:
        return _SheetResult(log=_log_entry(source, sheet.name, "failed", message=problem))
    found = (
        layout_from_override(override, sheet.rows)
        if override
        else find_layout(sheet.rows, user_fields)
    )
    if found is None:
        return _SheetResult(
            log=_log_entry(source, sheet.name, "skipped", message="no table with NIKs and names")
        )
    if isinstance(found, LayoutProblem) and not found.has_niks:
        return _SheetResult(log=_log_entry(source, sheet.name, "skipped", message=found.message))
    if isinstance(found, LayoutProblem):
        hint = suggest_override(source.relative, sheet.name, found.header_row, found.columns)
        message = f"cannot tell which columns to read: {found.message}"
        return _SheetResult(
            log=_log_entry(
                source,
                sheet.name,
                "failed",
                header_row=found.header_row,
                message=message,
                hint=hint,
            )
        )
    marks = [h for h in found.header_texts() if header_key(h) in not_lists]
    if marks:
        message = f"column {marks[0]!r}: {NOT_A_LIST}; not read"
        return _SheetResult(log=_log_entry(source, sheet.name, "skipped", message=message))
    blocks, calls = read_table(sheet.rows, found, user_fields, redetect=override is None)
    return _sheet_rows(source, sheet, blocks, calls)


def _sheet_rows(
    source: SourceFile, sheet: Sheet, blocks: list[Block], calls: list[RowCall]
) -> _SheetResult:
    first = blocks[0].layout
    top = first.header_row if first.header_row is not None else first.data_start
    title = " ".join(c.text for row in sheet.rows[:top] for c in row if c.text)
    folders = source.relative.split("/")[:-1]
    sheet_texts = [f"{sheet.name} {title}".strip(), Path(source.relative).stem, *reversed(folders)]
    village = identify_village(sheet_texts)
    villages = [_block_village(b, village, sheet_texts) for b in blocks]
    result = _SheetResult()
    kinds: Counter[str] = Counter()
    padding = _padding(calls)
    for call in calls:
        if call.kind != "applicant":
            if call.index not in padding:
                kinds[call.kind] += 1
                result.dropped.append(_dropped(source, sheet, call.index, call.kind))
            continue
        layout = blocks[call.block].layout
        row = sheet.rows[call.index]
        kode_desa = _row_village(row, layout, villages[call.block], [title, *folders])
        result.rows.append(_applicant(source, sheet, call, row, layout, kode_desa))
    row_villages = {row["kode_desa"] for row in result.rows}
    if village.problem and len(row_villages) == 1 and "" not in row_villages:
        village = VillageMatch(row_villages.pop())  # every row named it in its desa column
    message = "; ".join(
        filter(None, [village.problem, ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))])
    )
    result.title = title
    described = list(dict.fromkeys(b.layout.describe() for b in blocks))
    result.log = _log_entry(
        source, sheet.name, "ok", len(result.rows), sum(kinds.values()), village.kode_desa,
        first.header_row, known_format(first.header_texts()), " | ".join(described), message,
        by_content=any(b.layout.by_content for b in blocks),
    )  # fmt: skip
    return result


# More blank rows in a row than this are the sheet's emptiness, not a gap in its table.
_MAX_BLANK_GAP = 20


def _padding(calls: Sequence[RowCall]) -> set[int]:
    """Blank rows that are not the table's: those under the last filled row, and long runs (a
    stray cell far below the table leaves a million blank rows above it)."""
    padding: set[int] = set()
    run: list[int] = []
    for call in [*calls, RowCall(-1, "end", 0)]:
        if call.kind == "blank":
            run.append(call.index)
            continue
        if len(run) > _MAX_BLANK_GAP or call.index == -1:
            padding.update(run)
        run = []
    return padding


def _block_village(block: Block, sheet_village: VillageMatch, sheet_texts: list[str]) -> str:
    """A later table's own title may name another village than the sheet's first one."""
    if block.title:
        own = identify_village([block.title, *sheet_texts[1:]])
        if own.kode_desa:
            return own.kode_desa
    return sheet_village.kode_desa


def _row_village(row: Sequence, layout: Layout, village: str, context: list[str]) -> str:
    desa = cell_at(row, layout.index_of("desa")).text
    if not desa:
        return village
    kecamatan = cell_at(row, layout.index_of("kecamatan")).text
    return identify_village([desa], [kecamatan, *context]).kode_desa or village


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
    source: SourceFile, sheet: Sheet, call: RowCall, row: Sequence, layout: Layout, kode_desa: str
) -> dict[str, object]:
    values = {column: cell_at(row, i).text for i, column in layout.columns.items()}
    values["name"] = name_text(row, layout)
    if "birth_place_date" in values:
        place, born = split_place_date(values.pop("birth_place_date"))
        values.setdefault("birth_place", place)
        values.setdefault("birth_date", born)
    if "rt_rw" in values:
        rt, rw = split_rt_rw(values.pop("rt_rw"))
        values.setdefault("rt", rt)
        values.setdefault("rw", rw)
    if not values.get("kk"):
        values["kk"] = call.family_kk
    extra = {
        header: cell_at(row, i).text for i, header in layout.extra.items() if cell_at(row, i).text
    }
    nik_cell = cell_at(row, layout.index_of("nik"))
    return {
        "row_id": 0,
        "source_file": source.relative,
        "source_sheet": sheet.name,
        "source_row": call.index + 1,
        "kode_desa": kode_desa,
        "nik_raw": nik_cell.text,
        "nik_is_number": nik_cell.is_number,
        **{name: values.get(name, "") for name in APPLICANT_FIELDS},
        "extra": json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else "",
    }
