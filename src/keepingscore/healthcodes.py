"""Health codes for the synthetic town: signals, a rules engine, its mistakes, and a tamper-evident audit log.

Everything here is SYNTHETIC or ILLUSTRATIVE. The health signals are invented for the synthetic town
(no real person's data), and the rules and their thresholds are illustrative: no health-code operator
published its full rules. Only the isolation periods follow a report about a real code: 7 days for a
yellow code and 14 days for a red one in Hangzhou in February 2020.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import to_rgb
from matplotlib.patches import Patch
from matplotlib.ticker import StrMethodFormatter

from .plotting import HATCHES, MARKERS, PALETTE
from .town import make_ties

__all__ = [
    "SIGNALS", "CODES", "ISOLATION_DAYS", "RULES_ENGINE", "CODE_STYLE", "Rule", "DEFAULT_RULES",
    "signals", "rules_table", "change_threshold", "without_rule", "assign_codes", "confusion",
    "false_reds", "false_greens", "isolation_days", "sweep_threshold", "Entry", "AuditLog", "override",
    "lightness", "code_chart", "sweep_chart",
]

# What each column of signals() means. All of it is synthetic.
SIGNALS: dict[str, str] = {
    "person_id": "Resident's number, as in the town.",
    "district": "The resident's district, as in the town.",
    "symptoms": "How many of four symptoms (fever, cough, tiredness, loss of smell) the resident reports, 0 to 4.",
    "close_contacts": "How many friends (make_ties) the resident met this fortnight who were infected.",
    "travelled": "Visited a district outside the town flagged high-risk in the last fortnight (1 = yes, 0 = no).",
    "infected": "Actually infected: the hidden truth, which a real code never sees and can only estimate.",
}
CODES = ("green", "yellow", "red")  # from least to most restrictive
ISOLATION_DAYS = MappingProxyType({"red": 14, "yellow": 7})  # as reported for Hangzhou's code in February 2020
RULES_ENGINE = "rules engine"  # the actor named in the audit log for automatic codes

N_SYMPTOMS = 4
TRAVEL_RATE = 0.08  # synthetic: share of residents who visited the high-risk district
TRAVEL_RISK = 3.0  # synthetic: travellers are three times as likely to be infected from outside
MEET_CHANCE = 0.5  # synthetic: chance that two friends met in the fortnight (only meetings pass on infection)
SYMPTOM_CHANCE = {True: 0.35, False: 0.04}  # synthetic: chance of each symptom if infected or not

# Each code has a colour, a hatch, a marker and a text label, so no chart relies on colour alone.
CODE_STYLE: dict[str, dict[str, str]] = {
    "green": {"color": PALETTE["green"], "hatch": HATCHES[2], "marker": MARKERS[0], "label": "green: free to move"},
    "yellow": {"color": PALETTE["yellow"], "hatch": HATCHES[1], "marker": MARKERS[1],
               "label": f"yellow: {ISOLATION_DAYS['yellow']} days at home"},
    "red": {"color": PALETTE["vermillion"], "hatch": HATCHES[3], "marker": MARKERS[2],
            "label": f"red: {ISOLATION_DAYS['red']} days in isolation"},
}


def signals(town: pd.DataFrame, *, seed: int, prevalence: float = 0.02, spread: float = 0.1,
            ties: pd.DataFrame | None = None) -> pd.DataFrame:
    """Synthetic health signals for every resident, the same for the same town and seed.

    `prevalence` is the share of residents infected from outside the town (travellers more often).
    Half the friendship ties (from make_ties unless given) are meetings this fortnight; each infected
    resident then infects each friend they met with chance `spread`, once, so the final share infected
    is a little higher. `close_contacts` counts the infected friends a resident met. Symptoms are noisy:
    some infected residents report none and some uninfected residents report some.
    """
    if not 0 <= prevalence <= 0.3:
        raise ValueError(f"prevalence is a share between 0 and 0.3, not {prevalence!r}. Fix: for 2%, write 0.02.")
    if not 0 <= spread <= 1:
        raise ValueError(f"spread is a chance between 0 and 1, not {spread!r}.")
    n = len(town)
    rng = np.random.default_rng([int(seed), 2020])  # a stream of its own, apart from the town's
    travelled = rng.random(n) < TRAVEL_RATE
    base = prevalence / (1 + (TRAVEL_RISK - 1) * TRAVEL_RATE)  # so that `prevalence` is the average
    primary = rng.random(n) < np.where(travelled, TRAVEL_RISK * base, base)

    if ties is None:
        ties = make_ties(town, seed=seed)
    where = pd.Index(town["person_id"].to_numpy())
    a, b = where.get_indexer(ties["person_id"]), where.get_indexer(ties["friend_id"])
    met = rng.random(len(a)) < MEET_CHANCE
    keep = met & (a >= 0) & (b >= 0)  # ties to residents outside this town (for example after .head()) are dropped
    a, b = a[keep], b[keep]

    def infected_friends(infected: np.ndarray) -> np.ndarray:
        return (np.bincount(a, weights=infected[b], minlength=n)
                + np.bincount(b, weights=infected[a], minlength=n)).astype(np.int64)

    secondary = ~primary & (rng.random(n) < 1 - (1 - spread) ** infected_friends(primary))
    infected = primary | secondary
    symptoms = rng.binomial(N_SYMPTOMS, np.where(infected, SYMPTOM_CHANCE[True], SYMPTOM_CHANCE[False]))
    return pd.DataFrame({
        "person_id": town["person_id"].to_numpy(),
        "district": town["district"].to_numpy(),
        "symptoms": symptoms.astype(np.int64),
        "close_contacts": infected_friends(infected),
        "travelled": travelled.astype(np.int64),
        "infected": infected,
    })


@dataclass(frozen=True)
class Rule:
    """One rule of the engine: give `colour` to everyone whose signals are each at least the number in `when`.

    For example Rule("symptoms_and_contact", "red", {"symptoms": 2, "close_contacts": 1}) means
    "red for anyone with two or more symptoms AND at least one infected contact".
    """

    name: str
    colour: str
    when: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.colour not in ("yellow", "red"):
            raise ValueError(f"Rule {self.name!r}: colour must be 'yellow' or 'red', not {self.colour!r} "
                             "(green is what is left when no rule fires).")
        unknown = set(self.when) - {"symptoms", "close_contacts", "travelled"}
        if not self.when or unknown:
            raise ValueError(f"Rule {self.name!r}: give at least one condition, using only symptoms, "
                             f"close_contacts and travelled (unknown: {sorted(unknown)}).")
        # Read-only, so that changing a rule always makes a new one (see change_threshold).
        object.__setattr__(self, "when", MappingProxyType({k: int(v) for k, v in self.when.items()}))

    def fires(self, table: pd.DataFrame) -> np.ndarray:
        """True for each resident this rule applies to."""
        hit = np.ones(len(table), dtype=bool)
        for signal, at_least in self.when.items():
            hit &= table[signal].to_numpy() >= at_least
        return hit

    def describe(self) -> str:
        return " and ".join(f"{signal} at least {value}" for signal, value in self.when.items())


# ILLUSTRATIVE rules, invented for teaching. A resident gets the most restrictive colour of any rule
# that fires; the reason given is the first rule of that colour, in this order.
DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("symptoms_and_contact", "red", {"symptoms": 1, "close_contacts": 1}),
    Rule("many_symptoms", "red", {"symptoms": 3}),
    Rule("close_contact", "yellow", {"close_contacts": 1}),
    Rule("travel", "yellow", {"travelled": 1}),
    Rule("any_symptom", "yellow", {"symptoms": 1}),
)


def rules_table(rules: Iterable[Rule] = DEFAULT_RULES) -> pd.DataFrame:
    """The rules as a table, in the order the engine reads them."""
    return pd.DataFrame([{"rule": r.name, "colour": r.colour, "fires when": r.describe()} for r in rules])


def _find(rules: Iterable[Rule], name: str) -> tuple[tuple[Rule, ...], int]:
    rules = tuple(rules)
    names = [r.name for r in rules]
    if name not in names:
        raise KeyError(f"No rule {name!r}. Fix: use one of {', '.join(names)}.")
    return rules, names.index(name)


def change_threshold(rules: Iterable[Rule], name: str, signal: str, value: int) -> tuple[Rule, ...]:
    """A copy of the rules with one rule's threshold for one signal changed (the original is left alone)."""
    rules, i = _find(rules, name)
    changed = replace(rules[i], when={**rules[i].when, signal: value})
    return rules[:i] + (changed,) + rules[i + 1:]


