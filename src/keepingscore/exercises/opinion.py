"""Checks for lessons/opinion.ipynb."""

from __future__ import annotations

import math
from numbers import Real

import pandas as pd

from .. import opinion as O
from .. import poll
from ..checks import Result, close, equal

SMALL_SAMPLE = 500  # Exercise 1: the 2018 share as if it had come from this many people


def check_1(answer, figures: pd.DataFrame) -> Result:
    """Margin of error, in percentage points, of the 2018 approval share had it come from only 500 people."""
    row = figures.set_index("figure_id").loc["kostka-approve"]
    expected = 100 * O.margin_of_error(float(row["share"]), SMALL_SAMPLE)
    published = 100 * O.margin_of_error(float(row["share"]), int(row["sample_size"]))
    return close(
        answer, expected, within=0.1,
        right=f"about plus or minus {expected:.1f} points, against {published:.1f} for the at least "
        f"{int(row['sample_size']):,} people really asked: a sample about a quarter the size roughly doubles the "
        "margin. It covers chance only.",
        hint=f"Take the share of the row kostka-approve, use margin_of_error(share, {SMALL_SAMPLE}) and multiply by "
        "100 to turn the share into percentage points.",
    )


def check_2(answer) -> Result:
    """The smallest simple random sample with a margin of at most 3 points at a share of 50%."""
    expected = O.sample_size_for(0.03)
    thumb = math.ceil(1 / 0.03**2)  # the rule of thumb: a margin of about 1 / sqrt(n)
    hint = ("Solve 1.96 * sqrt(0.5 * 0.5 / n) <= 0.03 for n and round up, or use sample_size_for(0.03). "
            "The rule of thumb 1 / sqrt(n) <= 0.03 gives a slightly larger n, which is accepted too.")
    if isinstance(answer, Real) and not isinstance(answer, bool) and answer in (thumb - 1, thumb):
        return Result(True, f"{thumb:,} people by the rule of thumb 1/sqrt(n); the full formula gives {expected:,}. "
                      "Either way, a margin of 3 points needs about a thousand, whatever the size of the country.")
    return equal(
        answer, expected,
        right=f"{expected:,} people: a margin of 3 points needs about a thousand, whatever the size of the country.",
        hint=hint,
    )


def check_3(answer, claims: pd.DataFrame) -> Result:
    """Claims from the 2020 article (ids starting with 'a') that later evidence contradicts or does not support."""
    from_article = claims[claims["claim_id"].str.startswith("a")]
    expected = int(from_article["evidence_level"].isin(["contradicted", "unsupported"]).sum())
    return equal(
        answer, expected,
        right=f"{expected} of the article's {len(from_article)} claims are contradicted or unsupported; most of the "
        "rest hold up at least in part.",
        hint="Keep the rows whose claim_id starts with \"a\" (.str.startswith(\"a\")), then count those whose "
        "evidence_level .isin([\"contradicted\", \"unsupported\"]).",
    )


def check_4(answer) -> Result:
    """Swing towards the side against, in points, for the motion surveys-show-approval (synthetic class vote)."""
    result = poll.swing(O.example_votes()).set_index("motion_id")
    expected = float(result.loc["surveys-show-approval", "swing_against"])
    return close(
        answer, expected, within=0.1,
        right=f"the side against gained {expected:.1f} points (synthetic votes). With 24 voters a single share "
        "can be off by about 20 points by chance, so treat even this swing with care.",
        hint="Use the table result that Step 4 made with poll.swing: the row for \"surveys-show-approval\", "
        "column \"swing_against\" (result.set_index(\"motion_id\") first, then .loc[row, column]).",
    )
