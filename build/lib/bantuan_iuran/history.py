"""`bantuan history`: the decisions the ledger holds for a village, a file or a row, in the
order they were recorded, with where each came from and the row it is for."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from bantuan_iuran.decisions import digests
from bantuan_iuran.ledger import Decision
from bantuan_iuran.reference import village_by_code

COLUMNS = ["received", "kind", "field", "value", "how", "given in", "for row"]


def decision_history(
    recorded: Sequence[tuple[Decision, str]], ingested: pd.DataFrame | None, what: str = ""
) -> pd.DataFrame:
    """The decisions about `what` (a village's name or code, a name as the village wrote it,
    a file name or part of it, a file and row 'FILE:ROW', or a row id; everything when
    empty), in the order they were recorded."""
    rows = _rows_by_key(ingested)
    lines = [
        {
            "received": (decision.received or when)[:16].replace("T", " "),
            "kind": decision.kind,
            "field": decision.field,
            "value": decision.value if decision.kind != "new_row" else "",
            "how": decision.how,
            "given in": f"{decision.file} {decision.sheet} {decision.cell}".strip()
            + (f" (putaran {decision.round})" if decision.round else ""),
            "for row": rows.get(decision.row_key, ("", 0))[0] or "(not among the rows now)",
        }
        for decision, when in recorded
        if _concerns(decision, rows.get(decision.row_key), what)
    ]
    return pd.DataFrame(lines, columns=COLUMNS)


def _rows_by_key(ingested: pd.DataFrame | None) -> dict[str, tuple[str, int]]:
    """Each row's digest -> 'file sheet row' and its row id."""
    if ingested is None:
        return {}
    places = (
        ingested["source_file"] + " " + ingested["source_sheet"] + " baris "
        + ingested["source_row"].astype(str) + ": " + ingested["name"]
    )  # fmt: skip
    return dict(zip(digests(ingested), zip(places, ingested["row_id"], strict=True), strict=True))


def _concerns(decision: Decision, row: tuple[str, int] | None, what: str) -> bool:
    if not what:
        return True
    wanted = what.casefold().strip()
    village = village_by_code().get(decision.kode_desa)
    names = {decision.kode_desa, village.nama_desa.casefold() if village else ""}
    if wanted in names:
        return True
    place, row_id = row if row else ("", 0)
    if wanted.isdigit() and row_id == int(wanted):
        return True
    file, _, number = wanted.rpartition(":")
    if number.isdigit() and file:
        return file in place.casefold() and f" baris {number}:" in place
    return wanted in decision.file.casefold() or wanted in place.casefold()
