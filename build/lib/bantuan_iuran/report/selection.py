"""Who is in when the budget does not cover everyone eligible, and the waiting list's order.

The documented priority: people who were participants last year first (in file order); then the
others in an order in which every prefix gives each village a share proportional to its number
of eligible people (the Sainte-Lague / Webster divisor method, so adding money never takes a
place away from a village), and within a village in file order. The first N of that order are
in; the rest, in the same order, are the waiting list.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def priority_order(people: pd.DataFrame) -> pd.DataFrame:
    """`people` (one row per person, with kode_desa, row_id, continuing) in priority order,
    with a 1-based `priority` column."""
    ordered = people.sort_values("row_id")
    continuing = ordered[ordered["continuing"]]
    others = ordered[~ordered["continuing"]]
    queues = {kode: group for kode, group in others.groupby("kode_desa", sort=True)}
    sequence = _webster_sequence({kode: len(group) for kode, group in queues.items()})
    taken = dict.fromkeys(queues, 0)
    positions = []
    for kode in sequence:
        positions.append(queues[kode].index[taken[kode]])
        taken[kode] += 1
    result = pd.concat([continuing, others.loc[positions]])
    return result.assign(priority=range(1, len(result) + 1))


def _webster_sequence(sizes: dict[str, int]) -> list[str]:
    """The village of each next place: the one with the highest size / (2 * places + 1);
    ties go to the lower village code, so the order is fully determined.

    All (village, place) pairs sorted at once by that quotient: it falls with each place a
    village gets, so this is the order in which places are handed out one by one. As floats
    the quotients order exactly: two different fractions with numerators and denominators
    under a million differ by far more than a double's rounding."""
    kodes = sorted(kode for kode, size in sizes.items() if size > 0)
    counts = np.array([sizes[kode] for kode in kodes], dtype=np.int64)
    village = np.repeat(np.arange(len(kodes)), counts)
    place = np.arange(len(village)) - np.repeat(np.cumsum(counts) - counts, counts)
    quotient = counts[village] / (2 * place + 1)
    order = np.lexsort((village, -quotient))  # by quotient, then by village code
    return [kodes[i] for i in village[order]]


def people_within(budget: int | None, per_person: int, count: int) -> int:
    """How many people the budget pays for the year (everyone when there is no budget)."""
    if budget is None or per_person == 0:
        return count
    return min(count, budget // per_person)
