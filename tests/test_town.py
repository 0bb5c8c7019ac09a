import numpy as np
import pandas as pd
import pytest

from keepingscore import data
from keepingscore.town import COLUMNS, DISTRICTS, make_ties, make_town, sample


@pytest.fixture(scope="module")
def town():
    return make_town(10_000, seed=0)


def test_same_seed_gives_identical_town():
    pd.testing.assert_frame_equal(make_town(2_000, seed=7), make_town(2_000, seed=7))


def test_different_seeds_give_different_towns():
    assert not make_town(2_000, seed=1).equals(make_town(2_000, seed=2))


def test_size_and_columns(town):
    assert len(town) == 10_000
    assert list(town.columns) == list(COLUMNS)
    assert town["person_id"].is_unique
    assert town.notna().all().all()


def test_every_column_is_documented():
    assert all(len(text) > 15 for text in COLUMNS.values())


def test_values_are_in_their_documented_ranges(town):
    assert town["age"].between(18, 90).all()
    assert set(town["district"].unique()) == set(DISTRICTS)
    assert town["credit_utilisation"].between(0, 1).all()
    assert town["household_size"].between(1, 6).all()
    assert (town["credit_history_years"] <= town["age"] - 18).all()


def test_court_columns_are_consistent(town):
    no_judgment = ~town["court_judgment"]
    assert (town.loc[no_judgment, "judgment_amount"] == 0).all()
    assert not town.loc[no_judgment, ["able_to_pay", "judgment_paid", "obstructed_enforcement"]].any().any()
    assert (town.loc[town["court_judgment"], "judgment_amount"] > 0).all()


def test_credit_columns_are_empty_without_a_credit_file(town):
    thin = town[~town["has_credit_file"]]
    assert (thin[["credit_accounts", "missed_payments", "recent_inquiries"]] == 0).all().all()


def test_household_members_share_district_and_size(town):
    per_household = town.groupby("household_id").agg(
        districts=("district", "nunique"), size=("household_size", "first"), members=("person_id", "size")
    )
    assert (per_household["districts"] == 1).all()
    # The last household may be cut short at n residents.
    assert (per_household["size"].iloc[:-1] == per_household["members"].iloc[:-1]).all()


def test_income_relates_to_credit_access(town):
    share = town.groupby("income_band", observed=True)["has_credit_file"].mean()
    assert share["low"] < share["high"]


def test_older_residents_have_fewer_smartphones(town):
    assert town.loc[town["age"] >= 75, "has_smartphone"].mean() < town.loc[town["age"] < 30, "has_smartphone"].mean()


def test_bad_size_is_refused():
    with pytest.raises(ValueError, match="positive whole number"):
        make_town(0)


def test_ties_are_undirected_unique_and_local(town):
    ties = make_ties(town, seed=0)
    assert (ties["person_id"] < ties["friend_id"]).all()
    assert not ties.duplicated().any()
    district = town.set_index("person_id")["district"]
    same = district.loc[ties["person_id"]].to_numpy() == district.loc[ties["friend_id"]].to_numpy()
    assert same.all()
    degree = np.bincount(np.concatenate([ties["person_id"], ties["friend_id"]]), minlength=len(town) + 1)
    assert degree[1:].mean() > 3
    pd.testing.assert_frame_equal(ties, make_ties(town, seed=0))


def test_spreadsheet_sample_matches_the_generator():
    shipped = data.load("town_sample")
    expected = sample()
    assert list(shipped.columns) == list(expected.columns)
    assert len(shipped) == len(expected)
    for column in expected:
        left, right = shipped[column].astype(str).tolist(), expected[column].astype(str).tolist()
        if expected[column].dtype == bool:
            left = [v.lower() for v in left]
            right = [v.lower() for v in right]
        if expected[column].dtype.kind == "f":
            np.testing.assert_allclose(shipped[column].to_numpy(float), expected[column].to_numpy(float))
        else:
            assert left == right, f"datasets/town_sample.csv column {column} drifted from make_town"


def test_sample_schema_describes_every_column():
    fields = {f["name"]: f["description"] for f in data.describe("town_sample")["schema"]["fields"]}
    assert fields == COLUMNS
