"""A FICO-like credit score for the synthetic town (300 to 850), and helpers to compare any two scores.

FICO publishes the five categories its scores weigh and how much each matters for the general
population (myFICO, "What's in my FICO Scores"): payment history 35%, amounts owed 30%, length of
credit history 15%, new credit 10% and credit mix 10%. It does not publish how each category is
scored from a credit file, nor how the categories are combined, so the score below is an
APPROXIMATION of an unpublished formula: the category weights are FICO's published ones, and
everything else (which town column stands for which category, and how it is turned into a number
from 0 to 1) is an ILLUSTRATIVE choice documented in `CATEGORIES` and `GAPS`. The town is synthetic.

A resident without a credit file gets no score at all (missing, "unscorable"), not a low one: a
FICO score is computed from a credit bureau's file, so without a file there is nothing to score.

`dispute` corrects one entry in a copy of the town and reports how the score changes, in the spirit
of the US Fair Credit Reporting Act's right to dispute errors in a credit file. `rank_agreement`,
`movers`, `explain_moves` and `moves_by` compare any two scores of the same residents.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .credit import check_weights

__all__ = [
    "PUBLISHED_WEIGHTS", "CATEGORIES", "GAPS", "SCORE_RANGE", "COLUMN_LIMITS", "scorable",
    "category_scores", "fico_like_score", "dispute", "ranks", "rank_agreement", "rank_change", "movers",
    "explain_moves", "moves_by",
]

SCORE_RANGE = (300, 850)

# FICO's published category weights for the general population (myFICO, "What's in my FICO Scores").
PUBLISHED_WEIGHTS = {
    "payment_history": 0.35,
    "amounts_owed": 0.30,
    "length_of_history": 0.15,
    "new_credit": 0.10,
    "credit_mix": 0.10,
}

# Which town column stands for each category, and how it becomes a number from 0 (worst) to 1 (best).
# The columns are the town's; the scoring within each category is ILLUSTRATIVE.
CATEGORIES = {
    "payment_history": "missed_payments (payments more than 30 days late in the last seven years): "
                       "1 / (1 + missed payments), so the first late payment costs the most",
    "amounts_owed": "credit_utilisation (share of available credit in use): 1 - utilisation",
    "length_of_history": "credit_history_years (years since the oldest account was opened): "
                         "years / 20, full marks from 20 years",
    "new_credit": "recent_inquiries (applications for new credit in the last year): "
                  "1 - inquiries / 5, no marks from 5 applications",
    "credit_mix": "credit_accounts (number of open accounts), as a stand-in for the mix: "
                  "accounts / 4, full marks from 4 accounts",
}

# What the town does not record, for each category, and what this model does instead.
GAPS = {
    "payment_history": "The town counts late payments but not how late, how recent or on which kind of account, "
                       "and has no collections or bankruptcies; every late payment counts the same here.",
    "amounts_owed": "The town has the share of credit in use but not the amounts owed or loan balances; "
                    "the share stands for the whole category.",
    "length_of_history": "The town has only the age of the oldest account, not the average or newest; "
                         "the oldest account stands for the whole category.",
    "new_credit": "The town has applications in the last year but not accounts opened recently; "
                  "applications stand for the whole category.",
    "credit_mix": "The town records how many accounts a resident has, not what kinds (cards, instalment loans, "
                  "mortgages), so it has no real credit mix; the number of accounts is a rough stand-in.",
}

# The values a corrected entry may take, for the columns the score reads (see `dispute`).
COLUMN_LIMITS = {
    "missed_payments": (0, None),
    "credit_utilisation": (0.0, 1.0),
    "credit_history_years": (0, None),
    "recent_inquiries": (0, None),
    "credit_accounts": (0, None),
}


def _clip01(values) -> np.ndarray:
    return np.clip(np.asarray(values, dtype=float), 0.0, 1.0)


def scorable(town: pd.DataFrame) -> pd.Series:
    """True for residents with a credit file (the only ones a FICO-like score can rate)."""
    return pd.Series(town["has_credit_file"].to_numpy(dtype=bool), index=town.index, name="scorable")


def category_scores(town: pd.DataFrame) -> pd.DataFrame:
    """Each resident's five categories on a 0-to-1 scale; missing (NaN) for residents without a credit file."""
    has_file = scorable(town).to_numpy()
    categories = {
        "payment_history": 1 / (1 + np.maximum(town["missed_payments"].to_numpy(dtype=float), 0)),
        "amounts_owed": 1 - _clip01(town["credit_utilisation"]),
        "length_of_history": _clip01(town["credit_history_years"].to_numpy(dtype=float) / 20),
        "new_credit": 1 - _clip01(town["recent_inquiries"].to_numpy(dtype=float) / 5),
        "credit_mix": _clip01(town["credit_accounts"].to_numpy(dtype=float) / 4),
    }
    frame = pd.DataFrame({"person_id": town["person_id"].to_numpy()}, index=town.index)
    for name, values in categories.items():
        frame[name] = np.where(has_file, np.round(values, 4), np.nan)
    return frame


