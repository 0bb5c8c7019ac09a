"""Checks for lessons/town.ipynb (Meet the town)."""

from __future__ import annotations

import pandas as pd

from ..checks import Result, close, equal
from ..town import make_town


def check_1(answer, town: pd.DataFrame) -> Result:
    """How many residents live in Harbourside?"""
    expected = int((town["district"] == "Harbourside").sum())
    return equal(
        answer, expected,
        right=f"{expected} residents live in Harbourside.",
        hint="Compare the district column with \"Harbourside\" and add up the True values with .sum().",
    )


def check_2(answer, town: pd.DataFrame) -> Result:
    """Which district has the highest share of residents with an unpaid court judgment?"""
    unpaid = town["court_judgment"] & ~town["judgment_paid"]
    share = unpaid.groupby(town["district"], observed=True).mean()
    expected = str(share.idxmax())
    return equal(
        answer, expected,
        right=f"{expected} has the highest share ({share.max():.1%} of all its residents).",
        hint="Make a True/False column for 'has a judgment and has not paid it' for every resident, group it by "
        "district, take the mean (the share of all residents), and find the district with the largest value "
        "(.idxmax()). Answer with the district's name as text, for example \"Millbrook\".",
    )


def check_3(answer, town: pd.DataFrame) -> Result:
    """Percentage of residents with a court judgment in the town made with seed 1."""
    other = make_town(len(town), seed=1)
    expected = 100 * float(other["court_judgment"].mean())
    return close(
        answer, expected, within=0.05,
        right=f"{expected:.2f}% in the seed-1 town, against {100 * town['court_judgment'].mean():.2f}% in ours: "
        "close, but not the same, because the town is a random draw.",
        hint="Make a second town with make_town(n=10_000, seed=1), then take 100 * the mean of its "
        "court_judgment column (a percentage, not a share; two decimal places are enough).",
    )
