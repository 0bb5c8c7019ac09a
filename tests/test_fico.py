import numpy as np
import pandas as pd
import pytest

from keepingscore import fico as F
from keepingscore.credit import sesame_score
from keepingscore.exercises import western as ex
from keepingscore.town import make_town


@pytest.fixture(scope="module")
def town():
    return make_town(4_000, seed=5)


def test_weights_are_ficos_published_ones_and_every_category_is_documented():
    assert F.PUBLISHED_WEIGHTS == {"payment_history": 0.35, "amounts_owed": 0.30, "length_of_history": 0.15,
                                   "new_credit": 0.10, "credit_mix": 0.10}
    assert set(F.CATEGORIES) == set(F.GAPS) == set(F.PUBLISHED_WEIGHTS)
    assert "APPROXIMATION" in F.__doc__


def test_every_column_the_score_reads_exists_in_the_town(town):
    for description in F.CATEGORIES.values():
        assert description.split(" ", 1)[0] in town.columns
    assert set(F.COLUMN_LIMITS) <= set(town.columns)


def test_categories_are_between_0_and_1_and_missing_without_a_file(town):
    categories = F.category_scores(town).drop(columns="person_id")
    scored = categories[town["has_credit_file"]]
    assert ((scored >= 0) & (scored <= 1)).all().all()
    assert categories[~town["has_credit_file"]].isna().all().all()


def test_scores_stay_in_range_and_residents_without_a_file_are_unscorable(town):
    scores = F.fico_like_score(town)
    assert scores.index.equals(town.index)
    assert scores.dropna().between(*F.SCORE_RANGE).all()
    assert scores.isna().equals(~town["has_credit_file"].rename("fico_like"))
    assert F.scorable(town).sum() == scores.notna().sum()
    pd.testing.assert_series_equal(scores, F.fico_like_score(town))


def test_perfect_and_empty_records_reach_the_ends_of_the_range():
    best = make_town(2, seed=1).assign(has_credit_file=True, missed_payments=0, credit_utilisation=0.0,
                                       credit_history_years=30, recent_inquiries=0, credit_accounts=6)
    assert F.fico_like_score(best).tolist() == [850, 850]
    worst = best.assign(missed_payments=10**9, credit_utilisation=1.0, credit_history_years=0,
                        recent_inquiries=9, credit_accounts=0)
    assert F.fico_like_score(worst).tolist() == [300, 300]


@pytest.mark.parametrize("column, better", [
    ("missed_payments", 0), ("credit_utilisation", 0.0), ("credit_history_years", 25), ("recent_inquiries", 0),
    ("credit_accounts", 5),
])
def test_each_category_moves_the_score_the_right_way(town, column, better):
    improved = town.copy()
    improved[column] = better
    assert (F.fico_like_score(improved).dropna() >= F.fico_like_score(town).dropna()).all()


def test_weights_follow_the_published_shares(town):
    # Payment history carries the most weight: a late payment costs more than the same step elsewhere.
    one = make_town(1, seed=2).assign(has_credit_file=True, missed_payments=0, credit_utilisation=0.0,
                                      credit_history_years=20, recent_inquiries=0, credit_accounts=4)
    late = F.fico_like_score(one.assign(missed_payments=1)).iloc[0]
    inquiring = F.fico_like_score(one.assign(recent_inquiries=5)).iloc[0]
    assert 850 - late == pytest.approx(550 * 0.35 * 0.5, abs=0.5)
    assert 850 - inquiring == pytest.approx(550 * 0.10, abs=0.5)


@pytest.mark.parametrize("weights, message", [
    ({"payment_history": 1.0}, "missing"),
    (dict(F.PUBLISHED_WEIGHTS, payment_history=0.5), "add up to 1"),
    (dict(F.PUBLISHED_WEIGHTS, shoe_size=0.0), "unknown"),
    (dict(F.PUBLISHED_WEIGHTS, payment_history=-0.1, amounts_owed=0.75), "negative"),
])
def test_bad_weights_get_a_clear_error(town, weights, message):
    with pytest.raises(ValueError, match=message):
        F.fico_like_score(town, weights)


def test_dispute_returns_a_corrected_copy_and_the_change(town):
    before = town.copy()
    person = int(town.loc[town["has_credit_file"] & (town["missed_payments"] >= 2), "person_id"].iloc[0])
    corrected, change = F.dispute(town, person, "missed_payments", 0)
    pd.testing.assert_frame_equal(town, before)  # never changes the town it was given
    assert corrected is not town
    row = town.index[town["person_id"] == person][0]
    assert corrected.loc[row, "missed_payments"] == 0
    assert corrected.drop(index=row).equals(town.drop(index=row))
    scores_before, scores_after = F.fico_like_score(town), F.fico_like_score(corrected)
    assert change == pytest.approx(scores_after[row] - scores_before[row])
    assert change > 0
    assert corrected["missed_payments"].dtype == town["missed_payments"].dtype


