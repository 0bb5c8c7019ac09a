"""Checks for lessons/timeline.ipynb."""

from __future__ import annotations

import pandas as pd

from .. import references
from ..checks import Result, check, equal, same_items
from ..timeline import interval_years


def check_1(answer, timeline: pd.DataFrame) -> Result:
    """How many events are in the social-credit category?"""
    expected = int((timeline["category"] == "social-credit").sum())
    return equal(
        answer, expected, right=f"{expected} events are about social credit.",
        hint="Compare the category column with \"social-credit\" and add up the matches with .sum().",
    )


def check_2(answer, timeline: pd.DataFrame) -> Result:
    """Years from the 1958 household-registration regulations to the 2014 Planning Outline."""
    expected = interval_years(timeline, "1958-hukou-regulations", "2014-planning-outline-signed")
    return equal(
        answer, expected, right=f"{expected} years separate the two documents.",
        hint="Find the two events' event_id values and use interval_years(timeline, first, second).",
    )


def check_3(new_timeline, timeline: pd.DataFrame) -> Result:
    """The student's timeline has one more event than the original, and that event is sourced."""
    def test(frame) -> bool:
        if len(frame) != len(timeline) + 1:
            raise ValueError(f"expected {len(timeline) + 1} rows, found {len(frame)}")
        added = frame.iloc[-1]
        if added["source_key"] not in references.keys():
            raise ValueError(f"source_key {added['source_key']!r} is not in references.bib")
        return True

    return check(
        new_timeline, test,
        right="your event is in the table, with a source the book can cite.",
        hint="Use add_event(timeline, date=..., category=..., region=..., title=..., description=..., "
        "chapter=..., source_key=..., status=...) and store what it returns.",
    )


def check_4(answer, timeline: pd.DataFrame) -> Result:
    """Titles of the events whose status is not 'documented'."""
    expected = timeline.loc[timeline["status"] != "documented", "title"].tolist()
    return same_items(
        answer, expected, right=f"those are the {len(expected)} events that rest on weaker evidence.",
        hint="Keep the rows whose status is not \"documented\" and turn their title column into a list "
        "with .tolist().",
    )
