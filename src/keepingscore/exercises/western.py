"""Checks for lessons/western.ipynb."""

from __future__ import annotations

import pandas as pd

from .. import rubric
from ..checks import Result, close, equal
from ..credit import sesame_score
from ..fico import dispute, fico_like_score, rank_change

# The worked definition in Step 3 of the notebook; Exercise 3 asks for a definition of the student's own.
EXAMPLE_DEFINITION = {"voluntary": ["no"], "proportionate": ["no", "partly"]}


def dispute_case(town: pd.DataFrame) -> dict:
    """The illustrative error in Exercise 4: the first resident whose file shows two or more late payments.

    The story: the late payments belong to another resident with a similar name, so the correct count is 0.
    """
    suspects = town[town["has_credit_file"] & (town["missed_payments"] >= 2)]
    if suspects.empty:
        raise ValueError("no resident in this town has two or more late payments on file; make a larger town.")
    row = suspects.iloc[0]
    return {"person_id": int(row["person_id"]), "column": "missed_payments",
            "on_file": int(row["missed_payments"]), "corrected_value": 0}


def check_1(answer, town: pd.DataFrame) -> Result:
    """Percentage of low-income residents who get no FICO-like score (no credit file)."""
    scores = fico_like_score(town)
    low = town["income_band"] == "low"
    expected = 100 * float(scores[low].isna().mean())
    high = 100 * float(scores[town["income_band"] == "high"].isna().mean())
    return close(
        answer, expected, within=0.5,
        right=f"{expected:.1f}% of low-income residents are unscorable, against {high:.1f}% of high-income "
        "residents: the score cannot see them at all.",
        hint="Keep the scores of residents whose income_band is \"low\", then take the share that is missing with "
        ".isna().mean() and multiply by 100.",
    )


def check_2(answer, town: pd.DataFrame) -> Result:
    """Residents scored by both who move 25 or more percentile points between the two scores."""
    change = rank_change(fico_like_score(town), sesame_score(town))
    expected = int((change.abs() >= 25).sum())
    share = 100 * expected / int(change.notna().sum())
    return equal(
        answer, expected,
        right=f"{expected} residents ({share:.0f}% of those scored by both) move a quarter of the way up or down "
        "the ranking: same records, different formula.",
        hint="Take rank_change(fico, sesame), keep the moves whose size (.abs()) is 25 or more, and count them "
        "with .sum().",
    )


def _answers(definition) -> dict[str, set[str]]:
    """A definition with each question's answers as a set of lower-case texts, for comparing definitions."""
    return {str(key): {str(v).strip().lower() for v in ([values] if isinstance(values, str) else values)}
            for key, values in definition.items()}


def check_3(answer, definition, rubric_data: rubric.Rubric | None = None) -> Result:
    """Number of systems a student's own definition of social credit catches (at least two questions)."""
    if definition is None or (isinstance(definition, dict) and not definition):
        return Result(False, "first write your definition in my_definition: a dict from each rubric question to the "
                      "answers that count, with at least two questions, for example {\"can_appeal\": [\"no\"], ...}.")
    try:
        caught = rubric.catches(definition, rubric=rubric_data)
    except rubric.DefinitionError as exc:
        return Result(False, f"your definition cannot be used yet: {exc}")
    if _answers(definition) == _answers(EXAMPLE_DEFINITION):
        return Result(False, "this is the example definition from Step 3; change it into your own, with at least two "
                      "questions (rubric.allowed_answers() lists them).")
    if len(definition) < 2:
        return Result(False, "the task asks for at least two questions, so that your definition combines "
                      "conditions; add another question (rubric.allowed_answers() lists them).")
    expected = int(caught["caught"].sum())
    return equal(
        answer, expected,
        right=f"your definition catches {expected} of the {len(caught)} systems in the rubric.",
        hint="Run rubric.catches(my_definition) and count the rows where the column caught is True (.sum()).",
    )


def check_4(answer, town: pd.DataFrame) -> Result:
    """Points the disputed resident's FICO-like score changes by once the error is corrected."""
    case = dispute_case(town)
    _, expected = dispute(town, case["person_id"], case["column"], case["corrected_value"])
    return close(
        answer, expected, within=0.5,
        right=f"correcting the file moves resident {case['person_id']}'s score by {expected:+.0f} points.",
        hint="Call dispute(town, case[\"person_id\"], case[\"column\"], case[\"corrected_value\"]); it returns the "
        "corrected town and the change in points. Store the change.",
    )