def _check_weights(weights: dict[str, float]) -> dict[str, float]:
    return check_weights(weights, PUBLISHED_WEIGHTS, "categories")


def fico_like_score(town: pd.DataFrame, weights: dict[str, float] | None = None) -> pd.Series:
    """An APPROXIMATE FICO-style score from 300 to 850, with FICO's published weights unless `weights` is given.

    Residents without a credit file get NaN ("unscorable"), never a low score.
    """
    weights = _check_weights(dict(weights or PUBLISHED_WEIGHTS))
    categories = category_scores(town)
    combined = sum(weights[c] * categories[c] for c in PUBLISHED_WEIGHTS)
    low, high = SCORE_RANGE
    return pd.Series(np.round(low + (high - low) * combined.to_numpy()), index=town.index, name="fico_like")


def _corrected_value(town: pd.DataFrame, column: str, value):
    """Check a corrected value against the column's kind and limits, with a message that says how to fix it."""
    series = town[column]
    if isinstance(series.dtype, pd.CategoricalDtype):
        if value not in series.cat.categories:
            raise ValueError(f"{value!r} is not a possible {column}; use one of: "
                             f"{', '.join(map(str, series.cat.categories))}.")
        return value
    if pd.api.types.is_bool_dtype(series.dtype):
        if not isinstance(value, (bool, np.bool_)):
            raise ValueError(f"{column} is true or false; give True or False, not {value!r}.")
        return bool(value)
    if pd.api.types.is_numeric_dtype(series.dtype):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ValueError(f"{column} is a number; give a number, not {value!r}.")
        if pd.api.types.is_integer_dtype(series.dtype) and float(value) != int(value):
            raise ValueError(f"{column} is a whole number; give a whole number, not {value!r}.")
        low, high = COLUMN_LIMITS.get(column, (None, None))
        if (low is not None and value < low) or (high is not None and value > high):
            allowed = f"from {low}" + (f" to {high}" if high is not None else " upwards")
            raise ValueError(f"{column} must be {allowed}; {value!r} is outside that.")
        return int(value) if pd.api.types.is_integer_dtype(series.dtype) else float(value)
    return value


def dispute(town: pd.DataFrame, person_id: int, column: str, corrected_value) -> tuple[pd.DataFrame, float]:
    """Correct one entry of one resident's record, as a dispute under the Fair Credit Reporting Act would.

    Returns `(corrected, change)`: a corrected COPY of the town (the town passed in is never changed)
    and the change in that resident's FICO-like score, after minus before. The change is NaN when the
    resident is unscorable before or after the correction, and 0 when the column is not one the score reads.
    """
    if column not in town.columns:
        raise KeyError(f"the town has no column {column!r}; use one of: {', '.join(town.columns)}.")
    if column == "person_id":
        raise ValueError("person_id identifies the resident and cannot be disputed; correct another column.")
    rows = town.index[town["person_id"] == person_id]
    if len(rows) != 1:
        raise KeyError(f"there is no resident with person_id {person_id!r} in this town "
                       f"(ids run from {town['person_id'].min()} to {town['person_id'].max()}).")
    value = _corrected_value(town, column, corrected_value)
    corrected = town.copy()
    corrected.loc[rows[0], column] = value
    # The score of one resident depends on their own record only, so scoring their row is enough.
    before = fico_like_score(town.loc[rows]).iloc[0]
    after = fico_like_score(corrected.loc[rows]).iloc[0]
    return corrected, float(after - before)


# ------------------------------------------------------------------ comparing two scores