def test_dispute_of_a_column_the_score_ignores_changes_nothing_and_no_file_means_no_score(town):
    person = int(town["person_id"].iloc[0])
    corrected, change = F.dispute(town, person, "volunteer_hours", 3)
    assert change == 0 and corrected["volunteer_hours"].iloc[0] == 3
    no_file = int(town.loc[~town["has_credit_file"], "person_id"].iloc[0])
    _, change = F.dispute(town, no_file, "missed_payments", 0)
    assert np.isnan(change)


@pytest.mark.parametrize("args, error, message", [
    ((10**9, "missed_payments", 0), KeyError, "no resident"),
    ((1, "missed_paymnts", 0), KeyError, "no column"),
    ((1, "credit_utilisation", 1.5), ValueError, "from 0.0 to 1.0"),
    ((1, "missed_payments", -1), ValueError, "from 0 upwards"),
    ((1, "missed_payments", 1.5), ValueError, "whole number"),
    ((1, "missed_payments", "none"), ValueError, "a number"),
    ((1, "has_credit_file", "yes"), ValueError, "True or False"),
    ((1, "district", "Atlantis"), ValueError, "Old Town"),
    ((1, "person_id", 2), ValueError, "cannot be disputed"),
])
def test_bad_disputes_get_a_clear_error(town, args, error, message):
    with pytest.raises(error, match=message):
        F.dispute(town, *args)


def test_rank_agreement_is_spearmans_rho():
    a = pd.Series([1.0, 2.0, 3.0, 4.0, np.nan])
    assert F.rank_agreement(a, a * 10) == pytest.approx(1)
    assert F.rank_agreement(a, -a) == pytest.approx(-1)
    b = pd.Series([10.0, 30.0, 20.0, 40.0, 5.0])  # the last resident has no score under a: left out
    # 1 - 6 * sum(d^2) / (n (n^2 - 1)) with rank differences 0, -1, 1, 0
    assert F.rank_agreement(a, b) == pytest.approx(1 - 6 * 2 / (4 * 15))
    with pytest.raises(ValueError, match="same residents"):
        F.rank_agreement(a, b.reset_index(drop=True).iloc[::-1])


def test_movers_and_rank_change():
    a = pd.Series([1.0, 2.0, 3.0, 4.0, np.nan], name="first")
    b = pd.Series([4.0, 2.0, 3.0, 1.0, 9.0], name="second")
    change = F.rank_change(a, b)
    assert change.tolist()[:4] == [75.0, 0.0, 0.0, -75.0] and np.isnan(change.iloc[4])
    top = F.movers(a, b, n=2)
    assert list(top.index) == [0, 3]
    assert list(top.columns) == ["first", "second", "first rank", "second rank", "rank change"]
    town = pd.DataFrame({"person_id": [11, 12, 13, 14, 15], "age": [20, 30, 40, 50, 60]})
    named = F.movers(a, b, n=1, town=town, columns=["age"])
    assert named.iloc[0]["person_id"] == 11 and named.iloc[0]["age"] == 20
    with pytest.raises(ValueError, match="positive"):
        F.movers(a, b, n=0)


def test_explain_moves_finds_the_attribute_that_drives_the_difference():
    rng = np.random.default_rng(0)
    town = pd.DataFrame({
        "person_id": range(1, 501),
        "driver": rng.normal(size=500),
        "noise": rng.normal(size=500),
        "flag": rng.random(500) < 0.5,
        "band": pd.Categorical(rng.choice(["low", "high"], 500), categories=["low", "high"], ordered=True),
        "district": pd.Categorical(rng.choice(["north", "south"], 500)),
        "constant": 1,
    })
    a = pd.Series(rng.normal(size=500))
    b = a + 3 * town["driver"]
    table = F.explain_moves(a, b, town)
    assert table.index[0] == "driver" and table.iloc[0, 0] > 0.5
    assert {"noise", "flag", "band"} <= set(table.index)
    assert "district" not in table.index and "constant" not in table.index
    by_district = F.moves_by(a, b, town, "district")
    assert by_district["residents scored by both"].sum() == 500


def test_the_two_scores_of_the_book_can_be_compared(town):
    fico, sesame = F.fico_like_score(town), sesame_score(town)
    agreement = F.rank_agreement(fico, sesame)
    assert 0 < agreement < 1  # related, but far from the same ranking
    explained = F.explain_moves(fico, sesame, town)
    assert explained["correlation with rank change"].abs().is_monotonic_decreasing
    assert F.moves_by(fico, sesame, town, "income_band")["residents scored by both"].sum() == fico.notna().sum()


def test_exercise_checks_accept_the_right_answers_and_hint_otherwise(town):
    scores = F.fico_like_score(town)
    low = 100 * scores[town["income_band"] == "low"].isna().mean()
    assert ex.check_1(low, town) and not ex.check_1(low + 5, town) and not ex.check_1(None, town)
    moved = int((F.rank_change(scores, sesame_score(town)).abs() >= 25).sum())
    assert ex.check_2(moved, town) and not ex.check_2(moved + 1, town) and not ex.check_2("many", town)
    case = ex.dispute_case(town)
    _, change = F.dispute(town, case["person_id"], case["column"], case["corrected_value"])
    assert ex.check_4(change, town) and not ex.check_4(0, town)
    assert "no answer yet" in repr(ex.check_4(None, town))
