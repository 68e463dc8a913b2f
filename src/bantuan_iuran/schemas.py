"""The one statement of what each table between stages looks like (pandera models).

Canonical column names live here only; other modules ask these models for them.
"""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

# What a row under a header is when it is not an applicant (ingest/rows.py decides).
DROPPED_KINDS = (
    "blank", "header", "numbering", "total", "signature", "separator", "parent", "title", "note",
    "end", "other", "replaced",
)  # fmt: skip

_KODE_DESA = r"^(\d{10})?$"
OUTCOMES = ("applied", "no_change", "noted", "superseded", "conflict", "row_gone", "new_row",
            "unanswered", "unmatched", "duplicate_row", "ignored", "unread", "shown", "refused",
            "other_batch")  # fmt: skip


class _Table(pa.DataFrameModel):
    """Every table: exactly these columns, in this order, cast to these types."""

    class Config:
        strict = True
        ordered = True
        coerce = True


class _Provenance(_Table):
    source_file: Series[str]
    source_sheet: Series[str]
    source_row: Series[int] = pa.Field(ge=1)


class _RowId(_Table):
    row_id: Series[int] = pa.Field(ge=1, unique=True)


class _Traced(_Provenance, _RowId):
    """A row that can be followed through every stage back to its cell (row_id first)."""


class IngestedRows(_Traced):
    """ingested.parquet: one row per applicant row found in a village file."""

    kode_desa: Series[str] = pa.Field(str_matches=_KODE_DESA)
    nik_raw: Series[str]
    nik_is_number: Series[bool]
    name: Series[str]
    birth_place: Series[str]
    birth_date: Series[str]
    sex: Series[str]
    address: Series[str]
    rt: Series[str]
    rw: Series[str]
    occupation: Series[str]
    kk: Series[str]
    extra: Series[str]
    # The village's answer on a returned correction form (empty: none), and where it was
    # written; nik_raw, name and birth_date above stay as the village first sent them.
    answer_nik: Series[str]
    answer_name: Series[str]
    answer_birth_date: Series[str]
    answer_action: Series[str]
    answer_note: Series[str]
    answer_source: Series[str]  # 'perbaikan/PANGGUL/BESUKI.xlsx Perbaikan baris 10 (putaran 1)'


class AnswerLog(_Table):
    """answers.csv: every decision in the ledger and every row of a returned form that gives
    none, with what became of it (decisions.OUTCOMES)."""

    file: Series[str]
    sheet: Series[str]
    row: Series[int] = pa.Field(ge=0)  # 0: the whole file (a refused form)
    round: Series[int] = pa.Field(ge=0)
    received: Series[str]  # when the file was received ('' for lines that are no decision)
    field: Series[str]  # nik, name, birth_date, action, note, row (a new applicant)
    value: Series[str]  # as given, NIKs masked
    how: Series[str]  # where on the form it was written
    outcome: Series[str] = pa.Field(isin=list(OUTCOMES))
    row_id: Series[int] = pa.Field(ge=0)  # the row it concerns (0: none)
    message: Series[str]


class IngestLog(_Table):
    """ingest_log.csv: one row per file and sheet."""

    file: Series[str]
    sheet: Series[str]
    status: Series[str] = pa.Field(isin=["ok", "skipped", "failed"])
    rows: Series[int] = pa.Field(ge=0)
    dropped: Series[int] = pa.Field(ge=0)
    kode_desa: Series[str] = pa.Field(str_matches=_KODE_DESA)
    # The row of the header (0: none) and each field's column with how it was found.
    header_row: Series[int] = pa.Field(ge=0)
    format: Series[str]  # a known export or template ('SIAK', 'OpenSID penduduk'), or ''
    columns: Series[str]
    # Read with a NIK or name column that no header named, or that its content contradicts.
    by_content: Series[bool]
    message: Series[str]
    # The [[layout]] lines that would read a sheet that could not be read.
    layout_hint: Series[str]


