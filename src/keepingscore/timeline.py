"""Work with the dated, sourced event table (datasets/timeline.csv)."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from . import data, references
from .errors import DataError

__all__ = ["load", "decade", "interval_years", "add_event", "allowed_values", "REQUIRED"]

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


def _real_date(text: str) -> bool:
    parts = [int(p) for p in text.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def add_event(timeline: pd.DataFrame, **fields: str) -> pd.DataFrame:
    """Return a copy of the timeline with one new event, after checking it against the schema and the sources."""
    missing = [name for name in REQUIRED if not str(fields.get(name, "")).strip()]
    if missing:
        raise DataError(f"The new event is missing {', '.join(missing)}. Fix: give every one of {', '.join(REQUIRED)}.")
    schema = {f["name"]: f for f in data.describe("timeline")["schema"]["fields"]}
    when = str(fields["date"])
    if not _DATE.match(when) or not _real_date(when):
        raise DataError(f"date {when!r} is not a real date written YYYY, YYYY-MM or YYYY-MM-DD. "
                        "Fix: write it like 2014-06-14.")
    year = int(when[:4])
    limits = schema["year"]["constraints"]
    if not limits["minimum"] <= year <= limits["maximum"]:
        raise DataError(f"year {year} is outside this timeline ({limits['minimum']} to {limits['maximum']}). "
                        "Fix: check the date.")
    for name in ("category", "region", "chapter", "status"):
        allowed = schema[name]["constraints"]["enum"]
        if fields[name] not in allowed:
            raise DataError(f"{name} {fields[name]!r} is not allowed. Fix: use one of {', '.join(allowed)}.")
    longest = schema["title"]["constraints"]["maxLength"]
    if len(fields["title"]) > longest:
        raise DataError(f"title is {len(fields['title'])} characters long. Fix: shorten it to {longest} or fewer.")
    if fields["title"].strip().casefold() in set(timeline["title"].str.casefold()):
        raise DataError(f"an event called {fields['title']!r} is already in the timeline. Fix: add a different event.")
    if fields["source_key"] not in references.keys():
        raise DataError(
            f"source_key {fields['source_key']!r} is not in references.bib. "
            "Fix: use the key of a source the book already cites (see references.keys()), "
            "or ask your teacher to add the source."
        )
    row = {name: fields[name] for name in REQUIRED}
    row["year"] = year
    row["event_id"] = fields.get("event_id") or f"{year}-" + re.sub(
        r"[^a-z0-9]+", "-", row["title"].lower()).strip("-")[:40]
    if row["event_id"] in set(timeline["event_id"]):
        raise DataError(f"event_id {row['event_id']!r} is already used. Fix: give a different event_id or title.")
    new = pd.DataFrame([row]).astype({c: str(t) for c, t in timeline.dtypes.items() if c in row})
    return pd.concat([timeline, new], ignore_index=True)


def allowed_values() -> dict[str, list[str]]:
    """The values category, region, chapter and status may take, from the schema."""
    schema = {f["name"]: f for f in data.describe("timeline")["schema"]["fields"]}
    return {name: schema[name]["constraints"]["enum"] for name in ("category", "region", "chapter", "status")}
