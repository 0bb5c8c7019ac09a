"""The court list of dishonest judgment debtors, applied to the synthetic town, and its published figures.

The listing rules are a simplified teaching model of the Supreme People's Court's 2017 rules: a person
is listed for refusing to pay a judgment they are able to pay, or for obstructing enforcement. The
town is synthetic; the published figures (datasets/blacklist_figures.csv) are real and sourced.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "GROUNDS", "listing_grounds", "restrictions", "restrictions_per_person", "with_record_errors",
    "compare_listings", "blocks_per_person", "two_readings",
]

# Two of the six grounds in the 2017 rules, as the town's records can show them.
GROUNDS = {
    "refuses_despite_ability": "able to pay the judgment but has not paid (ground 1)",
    "obstructs_enforcement": "obstructed or evaded enforcement, for example by hiding assets (grounds 2 and 3)",
}


def listing_grounds(town: pd.DataFrame) -> pd.DataFrame:
    """One row per resident: each ground as True/False, whether they would be listed, and the first reason."""
    refuses = town["court_judgment"] & town["able_to_pay"] & ~town["judgment_paid"]
    obstructs = town["court_judgment"] & town["obstructed_enforcement"] & ~town["judgment_paid"]
    result = pd.DataFrame({
        "person_id": town["person_id"],
        "refuses_despite_ability": refuses,
        "obstructs_enforcement": obstructs,
    })
    result["listed"] = refuses | obstructs
    result["reason"] = np.select(
        [refuses, obstructs], [GROUNDS["refuses_despite_ability"], GROUNDS["obstructs_enforcement"]], default=""
    )
    return result


def restrictions(listing: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """Joint punishment: one row for every listed person and every restriction that applies to people."""
    for_people = measures[measures["applies_to"].isin(["people", "both"])]
    listed = listing.loc[listing["listed"], ["person_id"]]
    return listed.merge(for_people[["measure_id", "agency", "restriction"]], how="cross")


def restrictions_per_person(listing: pd.DataFrame, measures: pd.DataFrame) -> pd.Series:
    """How many restrictions each resident faces (0 for residents who are not listed)."""
    counts = restrictions(listing, measures).groupby("person_id").size()
    return listing["person_id"].map(counts).fillna(0).astype(int).rename("restrictions")


def with_record_errors(town: pd.DataFrame, share: float, seed: int = 0) -> pd.DataFrame:
    """A copy of the town in which `share` of the court records say 'paid' when it was not, or the reverse."""
    if not 0 <= share <= 1:
        raise ValueError(f"share must be between 0 and 1 (for example 0.02 for 2%), not {share!r}")
    rng = np.random.default_rng(seed)
    copy = town.copy()
    flip = copy["court_judgment"].to_numpy() & (rng.random(len(copy)) < share)
    copy["judgment_paid"] = copy["judgment_paid"].to_numpy() ^ flip
    copy["record_flipped"] = flip
    return copy


def compare_listings(true_listing: pd.DataFrame, recorded_listing: pd.DataFrame) -> pd.Series:
    """Counts of residents listed correctly, listed wrongly, and missed, when records contain errors."""
    truth, recorded = true_listing["listed"].to_numpy(), recorded_listing["listed"].to_numpy()
    return pd.Series({
        "listed correctly": int((truth & recorded).sum()),
        "listed wrongly": int((~truth & recorded).sum()),
        "missed": int((truth & ~recorded).sum()),
        "correctly not listed": int((~truth & ~recorded).sum()),
    }, name="residents")


def blocks_per_person(figures: pd.DataFrame, measure: str = "flight_purchases_blocked") -> pd.DataFrame:
    """Blocked purchases per listed person, on the dates where both were published as running totals.

    A figure whose period is disputed (reported both as one year's count and as a running total) is
    kept, with its status shown, so that readers see which ratios rest on it.
    """
    cumulative = figures[figures["period"] == "cumulative since 2013"]
    people = cumulative[cumulative["measure"] == "people_listed"].set_index("as_of")
    blocks = cumulative[cumulative["measure"] == measure].set_index("as_of")
    both = pd.DataFrame({"people_listed": people["value"], measure: blocks["value"]}).dropna().astype("int64")
    both["blocks_per_person"] = (both[measure] / both["people_listed"]).round(2)
    both["status_of_blocks_figure"] = blocks["status"].reindex(both.index)
    return both.sort_index()


def two_readings(figures: pd.DataFrame, figure_id: str = "2018-12-flights-spc") -> pd.DataFrame:
    """What a year-end total implies if it is a running total, and if it is that year's count alone.

    For the one-year reading, the running total at the end of the year is at least the last
    undisputed running total published before that year began, plus the year's count.
    """
    rows = figures.set_index("figure_id")
    row = rows.loc[figure_id]
    year = int(str(row["as_of"])[:4])
    earlier = rows[(rows["measure"] == row["measure"]) & (rows["period"] == "cumulative since 2013")
                   & (rows["status"] != "disputed") & (rows["as_of"] < f"{year}")]
    if earlier.empty:
        raise KeyError(f"No undisputed running total of {row['measure']} before {year} to compare {figure_id} with.")
    base = earlier.sort_values("as_of").iloc[-1]
    value = int(row["value"])
    return pd.DataFrame({
        "reading": ["running total since 2013", f"the {year} count alone"],
        f"running total at the end of {year}": [value, int(base["value"]) + value],
        "how it is worked out": [
            "the figure itself",
            f"at least the {int(base['value']):,} published for {base['as_of']}, plus {value:,}",
        ],
    }).set_index("reading")
