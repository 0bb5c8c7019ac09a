"""Checks for lessons/timeline.ipynb."""

from __future__ import annotations

import pandas as pd

from .. import references
from ..checks import Result, equal, same_items
from ..timeline import REQUIRED, interval_years, load


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
    """The student's timeline is the shipped one plus exactly one new, complete and sourced event."""
    original = load()  # compare with the shipped table, in case `timeline` was reassigned in the notebook
    hint = ("Use add_event(timeline, date=..., category=..., region=..., title=..., description=..., "
            "chapter=..., source_key=..., status=...) on the original table, and store what it returns. "
            "Do not reassign `timeline` itself.")
    if new_timeline is None:
        return Result(False, "there is no answer yet. " + hint)
    if not isinstance(new_timeline, pd.DataFrame):
        return Result(False, "the answer should be the whole new table that add_event returns. " + hint)
    if len(new_timeline) != len(original) + 1:
        return Result(False, f"the table has {len(new_timeline)} events; it should have {len(original) + 1} "
                             f"(the {len(original)} shipped events plus yours). " + hint)
    added = new_timeline.iloc[-1]
    problems = [c for c in REQUIRED if not str(added.get(c, "")).strip() or str(added.get(c)) in {"nan", "<NA>"}]
    if problems:
        return Result(False, f"the new event has no {', '.join(problems)}. " + hint)
    if added["source_key"] not in references.keys():
        return Result(False, f"source_key {added['source_key']!r} is not in references.bib. " + hint)
    if str(added["title"]).casefold() in set(original["title"].str.casefold()):
        return Result(False, "that event is already in the timeline; choose one that is not. " + hint)
    return Result(True, "your event is in the table, complete and with a source the book can cite.")


def check_4(answer, timeline: pd.DataFrame) -> Result:
    """Titles of the events whose status is not 'documented'."""
    expected = timeline.loc[timeline["status"] != "documented", "title"].tolist()
    return same_items(
        answer, expected, right=f"those are the {len(expected)} events that rest on weaker evidence.",
        hint="Keep the rows whose status is not \"documented\" and turn their title column into a list "
        "with .tolist().",
    )
