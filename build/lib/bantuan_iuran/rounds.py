"""Rounds with the villages: each validation is a round, its outcome kept per row in the work
folder (rounds/round_<n>.parquet), and what changed since the round before, per row and per
village. A row is the same row across rounds while it is the same cell of the same file
(source file, sheet and row); a revised list's rows are new rows, the old list's are gone.
Pure: frames in, frames out; pipeline.py reads and writes them."""

from __future__ import annotations

import pandas as pd

KEY = ["source_file", "source_sheet", "source_row"]
KEPT = [*KEY, "row_id", "kode_desa", "desa", "kecamatan", "nik", "name", "birth_date",
        "status", "reasons", "answer_source"]  # fmt: skip
# How a row moved between two rounds.
MOVES = ("fixed", "still_to_fix", "newly_wrong", "withdrawn", "new", "gone", "unchanged")


def round_table(validated: pd.DataFrame) -> pd.DataFrame:
    """What a round keeps of each row."""
    return validated[KEPT].reset_index(drop=True)


def changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Every row of either round with how it moved, its status and values before and after;
    `changed` is true where the status or a value differs (perubahan_<n>.csv)."""
    merged = before.merge(after, on=KEY, how="outer", suffixes=("_before", "_after"),
                          indicator=True)  # fmt: skip
    for column in ("kode_desa", "desa", "kecamatan"):
        merged[column] = merged[f"{column}_after"].fillna(merged[f"{column}_before"])
    text = [c for c in merged.columns
            if c.endswith(("_before", "_after")) and not c.startswith("row_id")]  # fmt: skip
    merged[text] = merged[text].fillna("")
    merged["move"] = [_move(*row) for row in zip(
        merged["_merge"], merged["status_before"], merged["status_after"],
        merged["reasons_after"], strict=True)]  # fmt: skip
    values = ("status", "reasons", "nik", "name", "birth_date")
    merged["changed"] = merged["_merge"] != "both"
    for value in values:
        merged["changed"] |= merged[f"{value}_before"] != merged[f"{value}_after"]
    columns = [*KEY, "kode_desa", "desa", "kecamatan", "move", "changed",
               *(f"{v}_{when}" for v in values for when in ("before", "after")),
               "answer_source_after"]  # fmt: skip
    return merged[columns].rename(columns={"answer_source_after": "answer_source"})


def _move(presence: str, before: str, after: str, reasons: str) -> str:
    if presence == "left_only":
        return "gone"
    if presence == "right_only":
        return "new"
    if "WITHDRAWN" in reasons.split(";"):
        return "withdrawn" if before != "ineligible" else "unchanged"
    if before == "needs_fix":
        return "still_to_fix" if after == "needs_fix" else "fixed"
    if after != before and after != "eligible":
        return "newly_wrong"
    return "unchanged"


def village_progress(moves: pd.DataFrame, previous: int) -> pd.DataFrame:
    """Per village: whether it answered the forms of round `previous`, and its rows by how
    they moved."""
    known = moves.assign(desa=moves["desa"].replace("", "(tidak dikenali)"))
    counts = pd.crosstab([known["kecamatan"], known["desa"]], known["move"])
    counts = counts.reindex(columns=list(MOVES), fill_value=0)
    marker = f"(putaran {previous})"
    answered = known.groupby(["kecamatan", "desa"])["answer_source"].agg(
        lambda sources: sources.fillna("").str.contains(marker, regex=False).any()
    )
    table = counts.assign(answered=answered).reset_index()
    return table[["kecamatan", "desa", "answered", *MOVES]].sort_values(["kecamatan", "desa"])


def history(rounds: dict[int, pd.DataFrame]) -> pd.DataFrame:
    """Per village and round (by number): rows eligible, to fix and turned down (the
    Perkembangan sheet)."""
    frames = []
    for number, table in sorted(rounds.items()):
        counts = pd.crosstab([table["kecamatan"], table["desa"]], table["status"])
        counts = counts.reindex(columns=["eligible", "needs_fix", "ineligible"], fill_value=0)
        frames.append(counts.add_suffix(f"_{number}"))
    return pd.concat(frames, axis=1).fillna(0).astype("int64").reset_index()
