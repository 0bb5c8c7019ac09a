"""Unit tests for the plotting helper, exercise checks and timeline functions."""

import matplotlib.pyplot as plt
import pytest

from keepingscore import checks, references
from keepingscore.errors import DataError
from keepingscore.plotting import HATCHES, PALETTE, figure_markdown, use_style
from keepingscore.timeline import add_event, decade, interval_years, load


def _figure():
    use_style()
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2], hatch=HATCHES[1])
    ax.set(title="T", xlabel="x", ylabel="y")
    return fig


def test_palette_colours_are_distinct():
    assert len(set(PALETTE.values())) == len(PALETTE) == 8


def test_figure_markdown_carries_alt_text_and_is_deterministic():
    alt = "Bar chart with two bars; the second is twice the first."
    first = figure_markdown(_figure(), alt)
    second = figure_markdown(_figure(), alt)
    assert first.startswith(f"![{alt}](data:image/png;base64,")
    assert first == second


def test_figure_without_real_alt_text_is_refused():
    with pytest.raises(ValueError, match="text alternative"):
        figure_markdown(_figure(), "chart")


def test_alt_text_cannot_break_the_markdown():
    out = figure_markdown(_figure(), "A chart [with brackets]\nand a new line in its description")
    assert out.startswith("![A chart (with brackets) and a new line")


def test_checks_say_right_or_not_yet_and_never_raise():
    assert checks.equal(3, 3, hint="h").ok
    assert not checks.equal(None, 3, hint="h").ok
    result = checks.close("not a number", 2.0, within=0.01, hint="use a number")
    assert not result.ok and "could not be checked" in repr(result)
    assert checks.close(2.004, 2.0, within=0.01, hint="h").ok
    assert not checks.close(2.1, 2.0, within=0.05, hint="h").ok
    assert checks.equal(" old town", "Old Town", hint="h").ok
    assert not checks.equal("Old", "Old Town", hint="h").ok
    assert checks.same_items(["b", "a"], ["a", "b"], hint="h").ok
    assert repr(checks.equal(1, 2, hint="try again")).startswith("Not yet: try again")


def test_a_column_instead_of_a_value_gets_a_plain_hint():
    import pandas as pd

    result = checks.equal(pd.Series([1, 2]), 3, hint="h")
    assert not result.ok and "whole column or table" in repr(result)
    assert checks.same_items(pd.Series(["a", "b"]), ["b", "a"], hint="h").ok


def test_decade_labels():
    import pandas as pd

    assert decade(pd.Series([1958, 1960, 2014])).tolist() == ["1950s", "1960s", "2010s"]


def test_interval_and_unknown_event():
    timeline = load()
    a, b = timeline["event_id"].iloc[0], timeline["event_id"].iloc[-1]
    assert interval_years(timeline, a, b) == timeline["year"].iloc[-1] - timeline["year"].iloc[0]
    with pytest.raises(KeyError, match="event_id"):
        interval_years(timeline, "1900-nothing", b)


def _event(**changes):
    fields = dict(date="2014-06-14", category="social-credit", region="China", title="A test event",
                  description="Something happened.", chapter="the-plan",
                  source_key=sorted(references.keys())[0], status="documented")
    fields.update(changes)
    return fields


def test_add_event_appends_a_checked_row():
    timeline = load()
    longer = add_event(timeline, **_event())
    assert len(longer) == len(timeline) + 1
    assert longer.iloc[-1]["year"] == 2014
    assert longer.iloc[-1]["event_id"] == "2014-a-test-event"
    assert len(load()) == len(timeline)  # the original is untouched


@pytest.mark.parametrize("change, message", [
    ({"source_key": "nobody2099"}, "not in references.bib"),
    ({"status": "rumour"}, "status 'rumour' is not allowed"),
    ({"date": "14/06/2014"}, "YYYY-MM-DD"),
    ({"title": ""}, "missing title"),
])
def test_add_event_refuses_incomplete_or_unsourced_rows(change, message):
    with pytest.raises(DataError, match=message):
        add_event(load(), **_event(**change))
