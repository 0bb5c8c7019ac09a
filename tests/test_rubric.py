import matplotlib.pyplot as plt
import pandas as pd
import pytest

from keepingscore import data
from keepingscore import rubric as R
from keepingscore.exercises import western as ex
from keepingscore.plotting import figure_markdown, use_style


@pytest.fixture(scope="module")
def real():
    return R.load()


@pytest.fixture()
def small():
    """A made-up rubric with two questions and three systems, one of them not rated on one question."""
    criteria = pd.DataFrame({
        "criterion_id": ["operator", "voluntary", "can_appeal"],
        "question": ["Who runs it?", "Is taking part voluntary?", "Can they appeal or repair it?"],
        "kind": ["text", "rating", "rating"],
        "protective_answer": [None, "yes", "yes"],
        "description": ["d", "d", "d"],
    })
    systems = pd.DataFrame({
        "system_id": ["alpha", "beta", "gamma"],
        "name": ["Alpha list", "Beta score", "Gamma code"],
        "country": ["Atlantis", "Utopia", "Atlantis"],
        "operator_type": ["state", "company", "mixed"],
        "chapter": ["x", "x", "x"],
        "description": ["d", "d", "d"],
    })
    rows = [("alpha", "operator", "A ministry"), ("alpha", "voluntary", "no"), ("alpha", "can_appeal", "Partly"),
            ("beta", "operator", "A firm"), ("beta", "voluntary", "yes"), ("beta", "can_appeal", "yes"),
            ("gamma", "operator", "A city"), ("gamma", "voluntary", "no")]
    scores = pd.DataFrame(rows, columns=["system_id", "criterion_id", "answer"]).assign(
        explanation="e", source_key="k", status=["documented", "documented", "judgement", "reported",
                                                 "documented", "documented", "documented", "disputed"],
        as_of="2026")
    return R.Rubric(scores, criteria, systems)


def test_table_has_every_system_and_rating_question(real):
    answers = R.table(rubric=real)
    assert list(answers.index) == list(real.systems["system_id"])
    rating = real.criteria.loc[real.criteria["kind"] == "rating", "criterion_id"]
    assert list(answers.columns) == list(rating)
    assert set(answers.to_numpy().ravel()) <= {*R.ANSWERS, R.NOT_RATED}
    assert R.table(kind=None, rubric=real).shape == (len(real.systems), len(real.criteria))
    assert set(R.statuses(rubric=real).to_numpy().ravel()) <= {"documented", "reported", "disputed", "judgement"}


def test_table_works_for_any_systems_and_marks_missing_ratings(small):
    answers = R.table(rubric=small)
    assert answers.loc["alpha", "can_appeal"] == "partly"  # answers are read without regard to case
    assert answers.loc["gamma", "can_appeal"] == R.NOT_RATED
    assert list(R.table(systems=["gamma", "alpha"], rubric=small).index) == ["gamma", "alpha"]
    assert R.table(kind="text", rubric=small).loc["beta", "operator"] == "A firm"
    assert R.counts(answers).loc["gamma"].to_dict() == {"yes": 0, "partly": 0, "no": 1, "unknown": 0,
                                                        "not rated": 1}
    with pytest.raises(KeyError, match="unknown system"):
        R.table(systems=["delta"], rubric=small)
    with pytest.raises(ValueError, match="kind"):
        R.table(kind="ratings", rubric=small)


