"""Audit any score on the synthetic town: outcomes by group, errors and appeals, scope, and the EU test.

Works on any numeric score column (a pandas Series indexed like the town, or one value per resident in
order). Where a check cannot say anything (a constant score, a group too small to report, nobody treated
favourably) the finding says so in plain words instead of printing a misleading number.

The EU test follows the two situations in Article 5(1)(c) of the AI Act, in which social scoring is
banned: detrimental treatment in a context unrelated to where the data came from, and treatment that is
unjustified or disproportionate to the behaviour. It is a classroom simplification, not legal advice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "AuditError", "Design", "Finding", "Report", "FOUR_FIFTHS", "age_groups", "as_score", "outcomes_by_group",
    "disparate_impact", "errors_and_appeals", "scope_checks", "eu_test", "audit", "group_chart", "every_system",
]

FOUR_FIFTHS = 0.8  # the US "four-fifths" rule of thumb for adverse impact in hiring
PERSONAL_CHARACTERISTICS = {"age", "age_group", "district", "household_size", "income_band", "occupation"}
VERDICTS = ("pass", "concern", "cannot tell")


class AuditError(ValueError):
    """A score or design the audit cannot read; the message says what to change."""


@dataclass(frozen=True)
class Finding:
    check: str
    verdict: str  # pass, concern or cannot tell
    detail: str

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, not {self.verdict!r}")

    def __str__(self) -> str:
        return f"[{self.verdict.upper()}] {self.check}: {self.detail}"


@dataclass
class Design:
    """What a score is for, what goes into it and what follows from it.

    inputs: town column -> the context the data comes from (for example "traffic", "credit", "health").
    consequences: list of dicts with keys what, context, severity (1 mild to 5 severe) and whether it is
    detrimental (default True).
    gravity: how serious the scored behaviour is, 1 (trivial) to 5 (grave).
    """

    name: str
    purpose: str
    context: str
    inputs: dict[str, str]
    consequences: list[dict] = field(default_factory=list)
    gravity: int = 3
    scores_people: bool = True
    appeal: bool = False

    def check(self, town_columns=None) -> None:
        where = f"Design {self.name!r}"
        if not self.inputs:
            raise AuditError(f"{where}: 'inputs' is empty; name at least one town column and its context.")
        if town_columns is not None:
            unknown = [c for c in self.inputs if c not in set(town_columns)]
            if unknown:
                raise AuditError(f"{where}: input column(s) {unknown} are not in the town; "
                                 "use names from keepingscore.town.COLUMNS.")
        if not 1 <= int(self.gravity) <= 5:
            raise AuditError(f"{where}: 'gravity' must be 1 to 5, not {self.gravity!r}.")
        for i, c in enumerate(self.consequences):
            missing = {"what", "context", "severity"} - set(c)
            if missing:
                raise AuditError(f"{where}: consequence {i + 1} lacks {sorted(missing)}; "
                                 "give what, context and severity (1 to 5).")
            if not 1 <= int(c["severity"]) <= 5:
                raise AuditError(f"{where}: consequence {i + 1} ({c['what']}) has severity {c['severity']!r}; "
                                 "use 1 (mild) to 5 (severe).")


@dataclass
class Report:
    findings: list[Finding]
    by_group: dict[str, pd.DataFrame]

    def summary(self) -> str:
        return "\n".join(str(f) for f in self.findings)

    def verdicts(self) -> dict[str, str]:
        return {f.check: f.verdict for f in self.findings}

    def __str__(self) -> str:
        return self.summary()


def age_groups(age: pd.Series) -> pd.Series:
    """Age bands for reporting: 18-29, 30-44, 45-64, 65+."""
    bands = pd.cut(age, [0, 29, 44, 64, 200], labels=["18-29", "30-44", "45-64", "65+"])
    return bands.astype(str)


def as_score(score, town: pd.DataFrame, name: str = "score") -> pd.Series:
    """Return `score` as a float Series aligned with the town, or raise AuditError saying what is wrong."""
    if isinstance(score, str):
        if score not in town.columns:
            raise AuditError(f"The town has no column {score!r}; pass a column name from the town or a Series.")
        score = town[score]
    if isinstance(score, pd.DataFrame):
        raise AuditError(f"{name}: got a table with {score.shape[1]} columns; pass one column, for example "
                         "table['my_score'].")
    if not isinstance(score, pd.Series):
        values = np.asarray(score)
        if values.ndim != 1 or len(values) != len(town):
            raise AuditError(f"{name}: got {values.size} values for {len(town)} residents; "
                             "give one value per resident.")
        score = pd.Series(values, index=town.index)
    if len(score) != len(town) or not score.index.equals(town.index):
        raise AuditError(f"{name}: its index does not match the town's ({len(score)} values for {len(town)} "
                         "residents); compute it from the same town table.")
    if score.dtype == bool:
        score = score.astype(float)
    converted = pd.to_numeric(score, errors="coerce")
    bad = converted.isna() & score.notna()
    if bad.any():
        first = score[bad].iloc[0]
        raise AuditError(f"{name}: {int(bad.sum())} value(s) are not numbers (the first is {first!r}); "
                         "a score must be numeric. Missing values (NaN) are allowed and mean 'unscored'.")
    return converted.astype(float).rename(name)


def _favourable(score: pd.Series, threshold: float | None, higher_is_better: bool) -> tuple[pd.Series, float]:
    if threshold is None:
        threshold = float(score.median())
    chosen = score >= threshold if higher_is_better else score <= threshold
    return chosen.where(score.notna()), float(threshold)


def outcomes_by_group(score: pd.Series, groups: pd.Series, favourable: pd.Series, min_group: int = 5) -> pd.DataFrame:
    """Residents, mean score and share treated favourably, per group; groups under `min_group` are suppressed."""
    frame = pd.DataFrame({"group": groups.astype(str), "score": score, "favourable": favourable})
    scored = frame[frame.score.notna()]
    table = scored.groupby("group").agg(residents=("score", "size"), mean_score=("score", "mean"),
                                        favourable_share=("favourable", "mean"))
    unscored = frame[frame.score.isna()].groupby("group").size()
    table["unscored"] = unscored.reindex(table.index).fillna(0).astype(int)
    small = table.residents < min_group
    table.loc[small, ["mean_score", "favourable_share"]] = np.nan
    table["note"] = np.where(small, f"fewer than {min_group}: not shown", "")
    return table.sort_index()


def disparate_impact(table: pd.DataFrame) -> tuple[float | None, str]:
    """Lowest group's favourable share divided by the highest's, with a sentence; None when it cannot be said."""
    shares = table.favourable_share.dropna()
    if len(shares) < 2:
        return None, "fewer than two groups are large enough to compare"
    high, low = shares.max(), shares.min()
    if high == 0:
        return None, "nobody in any group is treated favourably, so there is no ratio to take"
    ratio = float(low / high)
    shown = f"{ratio:.3f}" if abs(ratio - FOUR_FIFTHS) < 0.005 else f"{ratio:.2f}"  # never "0.80, below 0.8"
    return ratio, (f"{shares.idxmin()} gets the favourable outcome at {low:.0%}, {shares.idxmax()} at {high:.0%}: "
                   f"a ratio of {shown}")


def errors_and_appeals(favourable: pd.Series, *, error_rate: float = 0.02, appeal_rate: float = 0.3,
                       success_rate: float = 0.5, seed: int = 0) -> dict[str, float]:
    """Simulate wrong records that flip people's outcome, then appeals that correct some of them.

    Returns counts: residents, wrongly_treated (any flip), wrongly_denied (favourable outcome lost),
    corrected_on_appeal, still_wrong, and the expected still-wrong share by formula,
    error_rate x (1 - appeal_rate x success_rate).
    """
    for name, value in {"error_rate": error_rate, "appeal_rate": appeal_rate, "success_rate": success_rate}.items():
        if not 0 <= value <= 1:
            raise AuditError(f"{name} must be a share between 0 and 1, not {value!r}.")
    outcome = favourable.dropna().astype(bool)
    rng = np.random.default_rng(seed)
    wrong = rng.random(len(outcome)) < error_rate
    appealed = rng.random(len(outcome)) < appeal_rate
    won = rng.random(len(outcome)) < success_rate
    corrected = wrong & appealed & won
    return {
        "residents": int(len(outcome)),
        "wrongly_treated": int(wrong.sum()),
        "wrongly_denied": int((wrong & outcome.to_numpy()).sum()),
        "corrected_on_appeal": int(corrected.sum()),
        "still_wrong": int((wrong & ~corrected).sum()),
        "expected_still_wrong_share": error_rate * (1 - appeal_rate * success_rate),
    }


def scope_checks(design: Design) -> list[Finding]:
    """Does the score use personal characteristics, reach beyond its own context, and offer an appeal?"""
    findings = []
    personal = sorted(set(design.inputs) & PERSONAL_CHARACTERISTICS)
    if personal:
        findings.append(Finding("personal characteristics", "concern",
                                f"the score uses {', '.join(personal)}: who a person is, not what they did"))
    else:
        findings.append(Finding("personal characteristics", "pass", "no input describes who a person is"))
    outside = sorted({c for c in design.inputs.values() if c != design.context})
    if outside:
        findings.append(Finding("scope", "concern", f"data from {', '.join(outside)} is used for a score about "
                                f"{design.context}"))
    else:
        findings.append(Finding("scope", "pass", f"every input comes from {design.context}, the score's own context"))
    findings.append(Finding("appeal", "pass" if design.appeal else "concern",
                            "people can see and appeal their score" if design.appeal
                            else "the design gives no way to see or appeal a score"))
    return findings


def eu_test(design: Design) -> list[Finding]:
    """The two situations in which the AI Act bans social scoring (Article 5(1)(c)), as a classroom check."""
    design.check()
    if not design.scores_people:
        return [Finding("EU test", "pass", "it scores organisations, not people, so the ban does not reach it")]
    harms = [c for c in design.consequences if c.get("detrimental", True)]
    if not harms:
        return [Finding("EU test", "pass", "no consequence harms anyone, so neither situation arises")]
    data_contexts = set(design.inputs.values())
    unrelated = [c for c in harms if c["context"] not in data_contexts]
    heavy = [c for c in harms if int(c["severity"]) > int(design.gravity)]
    return [
        Finding("EU test: unrelated context", "concern" if unrelated else "pass",
                "harm in a context the data did not come from: "
                + "; ".join(f"{c['what']} ({c['context']})" for c in unrelated)
                if unrelated else "every harm falls in a context the data came from"),
        Finding("EU test: disproportionate", "concern" if heavy else "pass",
                f"harm heavier than the behaviour (gravity {design.gravity}): "
                + "; ".join(f"{c['what']} (severity {c['severity']})" for c in heavy)
                if heavy else f"no harm is heavier than the behaviour (gravity {design.gravity})"),
    ]


def audit(town: pd.DataFrame, score, design: Design | None = None, *, threshold: float | None = None,
          higher_is_better: bool = True, groups: tuple[str, ...] = ("district", "income_band", "age_group"),
          min_group: int = 5, error_rate: float = 0.02, appeal_rate: float | None = None,
          success_rate: float = 0.5, seed: int = 0) -> Report:
    """Run every check on one score and return the findings, each a pass, a concern or 'cannot tell'.

    `appeal_rate` is the share of wrongly treated people who appeal; by default 0.3, or 0 when the design
    says there is no appeal route (nobody can appeal what cannot be appealed).
    """
    if appeal_rate is None:
        appeal_rate = 0.0 if design is not None and not design.appeal else 0.3
    score = as_score(score, town)
    town = town.assign(age_group=age_groups(town["age"])) if "age" in town and "age_group" not in town else town
    unknown = [g for g in groups if g not in town.columns]
    if unknown:
        raise AuditError(f"No town column {unknown}; group by columns such as district, income_band or age_group.")
    if design is not None:
        design.check(town.columns)
    findings: list[Finding] = []
    by_group: dict[str, pd.DataFrame] = {}
    scored = score.dropna()
    if scored.empty:
        findings.append(Finding("score", "cannot tell", "nobody has a score, so there is nothing to audit"))
    elif scored.nunique() == 1:
        findings.append(Finding(
            "score", "cannot tell",
            f"everyone scored gets {scored.iloc[0]:g}, so the score ranks no one; gaps between groups are zero by "
            "construction and say nothing about fairness. Check that the score uses at least one input that varies."))
    else:
        favourable, cut = _favourable(score, threshold, higher_is_better)
        share = float(favourable.dropna().mean())
        word = "at or above" if higher_is_better else "at or below"
        findings.append(Finding("score", "pass", f"{len(scored):,} residents scored ({score.isna().sum():,} "
                                f"unscored); favourable means {word} {cut:g}, which {share:.0%} reach"))
        for column in groups:
            table = outcomes_by_group(score, town[column], favourable, min_group)
            by_group[column] = table
            ratio, sentence = disparate_impact(table)
            if ratio is None:
                findings.append(Finding(f"disparate impact by {column}", "cannot tell", sentence))
            else:
                verdict = "concern" if ratio < FOUR_FIFTHS else "pass"
                findings.append(Finding(f"disparate impact by {column}", verdict,
                                        f"{sentence} (below {FOUR_FIFTHS} is a warning sign)"))
        sim = errors_and_appeals(favourable, error_rate=error_rate, appeal_rate=appeal_rate,
                                 success_rate=success_rate, seed=seed)
        findings.append(Finding(
            "errors and appeals", "concern" if sim["still_wrong"] else "pass",
            f"with {error_rate:.0%} wrong records, {sim['wrongly_treated']:,} residents get the wrong outcome; "
            f"appeals put right {sim['corrected_on_appeal']:,}, leaving {sim['still_wrong']:,}"))
    if design is None:
        findings.append(Finding("scope and EU test", "cannot tell",
                                "no design given: describe the score's purpose, inputs and consequences with Design"))
    else:
        findings += scope_checks(design) + eu_test(design)
    return Report(findings, by_group)


def group_chart(table: pd.DataFrame, *, title: str, by: str):
    """Bar chart of the favourable share per group, with a pattern per bar, the share written on each bar,
    and the four-fifths line drawn relative to the best-treated group. Suppressed groups are labelled, not drawn."""
    import matplotlib.pyplot as plt

    from .plotting import HATCHES, PALETTE, use_style

    use_style()
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(table) + 1.8))
    shares = table.favourable_share
    for i, (group, share) in enumerate(shares.items()):
        if pd.isna(share):
            ax.text(0.01, i, f"{group}: fewer than the minimum group size, not shown", va="center", fontsize=10)
            continue
        ax.barh(i, share * 100, color=PALETTE["sky"], edgecolor="black", hatch=HATCHES[(i % 7) + 1])
        ax.text(share * 100 + 1, i, f"{share:.0%}", va="center", fontsize=11)
    best = shares.max()
    if pd.notna(best) and best > 0:
        ax.axvline(best * 100 * FOUR_FIFTHS, color="black", linestyle="--", linewidth=1.2)
        ax.text(best * 100 * FOUR_FIFTHS, len(shares) - 0.4, " four-fifths of the best", fontsize=10, va="top")
    ax.set_yticks(range(len(shares)), labels=[str(g) for g in shares.index])
    ax.invert_yaxis()
    ax.set_xlim(0, 110)
    ax.set_xlabel("Residents treated favourably (%)")
    ax.set_ylabel(by.replace("_", " "))
    ax.set_title(title)
    fig.tight_layout()
    return fig


def every_system(town: pd.DataFrame, person_id: int) -> pd.DataFrame:
    """One resident under every system in the book, side by side: status and the number behind it, if any.

    Uses the linked-systems registry (court list, Sesame-style score, Rongcheng-style points, health code)
    and adds the FICO-like score. Everything is computed on the synthetic town with the lessons' own functions.
    """
    from . import fico, linked

    if person_id not in set(town["person_id"]):
        raise AuditError(f"No resident with person_id {person_id}; use a number from town['person_id'].")
    row = linked.link(town, values=True).set_index("person_id").loc[person_id]
    rows = []
    for system in linked.systems():
        value = row.get(f"{system.name}_value")
        rows.append({"system": system.title, "status": row[system.name],
                     "number": None if value is None or pd.isna(value) else round(float(value)),
                     "adverse": bool(system.adverse(pd.Series([row[system.name]])).iloc[0]),
                     "basis": system.basis})
    score = fico.fico_like_score(town).set_axis(town["person_id"]).loc[person_id]
    rows.append({"system": "FICO-like credit score", "status": "unscorable (no credit file)" if pd.isna(score)
                 else f"{score:.0f} on 300-850", "number": None if pd.isna(score) else round(float(score)),
                 "adverse": "lender's choice",  # each lender sets its own cut-off; the book does not pick one
                 "basis": "published category weights, unpublished formula: an approximation; "
                          "what counts as low is each lender's choice"})
    return pd.DataFrame(rows).set_index("system")
