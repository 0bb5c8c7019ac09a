import math

import numpy as np
import pandas as pd
import pytest

from keepingscore import data
from keepingscore import linked as L
from keepingscore.blacklist import listing_grounds
from keepingscore.credit import sesame_score
from keepingscore.exercises import linked_systems as ex
from keepingscore.town import make_town


@pytest.fixture(scope="module")
def town():
    return make_town(3_000, seed=5)


@pytest.fixture(scope="module")
def linked(town):
    return L.link(town, values=True)


def test_link_has_one_row_per_resident_and_uses_the_imported_systems(town, linked):
    assert len(linked) == len(town) and linked["person_id"].is_unique
    assert {"court_list", "sesame", "points", "health_code", "adverse_count"} <= set(linked.columns)
    # The statuses come from the systems' own modules, not from copies of their rules.
    assert (linked["court_list"].eq("listed").to_numpy() == listing_grounds(town)["listed"].to_numpy()).all()
    assert (linked["sesame_value"].to_numpy() == sesame_score(town).to_numpy()).all()
    flags = L.adverse_flags(linked)
    assert (flags.sum(axis=1).to_numpy() == linked["adverse_count"].to_numpy()).all()


def test_link_joins_by_person_not_by_row_order(town):
    shuffled = town.sample(frac=1, random_state=1)
    a = L.link(town).set_index("person_id").sort_index()
    b = L.link(shuffled).set_index("person_id").sort_index()
    pd.testing.assert_frame_equal(a, b)


def test_the_registry_takes_a_new_system_as_one_entry(town):
    extra = L.System(
        name="test_only_smartphone", title="A test system", status=lambda t: t["has_smartphone"].map(
            {True: "has phone", False: "no phone"}), adverse=lambda s: s == "no phone",
        own_consequence=None, basis="synthetic test")
    try:
        L.register(extra)
        table = L.link(town)
        assert "test_only_smartphone" in table.columns
        assert (table["test_only_smartphone"] == "no phone").sum() == (~town["has_smartphone"]).sum()
    finally:
        L.SYSTEMS.pop("test_only_smartphone", None)
    with pytest.raises(KeyError, match="No system called"):
        L.link(town, ["no_such_system"])


def test_follow_error_reaches_every_agency_that_restricts_people(town):
    before = town.copy()
    trail = L.follow_error(town)
    pd.testing.assert_frame_equal(town, before)  # the town itself is never changed
    person = trail.attrs["person_id"]
    assert not town.loc[town["person_id"] == person, "court_judgment"].item()
    court = trail.iloc[0]
    assert (court["before"], court["after"]) == ("not listed", "listed")
    agencies = trail[trail["reached by"].str.startswith("the shared court list")]
    assert len(agencies) == len(L.people_measures())
    assert set(agencies["where"]) == set(data.load("joint_punishment").query("applies_to != 'companies'")["agency"])


def test_follow_error_for_a_chosen_resident_and_a_bad_id(town):
    chosen = int(town.loc[~town["court_judgment"], "person_id"].iloc[5])
    assert L.follow_error(town, person_id=chosen).attrs["person_id"] == chosen
    with pytest.raises(KeyError, match="No resident"):
        L.follow_error(town, person_id=10**9)


def test_compare_regimes_linking_spreads_each_error(linked):
    table = L.compare_regimes(linked, p=0.03, seed=2)
    isolated, joined = table.loc["isolated"], table.loc["linked"]
    assert joined["residents with at least one wrong consequence"] >= isolated[
        "residents with at least one wrong consequence"]
    assert joined["wrong consequences in all"] > 5 * isolated["wrong consequences in all"]
    assert L.compare_regimes(linked, p=0).to_numpy().sum() == 0
    # Sharing only the court list (today's joint punishment) cannot add residents: points flags stay inside.
    court_only = L.compare_regimes(linked, p=0.03, seed=2, shared=["court_list"])
    assert court_only.loc["linked", "residents with at least one wrong consequence"] == isolated[
        "residents with at least one wrong consequence"]
    # One name given as text counts as a list of one, not as a list of letters.
    pd.testing.assert_frame_equal(L.compare_regimes(linked, p=0.03, seed=2, shared="court_list"), court_only)
    with pytest.raises(ValueError, match="between 0 and 1"):
        L.compare_regimes(linked, p=3)


def test_compound_error_formula():
    assert L.compound_error(0.1, 0) == 0
    assert L.compound_error(0.1, 1) == pytest.approx(0.1)
    assert L.compound_error(0.02, 3) == pytest.approx(1 - 0.98**3)
    assert L.compound_error(1, 4) == 1
    values = L.compound_error(0.05, np.arange(1, 6))
    assert (np.diff(values) > 0).all()
    for bad in [(-0.1, 2), (1.5, 2), (0.1, -1), (0.1, 2.5)]:
        with pytest.raises(ValueError):
            L.compound_error(*bad)


# The simulated share is a mean of n yes/no outcomes, so its standard error is sqrt(q (1 - q) / n).
# Tolerance: 4 standard errors (a correct simulation misses by more about once in 16,000 runs; the
# seeds are fixed, so the test is deterministic), plus a tiny floor for q = 0.
@pytest.mark.parametrize("p, k", [(0.01, 1), (0.01, 12), (0.02, 3), (0.05, 5), (0.1, 10), (0.3, 2), (0.5, 1)])
def test_simulation_matches_the_formula_within_four_standard_errors(p, k):
    n = 200_000
    q = L.compound_error(p, k)
    tolerance = 4 * math.sqrt(q * (1 - q) / n) + 1e-9
    assert abs(L.simulate_compound(p, k, n, seed=11) - q) <= tolerance


def test_simulation_is_seeded_and_checks_its_arguments():
    assert L.simulate_compound(0.1, 3, 10_000, seed=1) == L.simulate_compound(0.1, 3, 10_000, seed=1)
    assert L.simulate_compound(0, 5, 1_000) == 0
    with pytest.raises(ValueError, match="positive whole number"):
        L.simulate_compound(0.1, 3, 0)


def test_exercise_two_counts_every_row_except_no_change(town):
    trail = L.follow_error(town)
    changed = int((trail["consequence"] != "no change").sum())
    assert ex.check_2(changed, town) and not ex.check_2(changed - 1, town)
    assert "other than exactly" in repr(ex.check_2(None, town))
