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
                 hint="Pass report.by_group[\"age_group\"] (the worked example's audit from Step 2) to "
                 "disparate_impact; it returns two things, the ratio and a sentence: ratio, sentence = ...")


def check_3(answer) -> Result:
    """A redesign that passes both EU situations but keeps the scooter rule and the inputs."""
    original = example_design()

    def ok(design) -> bool:
        if not isinstance(design, A.Design):
            return False
        # Keep what the council wants (the inputs, the behaviour's gravity, the scooter rule as a real harm);
        # only the consequences may change, and calling a harm harmless does not count.
        keeps = (design.inputs == EXAMPLE_INPUTS and design.gravity == original.gravity
                 and design.scores_people and any("scooter" in c["what"] for c in design.consequences)
                 and all(c.get("detrimental", True) for c in design.consequences))
        return keeps and all(f.verdict == "pass" for f in A.eu_test(design))

    return check(answer, ok, right="both EU situations pass, and the score still decides scooter rentals.",
                 hint="Start from the worked example's design, keep its inputs and gravity, and change only the "
                 "consequences: the housing rule uses traffic data in a housing decision, and its severity (4) is "
                 "above the gravity (2). Use dataclasses.replace(design, consequences=[...]).")


def check_4(answer, town: pd.DataFrame) -> Result:
    """Residents still wrongly treated after appeals, with an appeal rate of 0.8 and a success rate of 0.75."""
    favourable = example_score(town) >= THRESHOLD
    expected = A.errors_and_appeals(favourable, error_rate=0.02, appeal_rate=0.8, success_rate=0.75,
                                    seed=0)["still_wrong"]
    return equal(answer, expected,
                 right=f"{expected} residents are still wrongly treated, even with a generous appeal route.",
                 hint="Call errors_and_appeals(example >= ex.THRESHOLD, error_rate=0.02, appeal_rate=0.8, "
                 "success_rate=0.75, seed=0) and read its \"still_wrong\" entry.")


def check_5(answer, town: pd.DataFrame) -> Result:
    """The resident with the most adverse statuses across the linked systems (the lowest person_id on a tie)."""
    from .. import linked

    table = linked.link(town)
    most = table["adverse_count"].max()
    expected = int(table.loc[table["adverse_count"] == most, "person_id"].min())
    return equal(answer, expected,
                 right=f"resident {expected} has {most} adverse statuses: look at them with every_system.",
                 hint="Use link(town), find the largest adverse_count, and take the smallest person_id with it "
                 "(idxmax() would give a row number, not a person_id).")


# The chapter's worked example: the "Good Tenant" deposit score, in three versions (book/capstone.md,
# "A worked example"). Every weight and cut-off is illustrative; every figure it yields is synthetic.
GOOD_TENANT_VERSIONS = (1, 2, 3)
VOLUNTEER_HOURS_PER_POINT = 5  # illustrative: 1 point per 5 hours of volunteering, fractions counted
DONATION_UNITS_PER_POINT = 50  # illustrative: 1 point per 50 units donated, fractions counted
BONUS_CAP = 10  # illustrative: at most 10 points from volunteering and at most 10 from donations
DEPOSIT_CUTOFF = 95  # version 1: tenants scoring this or more skip the deposit
STALL_CUTOFF = 70  # version 1: tenants scoring below this are refused a stall at the town market
MAX_MISSED_PAYMENTS = {2: 0, 3: 2}  # versions 2 and 3: most missed payments that still skip the deposit

# How the chapter audits each version: favourable outcome (skip the deposit) and the appeal rates it assumes.
# Version 1 has no appeal route, so audit() assumes nobody appeals; version 2 uses the tool's default rates.
GOOD_TENANT_AUDIT = {
    1: {"threshold": DEPOSIT_CUTOFF, "higher_is_better": True},
    2: {"threshold": MAX_MISSED_PAYMENTS[2], "higher_is_better": False},
    3: {"threshold": MAX_MISSED_PAYMENTS[3], "higher_is_better": False, "appeal_rate": 0.8, "success_rate": 0.9},
}

_GOOD_TENANT_V1_INPUTS = {
    "missed_payments": "credit", "traffic_violations": "traffic", "other_violations": "neighbourhood",
    "volunteer_hours": "volunteering", "donations": "charity", "household_size": "household",
}


def _version(version) -> int:
    if version not in GOOD_TENANT_VERSIONS:
        raise ValueError(f"The Good Tenant score has versions {GOOD_TENANT_VERSIONS}, not {version!r}.")
    return int(version)


def good_tenant_score(town: pd.DataFrame, version: int = 1) -> pd.Series:
    """The chapter's Good Tenant score, version 1, 2 or 3 (illustrative weights, synthetic town).

    Version 1 starts at 100, takes off 10 per missed payment, 5 per traffic offence, 5 per other minor
    offence and 3 per household member after the first, and adds 1 point per 5 volunteer hours and 1 per
    50 donation units (fractions counted), each capped at 10; higher is better.
    Versions 2 and 3 are the count of missed payments (lower is better), and residents with no credit
    file are unscored (NaN). Version 3's second route, twelve months of rent receipts, cannot be scored
    because the town holds no rent receipts, so those residents stay unscored there too.
    """
    if _version(version) == 1:
        volunteering = (town["volunteer_hours"] / VOLUNTEER_HOURS_PER_POINT).clip(upper=BONUS_CAP)
        giving = (town["donations"] / DONATION_UNITS_PER_POINT).clip(upper=BONUS_CAP)
        score = (100 - 10 * town["missed_payments"] - 5 * town["traffic_violations"]
                 - 5 * town["other_violations"] - 3 * (town["household_size"] - 1) + volunteering + giving)
        return score.astype(float).rename("good_tenant_v1")
    missed = town["missed_payments"].where(town["has_credit_file"].astype(bool))
    return missed.astype(float).rename(f"good_tenant_v{version}")


def good_tenant_design(version: int = 1) -> A.Design:
    """The design of each version, as the chapter's audit committee describes it."""
    if _version(version) == 1:
        return A.Design(
            name="Good Tenant score, version 1",
            purpose="decide which tenants skip the deposit and who moves down the waiting list for a flat",
            context="housing",
            inputs=dict(_GOOD_TENANT_V1_INPUTS),
            consequences=[
                {"what": f"pay the deposit and move down the waiting list below {DEPOSIT_CUTOFF}",
                 "context": "housing", "severity": 4},
                {"what": f"refused a stall at the town market below {STALL_CUTOFF}", "context": "trading",
                 "severity": 3},
            ],
            gravity=2,
            appeal=False,
        )
    allowed = MAX_MISSED_PAYMENTS[version]
    # The committee's judgement: a deposit protects against unpaid rent, so the decision is a payment
    # (credit) decision. Calling it "housing" instead would flag scope and the first EU situation.
    return A.Design(
        name=f"Good Tenant score, version {version}",
        purpose=(f"decide which tenants skip the deposit: at most {allowed} missed payments in seven years"
                 + ("; tenants with no credit file may show twelve months of rent receipts" if version == 3 else "")),
        context="credit",
        inputs={"missed_payments": "credit"},
        consequences=[{"what": "pay the usual deposit", "context": "credit", "severity": 2}],
        gravity=2,
        appeal=True,
    )


def good_tenant_audit(town: pd.DataFrame, version: int = 1) -> A.Report:
    """Audit one version exactly as the chapter does, with its cut-off and appeal rates."""
    return A.audit(town, good_tenant_score(town, version), good_tenant_design(version),
                   **GOOD_TENANT_AUDIT[_version(version)])
