"""A year-long civic points ledger for the synthetic town, in the style of the reported Rongcheng scheme.

Point values come from datasets/rongcheng_rules.csv, where each rule is marked documented, reported or
illustrative. The grade cut-offs below are ILLUSTRATIVE: no primary source confirms Rongcheng's own.
The town is synthetic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "START", "ILLUSTRATIVE_CUTOFFS", "OBSERVED", "event_counts", "ledger", "balances", "grades",
    "change_rule", "balances_loop",
]

START = 1000  # the reported starting balance

# ILLUSTRATIVE grade cut-offs (lowest balance for each grade), in the city's A/AA/AAA, B, C, D pattern.
# All are invented for teaching. (1,050 for AAA is avoided on purpose: it was reported for a different
# county and is often wrongly quoted as Rongcheng's rule.)
ILLUSTRATIVE_CUTOFFS = {"AAA": 1060, "AA": 1030, "A": 960, "B": 850, "C": 600, "D": -10**9}

# How many times each rule's event happens to a resident in a year, from the town's columns.
OBSERVED = {
    "traffic_ticket": lambda town: town["traffic_violations"].to_numpy(),
    "other_violation": lambda town: town["other_violations"].to_numpy(),
    "volunteer_hour": lambda town: town["volunteer_hours"].to_numpy(),
    "donation_per_100": lambda town: (town["donations"].to_numpy() // 100).astype(int),
    "civic_award": lambda town: town["civic_awards"].to_numpy(),
    "unpaid_judgment": lambda town: (town["court_judgment"] & ~town["judgment_paid"]).to_numpy().astype(int),
}


def event_counts(town: pd.DataFrame, rules: pd.DataFrame) -> pd.DataFrame:
    """Events per resident per rule over the year, for the rules the town's records can show."""
    usable = [r for r in rules["rule_id"] if r in OBSERVED]
    counts = {rule: np.asarray(OBSERVED[rule](town), dtype=np.int64) for rule in usable}
    return pd.DataFrame(counts, index=town["person_id"].to_numpy())


def ledger(town: pd.DataFrame, rules: pd.DataFrame, year: int = 2025, seed: int = 0) -> pd.DataFrame:
    """One row per event: person, date, rule and points, spread over the year at random (seeded)."""
    counts = event_counts(town, rules)
    points = rules.set_index("rule_id")["points"].astype(int)
    names = list(counts.columns)
    n = counts.to_numpy().T  # rules x residents
    person = np.concatenate([np.repeat(counts.index.to_numpy(), row) for row in n]) if names else np.array([], int)
    code = np.repeat(np.arange(len(names), dtype=np.int16), n.sum(axis=1))
    day = np.random.default_rng(seed).integers(0, 365, size=len(person), dtype=np.int16)
    order = np.argsort(day, kind="stable")  # by date; within a day, by rule and then person
    rule = pd.Categorical.from_codes(code[order], categories=names)
    return pd.DataFrame({
        "person_id": person[order],
        "date": np.datetime64(f"{year}-01-01") + day[order].astype("timedelta64[D]"),
        "rule_id": rule,
        "points": points.reindex(names).to_numpy()[code[order]],
    }, copy=False)


def balances(town: pd.DataFrame, entries: pd.DataFrame, scored: pd.Series | None = None) -> pd.Series:
    """Each resident's balance at the end of the year: the start plus every entry.

    `scored` (True/False per resident) limits the scheme to some residents, for example those who
    consented; the others get no balance at all (missing), not a low one.
    """
    ids = town["person_id"].to_numpy()
    totals = np.bincount(entries["person_id"].to_numpy(), weights=entries["points"].to_numpy(),
                         minlength=int(ids.max()) + 1)
    result = pd.Series(START + totals[ids].astype("int64"), index=town.index, name="balance").astype("Int64")
    if scored is not None:
        result[~scored.to_numpy(dtype=bool)] = pd.NA
    return result


def grades(values: pd.Series, cutoffs: dict[str, int] | None = None) -> pd.Series:
    """Grade each balance by the (illustrative) cut-offs; residents without a balance get 'not scored'."""
    cutoffs = cutoffs or ILLUSTRATIVE_CUTOFFS
    ordered = sorted(cutoffs.items(), key=lambda item: item[1])
    labels = pd.Series("not scored", index=values.index, dtype=object)
    present = values.notna()
    for name, cut in ordered:
        labels[present & (values.fillna(-10**12) >= cut)] = name
    order = ["not scored", *[name for name, _ in ordered]]
    return pd.Series(pd.Categorical(labels, categories=order, ordered=True), index=values.index, name="grade")


def change_rule(rules: pd.DataFrame, rule_id: str, points: int) -> pd.DataFrame:
    """A copy of the rules with one rule's points changed (the original table is left as it was)."""
    if rule_id not in set(rules["rule_id"]):
        raise KeyError(f"No rule {rule_id!r}. Fix: use one of {', '.join(rules['rule_id'])}.")
    changed = rules.copy()
    changed.loc[changed["rule_id"] == rule_id, "points"] = points
    changed.loc[changed["rule_id"] == rule_id, "status"] = "illustrative"
    return changed


def balances_loop(town: pd.DataFrame, rules: pd.DataFrame) -> list[int]:
    """The same end-of-year balances, one resident and one rule at a time: slow, but easy to read."""
    points = dict(zip(rules["rule_id"], rules["points"], strict=True))
    results = []
    for _, resident in town.iterrows():
        balance = START
        for rule, count_events in OBSERVED.items():
            if rule in points:
                count = int(count_events(resident.to_frame().T)[0])
                balance += count * int(points[rule])
        results.append(balance)
    return results
