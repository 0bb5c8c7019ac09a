"""Checks for lessons/sesame.ipynb."""

from __future__ import annotations

import pandas as pd

from ..checks import Result, close, equal
from ..credit import ILLUSTRATIVE_WEIGHTS, crossings, sesame_score


def _share_at(scores: pd.Series, town: pd.DataFrame, band: str, threshold: int) -> float:
    return 100 * float((scores[town["income_band"] == band] >= threshold).mean())


def check_1(answer, town: pd.DataFrame) -> Result:
    """Gap, in percentage points, between high- and low-income residents reaching 650."""
    scores = sesame_score(town)
    high, low = _share_at(scores, town, "high", 650), _share_at(scores, town, "low", 650)
    expected = high - low
    return close(
        answer, expected, within=0.1,
        right=f"{high:.1f}% of high-income residents reach 650 against {low:.1f}% of low-income residents: "
        f"a gap of {expected:.1f} percentage points.",
        hint="For each of the two bands, take the share of its residents whose score is 650 or more, as a "
        "percentage, then subtract the low band's share from the high band's.",
    )


def check_2(answer, town: pd.DataFrame, ties: pd.DataFrame) -> Result:
    """Residents who cross 700, in either direction, when friends' records are mixed in."""
    moved = crossings(sesame_score(town), sesame_score(town, ties=ties), 700)
    expected = int((moved != "no change").sum())
    return equal(
        answer, expected,
        right=f"{expected} residents move across 700 because of whom they know, not what they did.",
        hint="Use crossings(scores, scores_with_friends, 700) and count the residents whose entry is not "
        "\"no change\".",
    )


def check_3(answer, weights: dict, town: pd.DataFrame) -> Result:
    """Residents whose side of 600 changes between the illustrative weights and the student's own."""
    if not isinstance(weights, dict) or weights == ILLUSTRATIVE_WEIGHTS:
        return Result(False, "first set my_weights to weights of your own, different from ILLUSTRATIVE_WEIGHTS.")
    try:
        mine = sesame_score(town, weights)
    except ValueError as exc:
        return Result(False, f"your weights cannot be used yet: {exc}")
    expected = int((crossings(sesame_score(town), mine, 600) != "no change").sum())
    return equal(
        answer, expected,
        right=f"with your weights, {expected} residents change sides of 600.",
        hint="Score the town with sesame_score(town, my_weights), compare with the illustrative scores using "
        "crossings(..., 600), and count the entries that are not \"no change\".",
    )