def without_rule(rules: Iterable[Rule], name: str) -> tuple[Rule, ...]:
    """A copy of the rules with one rule taken out."""
    rules, i = _find(rules, name)
    return rules[:i] + rules[i + 1:]


def _code_column(codes) -> pd.Series:
    return codes["code"] if isinstance(codes, pd.DataFrame) else codes


def assign_codes(table: pd.DataFrame, rules: Iterable[Rule] = DEFAULT_RULES, *,
                 log: AuditLog | None = None, step: int | None = None) -> pd.DataFrame:
    """Run the rules on the signals: one row per resident with its code and the rule that gave it.

    With a `log`, every code other than green is written to it, with the rules engine as the actor.
    """
    rules = tuple(rules)
    code = np.full(len(table), "green", dtype=object)
    reason = np.full(len(table), "no rule fired", dtype=object)
    for colour in ("yellow", "red"):  # red is applied last, so it wins over yellow
        for rule in reversed([r for r in rules if r.colour == colour]):  # so the first listed rule wins
            hit = rule.fires(table)
            code[hit], reason[hit] = colour, rule.name
    codes = pd.DataFrame({
        "person_id": table["person_id"].to_numpy(),
        "code": pd.Categorical(code, categories=list(CODES), ordered=True),
        "reason": reason,
    })
    if log is not None:
        flagged = codes[codes["code"] != "green"]
        for person, colour, why in zip(flagged["person_id"], flagged["code"], flagged["reason"], strict=True):
            log.append(RULES_ENGINE, int(person), "code", "green", str(colour), f"rule {why}", step=step)
    return codes


