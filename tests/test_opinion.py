import math

import numpy as np
import pandas as pd
import pytest

from keepingscore import data, poll, references
from keepingscore import opinion as O
from keepingscore.exercises import opinion as ex

from .conftest import ROOT


def test_margin_of_error_by_hand_and_on_columns():
    assert O.margin_of_error(0.5, 100) == pytest.approx(1.96 * 0.05)
    assert O.margin_of_error(0.8, 2200) == pytest.approx(1.96 * math.sqrt(0.16 / 2200))
    assert O.margin_of_error(0, 50) == 0 and O.margin_of_error(1, 50) == 0
    assert O.margin_of_error(0.5, 400, z=1) == pytest.approx(0.025)
    shares = pd.Series([0.2, 0.5, np.nan], index=[3, 4, 5])
    result = O.margin_of_error(shares, pd.Series([100, 100, 100], index=[3, 4, 5]))
    assert list(result.index) == [3, 4, 5] and np.isnan(result[5]) and result[4] > result[3]
    # Four times the sample halves the margin.
    assert O.margin_of_error(0.3, 400) == pytest.approx(O.margin_of_error(0.3, 100) / 2)
    for bad in [(1.2, 100), (-0.1, 100), (0.5, 0)]:
        with pytest.raises(ValueError):
            O.margin_of_error(*bad)


def test_differences_and_sample_sizes():
    assert O.difference_margin(0.5, 100, 0.5, 100) == pytest.approx(math.sqrt(2) * O.margin_of_error(0.5, 100))
    small = O.compare_shares(0.50, 30, 0.60, 30)
    assert small["what it allows"].startswith("within the margin")
    large = O.compare_shares(0.80, 2200, 0.53, 1000)
    assert large["what it allows"].startswith("larger than the margin") and large["difference (points)"] == -27.0
    assert O.sample_size_for(0.03) == 1068
    assert O.margin_of_error(0.5, O.sample_size_for(0.03)) <= 0.03 < O.margin_of_error(0.5, O.sample_size_for(0.03) - 1)
    with pytest.raises(ValueError, match="margin"):
        O.sample_size_for(3)


def test_survey_figures_keep_unknown_sample_sizes_unknown():
    figures = data.load("survey_figures")
    assert {"rieger2020young", "xu2022information", "kostka2019china"} <= set(figures["source_key"])
    unknown = figures["sample_size_status"] == "not found"
    assert figures.loc[unknown, "sample_size"].isna().all()
    assert figures.loc[~unknown, "sample_size"].notna().all()
    kostka = figures.set_index("figure_id").loc["kostka-approve"]
    assert kostka["sample_size"] == 2200 and kostka["sample_size_status"] == "lower bound only"
    assert "2,209" in kostka["note"] and "not confirmed" in kostka["note"]
    table = O.with_margins(figures).set_index("figure_id")
    assert table.loc["kostka-approve", "margin"] == pytest.approx(1.7)
    assert table.loc["kostka-approve", "margin note"].startswith("at most")
    assert table.loc[figures.set_index("figure_id").index[unknown], "margin"].isna().all()
    assert table.loc["xu-students", "margin note"] == "not a share"


def test_claims_table_sources_resolve_and_the_tally_keeps_every_level():
    claims = data.load("claims")
    keys = references.keys(ROOT / "references.bib")
    assert set(claims["correcting_source_key"]) <= keys
    assert claims["claim_id"].str.match(r"^[am]\d{2}$").all()
    tally = O.tally_claims(claims)
    assert list(tally.index) == list(O.EVIDENCE_LEVELS) and tally.sum() == len(claims)
    assert O.tally_claims(claims[claims["evidence_level"] == "contradicted"])["documented"] == 0
    with pytest.raises(ValueError, match="Unknown evidence level"):
        O.tally_claims(pd.DataFrame({"evidence_level": ["rumoured"]}))


def test_claims_chart_labels_every_level_and_hatches_every_bar():
    import matplotlib.pyplot as plt

    fig = O.claims_chart(data.load("claims"))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(O.EVIDENCE_LEVELS)
    hatches = [bar.get_hatch() for bar in ax.patches]
    assert all(hatches) and len(set(hatches)) == len(O.EVIDENCE_LEVELS)
    plt.close(fig)


def test_example_votes_are_anonymous_and_read_back_through_the_poll_module(tmp_path):
    votes = O.example_votes()
    assert votes["respondent"].str.match(r"^v\d{2}$").all()
    path = tmp_path / "votes.csv"
    votes.to_csv(path, index=False)
    result = poll.swing(poll.read_votes(path)).set_index("motion_id")
    small = result.loc["ban-sharing-blacklists"]
    assert pd.isna(small["n_before"]) and "suppressed" in small["note"]
    assert result.loc["surveys-show-approval", "winner"] == "against"
    pd.testing.assert_frame_equal(O.example_votes(), votes)


def test_exercise_checks_accept_the_formula_and_the_rule_of_thumb():
    figures = data.load("survey_figures")
    share = figures.set_index("figure_id").loc["kostka-approve", "share"]
    assert ex.check_1(100 * O.margin_of_error(share, ex.SMALL_SAMPLE), figures)
    assert ex.check_1(3.5, figures) and not ex.check_1(1.7, figures)  # 1.7 is the published sample's margin
    assert ex.check_2(O.sample_size_for(0.03)) and ex.check_2(np.int64(1112)) and ex.check_2(1111)
    assert not ex.check_2(1000) and not ex.check_2(True)
    assert "1 / sqrt(n)" in repr(ex.check_2(None))
