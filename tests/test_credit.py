import pandas as pd
import pytest

from keepingscore.credit import (
    FACTORS,
    ILLUSTRATIVE_WEIGHTS,
    SCORE_RANGE,
    crossings,
    factor_scores,
    relationship_factor,
    sesame_score,
    tiers,
)
from keepingscore.town import make_ties, make_town


@pytest.fixture(scope="module")
def town():
    return make_town(4_000, seed=5)


def test_weights_are_illustrative_and_complete():
    assert set(ILLUSTRATIVE_WEIGHTS) == set(FACTORS)
    assert sum(ILLUSTRATIVE_WEIGHTS.values()) == pytest.approx(1)


def test_factors_are_between_0_and_1(town):
    factors = factor_scores(town).drop(columns="person_id")
    assert ((factors >= 0) & (factors <= 1)).all().all()


def test_scores_stay_in_range_and_are_deterministic(town):
    scores = sesame_score(town)
    assert scores.between(*SCORE_RANGE).all()
    pd.testing.assert_series_equal(scores, sesame_score(town))
    assert scores.index.equals(town.index)


def test_scores_follow_their_inputs(town):
    better = town.copy()
    better["missed_payments"] = 0
    assert (sesame_score(better) >= sesame_score(town)).all()
    richer = town.copy()
    richer["income_band"] = pd.Categorical(["high"] * len(town), categories=town["income_band"].cat.categories,
                                           ordered=True)
    assert sesame_score(richer).mean() > sesame_score(town).mean()


def test_weight_changes_move_scores(town):
    heavy_income = dict.fromkeys(FACTORS, 0.0) | {"fulfilment_capacity": 1.0}
    scores = sesame_score(town, heavy_income)
    by_band = scores.groupby(town["income_band"], observed=True).mean()
    assert by_band.is_monotonic_increasing


@pytest.mark.parametrize("weights, message", [
    ({"credit_history": 1.0}, "missing"),
    (dict(ILLUSTRATIVE_WEIGHTS, credit_history=0.5), "add up to 1"),
    (dict(ILLUSTRATIVE_WEIGHTS, shoe_size=0.0), "unknown"),
    (dict(ILLUSTRATIVE_WEIGHTS, credit_history=-0.1, relationships=0.5), "negative"),
])
def test_bad_weights_get_a_clear_error(town, weights, message):
    with pytest.raises(ValueError, match=message):
        sesame_score(town, weights)


def test_relationships_factor_uses_friends(town):
    ties = make_ties(town, seed=5)
    factors = factor_scores(town)
    alone = relationship_factor(factors, None)
    with_friends = relationship_factor(factors, ties)
    assert alone.between(0, 1).all() and with_friends.between(0, 1).all()
    assert not alone.equals(with_friends)
    # A resident's relationships factor is the mean of their friends' own averages.
    person = ties["person_id"].iloc[0]
    friends = pd.concat([ties.loc[ties.person_id == person, "friend_id"],
                         ties.loc[ties.friend_id == person, "person_id"]])
    own = factors.set_index("person_id").mean(axis=1)
    row = factors.index[factors.person_id == person][0]
    assert with_friends[row] == pytest.approx(own.loc[friends].mean(), abs=1e-3)


def test_tiers_and_crossings():
    scores = pd.Series([550, 600, 649, 700])
    labels = tiers(scores, {"bikes": 600, "rentals": 650})
    assert labels.tolist() == ["below all", "bikes", "bikes", "rentals"]
    moved = crossings(pd.Series([590, 610, 600]), pd.Series([605, 595, 600]), 600)
    assert moved.tolist() == ["rises above", "falls below", "no change"]


def test_score_follows_each_resident_when_the_town_is_filtered_or_reordered():
    from keepingscore.town import make_ties

    town = make_town(2_000, seed=3)
    ties = make_ties(town, seed=3)
    for kwargs in ({}, {"ties": ties}):
        full = sesame_score(town, **kwargs)
        shuffled = sesame_score(town.sample(frac=1, random_state=1), **kwargs)
        assert (full.loc[shuffled.index] == shuffled).all()
    part = town[town["district"] == "Hilltop"]
    assert (sesame_score(part) == sesame_score(town).loc[part.index]).all()