def confusion(codes, truth) -> pd.DataFrame:
    """Residents by code (rows) and by whether they were really infected (columns)."""
    code = pd.Categorical(np.asarray(_code_column(codes), dtype=object), categories=list(CODES), ordered=True)
    infected = np.asarray(truth, dtype=bool)
    table = pd.crosstab(pd.Series(code, name="code"),
                        pd.Series(np.where(infected, "infected", "not infected"), name="truth"), dropna=False)
    return table.reindex(index=list(CODES), columns=["infected", "not infected"], fill_value=0)


def false_reds(codes, truth) -> int:
    """Residents given a red code who were not infected."""
    return int(((np.asarray(_code_column(codes), dtype=object) == "red") & ~np.asarray(truth, dtype=bool)).sum())


def false_greens(codes, truth) -> int:
    """Residents given a green code who were infected."""
    return int(((np.asarray(_code_column(codes), dtype=object) == "green") & np.asarray(truth, dtype=bool)).sum())


def isolation_days(codes, days: Mapping[str, int] = ISOLATION_DAYS) -> pd.Series:
    """Days each resident must stay in isolation because of their code (0 for green); .sum() gives person-days."""
    code = np.asarray(_code_column(codes), dtype=object)
    values = np.array([int(days.get(c, 0)) for c in code], dtype=np.int64) if len(code) else np.array([], np.int64)
    return pd.Series(values, index=getattr(codes, "index", None), name="isolation_days")


def sweep_threshold(table: pd.DataFrame, rule: str, signal: str, values: Iterable[int],
                    rules: Iterable[Rule] = DEFAULT_RULES, days: Mapping[str, int] = ISOLATION_DAYS) -> pd.DataFrame:
    """Try several thresholds for one rule's signal: code counts, errors and person-days for each."""
    rows = []
    for value in values:
        codes = assign_codes(table, change_threshold(rules, rule, signal, value))
        counts = codes["code"].value_counts()
        isolated = isolation_days(codes, days)
        rows.append({
            "threshold": value,
            **{code: int(counts.get(code, 0)) for code in CODES},
            "false_reds": false_reds(codes, table["infected"]),
            "false_greens": false_greens(codes, table["infected"]),
            "person_days": int(isolated.sum()),
            "isolated_not_infected": int(((isolated > 0).to_numpy() & ~table["infected"].to_numpy()).sum()),
            "person_days_not_infected": int(isolated[~table["infected"].to_numpy()].sum()),
        })
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# The audit log: append-only, each entry chained to the one before by a SHA-256 hash.

GENESIS = "0" * 64  # the "previous hash" of the first entry


