"""Who is in when the budget does not cover everyone eligible, and the waiting list's order.

The documented priority: people who were participants last year first (in file order); then the
others in an order in which every prefix gives each village a share proportional to its number
of eligible people (the Sainte-Lague / Webster divisor method, so adding money never takes a
place away from a village), and within a village in file order. The first N of that order are
in; the rest, in the same order, are the waiting list.
"""

from __future__ import annotations

import heapq
from fractions import Fraction

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
    ties go to the lower village code, so the order is fully determined."""
    heap = [(-Fraction(size), kode) for kode, size in sizes.items() if size > 0]
    heapq.heapify(heap)
    given = dict.fromkeys(sizes, 0)
    sequence = []
    while heap:
        _, kode = heapq.heappop(heap)
        sequence.append(kode)
        given[kode] += 1
        if given[kode] < sizes[kode]:
            heapq.heappush(heap, (-Fraction(sizes[kode], 2 * given[kode] + 1), kode))
    return sequence


def people_within(budget: int | None, per_person: int, count: int) -> int:
    """How many people the budget pays for the year (everyone when there is no budget)."""
    if budget is None or per_person == 0:
        return count
    return min(count, budget // per_person)