def test_heatmap_writes_the_answer_in_every_cell_and_hatches_each_answer(small, real):
    use_style()
    answers = R.table(rubric=small)
    fig = R.heatmap(answers, rubric=small, status=R.statuses(rubric=small))
    ax = fig.axes[0]
    words = [t.get_text() for t in ax.texts]
    assert len(words) == answers.size
    assert "Partly\n(judgement)" in words and "Not rated" in words and "No\n(disputed)" in words
    hatches = {p.get_hatch() for p in ax.patches if p.get_fill()}
    assert len(hatches) >= 3  # no, partly and yes cells differ by pattern as well as colour
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:4] == ["Yes", "Partly", "No", "Unknown"] and "Not rated" in legend
    assert figure_markdown(fig, R.alt_text(answers, rubric=small)).startswith("![Grid of 3 systems")
    plt.close(fig)
    with pytest.raises(ValueError, match="kind=\"rating\""):
        R.heatmap(R.table(kind=None, rubric=small), rubric=small)
    full = R.heatmap(R.table(rubric=real), rubric=real)
    assert len(full.axes[0].texts) == R.table(rubric=real).size
    plt.close(full)


def test_alt_text_is_computed_from_the_data(small):
    text = R.alt_text(R.table(rubric=small), rubric=small)
    assert "3 systems" in text and "2 rubric questions" in text
    assert "Beta score has the most yes answers (2)" in text
    assert "and 1 not rated" in text
    assert "most yes" not in R.alt_text(R.table(rubric=small).replace("yes", "no"), rubric=small)


def test_catches_applies_every_condition(small):
    result = R.catches({"voluntary": ["no"]}, rubric=small)
    assert result["caught"].tolist() == [True, False, True]
    both = R.catches({"voluntary": "NO", "can_appeal": ["no", "partly"]}, rubric=small)
    assert both["caught"].tolist() == [True, False, False]
    assert both.loc["gamma", "escapes on"] == "can_appeal (not rated)"
    assert both.loc["beta", "escapes on"] == "voluntary (yes); can_appeal (yes)"
    companies = R.catches({"operator_type": ["company"]}, rubric=small)
    assert companies["caught"].tolist() == [False, True, False]
    assert list(companies.columns) == ["name", "country", "operator_type", "caught", "escapes on"]


@pytest.mark.parametrize("definition, message", [
    (["voluntary"], "a definition is a dict"),
    ({}, "empty"),
    ({"volantary": ["no"]}, "'volantary' is not a rubric question; use one of: voluntary, can_appeal, operator_type"),
    ({"voluntary": ["maybe"]}, "for 'voluntary', the allowed answers are yes, partly, no, unknown; 'maybe'"),
    ({"voluntary": []}, "the list of answers is empty"),
    ({"voluntary": 3}, "give a list of answers"),
    ({"operator": ["A firm"]}, "answered in words"),
    ({"operator_type": ["government"]}, "for 'operator_type', the allowed answers are company, mixed, state"),
])
def test_a_malformed_definition_names_the_question_and_the_allowed_answers(small, definition, message):
    with pytest.raises(R.DefinitionError, match=message.replace("(", r"\(")):
        R.catches(definition, rubric=small)


def test_catches_on_the_real_data_keeps_every_system(real):
    result = R.catches({"voluntary": ["no", "partly"]}, rubric=real)
    assert len(result) == len(data.load("systems"))
    assert set(R.allowed_answers(real)["operator_type"]) >= {"state", "company", "mixed"}


def test_definition_check_gives_hints_not_errors(small, real):
    own = {"voluntary": ["no"], "operator_type": ["state", "mixed"]}
    assert ex.check_3(2, own, small)
    assert not ex.check_3(3, own, small)
    assert "at least two questions" in repr(ex.check_3(2, {"voluntary": ["no"]}, small))
    example = R.catches(ex.EXAMPLE_DEFINITION, rubric=real)["caught"].sum()
    assert "example definition" in repr(ex.check_3(example, ex.EXAMPLE_DEFINITION, real))
    assert "example definition" in repr(ex.check_3(example, {"proportionate": ["Partly", "no"], "voluntary": "no"},
                                                   real))
    assert "first write your definition" in repr(ex.check_3(2, {}, small))
    assert "cannot be used yet" in repr(ex.check_3(2, {"voluntary": ["maybe"]}, small))
    assert "cannot be used yet" in repr(ex.check_3(2, "voluntary", small))