class DroppedRows(_Provenance):
    """dropped.csv: every row under a header that is not an applicant, and why."""

    kind: Series[str] = pa.Field(isin=list(DROPPED_KINDS))
    text: Series[str]


class RegistryTable(_Table):
    """The registry extract under canonical names (read by registry.read_registry)."""

    nik: Series[str]
    kk: Series[str]
    name: Series[str]
    birth_place: Series[str]
    birth_date: Series[str] = pa.Field(str_matches=r"^(\d{4}-\d{2}-\d{2})?$")
    sex: Series[str] = pa.Field(isin=["L", "P", ""])
    occupation: Series[str]
    occupation_code: Series[str]
    address: Series[str]
    rt: Series[str]
    rw: Series[str]
    kode_desa: Series[str] = pa.Field(str_matches=_KODE_DESA)
    kecamatan_name: Series[str]
    desa_name: Series[str]
    death_date: Series[str]


class EnrolledTable(_Table):
    """NIKs on the BPJS Ketenagakerjaan enrolled list."""

    nik: Series[str]


class ValidatedRows(_Traced):
    """validated.parquet: exactly one row per ingested row, in input order."""

    kode_desa: Series[str] = pa.Field(str_matches=_KODE_DESA)
    desa: Series[str]
    kecamatan: Series[str]
    nik_raw: Series[str]
    nik: Series[str]
    nik_suggested: Series[str] = pa.Field(str_matches=r"^(\d{16})?$")
    suggestion_basis: Series[str]
    status: Series[str] = pa.Field(isin=["eligible", "needs_fix", "ineligible"])
    reasons: Series[str] = pa.Field(str_matches=r"^([A-Z_]+(;[A-Z_]+)*)?$")
    reason_text: Series[str]
    reason_detail: Series[str]
    nik_region: Series[str] = pa.Field(str_matches=r"^(\d{6})?$")
    nik_birth_date: Series[str] = pa.Field(str_matches=r"^(\d{4}-\d{2}-\d{2})?$")
    nik_sex: Series[str] = pa.Field(isin=["L", "P", ""])
    name: Series[str]
    name_normalized: Series[str]
    name_similarity: Series[float] = pa.Field(nullable=True, ge=0, le=100)
    birth_date_stated: Series[str]
    birth_date: Series[str]
    birth_place: Series[str]
    sex: Series[str]
    address: Series[str]
    rt: Series[str]
    rw: Series[str]
    occupation: Series[str]
    registry_nik: Series[str]
    registry_name: Series[str]
    registry_birth_date: Series[str]
    registry_kode_desa: Series[str]
    registry_desa: Series[str]
    registry_kecamatan: Series[str]
    registry_occupation: Series[str]
    registry_death_date: Series[str]
    # What the village first sent where an answer changed it, and the answer's own record.
    sent_nik_raw: Series[str]
    sent_name: Series[str]
    sent_birth_date: Series[str]
    answer_action: Series[str]
    answer_note: Series[str]
    answer_source: Series[str]


class DecreedRows(_Traced):
    """decreed.parquet: the people the report lists for the decree, named and born as the
    registry has them; what `bantuan handover` hands over."""

    nik: Series[str] = pa.Field(str_matches=r"^\d{16}$", unique=True)
    name: Series[str]
    birth_place: Series[str]
    birth_date: Series[str] = pa.Field(str_matches=r"^\d{4}-\d{2}-\d{2}$")
    sex: Series[str]
    address: Series[str]
    rt: Series[str]
    rw: Series[str]
    kode_desa: Series[str] = pa.Field(str_matches=_KODE_DESA)
    desa: Series[str]
    kecamatan: Series[str]
    name_sent: Series[str]
    continuing: Series[bool]
    priority: Series[int] = pa.Field(ge=1)
    months: Series[int] = pa.Field(ge=1, le=12)
    premium_monthly: Series[int] = pa.Field(ge=0)
    premium_total: Series[int] = pa.Field(ge=0)
    year: Series[int]