def _common(a: pd.Series, b: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The two scores for the residents who have both (missing scores are left out)."""
    if not a.index.equals(b.index):
        raise ValueError("the two scores must be for the same residents, in the same order (the same index).")
    both = a.notna() & b.notna()
    return a[both].astype(float), b[both].astype(float)


def ranks(scores: pd.Series) -> pd.Series:
    """Percentile rank from 0 to 100 (ties share the average rank); missing scores stay missing."""
    return (scores.astype(float).rank(pct=True) * 100).rename(f"{scores.name or 'score'} rank")


def rank_agreement(a: pd.Series, b: pd.Series) -> float:
    """Spearman's rank correlation of two scores, over the residents scored by both.

    It is the ordinary (Pearson) correlation of the two rankings: 1 when both put residents in the same
    order, 0 when one order says nothing about the other, -1 when one reverses the other.
    """
    a, b = _common(a, b)
    if len(a) < 2:
        raise ValueError("rank agreement needs at least two residents scored by both.")
    return float(a.rank().corr(b.rank()))


def rank_change(a: pd.Series, b: pd.Series) -> pd.Series:
    """How many percentile points each resident moves from score `a` to score `b` (positive: higher under `b`).

    Ranks are taken among the residents scored by both; the others get NaN.
    """
    common_a, common_b = _common(a, b)
    change = ranks(common_b) - ranks(common_a)
    return change.reindex(a.index).rename("rank change")


def movers(a: pd.Series, b: pd.Series, n: int = 10, town: pd.DataFrame | None = None,
           columns: list[str] | None = None) -> pd.DataFrame:
    """The `n` residents whose rank moves most between two scores, largest move first.

    With `town`, each resident's person_id is added first, and the town's `columns` (if named) last.
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive whole number of residents, not {n!r}.")
    common_a, common_b = _common(a, b)
    name_a, name_b = a.name or "a", b.name or "b"
    table = pd.DataFrame({
        name_a: common_a, name_b: common_b,
        f"{name_a} rank": ranks(common_a).round(1), f"{name_b} rank": ranks(common_b).round(1),
    })
    table["rank change"] = table[f"{name_b} rank"] - table[f"{name_a} rank"]
    order = table["rank change"].abs().sort_values(ascending=False, kind="stable").index[:n]
    table = table.loc[order]
    if town is not None:
        extra = [c for c in (columns or []) if c != "person_id"]
        unknown = [c for c in extra if c not in town.columns]
        if unknown:
            raise KeyError(f"the town has no column(s) {unknown}; use some of: {', '.join(town.columns)}.")
        table = pd.concat([town.loc[order, ["person_id"]], table, town.loc[order, extra]], axis=1)
    return table


def _as_number(column: pd.Series) -> pd.Series | None:
    """A column as numbers for correlating: booleans as 0/1, ordered categories by their order; None otherwise."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.astype(float).where(column.notna()) if column.cat.ordered else None
    if pd.api.types.is_bool_dtype(column.dtype) or pd.api.types.is_numeric_dtype(column.dtype):
        return column.astype(float)
    return None


def explain_moves(a: pd.Series, b: pd.Series, town: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """How strongly each attribute goes with the rank change from `a` to `b`, strongest first.

    For every numeric, yes/no or ordered column of `town` (or the `columns` named), the correlation of the
    attribute with the rank change: positive means residents with more of it move up under `b`. Unordered
    columns such as district have no direction; compare their groups with `moves_by`.
    """
    change = rank_change(a, b)
    names = columns if columns is not None else [c for c in town.columns if c != "person_id"]
    unknown = [c for c in names if c not in town.columns]
    if unknown:
        raise KeyError(f"the town has no column(s) {unknown}; use some of: {', '.join(town.columns)}.")
    rows = {}
    for name in names:
        values = _as_number(town[name])
        if values is None:
            continue
        usable = change.notna() & values.notna()
        if values[usable].nunique() < 2:
            continue  # a column that does not vary among these residents cannot explain anything
        rows[name] = values[usable].corr(change[usable])
    result = pd.DataFrame({"correlation with rank change": pd.Series(rows, dtype=float)})
    result["strength"] = result["correlation with rank change"].abs()
    return result.sort_values("strength", ascending=False, kind="stable").drop(columns="strength").round(3)


def moves_by(a: pd.Series, b: pd.Series, town: pd.DataFrame, column: str) -> pd.DataFrame:
    """The average rank change from `a` to `b` in each group of one column (for example district or income band)."""
    if column not in town.columns:
        raise KeyError(f"the town has no column {column!r}; use one of: {', '.join(town.columns)}.")
    change = rank_change(a, b)
    grouped = change.groupby(town[column], observed=True)
    return pd.DataFrame({
        "residents scored by both": grouped.count(),
        "average rank change": grouped.mean().round(1),
    })
