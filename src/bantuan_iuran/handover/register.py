"""Each person's state with the BPJS branch, from the decree and the ledger's register events:
decreed (not handed over yet), handed over, registered, or rejected; the latest event wins.
Pure: frames and events in, a frame out."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from bantuan_iuran.ledger import RegisterEvent

DECREED, HANDED_OVER, REGISTERED, REJECTED = "decreed", "handed_over", "registered", "rejected"
STATES = (DECREED, HANDED_OVER, REGISTERED, REJECTED)
STATE_LABELS = {DECREED: "Ditetapkan, belum diserahkan", HANDED_OVER: "Diserahkan ke BPJS",
                REGISTERED: "Terdaftar", REJECTED: "Ditolak BPJS"}  # fmt: skip
REGISTER_FIELDS = ["nik", "name", "kecamatan", "desa", "state", "handover", "start_month",
                   "kpj", "cover_start", "reason", "in_decree"]  # fmt: skip


def person_states(decreed: pd.DataFrame, events: Sequence[RegisterEvent]) -> pd.DataFrame:
    """One row per person of the decree or the register, in kecamatan, desa, name order."""
    people = decreed[["nik", "name", "kecamatan", "desa"]].drop_duplicates("nik")
    latest = _latest(events)
    known = set(people["nik"])
    gone = pd.DataFrame(
        {"nik": sorted(set(latest) - known), "name": "", "kecamatan": "", "desa": ""}
    )
    table = pd.concat([people, gone], ignore_index=True)
    facts = [latest.get(nik, {}) for nik in table["nik"]]
    for column in ("state", "handover", "start_month", "kpj", "cover_start", "reason"):
        default = DECREED if column == "state" else ""
        table[column] = [fact.get(column, default) for fact in facts]
    table["in_decree"] = table["nik"].isin(known)
    return table.sort_values(["kecamatan", "desa", "name", "nik"], ignore_index=True)[
        REGISTER_FIELDS
    ]


def _latest(events: Sequence[RegisterEvent]) -> dict[str, dict[str, str]]:
    """Per NIK, its state and the facts of its events, each event over the ones before."""
    facts: dict[str, dict[str, str]] = {}
    for event in events:
        fact = facts.setdefault(event.nik, {})
        fact["state"] = event.event
        if event.event == HANDED_OVER:
            fact.update(handover=event.value, start_month=event.detail, reason="")
        elif event.event == REGISTERED:
            fact.update(kpj=event.value, cover_start=event.detail, reason="")
        elif event.event == REJECTED:
            fact.update(reason=event.value)
    return facts


def state_counts(states: pd.DataFrame) -> dict[str, int]:
    """People per state, every state named (0 where none)."""
    counts = states["state"].value_counts()
    return {state: int(counts.get(state, 0)) for state in STATES}


def rejections(events: Sequence[RegisterEvent]) -> dict[str, tuple[str, int]]:
    """NIKs whose latest event is a rejection: the branch's reason and the round it came in."""
    last = {event.nik: event for event in events}
    return {nik: (e.value, e.round) for nik, e in last.items() if e.event == REJECTED}
