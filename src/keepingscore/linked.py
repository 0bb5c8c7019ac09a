"""Linking the synthetic town's records by person across the systems built so far, and what errors do.

The systems are imported, never copied: the court list's rules (keepingscore.blacklist), the
Sesame-style score (keepingscore.credit), the Rongcheng-style points (keepingscore.points) and the
health codes (keepingscore.healthcodes). Health codes were separate epidemic-control tools; linking them
here is a what-if.
Which status counts as "adverse" is ILLUSTRATIVE for the score and the points; the 600 cut-off is the
documented threshold for Suzhou's deposit-free public bikes (datasets/sesame_perks.csv). The agencies that
act on the court list come from datasets/joint_punishment.csv. The town is synthetic.

Two regimes are compared:

- isolated: each system keeps its own records, and an adverse status has consequences only inside that
  system (and none at all where the system's own rules say a low standing is not a penalty);
- linked: adverse statuses are shared by person, and every agency that takes part in joint punishment
  acts on each shared flag, as it does today for the court list.

Adding a system is one entry: write a `System` and pass it to `register` (or add it to `_BUILT_IN`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import data
from .blacklist import listing_grounds
from .credit import sesame_score, tiers
from .healthcodes import ISOLATION_DAYS, assign_codes, signals
from .points import balances, grades, ledger

__all__ = [
    "System", "SYSTEMS", "register", "systems", "link", "adverse_flags", "people_measures", "wrong_record",
    "follow_error", "compare_regimes", "compound_error", "simulate_compound", "SESAME_CUTOFF", "LOW_GRADES",
    "HEALTH_SEED",
]

SESAME_CUTOFF = 600  # documented: Suzhou's deposit-free public bikes need 600 or more (sesame_perks.csv)
LOW_GRADES = ("B", "C", "D")  # ILLUSTRATIVE: the grades this model treats as a low standing
HEALTH_SEED = 0  # the seed of the town's synthetic health signals


@dataclass(frozen=True)
class System:
    """One record system: how it labels each resident, which labels are adverse, and what it does about them.

    `status(town)` returns one label per resident (aligned with the town's rows); `adverse(labels)` is True
    where the label brings worse treatment; `value(town)`, if given, is the number behind the label (a score
    or a balance). `own_consequence` is what the system itself does to an adverse label when it works alone,
    or None when its rules say the label is not in itself a penalty.
    """

    name: str
    title: str
    status: Callable[[pd.DataFrame], pd.Series]
    adverse: Callable[[pd.Series], pd.Series]
    own_consequence: str | None
    basis: str
    value: Callable[[pd.DataFrame], pd.Series] | None = None


def _court_status(town: pd.DataFrame) -> pd.Series:
    listed = listing_grounds(town)["listed"].to_numpy()
    return pd.Series(np.where(listed, "listed", "not listed"), index=town.index)


def _sesame_value(town: pd.DataFrame) -> pd.Series:
    # credit.sesame_score lines its result up by row label, so give it plain row numbers and put the
    # town's own labels back afterwards (a filtered or shuffled town would otherwise get wrong scores).
    scores = sesame_score(town.reset_index(drop=True))
    return pd.Series(scores.to_numpy(), index=town.index, name="score")


def _sesame_status(town: pd.DataFrame) -> pd.Series:
    labels = tiers(_sesame_value(town), {f"{SESAME_CUTOFF} or more": SESAME_CUTOFF})
    return labels.cat.rename_categories({"below all": f"below {SESAME_CUTOFF}"}).astype(str)


def _health_status(town: pd.DataFrame) -> pd.Series:
    # The synthetic signals are drawn row by row, so draw them in person_id order: each resident then
    # gets the same code however the town's rows happen to be sorted.
    order = np.argsort(town["person_id"].to_numpy(), kind="stable")
    codes = assign_codes(signals(town.iloc[order].reset_index(drop=True), seed=HEALTH_SEED))
    labels = np.empty(len(town), dtype=object)
    labels[order] = codes["code"].astype(str).to_numpy()
    return pd.Series(labels, index=town.index)


def _balance(town: pd.DataFrame) -> pd.Series:
    rules = data.load("rongcheng_rules")
    return balances(town, ledger(town, rules))


def _points_status(town: pd.DataFrame) -> pd.Series:
    return grades(_balance(town)).astype(str)


_BUILT_IN = [
    System(
        name="court_list",
        title="Court list of dishonest judgment debtors",
        status=_court_status,
        adverse=lambda labels: labels == "listed",
        own_consequence="the court publishes the listing and orders limits on high spending",
        basis="documented rules (simplified): able to pay but not paying, or obstructing enforcement",
    ),
    System(
        name="sesame",
        title="Sesame-style credit score",
        status=_sesame_status,
        adverse=lambda labels: labels == f"below {SESAME_CUTOFF}",
        own_consequence=f"no deposit-free perks (Suzhou's public bikes need {SESAME_CUTOFF})",
        basis="illustrative weights; the 600 perk threshold is documented",
        value=_sesame_value,
    ),
    System(
        name="points",
        title="Rongcheng-style civic points",
        status=_points_status,
        adverse=lambda labels: labels.isin(LOW_GRADES),
        own_consequence=None,  # Rongcheng's current rules: a low score is not in itself grounds for a penalty
        basis="documented, reported and illustrative rules; illustrative grade cut-offs",
        value=_balance,
    ),
    System(
        name="health_code",
        title="Health code (a what-if link)",
        status=_health_status,
        adverse=lambda labels: labels == "red",
        own_consequence=f"{ISOLATION_DAYS['red']} days in isolation (red code)",
        basis="synthetic signals and illustrative rules; isolation periods as reported for Hangzhou in 2020",
    ),
]

SYSTEMS: dict[str, System] = {s.name: s for s in _BUILT_IN}


def register(system: System) -> System:
    """Add a record system to the registry (replacing one of the same name); `link` then includes it."""
    SYSTEMS[system.name] = system
    return system


def systems(names: Iterable[str] | None = None) -> list[System]:
    """The registered systems, or the named ones in the order given."""
    if names is None:
        return list(SYSTEMS.values())
    unknown = [n for n in names if n not in SYSTEMS]
    if unknown:
        raise KeyError(f"No system called {unknown[0]!r}. Fix: use one of {', '.join(SYSTEMS)}.")
    return [SYSTEMS[n] for n in names]


def link(town: pd.DataFrame, names: Iterable[str] | None = None, values: bool = False) -> pd.DataFrame:
    """One row per resident: each system's status, joined by person_id, and how many of them are adverse.

    Each system produces its own table (person_id and status); the tables are then joined on person_id,
    the way linked databases are joined on an identity number. `values=True` adds the number behind each
    status (score or balance) where a system has one.
    """
    chosen = systems(names)
    linked = town[["person_id"]].reset_index(drop=True)
    flags = np.zeros(len(town), dtype=int)
    for system in chosen:
        own = pd.DataFrame({"person_id": town["person_id"].to_numpy(),
                            system.name: system.status(town).to_numpy()})
        if values and system.value is not None:
            own[f"{system.name}_value"] = system.value(town).to_numpy()
        linked = linked.merge(own, on="person_id", how="left", validate="one_to_one")
        flags += system.adverse(linked[system.name]).to_numpy(dtype=bool)
    linked["adverse_count"] = flags
    return linked


def adverse_flags(linked: pd.DataFrame, names: Iterable[str] | None = None) -> pd.DataFrame:
    """True/False per resident and system: is the status adverse? (Only systems present in `linked`.)"""
    chosen = [s for s in systems(names) if s.name in linked.columns]
    return pd.DataFrame({s.name: s.adverse(linked[s.name]).to_numpy(dtype=bool) for s in chosen},
                        index=linked["person_id"].to_numpy())


def people_measures(measures: pd.DataFrame | None = None) -> pd.DataFrame:
    """The joint-punishment measures that apply to people (not only to companies)."""
    measures = data.load("joint_punishment") if measures is None else measures
    return measures[measures["applies_to"].isin(["people", "both"])].reset_index(drop=True)


def wrong_record(town: pd.DataFrame, person_id: int | None = None) -> tuple[pd.DataFrame, int]:
    """A copy of the town in which one resident wrongly carries an unpaid judgment they could pay.

    This is the kind of error a mix-up of two people with the same name produces. Without `person_id`,
    the first resident with no court judgment at all is chosen. The original town is not changed.
    """
    if person_id is None:
        clean = town.loc[~town["court_judgment"], "person_id"]
        if clean.empty:
            raise ValueError("Every resident already has a court judgment; pass a person_id.")
        person_id = int(clean.iloc[0])
    rows = town.index[town["person_id"] == person_id]
    if len(rows) != 1:
        raise KeyError(f"No resident with person_id {person_id!r}. Fix: use a number from town['person_id'].")
    faulty = town.copy()
    faulty.loc[rows, ["court_judgment", "able_to_pay", "judgment_paid", "obstructed_enforcement"]] = [
        True, True, False, False]
    faulty.loc[rows, "judgment_amount"] = float(town["judgment_amount"][town["court_judgment"]].median())
    return faulty, person_id


def _labels(system: System, town: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each resident's status, written with the number behind it where there is one, and the adverse flags."""
    status = system.status(town).astype(str)
    adverse = system.adverse(status)
    if system.value is not None:
        numbers = system.value(town).to_numpy()
        status = pd.Series([f"{label} ({int(number):,})" for label, number in zip(status, numbers, strict=True)],
                           index=status.index)
    return status, adverse


def follow_error(town: pd.DataFrame, person_id: int | None = None, measures: pd.DataFrame | None = None,
                 names: Iterable[str] | None = None) -> pd.DataFrame:
    """Follow one wrong court record through each system and then through the agencies that share the list.

    One row per place the record reaches: first each system applying its own rules (before and after the
    error), then each agency in joint_punishment.csv that restricts people on the list. Every system is
    run on the whole town, because some (the health codes) depend on the resident's neighbours too.
    """
    faulty, person_id = wrong_record(town, person_id)
    position = int(np.flatnonzero(town["person_id"].to_numpy() == person_id)[0])
    trail = []
    listed_after = False
    for system in systems(names):
        (was, was_bad), (now, now_bad) = _labels(system, town), _labels(system, faulty)
        was, now = was.iloc[position], now.iloc[position]
        was_bad, now_bad = bool(was_bad.iloc[position]), bool(now_bad.iloc[position])
        if system.name == "court_list":
            listed_after = now_bad
        if now_bad and not was_bad:
            effect = system.own_consequence or "none in itself: the rules say a low standing is not a penalty"
        elif was != now:
            effect = "standing changes, no consequence yet"
        else:
            effect = "no change"
        trail.append({"where": system.title, "reached by": "its own rules", "before": was, "after": now,
                      "consequence": effect})
    if listed_after:
        for measure in people_measures(measures).itertuples():
            trail.append({"where": measure.agency, "reached by": "the shared court list (joint punishment)",
                          "before": "no restriction", "after": "restricted", "consequence": measure.restriction})
    result = pd.DataFrame(trail)
    result.index = pd.RangeIndex(1, len(result) + 1, name="step")
    result.attrs["person_id"] = person_id
    return result


def compare_regimes(linked: pd.DataFrame, p: float = 0.02, seed: int = 0, measures: pd.DataFrame | None = None,
                    shared: Iterable[str] | None = None) -> pd.DataFrame:
    """Isolated versus linked: wrong consequences when each system wrongly flags a share `p` of residents.

    Each system marks as adverse a share `p` of the residents it should not (independently, seeded).
    Isolated: a wrong flag has only the flagging system's own consequence (none for a system whose rules
    say a low standing is not a penalty). Linked: flags from the `shared` systems (default: all) also go to
    every joint-punishment agency that restricts people, and each agency acts on each flag. A single name
    (`shared="court_list"`) counts as a list of one.
    """
    if isinstance(shared, str):
        shared = [shared]
    if not 0 <= p <= 1:
        raise ValueError(f"p must be a share between 0 and 1 (for example 0.02 for 2%), not {p!r}")
    truth = adverse_flags(linked)
    chosen = systems(truth.columns)
    shared = set(truth.columns if shared is None else shared)
    unknown = shared - set(truth.columns)
    if unknown:
        raise KeyError(f"Cannot share {sorted(unknown)}: `linked` has no such column. Use {list(truth.columns)}.")
    agencies = len(people_measures(measures))
    rng = np.random.default_rng(seed)
    wrong = ~truth.to_numpy() & (rng.random(truth.shape) < p)
    own = np.array([s.own_consequence is not None for s in chosen])
    goes_out = np.array([s.name in shared for s in chosen])
    isolated = (wrong & own).sum(axis=1)
    linked_count = isolated + agencies * (wrong & goes_out).sum(axis=1)
    rows = {}
    for regime, counts in (("isolated", isolated), ("linked", linked_count)):
        rows[regime] = {
            "residents with at least one wrong consequence": int((counts > 0).sum()),
            "wrong consequences in all": int(counts.sum()),
            "most for one resident": int(counts.max(initial=0)),
        }
    result = pd.DataFrame(rows).T
    result.index.name = "regime"
    result.attrs["wrong flags per system"] = dict(zip(truth.columns, wrong.sum(axis=0).tolist(), strict=True))
    return result


def _check_p_k(p, k) -> tuple[np.ndarray, np.ndarray]:
    p_arr, k_arr = np.asarray(p, dtype=float), np.asarray(k)
    if np.any((p_arr < 0) | (p_arr > 1)) or np.any(np.isnan(p_arr)):
        raise ValueError(f"p must be a share between 0 and 1 (for example 0.02 for 2%), not {p!r}")
    if not np.issubdtype(k_arr.dtype, np.integer) or np.any(k_arr < 0):
        raise ValueError(f"k must be a whole number of records, 0 or more, not {k!r}")
    return p_arr, k_arr


def compound_error(p, k):
    """The chance that at least one of k independent records is wrong, when each is wrong with chance p.

    1 - (1 - p) ** k: one minus the chance that all k are right. Works on single numbers or arrays.
    """
    p_arr, k_arr = _check_p_k(p, k)
    result = 1 - (1 - p_arr) ** k_arr
    return float(result) if result.ndim == 0 else result


def simulate_compound(p: float, k: int, n: int = 100_000, seed: int = 0) -> float:
    """Simulate n people with k records each, each record wrong with chance p; return the share with any wrong.

    Each person's number of wrong records is drawn at once (a binomial draw is the same as k separate
    coin flips), so a million people take a fraction of a second.
    """
    _check_p_k(p, k)
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive whole number of simulated people, not {n!r}")
    wrong_records = np.random.default_rng(seed).binomial(int(k), float(p), size=int(n))
    return float((wrong_records > 0).mean())
