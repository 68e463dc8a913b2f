"""The one statement of what each table between stages looks like (pandera models).

Canonical column names live here only; other modules ask these models for them.
"""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

# The applicant fields a village file may hold, as text exactly as read.
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

_KODE_DESA = r"^(\d{10})?$"


class _Provenance(pa.DataFrameModel):
    source_file: Series[str]
    source_sheet: Series[str]
    source_row: Series[int] = pa.Field(ge=1)


class IngestedRows(_Provenance):
    """ingested.parquet: one row per applicant row found in a village file."""

    row_id: Series[int] = pa.Field(ge=1, unique=True)
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

    class Config:
        strict = True
        ordered = True


class IngestLog(pa.DataFrameModel):
    """ingest_log.csv: one row per file and sheet."""

    file: Series[str]
    sheet: Series[str]
    status: Series[str] = pa.Field(isin=["ok", "skipped", "failed"])
    rows: Series[int] = pa.Field(ge=0)
    dropped: Series[int] = pa.Field(ge=0)
    kode_desa: Series[str] = pa.Field(str_matches=_KODE_DESA)
    message: Series[str]

    class Config:
        strict = True
        ordered = True


class DroppedRows(_Provenance):
    """dropped.csv: every row under a header that is not an applicant, and why."""

    kind: Series[str] = pa.Field(
        isin=["blank", "header", "numbering", "total", "signature", "other"]
    )

    class Config:
        strict = True
        ordered = True
