"""Checks for lessons/blacklists.ipynb."""

from __future__ import annotations

import pandas as pd

from ..blacklist import compare_listings, listing_grounds, with_record_errors
from ..checks import Result, close, equal


def _people(figures: pd.DataFrame, as_of: str) -> int:
    rows = figures[(figures["measure"] == "people_listed") & (figures["as_of"] == as_of)]
    return int(rows["value"].iloc[0])


def check_1(answer, figures: pd.DataFrame) -> Result:
    """Growth of the list (people listed) from the end of 2017 to the end of 2018, in percent."""
    start, end = _people(figures, "2017-12"), _people(figures, "2018-12")
    expected = 100 * (end - start) / start
    return close(
        answer, expected, within=0.5,
        right=f"the list grew by about {expected:.0f}% in 2018, from {start:,} to {end:,} people.",
        hint="Find the people_listed values for as_of 2017-12 and 2018-12, then compute "
        "100 * (end - start) / start.",
    )


def check_2(answer, town: pd.DataFrame) -> Result:
    """Residents listed only because they obstructed enforcement (not because they refused despite ability)."""
    grounds = listing_grounds(town)
    expected = int((grounds["obstructs_enforcement"] & ~grounds["refuses_despite_ability"]).sum())
    return equal(
        answer, expected,
        right=f"{expected} residents are listed only for obstruction: none of them was judged able to pay.",
        hint="Use the two True/False columns of listing_grounds(town): obstruction True and refusal False "
        "(use & and ~), then add them up with .sum().",
    )


def check_3(answer, town: pd.DataFrame) -> Result:
    """Residents wrongly listed when 5% of court records are wrong (seed 2)."""
    expected = int(compare_listings(listing_grounds(town),
                                    listing_grounds(with_record_errors(town, 0.05, seed=2)))["listed wrongly"])
    return equal(
        answer, expected,
        right=f"{expected} residents would be listed although their real record does not justify it.",
        hint="Make the faulty records with with_record_errors(town, 0.05, seed=2), list both versions with "
        "listing_grounds, compare them with compare_listings, and read the 'listed wrongly' count.",
    )
