import pandas as pd
import pytest

from keepingscore import points as P
from keepingscore.town import make_town

RULES = pd.DataFrame({
    "rule_id": ["traffic_ticket", "volunteer_hour", "civic_award", "unpaid_judgment", "heroic_act"],
    "points": [-5, 1, 20, -50, 30],
    "status": ["reported", "illustrative", "illustrative", "illustrative", "reported"],
})


@pytest.fixture(scope="module")
def town():
    return make_town(3_000, seed=4)


def test_ledger_has_one_row_per_event_and_sums_to_the_counts(town):
    entries = P.ledger(town, RULES)
    counts = P.event_counts(town, RULES)
    assert len(entries) == counts.to_numpy().sum()
    assert "heroic_act" not in counts.columns  # the town's records cannot show it, so it is not applied
    assert entries["date"].between("2025-01-01", "2025-12-31").all()
    assert entries["date"].is_monotonic_increasing
    pd.testing.assert_frame_equal(entries, P.ledger(town, RULES))


def test_balances_match_the_plain_python_loop(town):
    sample = town.head(150)
    vectorised = P.balances(sample, P.ledger(sample, RULES)).astype(int).tolist()
    assert vectorised == P.balances_loop(sample, RULES)


def test_a_resident_with_no_events_keeps_the_start(town):
    quiet = town.head(1).copy()
    for column in ("traffic_violations", "other_violations", "volunteer_hours", "civic_awards"):
        quiet[column] = 0
    quiet["donations"] = 0.0
    quiet["court_judgment"] = False
    assert P.balances(quiet, P.ledger(quiet, RULES)).iloc[0] == P.START


def test_grades_follow_the_cutoffs_and_unscored_residents_are_not_graded():
    values = pd.Series([1060, 1040, 1000, 900, 700, 100, pd.NA], dtype="Int64")
    assert P.grades(values).astype(str).tolist() == ["AAA", "AA", "A", "B", "C", "D", "not scored"]


def test_opt_in_leaves_non_consenting_residents_unscored(town):
    entries = P.ledger(town, RULES)
    scored = P.balances(town, entries, scored=town["consents_to_optional_scheme"])
    assert scored[~town["consents_to_optional_scheme"]].isna().all()
    assert scored[town["consents_to_optional_scheme"]].notna().all()


def test_changing_a_rule_moves_grades_and_leaves_the_original_alone(town):
    before = RULES.copy()
    harsher = P.change_rule(RULES, "traffic_ticket", -10)
    pd.testing.assert_frame_equal(RULES, before)
    assert harsher.loc[harsher.rule_id == "traffic_ticket", "status"].item() == "illustrative"
    old = P.balances(town, P.ledger(town, RULES))
    new = P.balances(town, P.ledger(town, harsher))
    assert (new <= old).all() and (new < old).any()
    with pytest.raises(KeyError, match="No rule"):
        P.change_rule(RULES, "jaywalking", -1)
