"""Each person's state with the BPJS branch, from the decree and the ledger's register events:
decreed (not handed over yet), handed over, registered, or rejected; the latest event wins.
Pure: frames and events in, a frame out."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from bantuan_iuran.ledger import RegisterEvent

DECREED, HANDED_OVER, REGISTERED, REJECTED = "decreed", "handed_over", "registered", "rejected"
LEFT = "left"  # during the year: died, moved, became a wage earner, withdrew
AMENDED = "amended"  # taken into or out of the decree by a numbered amendment (value: its number)
STATES = (DECREED, HANDED_OVER, REGISTERED, REJECTED, LEFT)
STATE_LABELS = {DECREED: "Ditetapkan, belum diserahkan", HANDED_OVER: "Diserahkan ke BPJS",
                REGISTERED: "Terdaftar", REJECTED: "Ditolak BPJS",
                LEFT: "Keluar selama tahun berjalan"}  # fmt: skip
REGISTER_FIELDS = ["nik", "name", "kecamatan", "desa", "state", "handover", "start_month",
                   "kpj", "cover_start", "reason", "left_reason", "left_on",
                   "in_decree"]  # fmt: skip


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
    for column in ("state", "handover", "start_month", "kpj", "cover_start", "reason",
                   "left_reason", "left_on"):  # fmt: skip
        default = DECREED if column == "state" else ""
        table[column] = [fact.get(column, default) for fact in facts]
    table["in_decree"] = table["nik"].isin(known)
    return table.sort_values(["kecamatan", "desa", "name", "nik"], ignore_index=True)[
        REGISTER_FIELDS
    ]


def _latest(events: Sequence[RegisterEvent]) -> dict[str, dict[str, str]]:
    """Per NIK, its state and the facts of its events, each event over the ones received
    before it (in the order recorded where two were received at once)."""
    facts: dict[str, dict[str, str]] = {}
    for event in in_received_order(events):
        fact = facts.setdefault(event.nik, {})
        if event.event in STATES:  # 'amended' records a decree's change, not a state
            fact["state"] = event.event
        if event.event == HANDED_OVER:
            fact.update(handover=event.value, start_month=event.detail, reason="")
        elif event.event == REGISTERED:
            fact.update(kpj=event.value, cover_start=event.detail, reason="")
        elif event.event == REJECTED:
            fact.update(reason=event.value)
        elif event.event == LEFT:
            fact.update(left_reason=event.value, left_on=event.detail)
    return facts


def state_counts(states: pd.DataFrame) -> dict[str, int]:
    """People per state, every state named (0 where none)."""
    counts = states["state"].value_counts()
    return {state: int(counts.get(state, 0)) for state in STATES}


def in_received_order(events: Sequence[RegisterEvent]) -> list[RegisterEvent]:
    return sorted(events, key=lambda event: event.received)  # stable: recorded order within


def rejections(events: Sequence[RegisterEvent]) -> dict[str, tuple[str, int]]:
    """NIKs whose latest event is a rejection: the branch's reason and the round it came in."""
    last = {e.nik: e for e in in_received_order(events) if e.event in STATES}
    return {nik: (e.value, e.round) for nik, e in last.items() if e.event == REJECTED}


_ANSWER_ROUND = r"\(putaran (\d+)\)"


def answer_rounds(validated: pd.DataFrame) -> pd.Series:
    """The round each row was last answered in (0: never)."""
    found = validated["answer_source"].str.extract(_ANSWER_ROUND, expand=False)
    return found.fillna("0").astype(int)


def _rejection_rounds(validated: pd.DataFrame, rejected: dict[str, tuple[str, int]]):
    """Per row, the round its NIK's rejection came in (NaN: not rejected)."""
    return validated["nik"].map({nik: round_ for nik, (_, round_) in rejected.items()})


def corrected_since_rejection(
    validated: pd.DataFrame, rejected: dict[str, tuple[str, int]]
) -> set[str]:
    """Rejected NIKs whose row the village answered in a round after the rejection, and that
    validation found eligible: to be handed over again."""
    came_in = _rejection_rounds(validated, rejected)
    again = (validated["status"] == "eligible") & (answer_rounds(validated) > came_in.fillna(10**6))
    return set(validated.loc[again, "nik"])


def mark_rejected(validated: pd.DataFrame, rejected: dict[str, tuple[str, int]]) -> pd.DataFrame:
    """Eligible rows whose NIK the branch rejected go back to their village (BPJS_REJECTED,
    with the branch's reason), until the village answers the row in a round after the
    rejection came in: then the row stands as validated, to be handed over again."""
    from bantuan_iuran.reasons import ORDER, explain

    if not rejected:
        return validated
    answered = answer_rounds(validated)
    came_in = _rejection_rounds(validated, rejected)
    back = (validated["status"] == "eligible") & came_in.notna() & (answered <= came_in.fillna(0))
    if not back.any():
        return validated
    marked = validated.copy()
    codes = marked.loc[back, "reasons"].map(
        lambda text: ";".join(
            sorted([*filter(None, text.split(";")), "BPJS_REJECTED"], key=ORDER.__getitem__)
        )  # fmt: skip
    )
    marked.loc[back, "reasons"] = codes
    marked.loc[back, "reason_text"] = codes.map(lambda text: explain(text.split(";")))
    marked.loc[back, "reason_detail"] = marked.loc[back, "nik"].map(
        lambda nik: f"Alasan BPJS: {rejected[nik][0]}"
    )
    marked.loc[back, "status"] = "needs_fix"
    return marked
