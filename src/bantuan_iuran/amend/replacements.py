"""How many people can replace those who left, and who: the budget left for the year (the
allocation, less what was billed to pay so far, less what the members still covered cost for
the months not billed yet) pays each replacement from the month the branch can accept them to
the year's end; they are taken from the waiting list in its published priority order, skipping
anyone no longer eligible or already in the register. Pure."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from bantuan_iuran.report.costs import MonthCost


@dataclass(frozen=True)
class BudgetLeft:
    allocation: int
    spent: int  # the months billed: the amounts reconciled to pay
    committed: int  # the members still covered, for the months not billed yet
    per_replacement: int  # one person from the start month to the year's end

    @property
    def left(self) -> int:
        return self.allocation - self.spent - self.committed

    @property
    def affordable(self) -> int:
        return max(0, self.left // self.per_replacement) if self.per_replacement else 0


def budget_left(
    allocation: int,
    spent: int,
    members: int,
    unbilled: list[MonthCost],
    from_start: list[MonthCost],
) -> BudgetLeft:
    """`members` still covered cost `unbilled` months each; a replacement costs `from_start`."""
    committed = members * sum(m.premium for m in unbilled)
    return BudgetLeft(allocation, spent, committed, sum(m.premium for m in from_start))


def choose(waiting: pd.DataFrame, eligible: set[str], taken: set[str], count: int) -> pd.DataFrame:
    """The first `count` of the waiting list (in its priority order) still eligible and not
    in the register already."""
    free = waiting[waiting["nik"].isin(eligible) & ~waiting["nik"].isin(taken)]
    return free.sort_values("priority", kind="stable").head(max(count, 0))
