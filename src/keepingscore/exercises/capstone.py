"""Checks for lessons/capstone.ipynb."""

from __future__ import annotations

import pandas as pd

from .. import audit as A
from ..checks import Result, check, close, equal

# The worked example: a "safe streets" score built from recorded offences (synthetic town, illustrative design).
EXAMPLE_INPUTS = {"traffic_violations": "traffic", "other_violations": "public order"}
THRESHOLD = 100  # illustrative: only a clean record in the last year counts as favourable


def example_score(town: pd.DataFrame) -> pd.Series:
    """Illustrative: start at 100 and lose 10 points per traffic offence and 5 per other offence."""
    return (100 - 10 * town["traffic_violations"] - 5 * town["other_violations"]).astype(float)


def example_design() -> A.Design:
    return A.Design(
        name="safe streets (worked example)",
        purpose="decide who may rent the town's electric scooters",
        context="traffic",
        inputs=dict(EXAMPLE_INPUTS),
        consequences=[
            {"what": "no scooter rental below 100", "context": "traffic", "severity": 2},
            {"what": "lower priority for council housing below 100", "context": "housing", "severity": 4},
        ],
        gravity=2,
        appeal=False,
    )


def check_1(answer, town: pd.DataFrame) -> Result:
    """The student's own score: numeric, one value per resident, and not the worked example unchanged."""
    def ok(value) -> bool:
        try:
            score = A.as_score(value, town, "my_score")
        except A.AuditError:
            return False
        return not score.equals(example_score(town))

    hint = "Build a Series from town columns, for example 2 * town[\"volunteer_hours\"] - town[\"missed_payments\"]."
    if answer is not None and not isinstance(answer, str):
        try:
            A.as_score(answer, town, "my_score")
        except A.AuditError as exc:
            hint = f"{exc}"
    return check(answer, ok, right="the audit can read your score: one number per resident.", hint=hint,
                 single=False)


def check_2(answer, town: pd.DataFrame) -> Result:
    """The example's disparate-impact ratio by age group, to two decimals."""
    report = A.audit(town, example_score(town), threshold=THRESHOLD)
    ratio, _ = A.disparate_impact(report.by_group["age_group"])
    return close(answer, ratio, within=0.005,
                 right=f"{ratio:.2f}: the worst-treated age group reaches {ratio:.0%} of the best group's rate.",
                 hint="Run audit(town, example_score(town), threshold=100) and pass report.by_group[\"age_group\"] "
                 "to disparate_impact; the ratio is the first of the two things it returns.")


def check_3(answer) -> Result:
    """A redesign that passes both EU situations but keeps the scooter rule and the inputs."""
    def ok(design) -> bool:
        if not isinstance(design, A.Design):
            return False
        keeps = design.inputs == EXAMPLE_INPUTS and any("scooter" in c["what"] for c in design.consequences)
        return keeps and all(f.verdict == "pass" for f in A.eu_test(design))

    return check(answer, ok, right="both EU situations pass, and the score still decides scooter rentals.",
                 hint="Start from example_design(), keep its inputs, and change the consequences: the housing "
                 "rule uses traffic data in a housing decision, and its severity (4) is above the gravity (2). "
                 "Use dataclasses.replace(design, consequences=[...]).")


def check_4(answer, town: pd.DataFrame) -> Result:
    """Residents still wrongly treated after appeals, with an appeal rate of 0.8 and a success rate of 0.75."""
    favourable = example_score(town) >= THRESHOLD
    expected = A.errors_and_appeals(favourable, error_rate=0.02, appeal_rate=0.8, success_rate=0.75,
                                    seed=0)["still_wrong"]
    return equal(answer, expected,
                 right=f"{expected} residents are still wrongly treated, even with a generous appeal route.",
                 hint="Call errors_and_appeals(example_score(town) >= 100, error_rate=0.02, appeal_rate=0.8, "
                 "success_rate=0.75, seed=0) and read its \"still_wrong\" entry.")


def check_5(answer, town: pd.DataFrame) -> Result:
    """The resident with the most adverse statuses across the linked systems (the lowest person_id on a tie)."""
    from .. import linked

    table = linked.link(town)
    most = table["adverse_count"].max()
    expected = int(table.loc[table["adverse_count"] == most, "person_id"].min())
    return equal(answer, expected,
                 right=f"resident {expected} has {most} adverse statuses: look at them with every_system.",
                 hint="Use link(town), find the largest adverse_count, and take the smallest person_id with it.")
