"""Work with the dated, sourced event table (datasets/timeline.csv)."""

from __future__ import annotations

import re

import pandas as pd

from . import data, references
from .errors import DataError

__all__ = ["load", "decade", "interval_years", "add_event", "REQUIRED"]

REQUIRED = ["date", "category", "region", "title", "description", "chapter", "source_key", "status"]
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def load() -> pd.DataFrame:
    """The timeline, validated, in date order."""
    return data.load("timeline").sort_values(["date", "title"], ignore_index=True)


def decade(years: pd.Series) -> pd.Series:
    """Label each year with its decade, for example 1958 -> '1950s'."""
    return (years // 10 * 10).astype(int).astype(str) + "s"


def _find(timeline: pd.DataFrame, event_id: str) -> pd.Series:
    match = timeline[timeline["event_id"] == event_id]
    if match.empty:
        raise KeyError(
            f"No event with event_id {event_id!r}. Fix: copy an id from the event_id column, "
            "for example with timeline['event_id'].tolist()."
        )
    return match.iloc[0]


def interval_years(timeline: pd.DataFrame, first: str, second: str) -> int:
    """Whole years from one event to another, by event_id (dates are not always exact to the day)."""
    return int(_find(timeline, second)["year"]) - int(_find(timeline, first)["year"])


def add_event(timeline: pd.DataFrame, **fields: str) -> pd.DataFrame:
    """Return a copy of the timeline with one new event, after checking that it is complete and sourced."""
    missing = [name for name in REQUIRED if not str(fields.get(name, "")).strip()]
    if missing:
        raise DataError(f"The new event is missing {', '.join(missing)}. Fix: give every one of {', '.join(REQUIRED)}.")
    schema = {f["name"]: f for f in data.describe("timeline")["schema"]["fields"]}
    if not _DATE.match(str(fields["date"])):
        raise DataError(f"date {fields['date']!r} is not YYYY, YYYY-MM or YYYY-MM-DD. Fix: write it like 2014-06-14.")
    for name in ("category", "region", "chapter", "status"):
        allowed = schema[name]["constraints"]["enum"]
        if fields[name] not in allowed:
            raise DataError(f"{name} {fields[name]!r} is not allowed. Fix: use one of {', '.join(allowed)}.")
    if fields["source_key"] not in references.keys():
        raise DataError(
            f"source_key {fields['source_key']!r} is not in references.bib. "
            "Fix: use the key of a source the book already cites, or ask your teacher to add the source."
        )
    row = {name: fields[name] for name in REQUIRED}
    row["year"] = int(str(fields["date"])[:4])
    row["event_id"] = fields.get("event_id") or f"{row['year']}-" + re.sub(
        r"[^a-z0-9]+", "-", row["title"].lower()).strip("-")[:40]
    new = pd.DataFrame([row]).astype({c: str(t) for c, t in timeline.dtypes.items() if c in row})
    return pd.concat([timeline, new], ignore_index=True)
