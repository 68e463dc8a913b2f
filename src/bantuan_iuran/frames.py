"""Small DataFrame helpers shared by the stages."""

from __future__ import annotations

import pandas as pd


def plain_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as Python objects: row-by-row work (itertuples, writing cells) is several
    times faster than over Arrow-backed strings."""
    text = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c])]
    return frame.astype(dict.fromkeys(text, object))
