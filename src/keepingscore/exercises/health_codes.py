"""Checks for lessons/health_codes.ipynb, and the notebook's hidden manual override."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import healthcodes as H
from ..checks import Result, close, equal, same_items

OFFICER = "duty officer 7"  # the synthetic official who changes codes by hand in Step 4


def duty_officer(codes: pd.DataFrame, log: H.AuditLog, table: pd.DataFrame, step: int = 3) -> pd.DataFrame:
    """The notebook's synthetic scenario: an official changes some codes by hand, and the log records it.

    Whose codes change is not printed, so that students find them with a query on the log.
    Twelve green residents of one district are turned red; three red residents are turned green.
    """
    rng = np.random.default_rng(7)
    green = codes.loc[(codes["code"] == "green") & (table["district"] == "Riverside").to_numpy(), "person_id"]
    red = codes.loc[codes["code"] == "red", "person_id"]
    to_red = sorted(rng.choice(green.to_numpy(), size=min(12, len(green)), replace=False).tolist())
    to_green = sorted(rng.choice(red.to_numpy(), size=min(3, len(red)), replace=False).tolist())
    codes = H.override(codes, log, to_red, "red", actor=OFFICER, reason="instruction from the command centre",
                       step=step)
    return H.override(codes, log, to_green, "green", actor=OFFICER, reason="cleared after review", step=step)


def _codes(table: pd.DataFrame, rules=H.DEFAULT_RULES) -> pd.DataFrame:
    return H.assign_codes(table, rules)


def check_1(answer, table: pd.DataFrame) -> Result:
    """The rule that gives the most yellow codes."""
    codes = _codes(table)
    counts = codes.loc[codes["code"] == "yellow", "reason"].value_counts()
    expected = str(counts.idxmax())
    return equal(answer, expected,
                 right=f"{expected} gives {counts.max():,} of the {counts.sum():,} yellow codes (synthetic town, "
                 "illustrative rules).",
                 hint="Keep the rows of codes whose code is \"yellow\", count them by reason with "
                 ".value_counts(), and take the name at the top with .idxmax().")


def check_2(answer, table: pd.DataFrame) -> Result:
    """Percentage of red codes held by residents who were not infected."""
    codes = _codes(table)
    red = int((codes["code"] == "red").sum())
    wrong = H.false_reds(codes, table["infected"])
    expected = 100 * wrong / red
    return close(answer, expected, within=0.5,
                 right=f"{wrong} of the {red} red codes ({expected:.1f}%) went to residents who were not infected.",
                 hint="Use the codes the rules engine gave (codes, not codes_now): divide false_reds(codes, "
                 "sig[\"infected\"]) by the number of red codes and multiply by 100.")


def check_3(answer, table: pd.DataFrame) -> Result:
    """Person-days of isolation saved when the any_symptom rule needs two symptoms."""
    before = H.isolation_days(_codes(table)).sum()
    after_codes = _codes(table, H.change_threshold(H.DEFAULT_RULES, "any_symptom", "symptoms", 2))
    expected = int(before - H.isolation_days(after_codes).sum())
    extra = H.false_greens(after_codes, table["infected"]) - H.false_greens(_codes(table), table["infected"])
    return equal(answer, expected,
                 right=f"{expected:,} person-days saved; the price is {extra} more infected residents with a "
                 "green code.",
                 hint="Make the looser rules with change_threshold(DEFAULT_RULES, \"any_symptom\", \"symptoms\", 2), "
                 "run assign_codes with them, and subtract the new isolation_days(...).sum() from the old one.")


def check_4(answer, log: H.AuditLog) -> Result:
    """The residents whose codes someone other than the rules engine changed."""
    frame = log.to_frame()
    expected = sorted(frame.loc[frame["actor"] != H.RULES_ENGINE, "person_id"].unique().tolist())
    if isinstance(answer, (pd.Series, pd.Index, np.ndarray, set, tuple)):
        answer = list(answer)
    if isinstance(answer, list) and len(answer) != len(set(answer)):
        return Result(False, "some residents appear twice in your answer: use .unique() or set().")
    return same_items(answer, expected,
                      right=f"{len(expected)} residents had their codes changed by hand; the log shows who, when "
                      "and with what stated reason.",
                      hint="Turn the log into a table with log.to_frame(), keep the rows whose actor is not "
                      "RULES_ENGINE, and take their person_id column (as a list).")


def check_5(answer) -> Result:
    """The two code colours with the most similar lightness (they look alike in a greyscale print)."""
    light = {code: H.lightness(style["color"]) for code, style in H.CODE_STYLE.items()}
    pairs = [(abs(light[a] - light[b]), a, b) for i, a in enumerate(H.CODES) for b in H.CODES[i + 1:]]
    gap, first, second = min(pairs)
    if isinstance(answer, str):
        answer = answer.replace(",", " ").replace(" and ", " ").split()
    if isinstance(answer, (list, tuple, set)):
        answer = [str(a).strip().casefold() for a in answer]
    return same_items(answer, [first, second],
                      right=f"{first} and {second} differ in lightness by only {gap:.1f} (out of 100), so in "
                      "greyscale they look almost the same: the hatches and text labels carry the difference.",
                      hint="Compute lightness(CODE_STYLE[code][\"color\"]) for each code and find the two whose "
                      "values are closest; answer with the two names as a list, for example "
                      "[\"colour one\", \"colour two\"].")
