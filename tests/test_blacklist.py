import pandas as pd
import pytest

from keepingscore import data
from keepingscore.blacklist import (
    blocks_per_person,
    compare_listings,
    listing_grounds,
    restrictions,
    restrictions_per_person,
    two_readings,
    with_record_errors,
)
from keepingscore.town import make_town


def _resident(**changes):
    base = make_town(1, seed=0).iloc[[0]].copy()
    for column in ("court_judgment", "able_to_pay", "judgment_paid", "obstructed_enforcement"):
        base[column] = False
    for column, value in changes.items():
        base[column] = value
    return base


@pytest.mark.parametrize("record, listed, ground", [
    ({}, False, ""),
    ({"court_judgment": True}, False, ""),  # cannot pay, has not obstructed: not listed
    ({"court_judgment": True, "able_to_pay": True}, True, "refuses_despite_ability"),
    ({"court_judgment": True, "able_to_pay": True, "judgment_paid": True}, False, ""),
    ({"court_judgment": True, "obstructed_enforcement": True}, True, "obstructs_enforcement"),
])
def test_listing_rules_follow_the_grounds(record, listed, ground):
    result = listing_grounds(_resident(**record)).iloc[0]
    assert bool(result["listed"]) is listed
    if ground:
        assert result[ground]
    assert (result["reason"] != "") is listed


def test_listing_on_the_town():
    town = make_town(5_000, seed=3)
    grounds = listing_grounds(town)
    assert len(grounds) == len(town)
    assert grounds["listed"].sum() > 0
    assert not grounds.loc[grounds["listed"], "person_id"].isin(town.loc[~town["court_judgment"], "person_id"]).any()


def test_joint_punishment_applies_every_measure_for_people_to_every_listed_person():
    town = make_town(3_000, seed=1)
    grounds = listing_grounds(town)
    measures = data.load("joint_punishment")
    for_people = measures["applies_to"].isin(["people", "both"]).sum()
    table = restrictions(grounds, measures)
    assert len(table) == grounds["listed"].sum() * for_people
    counts = restrictions_per_person(grounds, measures)
    assert (counts[grounds["listed"]] == for_people).all() and (counts[~grounds["listed"]] == 0).all()


def test_record_errors_flip_only_court_records_and_leave_the_original_alone():
    town = make_town(5_000, seed=2)
    before = town.copy()
    faulty = with_record_errors(town, 0.1, seed=4)
    pd.testing.assert_frame_equal(town, before)
    assert faulty["record_flipped"].sum() > 0
    assert not faulty.loc[~town["court_judgment"], "record_flipped"].any()
    changed = faulty["judgment_paid"] != town["judgment_paid"]
    assert (changed == faulty["record_flipped"]).all()
    counts = compare_listings(listing_grounds(town), listing_grounds(faulty))
    assert counts.sum() == len(town) and counts["listed wrongly"] > 0
    assert compare_listings(listing_grounds(town), listing_grounds(with_record_errors(town, 0)))["listed wrongly"] == 0
    with pytest.raises(ValueError, match="between 0 and 1"):
        with_record_errors(town, 5)


def test_published_figures_per_person_and_the_two_readings():
    figures = data.load("blacklist_figures")
    table = blocks_per_person(figures)
    assert (table["blocks_per_person"] > 0).all() and table.index.is_monotonic_increasing
    assert set(table["status_of_blocks_figure"]) <= {"documented", "reported", "disputed"}
    readings = two_readings(figures)
    running, alone = readings["running total at the end of 2018"]
    base = figures[(figures["figure_id"] == "2017-02-flights")]["value"].iloc[0]
    assert running == 17_500_000 and alone == base + running
