"""The comparison rubric as a table: every system the datasets hold, rated on the same questions.

`table()` gives systems by questions, `heatmap()` draws it so that it reads without colour (the answer
is written in every cell and each answer has its own hatching), and `catches()` applies a definition
of "social credit" written as rubric answers, to show which systems fall inside it.

Nothing here names a system: rows come from datasets/systems.csv and datasets/rubric_scores.csv, so
new systems appear as soon as they are added to the data.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from . import data
from .plotting import HATCHES, PALETTE

__all__ = [
    "ANSWERS", "NOT_RATED", "SYSTEM_ATTRIBUTES", "Rubric", "DefinitionError", "load", "table", "statuses",
    "counts", "heatmap", "alt_text", "allowed_answers", "catches",
]

# The answers a rating question takes, in the order the legend shows them.
ANSWERS = ("yes", "partly", "no", "unknown")
NOT_RATED = "not rated"  # a system with no row for a question (shown, never guessed)

# Columns of systems.csv that a definition may also use, besides the rating questions.
SYSTEM_ATTRIBUTES = ("operator_type",)

# How each answer is drawn: a light fill (so black writing stays readable), a hatch and an edge colour.
# Single-density patterns (the book's HATCHES at half density): as readable in a grid this size, and the
# picture renders about twice as fast and half as large.
_STYLE = {
    "yes": ("#CCE3F0", HATCHES[0], PALETTE["blue"]),
    "partly": ("#FBEBC7", HATCHES[1][:1], PALETTE["orange"]),
    "no": ("#F5D3BE", HATCHES[3][:1], PALETTE["vermillion"]),
    "unknown": ("#FFFFFF", HATCHES[2][:1], "#555555"),
    NOT_RATED: ("#FFFFFF", "", "#999999"),
}


class DefinitionError(ValueError):
    """A definition of social credit that cannot be applied; the message says what to change."""


@dataclass(frozen=True)
class Rubric:
    """The three rubric datasets: ratings, questions and systems."""

    scores: pd.DataFrame
    criteria: pd.DataFrame
    systems: pd.DataFrame


def load() -> Rubric:
    """Load datasets/rubric_scores.csv, rubric_criteria.csv and systems.csv (validated)."""
    return Rubric(data.load("rubric_scores"), data.load("rubric_criteria"), data.load("systems"))


def _rubric(rubric: Rubric | None) -> Rubric:
    return rubric if rubric is not None else load()


def _criteria(rubric: Rubric, kind: str | None) -> pd.DataFrame:
    if kind not in (None, "rating", "text"):
        raise ValueError(f"kind must be 'rating', 'text' or None (every question), not {kind!r}.")
    criteria = rubric.criteria
    return criteria if kind is None else criteria[criteria["kind"] == kind]


def _pivot(rubric: Rubric, column: str, kind: str | None, systems: Iterable[str] | None) -> pd.DataFrame:
    criteria = _criteria(rubric, kind)
    order = list(rubric.systems["system_id"]) if systems is None else list(systems)
    unknown = [s for s in order if s not in set(rubric.systems["system_id"])]
    if unknown:
        raise KeyError(f"unknown system id(s) {unknown}; use some of: {', '.join(rubric.systems['system_id'])}.")
    scores = rubric.scores
    wide = scores.pivot(index="system_id", columns="criterion_id", values=column)
    wide = wide.reindex(index=order, columns=list(criteria["criterion_id"])).astype(object)
    wide.index.name, wide.columns.name = "system_id", "criterion_id"
    return wide


def table(kind: str | None = "rating", systems: Iterable[str] | None = None,
          rubric: Rubric | None = None) -> pd.DataFrame:
    """Systems (rows, in systems.csv order) by questions (columns): each cell the system's answer.

    `kind="rating"` (the default) keeps the yes/partly/no/unknown questions; "text" keeps the ones
    answered in words; None keeps all. A question with no rating for a system reads "not rated".
    """
    rubric = _rubric(rubric)
    wide = _pivot(rubric, "answer", kind, systems)
    rating = set(rubric.criteria.loc[rubric.criteria["kind"] == "rating", "criterion_id"])
    for column in wide.columns:
        if column in rating:
            wide[column] = wide[column].map(lambda v: NOT_RATED if pd.isna(v) else str(v).strip().lower())
        else:
            wide[column] = wide[column].map(lambda v: NOT_RATED if pd.isna(v) else str(v))
    return wide


def statuses(kind: str | None = "rating", systems: Iterable[str] | None = None,
             rubric: Rubric | None = None) -> pd.DataFrame:
    """Like `table`, but each cell is the evidence status (documented, reported, disputed, judgement)."""
    return _pivot(_rubric(rubric), "status", kind, systems)


def counts(answers: pd.DataFrame) -> pd.DataFrame:
    """How many of each answer every system has (rows: systems; columns: yes, partly, no, unknown, not rated)."""
    columns = [a for a in (*ANSWERS, NOT_RATED) if a in set(answers.to_numpy().ravel()) or a in ANSWERS]
    return pd.DataFrame({a: (answers == a).sum(axis=1) for a in columns}, index=answers.index)


def _question_labels(rubric: Rubric, columns: Iterable[str], width: int) -> list[str]:
    criteria = rubric.criteria.set_index("criterion_id")
    labels = []
    for column in columns:
        if column not in criteria.index:
            labels.append(column)
            continue
        label = textwrap.fill(str(criteria.loc[column, "question"]), width)
        if criteria.loc[column, "kind"] == "rating" and criteria.loc[column, "protective_answer"] == "no":
            label += "\n(here 'no' protects)"
        labels.append(label)
    return labels


def heatmap(answers: pd.DataFrame, rubric: Rubric | None = None, status: pd.DataFrame | None = None,
            title: str = "The comparison rubric: every system, the same questions"):
    """Draw a rating table as a grid readable without colour; returns the matplotlib figure.

    Every cell spells out its answer, and each answer has its own hatching (yes: plain, partly: lines,
    no: crosses, unknown: dots), so the grid reads in greyscale, in print and with any form of colour
    blindness. With `status` (from `statuses`), cells whose evidence is not "documented" also say so.
    Show it with `keepingscore.plotting.show(fig, alt=alt_text(answers))`.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Rectangle

    rubric = _rubric(rubric)
    n_rows, n_cols = answers.shape
    if n_rows == 0 or n_cols == 0:
        raise ValueError("the table is empty: there is nothing to draw.")
    others = sorted({str(v) for v in answers.to_numpy().ravel()} - {*ANSWERS, NOT_RATED})
    if others:
        raise ValueError(
            f"heatmap draws rating questions (yes, partly, no, unknown), but the table holds {others[0]!r}; "
            "make the table with table(kind=\"rating\")."
        )
    names = rubric.systems.set_index("system_id")["name"]
    row_labels = [textwrap.fill(str(names.get(s, s)), 34) for s in answers.index]
    fig, ax = plt.subplots(figsize=(3.6 + 1.2 * n_cols, 2.2 + 0.5 * n_rows))
    for i, system in enumerate(answers.index):
        for j, criterion in enumerate(answers.columns):
            answer = str(answers.loc[system, criterion])
            fill, hatch, edge = _STYLE.get(answer, _STYLE[NOT_RATED])
            ax.add_patch(Rectangle((j, i), 1, 1, facecolor=fill, hatch=hatch, edgecolor=edge, linewidth=0))
            word = answer.capitalize()
            note = status.loc[system, criterion] if status is not None else None
            if isinstance(note, str) and note != "documented":
                word += f"\n({note})"
            ax.text(j + 0.5, i + 0.5, word, ha="center", va="center", fontsize=9.5, color="black",
                    bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none"})
    # White lines between cells, drawn once rather than as a border round every cell (much faster to render).
    ax.hlines(range(n_rows + 1), 0, n_cols, colors="white", linewidth=2)
    ax.vlines(range(n_cols + 1), 0, n_rows, colors="white", linewidth=2)
    ax.set_xlim(0, n_cols)
    ax.set_ylim(n_rows, 0)
    ax.set_xticks([j + 0.5 for j in range(n_cols)], _question_labels(rubric, answers.columns, 16), fontsize=9)
    ax.xaxis.tick_top()
    ax.set_yticks([i + 0.5 for i in range(n_rows)], row_labels, fontsize=9.5)
    ax.tick_params(length=0)
    ax.grid(False)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_title(title, fontsize=12, pad=12)
    shown = [a for a in (*ANSWERS, NOT_RATED) if a in ANSWERS or (answers == a).any().any()]
    handles = [Patch(facecolor=_STYLE[a][0], hatch=_STYLE[a][1], edgecolor=_STYLE[a][2], label=a.capitalize())
               for a in shown]
    # The colours mark the answer, not a verdict: on function creep, for example, "yes" is the worrying answer.
    ax.legend(handles=handles, title="Answer (whether it protects depends on the question)",
              loc="upper center", bbox_to_anchor=(0.5, -0.02),
              ncol=len(handles), fontsize=9, handlelength=2.5, handleheight=1.5)
    fig.tight_layout()
    return fig


def alt_text(answers: pd.DataFrame, rubric: Rubric | None = None) -> str:
    """A text alternative for `heatmap(answers)`: what the grid shows and its main pattern, from the data."""
    rubric = _rubric(rubric)
    names = rubric.systems.set_index("system_id")["name"]
    tally = counts(answers)
    total = tally.sum()
    parts = [
        f"Grid of {len(answers)} systems (rows) by {answers.shape[1]} rubric questions (columns), with the answer "
        "written in each cell and a different hatching for yes, partly, no and unknown.",
        f"Of {int(total.sum())} cells, {int(total['yes'])} say yes, {int(total['partly'])} partly, "
        f"{int(total['no'])} no and {int(total['unknown'])} unknown"
        + (f", and {int(total[NOT_RATED])} not rated" if NOT_RATED in total and total[NOT_RATED] else "")
        + f"; the most common answer is {total.idxmax()}.",
    ]
    for answer in ("yes", "no"):
        if tally[answer].max() > 0:
            top = tally[answer].idxmax()
            parts.append(f"{names.get(top, top)} has the most {answer} answers ({int(tally.loc[top, answer])}).")
    return " ".join(parts)


def allowed_answers(rubric: Rubric | None = None) -> dict[str, tuple[str, ...]]:
    """What a definition may name: each rating question with its answers, and each system attribute with its values."""
    rubric = _rubric(rubric)
    allowed: dict[str, tuple[str, ...]] = {
        c: ANSWERS for c in rubric.criteria.loc[rubric.criteria["kind"] == "rating", "criterion_id"]
    }
    for attribute in SYSTEM_ATTRIBUTES:
        if attribute not in rubric.systems.columns:
            continue
        values = {str(v).strip().lower() for v in rubric.systems[attribute].dropna()}
        try:
            field = next(f for f in data.describe("systems")["schema"]["fields"] if f["name"] == attribute)
            values |= {str(v).lower() for v in field.get("constraints", {}).get("enum", [])}
        except (StopIteration, KeyError, data.DataError):
            pass
        allowed[attribute] = tuple(sorted(values))
    return allowed


def _example(allowed: Mapping[str, tuple[str, ...]]) -> str:
    return '{"voluntary": ["no"], "can_appeal": ["no", "partly"]}' if "voluntary" in allowed else "{}"


def _normalise(definition, rubric: Rubric) -> dict[str, set[str]]:
    allowed = allowed_answers(rubric)
    if not isinstance(definition, Mapping):
        raise DefinitionError(
            "a definition is a dict from a question to the answers that count as social credit, for example "
            f"{_example(allowed)}; got {type(definition).__name__}."
        )
    if not definition:
        raise DefinitionError(
            "the definition is empty, so it would catch every system; name at least one question and the answers "
            f"that count, for example {_example(allowed)}."
        )
    text_questions = set(rubric.criteria.loc[rubric.criteria["kind"] == "text", "criterion_id"])
    clean: dict[str, set[str]] = {}
    for key, wanted in definition.items():
        if key in text_questions:
            raise DefinitionError(
                f"{key!r} is answered in words, not yes/partly/no/unknown, so a definition cannot match it; "
                f"use operator_type ({', '.join(allowed.get('operator_type', ()))}) or a rating question instead."
            )
        if key not in allowed:
            raise DefinitionError(f"{key!r} is not a rubric question; use one of: {', '.join(allowed)}.")
        options = allowed[key]
        values = [wanted] if isinstance(wanted, str) else wanted
        try:
            values = [str(v).strip().lower() for v in values]
        except TypeError:
            raise DefinitionError(
                f"for {key!r}, give a list of answers, for example [{', '.join(repr(o) for o in options[:2])}]; "
                f"got {wanted!r}."
            ) from None
        if not values:
            raise DefinitionError(f"for {key!r}, the list of answers is empty; choose from: {', '.join(options)}.")
        wrong = [v for v in values if v not in options]
        if wrong:
            raise DefinitionError(
                f"for {key!r}, the allowed answers are {', '.join(options)}; {', '.join(map(repr, wrong))} "
                f"{'is' if len(wrong) == 1 else 'are'} not one of them."
            )
        clean[key] = set(values)
    return clean


def catches(definition: Mapping[str, Iterable[str] | str], rubric: Rubric | None = None) -> pd.DataFrame:
    """Which systems a definition of social credit catches: those whose answers are acceptable on every question named.

    `definition` maps each question (a criterion_id, or operator_type) to the answers that count, for example
    `{"voluntary": ["no"], "can_appeal": ["no", "partly"]}`: a system is caught when it is not voluntary AND
    its appeal route is absent or partial. Returns one row per system, in systems.csv order, with `caught`
    and, for the others, the questions on which they escape. A definition that cannot be applied raises
    `DefinitionError` naming the question and the allowed answers.
    """
    rubric = _rubric(rubric)
    clean = _normalise(definition, rubric)
    answers = table(kind="rating", rubric=rubric)
    systems = rubric.systems.set_index("system_id")
    result = pd.DataFrame({
        "name": systems["name"].reindex(answers.index),
        "country": systems["country"].reindex(answers.index) if "country" in systems.columns else None,
        "operator_type": systems["operator_type"].reindex(answers.index) if "operator_type" in systems else None,
    }, index=answers.index)
    escapes = []
    for system in answers.index:
        missed = []
        for key, wanted in clean.items():
            value = systems.loc[system, key] if key in SYSTEM_ATTRIBUTES else answers.loc[system, key]
            value = str(value).strip().lower()
            if value not in wanted:
                missed.append(f"{key} ({value})")
        escapes.append("; ".join(missed))
    result["caught"] = [not e for e in escapes]
    result["escapes on"] = escapes
    return result
