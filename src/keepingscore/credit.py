"""Transparent factor scores for the synthetic town, in the style of Sesame Credit (350 to 950).

Sesame Credit named five factor groups but never published how it weighs them or what goes into
each, so every weight and every choice of column below is ILLUSTRATIVE: a teaching model, not
Sesame's formula. The town is synthetic.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = [
    "FACTORS", "ILLUSTRATIVE_WEIGHTS", "SCORE_RANGE", "factor_scores", "relationship_factor",
    "sesame_score", "tiers", "crossings",
]

SCORE_RANGE = (350, 950)

# The five factor groups Sesame Credit described, and the town columns this model uses for each.
FACTORS = {
    "credit_history": "repayment record: missed payments, length of history, share of credit in use",
    "behaviour_preferences": "spending: how much is spent and on what (an illustrative guess at 'preferences')",
    "fulfilment_capacity": "ability to pay: household income band",
    "identity_characteristics": "verifiable identity and stability: a smartphone, age",
    "relationships": "the scores of the people one is connected to (friends in the town)",
}

# ILLUSTRATIVE weights, chosen for teaching. Sesame never published its weights.
ILLUSTRATIVE_WEIGHTS = {
    "credit_history": 0.30,
    "behaviour_preferences": 0.20,
    "fulfilment_capacity": 0.25,
    "identity_characteristics": 0.15,
    "relationships": 0.10,
}

# An illustrative 'preferences' guess: some categories scored up, one scored down.
_PURCHASE_POINTS = {"household": 0.7, "baby goods": 0.8, "groceries": 0.6, "clothing": 0.5,
                    "electronics": 0.5, "travel": 0.6, "video games": 0.2}


def _clip01(values) -> np.ndarray:
    return np.clip(np.asarray(values, dtype=float), 0.0, 1.0)


def factor_scores(town: pd.DataFrame) -> pd.DataFrame:
    """Each resident's first four factors on a 0-to-1 scale (relationships need the friendship ties)."""
    history = np.where(
        town["has_credit_file"],
        0.5 * _clip01(1 - town["missed_payments"] / 4)
        + 0.3 * _clip01(town["credit_history_years"] / 20)
        + 0.2 * _clip01(1 - town["credit_utilisation"]),
        0.3,  # no file: a thin, uncertain record, not a bad one
    )
    spend = _clip01(np.log(town["monthly_spend"].astype(float)) / math.log(10_000))
    category = town["main_purchase_category"].astype(str).map(_PURCHASE_POINTS).fillna(0.5).to_numpy()
    behaviour = 0.5 * spend + 0.5 * category
    # Income matters, but does not decide everything: the lowest band scores 0.2 and the highest 0.8.
    capacity = 0.2 + 0.6 * town["income_band"].cat.codes.to_numpy() / (len(town["income_band"].cat.categories) - 1)
    identity = 0.6 * town["has_smartphone"].to_numpy(dtype=float) + 0.4 * _clip01((town["age"] - 18) / 40)
    return pd.DataFrame({
        "person_id": town["person_id"].to_numpy(),
        "credit_history": np.round(history, 4),
        "behaviour_preferences": np.round(behaviour, 4),
        "fulfilment_capacity": np.round(capacity, 4),
        "identity_characteristics": np.round(identity, 4),
    })


def check_weights(weights: dict[str, float], names=None, what: str = "factors") -> dict[str, float]:
    """Weights must name exactly the expected parts (the five factors by default), be non-negative and add to 1."""
    names = list(FACTORS if names is None else names)
    missing = [f for f in names if f not in weights]
    extra = [k for k in weights if k not in names]
    if missing or extra:
        raise ValueError(
            f"weights must name exactly the {len(names)} {what} {names}; "
            f"missing {missing or 'none'}, unknown {extra or 'none'}."
        )
    if any(w < 0 for w in weights.values()):
        raise ValueError("weights cannot be negative.")
    total = sum(weights.values())
    if not math.isclose(total, 1.0, abs_tol=1e-6):
        raise ValueError(f"weights must add up to 1 (they add up to {total:.3f}); scale them so they do.")
    return weights


def relationship_factor(factors: pd.DataFrame, ties: pd.DataFrame | None) -> pd.Series:
    """The average of each resident's friends' other four factors.

    Without ties (or for a resident with no friends) it is the resident's own average, so that the
    factor then judges people on their own record only.
    """
    own = factors.drop(columns="person_id").mean(axis=1)
    if ties is None or ties.empty:
        return pd.Series(np.round(own.to_numpy(), 4), index=factors.index, name="relationships")
    own.index = factors["person_id"].to_numpy()
    both = pd.concat([
        ties.rename(columns={"person_id": "a", "friend_id": "b"}),
        ties.rename(columns={"friend_id": "a", "person_id": "b"}),
    ])
    both = both[both["b"].isin(own.index)]
    mean = (own.reindex(both["b"]).to_numpy())
    friends = pd.Series(mean, index=both["a"].to_numpy()).groupby(level=0).mean()
    values = friends.reindex(factors["person_id"].to_numpy()).to_numpy()
    values = np.where(np.isnan(values), own.to_numpy(), values)  # no friends: judged on their own record
    return pd.Series(np.round(values, 4), index=factors.index, name="relationships")


def sesame_score(town: pd.DataFrame, weights: dict[str, float] | None = None,
                 ties: pd.DataFrame | None = None) -> pd.Series:
    """An illustrative Sesame-style score from 350 to 950; without `ties`, residents are judged on their own record."""
    weights = check_weights(dict(weights or ILLUSTRATIVE_WEIGHTS))
    factors = factor_scores(town)
    factors["relationships"] = relationship_factor(factors, ties)
    combined = sum(weights[f] * factors[f] for f in FACTORS)
    # Stretch the middle of the 0-to-1 scale across the range, so that the tiers separate people.
    combined = np.clip((combined.to_numpy() - 0.15) / 0.85, 0, 1)  # by position: the town may be filtered
    low, high = SCORE_RANGE
    return pd.Series(np.round(low + (high - low) * combined).astype(int), index=town.index, name="score")


def tiers(scores: pd.Series, thresholds: dict[str, int]) -> pd.Series:
    """Label each score with the highest threshold it reaches ('below all' when none)."""
    ordered = sorted(thresholds.items(), key=lambda item: item[1])
    labels = pd.Series("below all", index=scores.index, dtype=object)
    for name, cut in ordered:
        labels[scores >= cut] = name
    order = ["below all", *[name for name, _ in ordered]]
    return pd.Series(pd.Categorical(labels, categories=order, ordered=True), index=scores.index, name="tier")


def crossings(before: pd.Series, after: pd.Series, threshold: int) -> pd.Series:
    """Who moves across a threshold between two scorings: 'rises above', 'falls below' or 'no change'."""
    up = (before < threshold) & (after >= threshold)
    down = (before >= threshold) & (after < threshold)
    return pd.Series(np.select([up, down], ["rises above", "falls below"], default="no change"),
                     index=before.index, name=f"crossing {threshold}")
