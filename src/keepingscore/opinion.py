"""Reading opinion evidence: survey figures with margins of error, claims by evidence level, a class vote.

The survey figures (datasets/survey_figures.csv) and the claims (datasets/claims.csv) are real and
sourced. A margin of error measures chance alone, and only for a simple random sample: it says nothing
about who was left out (an online panel reaches internet users only), how the question was worded, or
whether people felt free to answer. The class votes made by `example_votes` are SYNTHETIC; the swing
itself is counted by keepingscore.poll, which this module does not repeat.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .plotting import HATCHES, PALETTE

__all__ = [
    "EVIDENCE_LEVELS", "Z_95", "margin_of_error", "difference_margin", "compare_shares", "sample_size_for",
    "with_margins", "tally_claims", "claims_chart", "example_votes",
]

Z_95 = 1.96  # about 95% of simple random samples land within this many standard errors of the truth
EVIDENCE_LEVELS = ("documented", "reported", "disputed", "unsupported", "contradicted")


def _as_array(values) -> np.ndarray:
    return np.asarray(values.to_numpy(dtype=float, na_value=np.nan) if isinstance(values, pd.Series) else values,
                      dtype=float)


def _check(share, n, z) -> tuple[np.ndarray, np.ndarray]:
    p, size = _as_array(share), _as_array(n)
    if np.any((p < 0) | (p > 1)):
        raise ValueError(f"share must be between 0 and 1 (for example 0.8 for 80%), not {share!r}")
    if np.any(size <= 0):
        raise ValueError(f"n must be a positive number of respondents, not {n!r}")
    if z <= 0:
        raise ValueError(f"z must be positive (1.96 for 95% confidence), not {z!r}")
    return p, size


def _like(result: np.ndarray, template):
    if isinstance(template, pd.Series):
        return pd.Series(result, index=template.index)
    return float(result) if np.ndim(result) == 0 else result


def margin_of_error(share, n, z: float = Z_95):
    """The margin of error of a share from a simple random sample of n: z * sqrt(share * (1 - share) / n).

    Give shares from 0 to 1; the result is a share too (0.017 means plus or minus 1.7 percentage points).
    Works on single numbers, arrays or pandas columns; a missing share or n gives a missing margin.
    """
    p, size = _check(share, n, z)
    result = z * np.sqrt(p * (1 - p) / size)
    return _like(result, share if isinstance(share, pd.Series) else n)


def difference_margin(share_a, n_a, share_b, n_b, z: float = Z_95):
    """The margin of error of the difference between two shares from two independent random samples."""
    pa, na = _check(share_a, n_a, z)
    pb, nb = _check(share_b, n_b, z)
    return _like(z * np.sqrt(pa * (1 - pa) / na + pb * (1 - pb) / nb), share_a)


def compare_shares(share_a: float, n_a: int, share_b: float, n_b: int, z: float = Z_95) -> pd.Series:
    """What a difference between two surveys allows us to say about chance, in percentage points.

    The verdict covers sampling chance only. Two surveys of different groups, with different questions,
    can differ for those reasons whatever the margin says.
    """
    difference = 100 * (share_b - share_a)
    margin = 100 * difference_margin(share_a, n_a, share_b, n_b, z)
    if abs(difference) > margin:
        verdict = ("larger than the margin: chance alone is an unlikely explanation, if both were simple random "
                   "samples of the same population")
    else:
        verdict = "within the margin: chance alone could explain it"
    return pd.Series({"difference (points)": round(difference, 1), "margin of the difference (points)":
                      round(margin, 1), "what it allows": verdict})


def sample_size_for(margin: float, share: float = 0.5, z: float = Z_95) -> int:
    """The smallest simple random sample whose margin of error is at most `margin` (a share, 0.03 for 3 points).

    A share of 0.5 gives the largest margin, so it is the safe choice when the share is not known yet.
    """
    if not 0 < margin < 1:
        raise ValueError(f"margin must be a share between 0 and 1 (0.03 for 3 points), not {margin!r}")
    _check(share, 1, z)
    return max(1, math.ceil(z * z * share * (1 - share) / margin**2 - 1e-9))


def with_margins(figures: pd.DataFrame, z: float = Z_95) -> pd.DataFrame:
    """The survey figures with each share's margin of error and range, in percentage points.

    No margin is given where the figure is not a share or its sample size is not published. Where only a
    lower bound of the sample size is known ("more than 2,200"), the margin is worked out from that bound,
    so the real margin is at most that large.
    """
    table = figures[["figure_id", "population", "sample_mode", "sample_size", "sample_size_status", "share"]].copy()
    share = table["share"].astype(float)
    size = table["sample_size"].astype("Float64").astype(float)
    usable = share.notna() & size.notna()
    margin = pd.Series(np.nan, index=table.index)
    margin[usable] = 100 * margin_of_error(share[usable], size[usable], z)
    table["share"] = (100 * share).round(1)
    table["margin"] = margin.round(1)
    table["low"] = (table["share"] - table["margin"]).round(1)
    table["high"] = (table["share"] + table["margin"]).round(1)
    table["margin note"] = np.select(
        [share.isna(), size.isna(), table["sample_size_status"].eq("lower bound only")],
        ["not a share", "no sample size published", "at most this: the sample size is a lower bound"],
        default="",
    )
    return table.drop(columns="sample_size_status").rename(columns={"share": "share (%)"})


def tally_claims(claims: pd.DataFrame) -> pd.Series:
    """How many claims sit at each evidence level, in the order documented to contradicted (zeros kept)."""
    unknown = sorted(set(claims["evidence_level"].dropna()) - set(EVIDENCE_LEVELS))
    if unknown:
        raise ValueError(f"Unknown evidence level(s) {unknown}. Fix: use one of {', '.join(EVIDENCE_LEVELS)}.")
    counts = claims["evidence_level"].value_counts().reindex(list(EVIDENCE_LEVELS), fill_value=0)
    return counts.rename("claims").rename_axis("evidence level").astype(int)


def claims_chart(claims: pd.DataFrame, title: str = "Claims by evidence level"):
    """A horizontal bar chart of the tally, readable without colour: a label, a hatch and a count on each bar."""
    import matplotlib.pyplot as plt

    counts = tally_claims(claims)
    colours = [PALETTE[c] for c in ("blue", "sky", "orange", "purple", "vermillion")]
    fig, ax = plt.subplots(figsize=(8, 4))
    positions = np.arange(len(counts))[::-1]
    for i, count in enumerate(counts.to_numpy()):
        ax.barh(positions[i], count, color=colours[i], hatch=HATCHES[i + 1], edgecolor="black", linewidth=0.6)
        ax.text(count + 0.2, positions[i], str(count), va="center", fontsize=12)
    ax.set_yticks(positions, [str(level) for level in counts.index])
    ax.set(title=title, xlabel="Number of claims", xlim=(0, counts.max() + 2))
    ax.grid(axis="y", visible=False)
    return fig


def example_votes(seed: int = 0) -> pd.DataFrame:
    """SYNTHETIC anonymous class votes before and after debates, in the layout keepingscore.poll reads.

    Three invented motions: two with 24 voters, and one with only 4, so that the suppression of small
    groups shows. Respondents are codes (v01, v02 and so on), never names. The counts are fixed; the seed
    only shuffles which code cast which vote.
    """
    rng = np.random.default_rng(seed)
    plan = {  # motion: votes for, against and undecided, before and after the debate -- all invented
        "surveys-show-approval": ((11, 5, 8), (7, 12, 5)),
        "media-misrepresented": ((8, 10, 6), (11, 10, 3)),
        "ban-sharing-blacklists": ((2, 1, 1), (2, 2, 0)),
    }
    rows = []
    for motion, phases in plan.items():
        for phase, counts in zip(("before", "after"), phases, strict=True):
            votes = rng.permutation(np.repeat(["for", "against", "undecided"], counts))
            rows += [(f"v{i + 1:02d}", motion, phase, str(vote)) for i, vote in enumerate(votes)]
    return pd.DataFrame(rows, columns=["respondent", "motion_id", "phase", "vote"])
