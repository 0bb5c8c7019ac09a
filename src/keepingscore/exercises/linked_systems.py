"""Checks for lessons/linked_systems.ipynb."""

from __future__ import annotations

import math

import pandas as pd

from .. import linked as L
from ..checks import Result, equal


def check_1(answer, town: pd.DataFrame) -> Result:
    """Residents with an adverse status in at least two of the linked systems."""
    expected = int((L.link(town)["adverse_count"] >= 2).sum())
    return equal(
        answer, expected,
        right=f"{expected} residents stand out in two or more systems once the records are joined by person.",
        hint="Use the adverse_count column of link(town): compare it with 2 (>= 2) and add up the True values "
        "with .sum().",
    )


def check_2(answer, town: pd.DataFrame) -> Result:
    """Places where the one wrong record changes something: rows of follow_error not marked 'no change'."""
    trail = L.follow_error(town)
    expected = int((trail["consequence"] != "no change").sum())
    return equal(
        answer, expected,
        right=f"one wrong record changes something in {expected} places, most of them agencies that only ever see "
        "the shared list.",
        hint="Every row whose consequence is anything other than exactly \"no change\" counts. Take "
        "follow_error(town), compare its consequence column with \"no change\" (!=) and .sum() the result.",
    )


def check_3(answer, town: pd.DataFrame) -> Result:
    """Wrong consequences in all, linked regime, when only the court list is shared (p = 0.05, seed 0)."""
    table = L.compare_regimes(L.link(town), p=0.05, seed=0, shared=["court_list"])
    expected = int(table.loc["linked", "wrong consequences in all"])
    return equal(
        answer, expected,
        right=f"{expected:,} wrong consequences when only the court list is shared, as under the joint punishment of "
        "the court's listed debtors that agencies agreed to in 2016.",
        hint="Call compare_regimes(linked, p=0.05, seed=0, shared=[\"court_list\"]) and read the row \"linked\", "
        "column \"wrong consequences in all\" with .loc[row, column].",
    )


def check_4(answer) -> Result:
    """The fewest records k for which a decision is more likely wrong than right, when each is wrong with p = 0.02."""
    expected = math.ceil(math.log(0.5) / math.log(0.98))  # the first k with 1 - 0.98 ** k above 0.5
    return equal(
        answer, expected,
        right=f"from {expected} records on, at least one is more likely wrong than not, even though each is 98% right.",
        hint="Try k = 1, 2, 3 and so on in compound_error(0.02, k) (a for loop or a list), and find the first k "
        "where the result is above 0.5.",
    )
