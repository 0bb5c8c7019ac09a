"""The audit module: any score, including degenerate ones, gets findings and never a crash."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from keepingscore.audit import (
    AuditError,
    Design,
    audit,
    disparate_impact,
    errors_and_appeals,
    eu_test,
    outcomes_by_group,
)
from keepingscore.credit import sesame_score
from keepingscore.town import make_town


@pytest.fixture(scope="module")
def town():
    return make_town(3_000, seed=7)


def _design(**changes):
    base = dict(name="safe driving", purpose="cheaper car insurance", context="traffic",
                inputs={"traffic_violations": "traffic"},
                consequences=[{"what": "higher premium", "context": "traffic", "severity": 2}], gravity=2,
                appeal=True)
    base.update(changes)
    return Design(**base)


SCORES = {
    "constant": lambda t: pd.Series(500.0, index=t.index),
    "random": lambda t: pd.Series(np.random.default_rng(1).normal(600, 50, len(t)), index=t.index),
    "single attribute": lambda t: -t["traffic_violations"].astype(float),
    "boolean": lambda t: t["has_smartphone"],
    "all missing": lambda t: pd.Series(np.nan, index=t.index),
    "mostly missing": lambda t: t["credit_utilisation"].where(t.index < 3),
    "sesame-like": lambda t: sesame_score(t),
    "list of numbers": lambda t: list(range(len(t))),
}


@pytest.mark.parametrize("name", SCORES)
def test_any_score_gets_findings_without_crashing(town, name):
    report = audit(town, SCORES[name](town), _design())
    assert report.findings and all(f.verdict in {"pass", "concern", "cannot tell"} for f in report.findings)
    assert str(report).strip()


def test_a_constant_score_says_it_cannot_judge_fairness(town):
    report = audit(town, SCORES["constant"](town))
    first = report.findings[0]
    assert first.verdict == "cannot tell" and "ranks no one" in first.detail
    assert not any(f.check.startswith("disparate impact") for f in report.findings)


def test_no_design_means_scope_cannot_be_judged(town):
    verdicts = audit(town, SCORES["random"](town)).verdicts()
    assert verdicts["scope and EU test"] == "cannot tell"


def test_a_score_built_from_income_shows_disparate_impact(town):
    order = {"low": 0, "lower-middle": 1, "middle": 2, "upper-middle": 3, "high": 4}
    score = town["income_band"].map(order).astype(float)
    report = audit(town, score, threshold=3)
    assert report.verdicts()["disparate impact by income_band"] == "concern"
    table = report.by_group["income_band"]
    assert table.loc["low", "favourable_share"] == 0 and table.loc["high", "favourable_share"] == 1


def test_random_score_shows_no_disparate_impact_by_district(town):
    report = audit(town, SCORES["random"](town))
    assert report.verdicts()["disparate impact by district"] == "pass"


def test_small_groups_are_suppressed_not_shown():
    score = pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8])
    groups = pd.Series(list("AAAAAABB"))
    table = outcomes_by_group(score, groups, score >= 4, min_group=5)
    assert np.isnan(table.loc["B", "favourable_share"]) and "fewer than 5" in table.loc["B", "note"]
    ratio, sentence = disparate_impact(table)
    assert ratio is None and "fewer than two groups" in sentence


def test_nobody_favoured_cannot_give_a_ratio():
    table = pd.DataFrame({"favourable_share": [0.0, 0.0]}, index=["A", "B"])
    assert disparate_impact(table)[0] is None


def test_errors_and_appeals_match_the_formula_on_a_large_town():
    favourable = pd.Series(np.arange(200_000) % 2 == 0)
    sim = errors_and_appeals(favourable, error_rate=0.05, appeal_rate=0.4, success_rate=0.5, seed=3)
    observed = sim["still_wrong"] / sim["residents"]
    expected = sim["expected_still_wrong_share"]
    standard_error = (expected * (1 - expected) / sim["residents"]) ** 0.5
    assert abs(observed - expected) < 4 * standard_error
    with pytest.raises(AuditError, match="error_rate"):
        errors_and_appeals(favourable, error_rate=1.5)


def test_eu_test_flags_unrelated_context_and_disproportion():
    harsh = _design(inputs={"missed_payments": "credit"},
                    consequences=[{"what": "barred from trains", "context": "transport", "severity": 5}], gravity=2)
    verdicts = {f.check: f.verdict for f in eu_test(harsh)}
    assert verdicts == {"EU test: unrelated context": "concern", "EU test: disproportionate": "concern"}
    fair = {f.check: f.verdict for f in eu_test(_design())}
    assert set(fair.values()) == {"pass"}
    firms = eu_test(_design(scores_people=False, consequences=harsh.consequences))
    assert firms[0].verdict == "pass" and "organisations" in firms[0].detail


def test_scope_checks_notice_personal_characteristics(town):
    design = _design(inputs={"age": "personal", "traffic_violations": "traffic"}, appeal=False)
    verdicts = audit(town, -town["traffic_violations"].astype(float), design).verdicts()
    assert verdicts["personal characteristics"] == "concern"
    assert verdicts["scope"] == "concern" and verdicts["appeal"] == "concern"


@pytest.mark.parametrize("bad, message", [
    (lambda t: pd.Series(["high"] * len(t), index=t.index), "not numbers"),
    (lambda t: [1, 2, 3], "one value per resident"),
    (lambda t: t[["age", "district"]], "one column"),
    (lambda t: "no_such_column", "no column"),
    (lambda t: pd.Series(1.0, index=range(5, 5 + len(t))), "index does not match"),
])
def test_unreadable_scores_get_a_message_that_says_what_to_change(town, bad, message):
    with pytest.raises(AuditError, match=message):
        audit(town, bad(town))


def test_design_errors_name_the_problem(town):
    with pytest.raises(AuditError, match="not in the town"):
        audit(town, town["age"], _design(inputs={"favourite_colour": "personal"}))
    with pytest.raises(AuditError, match="severity"):
        eu_test(_design(consequences=[{"what": "fine", "context": "traffic", "severity": 9}]))
    with pytest.raises(AuditError, match="lacks"):
        eu_test(_design(consequences=[{"what": "fine"}]))


def test_the_town_is_not_changed(town):
    before = town.copy()
    audit(town, SCORES["sesame-like"](town), _design())
    pd.testing.assert_frame_equal(town, before)


def test_no_appeal_route_means_nobody_is_put_right_on_appeal(town):
    score = -town["traffic_violations"].astype(float)
    closed = audit(town, score, _design(appeal=False))
    detail = next(f.detail for f in closed.findings if f.check == "errors and appeals")
    assert "appeals put right 0," in detail
    opened = audit(town, score, _design(appeal=True))
    detail = next(f.detail for f in opened.findings if f.check == "errors and appeals")
    assert "appeals put right 0," not in detail


def test_a_ratio_at_the_line_is_shown_precisely_enough_to_see_which_side():
    table = pd.DataFrame({"favourable_share": [0.5530, 0.6892]}, index=["young", "middle"])
    ratio, sentence = disparate_impact(table)
    assert ratio > 0.8 and "0.802" in sentence