def _digest(seq: int, step: int, actor: str, person_id: int, field_: str, old: str, new: str,
            reason: str, prev_hash: str) -> str:
    payload = json.dumps([seq, step, actor, person_id, field_, old, new, reason, prev_hash],
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One change in the audit log. Entries are frozen: assigning to a field raises an error."""

    seq: int
    step: int
    actor: str
    person_id: int
    field: str
    old: str
    new: str
    reason: str
    prev_hash: str
    hash: str

    def expected_hash(self) -> str:
        """The hash this entry's contents should have; it differs from `hash` if anything was altered."""
        return _digest(self.seq, self.step, self.actor, self.person_id, self.field, self.old, self.new,
                       self.reason, self.prev_hash)


class AuditLog:
    """An append-only log of changes to residents' codes.

    Entries can be added (append) and read (indexing, iteration, to_frame), never edited or removed
    through this class. Each entry stores the hash of the one before, so altering or deleting an entry
    underneath breaks the chain, and verify() says so. Cutting entries off the END cannot be seen from
    the chain alone: keep a copy of `head` (the latest hash) somewhere else and pass it to verify().
    `step` is a deterministic clock (for example the day of the outbreak), not the computer's time.
    """

    __slots__ = ("_entries",)

    def __init__(self) -> None:
        self._entries: list[Entry] = []

    def append(self, actor: str, person_id: int, field: str, old: str, new: str, reason: str, *,
               step: int | None = None) -> Entry:
        """Add one entry at the end; `step` defaults to the latest entry's step (0 for the first)."""
        last = self._entries[-1] if self._entries else None
        step = (last.step if last else 0) if step is None else int(step)
        if last is not None and step < last.step:
            raise ValueError(f"step {step} is before the latest entry's step {last.step}: "
                             "a log cannot go back in time.")
        if not str(actor).strip() or not str(reason).strip():
            raise ValueError("Every change needs an actor and a reason.")
        seq = len(self._entries)
        prev = last.hash if last else GENESIS
        values = (seq, step, str(actor), int(person_id), str(field), str(old), str(new), str(reason), prev)
        entry = Entry(*values, hash=_digest(*values))
        self._entries.append(entry)
        return entry

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(tuple(self._entries))

    def __getitem__(self, index):
        return tuple(self._entries)[index] if isinstance(index, slice) else self._entries[index]

    def __repr__(self) -> str:
        return f"<AuditLog: {len(self)} entries, head {self.head[:12]}>"

    @property
    def entries(self) -> tuple[Entry, ...]:
        """A read-only copy of the entries."""
        return tuple(self._entries)

    @property
    def head(self) -> str:
        """The latest entry's hash (the starting hash when the log is empty)."""
        return self._entries[-1].hash if self._entries else GENESIS

    def first_broken(self, head: str | None = None) -> int | None:
        """Position of the first entry that fails the checks, or None when the whole chain holds."""
        prev = GENESIS
        for position, entry in enumerate(self._entries):
            if entry.seq != position or entry.prev_hash != prev or entry.hash != entry.expected_hash():
                return position
            prev = entry.hash
        if head is not None and head != prev:
            return len(self._entries)  # entries were cut off the end, or added after `head` was noted
        return None

    def verify(self, head: str | None = None) -> bool:
        """True when no entry was altered, removed or reordered (and the log ends at `head`, if given)."""
        return self.first_broken(head) is None

    def to_frame(self) -> pd.DataFrame:
        """The log as a table, one row per entry, for querying with pandas."""
        columns = ["seq", "step", "actor", "person_id", "field", "old", "new", "reason", "prev_hash", "hash"]
        return pd.DataFrame([[getattr(e, c) for c in columns] for e in self._entries], columns=columns)


def override(codes: pd.DataFrame, log: AuditLog, person_ids: Iterable[int], new_colour: str, actor: str,
             reason: str, *, step: int | None = None) -> pd.DataFrame:
    """Set some residents' codes by hand: returns new codes and logs each change (the old codes are left alone)."""
    if new_colour not in CODES:
        raise ValueError(f"new_colour must be one of {', '.join(CODES)}, not {new_colour!r}.")
    if str(actor).strip() == RULES_ENGINE:
        raise ValueError(f"A manual override must name the person making it, not {RULES_ENGINE!r}.")
    ids = pd.Index(codes["person_id"])
    wanted = list(dict.fromkeys(int(p) for p in person_ids))
    rows = ids.get_indexer(wanted)
    if (rows < 0).any():
        missing = [p for p, r in zip(wanted, rows, strict=True) if r < 0][:5]
        raise KeyError(f"No resident with person_id {missing}. Fix: use ids from the codes table.")
    result = codes.copy()
    for person, row in zip(wanted, rows, strict=True):
        old = str(result["code"].iat[row])
        if old == new_colour:
            continue  # nothing changes, so nothing is logged
        log.append(actor, person, "code", old, new_colour, reason, step=step)
        result.iloc[row, result.columns.get_loc("code")] = new_colour
        result.iloc[row, result.columns.get_loc("reason")] = reason
    return result


# ---------------------------------------------------------------------------------------------
# Charts that do not rely on colour alone.

def lightness(colour: str) -> float:
    """CIE L* lightness of a colour, 0 (black) to 100 (white): what is left of it in a greyscale print."""
    rgb = np.array(to_rgb(colour))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    y = float(linear @ np.array([0.2126, 0.7152, 0.0722]))
    return 116 * y ** (1 / 3) - 16 if y > (6 / 29) ** 3 else y * (29 / 3) ** 3


def code_chart(codes, by=None, *, share: bool = False, colour: bool = True,
               title: str = "Health codes in the synthetic town"):
    """Bar chart of residents per code, optionally for each group in `by`; returns the figure.

    Every bar has its code's hatch and a text label (code and number), so the chart reads without
    colour; colour=False draws it in black and white to prove it.
    """
    code = pd.Series(np.asarray(_code_column(codes), dtype=object), name="code")
    groups = pd.Series(np.full(len(code), "all residents") if by is None else np.asarray(by), name="group")
    counts = pd.crosstab(groups, code).reindex(columns=list(CODES), fill_value=0)
    values = counts.div(counts.sum(axis=1), axis=0) * 100 if share else counts
    fig, ax = plt.subplots()
    width = 0.8 / len(CODES)
    for i, name in enumerate(CODES):
        style = CODE_STYLE[name]
        x = np.arange(len(values)) + (i - 1) * width
        bars = ax.bar(x, values[name], width, color=style["color"] if colour else "white", hatch=style["hatch"],
                      edgecolor="black", linewidth=0.8, label=style["label"])
        ax.bar_label(bars, labels=[f"{name}\n{v:.0f}%" if share else f"{name}\n{v:,}" for v in values[name]],
                     fontsize=9, padding=2)
    ax.set_xticks(np.arange(len(values)), list(values.index))
    ax.set(title=title, ylabel="Share of the group (%)" if share else "Residents")
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_ylim(0, float(values.to_numpy().max()) * 1.35 or 1)
    ax.title.set_fontsize(12)
    handles = [Patch(facecolor=CODE_STYLE[n]["color"] if colour else "white", hatch=CODE_STYLE[n]["hatch"],
                     edgecolor="black", label=CODE_STYLE[n]["label"]) for n in CODES]
    ax.legend(handles=handles, fontsize=9, loc="upper right")
    return fig


def sweep_chart(table: pd.DataFrame, what: str = "threshold"):
    """Two panels from sweep_threshold: infected residents left green (left) and person-days of isolation (right).

    Every line has its own marker and line style, named in the legend, so the chart reads without colour.
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.5))
    x = table["threshold"]
    lines = [
        (left, "false_greens", "false greens (infected, green)", CODE_STYLE["green"], "-"),
        (left, "false_reds", "false reds (not infected, red)", CODE_STYLE["red"], "--"),
        (right, "person_days", "all residents", {"color": PALETTE["blue"], "marker": MARKERS[3]}, "-"),
        (right, "person_days_not_infected", "residents not infected", {"color": PALETTE["orange"],
                                                                        "marker": MARKERS[4]}, "--"),
    ]
    for ax, column, label, style, line in lines:
        ax.plot(x, table[column], color=style["color"], marker=style["marker"], linestyle=line, linewidth=2,
                markersize=8, markeredgecolor="black", label=label)
    left.set(title="Mistakes", xlabel=what, ylabel="Residents")
    right.set(title="Isolation", xlabel=what, ylabel="Person-days")
    for ax in (left, right):
        ax.title.set_fontsize(12)
        ax.set_xticks(list(x))
        ax.set_xlim(x.min() - 0.3, x.max() + 0.3)
        ax.set_ylim(0, float(max(ax.get_ylim()[1], 1)) * 1.15)
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        ax.legend(fontsize=10, handlelength=3)
    fig.suptitle("One threshold, two kinds of cost (synthetic town, illustrative rules)", fontweight="bold")
    fig.tight_layout()
    return fig
