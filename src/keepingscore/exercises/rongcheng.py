"""Checks for lessons/rongcheng.ipynb."""

from __future__ import annotations

import pandas as pd

from .. import points as P
from ..checks import Result, equal


def _grades(town: pd.DataFrame, rules: pd.DataFrame, scored=None) -> pd.Series:
    return P.grades(P.balances(town, P.ledger(town, rules), scored=scored))


def check_1(answer, town: pd.DataFrame, rules: pd.DataFrame) -> Result:
    """Residents in grade AAA under the illustrative cut-offs."""
    expected = int((_grades(town, rules) == "AAA").sum())
    return equal(answer, expected, right=f"{expected} residents reach AAA (with illustrative cut-offs).",
                 hint="Count the residents whose grade is \"AAA\": compare the grades with \"AAA\" and .sum().")


def check_2(answer, town: pd.DataFrame, rules: pd.DataFrame) -> Result:
    """Residents who drop at least one grade when the traffic deduction is doubled."""
    points = int(rules.loc[rules["rule_id"] == "traffic_ticket", "points"].item())
    before = _grades(town, rules).cat.codes
    after = _grades(town, P.change_rule(rules, "traffic_ticket", 2 * points)).cat.codes
    expected = int((after < before).sum())
    return equal(answer, expected, right=f"{expected} residents drop a grade because one rule changed.",
                 hint="Make the harsher rules with change_rule(rules, \"traffic_ticket\", 2 * points), grade both "
                 "versions, and count residents whose new grade is lower (compare .cat.codes).")


def check_3(answer, town: pd.DataFrame, rules: pd.DataFrame) -> Result:
    """Residents graded B or lower under a compulsory scheme who are not scored at all under opt-in."""
    compulsory = _grades(town, rules)
    low = compulsory.isin(["B", "C", "D"])
    expected = int((low & ~town["consents_to_optional_scheme"]).sum())
    return equal(answer, expected,
                 right=f"{expected} residents with a low grade under the compulsory scheme are simply not scored "
                 "under opt-in.",
                 hint="Take the compulsory grades, keep those in B, C or D (.isin), and count the ones whose "
                 "consents_to_optional_scheme is False (use & and ~).")
