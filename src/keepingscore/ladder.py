"""The debate ladder, generated from the rung pages and the data, so it never drifts from them.

Each rung page (``book/debate/<slug>.md``, ``kind: rung``) names its ``rung``, ``slug``, ``format`` and
``motion`` in its front matter, and shows evidence cards with ``{evidence-cards}`` blocks.
``datasets/debate_ladder.csv`` holds the plan of all nine rungs (motion, format, skill, chapters behind
it), so a rung with no page yet still appears; where a page exists, its front matter wins.
From these and ``datasets/evidence_cards.csv`` this module works out which earlier cards each rung reuses.

The ``debate-ladder`` directive renders the ladder table, the reuse lists and an argument map of each
motion (pro, con and context branches of card tags, as nested lists); ``:parts:`` picks which.
Every evidence card also gets an anchor (``card-<id>``) where its own rung's page shows it, so the map
links to the card itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import data
from .editions import filter_source, front_matter
from .errors import KeepingScoreError

__all__ = ["Rung", "LadderError", "card_blocks", "cards_shown", "rungs", "reuse", "homes", "markdown",
           "load", "register", "PARTS"]

PARTS = ("table", "reuse", "maps")
SIDES = {"pro": "Pro: for the motion", "con": "Con: against the motion", "context": "Context for both sides"}
# World Schools names its sides Proposition and Opposition; the cards keep their pro and con ids.
_WORLD_SCHOOLS = {"pro": "Proposition: for the motion (pro cards)", "con": "Opposition: against the motion (con cards)"}
SIDE_NAMES = {"pro": "Pro", "con": "Con", "context": "Context"}
_OPEN = re.compile(r"^\s*(?P<fence>`{3,}|~{3,}|:{3,})\{evidence-cards\}")
_OPTION = re.compile(r"^\s*:(?P<key>[a-z-]+):\s*(?P<value>.*?)\s*$")
_CARD_ID = re.compile(r"r(?P<rung>\d+)-(?:pro|con|ctx)-\d+")


class LadderError(KeepingScoreError):
    """A rung page whose front matter the ladder cannot use."""


@dataclass
class Rung:
    """One rung of the ladder: the plan's row, overridden by the page's front matter where there is a page."""

    rung: int
    slug: str
    format: str
    motion: str
    skill: str = ""
    chapters: list[tuple[str, str]] = field(default_factory=list)  # (slug, short name)
    builds_on: list[int] = field(default_factory=list)
    min_rungs_reused: int = 0
    docname: str | None = None  # "book/debate/travel-bans" when the rung has a page
    path: Path | None = None
    shown: list[str] = field(default_factory=list)  # ids of the cards the page shows, in order


def card_blocks(text: str) -> list[dict[str, str]]:
    """The options of every ``{evidence-cards}`` block in MyST text, in order."""
    blocks = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = _OPEN.match(lines[i])
        i += 1
        if not match:
            continue
        options: dict[str, str] = {}
        while i < len(lines) and lines[i].strip() != match.group("fence"):
            option = _OPTION.match(lines[i])
            if option:
                options[option.group("key")] = option.group("value")
            i += 1
        i += 1
        blocks.append(options)
    return blocks


def cards_shown(text: str, cards: pd.DataFrame) -> list[str]:
    """Ids of the cards a page's ``{evidence-cards}`` blocks show, in order, each once."""
    shown: list[str] = []
    for options in card_blocks(text):
        if "ids" in options:
            ids = options["ids"].split()
        else:
            chosen = cards
            if options.get("rung", "").strip().isdigit():
                chosen = chosen[chosen.rung == int(options["rung"])]
            if "side" in options:
                chosen = chosen[chosen.side == options["side"].strip()]
            ids = list(chosen.id)
        shown += [i for i in ids if i not in shown]
    return shown


def _plan_rows(plan: pd.DataFrame | None) -> dict[int, Rung]:
    found = {}
    if plan is None:
        return found
    for row in plan.itertuples(index=False):
        slugs = str(row.chapters).split()
        names = [n.strip() for n in str(row.chapter_names).split(";")]
        names += slugs[len(names):]
        builds = str(row.builds_on).split() if not pd.isna(row.builds_on) else []
        found[int(row.rung)] = Rung(
            rung=int(row.rung), slug=str(row.slug), format=str(row.format), motion=str(row.motion),
            skill=str(row.skill), chapters=list(zip(slugs, names[: len(slugs)], strict=True)),
            builds_on=[int(b) for b in builds],
            min_rungs_reused=int(row.min_rungs_reused) if not pd.isna(row.min_rungs_reused) else 0,
        )
    return found


def rungs(book: Path, cards: pd.DataFrame, plan: pd.DataFrame | None = None, *,
          edition: str = "student") -> list[Rung]:
    """Every rung, in order: the plan's rows, with each rung page's front matter and cards laid over them."""
    found = _plan_rows(plan)
    root = Path(book).parent
    pages: dict[int, Path] = {}
    for path in sorted((Path(book) / "debate").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        meta = front_matter(text)
        if meta.get("kind") != "rung":
            continue
        number = meta.get("rung")
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise LadderError(f"{path}: front matter 'rung' must be the rung's number (a whole number from 1), "
                              f"not {number!r}. Fix: write, for example, 'rung: 5'.")
        if number in pages:
            raise LadderError(f"{path}: rung {number} already has a page, {pages[number]}. "
                              "Fix: give each rung page its own number.")
        pages[number] = path
        rung = found.get(number) or Rung(rung=number, slug=path.stem, format="", motion="")
        for key in ("slug", "format", "motion", "skill"):
            if meta.get(key):
                setattr(rung, key, " ".join(str(meta[key]).split()))
        if not rung.motion:
            raise LadderError(f"{path}: the front matter has no 'motion' and datasets/debate_ladder.csv has no "
                              f"row for rung {number}. Fix: add 'motion: ...' to the front matter.")
        rung.path = path
        rung.docname = path.relative_to(root).with_suffix("").as_posix()
        rung.shown = cards_shown(filter_source(text, ".md", edition), cards)
        found[number] = rung
    return [found[k] for k in sorted(found)]


def reuse(rung: Rung, cards: pd.DataFrame) -> dict[int, list[str]]:
    """The earlier rungs' cards a rung's page shows, by the rung they come from (earliest first)."""
    origin = dict(zip(cards.id, cards.rung.astype(int), strict=True))
    found: dict[int, list[str]] = {}
    for card in rung.shown:
        if card in origin and origin[card] < rung.rung:
            found.setdefault(origin[card], []).append(card)
    return dict(sorted(found.items()))


def homes(ladder: list[Rung], cards: pd.DataFrame) -> dict[str, str]:
    """Where each card can be linked to: the page of its own rung, when that page shows it."""
    origin = dict(zip(cards.id, cards.rung.astype(int), strict=True))
    return {card: r.docname for r in ladder if r.docname for card in r.shown if origin.get(card) == r.rung}


def load(book: Path | None = None, folder: Path | None = None, *, edition: str = "student") -> tuple[list[Rung],
                                                                                                     pd.DataFrame]:
    """The ladder and the evidence cards, from the project's files (for scripts, tests and packets)."""
    from .paths import datasets_dir, project_root

    book = Path(book) if book is not None else project_root() / "book"
    folder = folder or datasets_dir()
    cards = data.load("evidence_cards", folder)
    return rungs(book, cards, data.load("debate_ladder", folder), edition=edition), cards


# ---------------------------------------------------------------- MyST text


def _text(value: str) -> str:
    """One line of table or list text: whitespace collapsed, and nothing that breaks a table or a role."""
    return " ".join(str(value).split()).replace("|", "\\|").replace("`", "'")


def _role_text(value: str) -> str:
    return _text(value).replace("<", "‹").replace(">", "›")


def _doc(docname: str | None, label: str, linkable: set[str] | None) -> str:
    if docname and (linkable is None or docname in linkable):
        return f"{{doc}}`{_role_text(label)} </{docname}>`"
    return _text(label)


def _card(card_id: str, home: dict[str, str], linkable: set[str] | None) -> str:
    if card_id in home and (linkable is None or home[card_id] in linkable):
        return f"{{ref}}`{card_id} <card-{card_id}>`"
    return card_id


def _reuse_summary(found: dict[int, list[str]]) -> str:
    if not found:
        return "None"
    return "; ".join(f"rung {k}: {len(v)} card{'s' if len(v) != 1 else ''}" for k, v in sorted(found.items()))


def _table(ladder: list[Rung], cards: pd.DataFrame, linkable: set[str] | None) -> list[str]:
    lines = [
        ":::{list-table} The debate ladder: each rung's format, motion and skill, and the cards it reuses",
        ":header-rows: 1",
        ":class: ladder-table",
        "",
        "* - Rung", "  - Format", "  - Motion", "  - Skill it adds", "  - Chapters behind it",
        "  - Reuses cards from",
    ]
    for r in ladder:
        chapters = "; ".join(_doc(f"book/{slug}", name, linkable) for slug, name in r.chapters) or "None"
        lines += [
            f"* - {r.rung}",
            f"  - {_text(r.format) or 'To be set'}",
            f"  - {_doc(r.docname, r.motion, linkable)}",
            f"  - {_text(r.skill) or 'None given'}",
            f"  - {chapters}",
            f"  - {_reuse_summary(reuse(r, cards)) if r.docname else 'No packet page yet'}",
        ]
    lines.append(":::")
    waiting = [str(r.rung) for r in ladder if not r.docname or (linkable is not None and r.docname not in linkable)]
    if waiting:
        lines += ["", f"Rung{'s' if len(waiting) > 1 else ''} {', '.join(waiting)} "
                  f"{'have' if len(waiting) > 1 else 'has'} no packet page in this edition yet; "
                  "the motion is listed from the ladder's plan (`datasets/debate_ladder.csv`)."]
    return lines


def _reuse_list(ladder: list[Rung], cards: pd.DataFrame, home: dict[str, str],
                linkable: set[str] | None) -> list[str]:
    lines = []
    for r in ladder:
        if not r.docname:
            continue
        found = reuse(r, cards)
        title = _doc(r.docname, f"Rung {r.rung}: {r.motion}", linkable)
        if not found:
            lines.append(f"- {title}: reuses no cards from earlier rungs.")
            continue
        total = sum(map(len, found.values()))
        lines.append(f"- {title}: reuses {total} card{'s' if total != 1 else ''} "
                     f"from {len(found)} earlier rung{'s' if len(found) != 1 else ''}.")
        for origin, ids in found.items():
            lines.append(f"  - From rung {origin}: " + ", ".join(_card(i, home, linkable) for i in ids) + ".")
    return lines or ["No rung page shows any evidence cards yet."]


def _maps(ladder: list[Rung], cards: pd.DataFrame, home: dict[str, str], linkable: set[str] | None) -> list[str]:
    by_id = cards.set_index("id")
    lines: list[str] = []
    for r in ladder:
        own = [c for c in r.shown if c in by_id.index and int(by_id.loc[c, "rung"]) == r.rung]
        if not r.docname:
            own = list(cards.id[cards.rung == r.rung])
        earlier = reuse(r, cards)
        if not own and not earlier:
            continue
        lines += [f"### Rung {r.rung}: {_text(r.format)}", "",
                  f"- **Motion:** {_doc(r.docname, r.motion, linkable)}"]
        labels = {**SIDES, **_WORLD_SCHOOLS} if "world schools" in r.format.lower() else SIDES
        for side, label in labels.items():
            ids = [c for c in own if by_id.loc[c, "side"] == side]
            if not ids:
                continue
            lines.append(f"  - **{label}** ({len(ids)} card{'s' if len(ids) != 1 else ''})")
            lines += [f"    - {_card(c, home, linkable)}: {_text(by_id.loc[c, 'tag'])}" for c in ids]
        if earlier:
            lines.append("  - **Carried from earlier rungs** (either side may use these)")
            for origin, ids in earlier.items():
                lines.append(f"    - From rung {origin}")
                lines += [f"      - {_card(c, home, linkable)} "
                          f"({SIDE_NAMES.get(by_id.loc[c, 'side'], by_id.loc[c, 'side'])} at rung {origin}): "
                          f"{_text(by_id.loc[c, 'tag'])}" for c in ids]
        lines.append("")
    return lines or ["No rung has evidence cards yet."]


def markdown(ladder: list[Rung], cards: pd.DataFrame, parts: tuple[str, ...] = PARTS, *,
             linkable: set[str] | None = None) -> str:
    """The ladder as MyST text: ``table``, ``reuse`` and ``maps``, in the order asked for.

    ``linkable`` is the set of pages that exist in the build (None: every page); nothing else is linked.
    """
    home = homes(ladder, cards)
    lines: list[str] = []
    for part in parts:
        if part == "table":
            lines += _table(ladder, cards, linkable)
        elif part == "reuse":
            lines += _reuse_list(ladder, cards, home, linkable)
        elif part == "maps":
            lines += _maps(ladder, cards, home, linkable)
        else:
            raise LadderError(f"debate-ladder: unknown part {part!r}. Fix: use some of: {', '.join(PARTS)}.")
        lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------- Sphinx


def _ladder_directive():
    from docutils import nodes
    from docutils.parsers.rst import directives
    from docutils.statemachine import StringList
    from sphinx.util.nodes import nested_parse_with_titles

    from .sphinxext import _GeneratedDirective

    class DebateLadderDirective(_GeneratedDirective):
        """The ladder table, the reuse lists and the argument maps, from the rung pages and the data."""

        option_spec = {"parts": directives.unchanged}

        def run(self) -> list[nodes.Node]:
            parts = tuple(self.options.get("parts", " ".join(PARTS)).split())
            cards = self.load("evidence_cards")
            plan = self.load("debate_ladder")
            book = Path(self.env.srcdir) / "book"
            self.env.note_dependency(str(book / "debate"))  # a new rung page changes the folder's time
            try:
                ladder = rungs(book, cards, plan, edition=self.env.app.config.keepingscore_edition)
                text = markdown(ladder, cards, parts, linkable=set(self.env.found_docs))
            except LadderError as exc:
                raise self.error(str(exc)) from None
            for r in ladder:
                if r.path is not None:
                    self.env.note_dependency(str(r.path))
            container = nodes.container(classes=["debate-ladder", *(f"ladder-{p}" for p in parts)])
            nested_parse_with_titles(self.state, StringList(text.splitlines(), self.get_source_info()[0]),
                                     container, self.content_offset)
            # Headings in the generated text become sections of the page, beside the container.
            sections = [n for n in container.children if isinstance(n, nodes.section)]
            for section in sections:
                container.remove(section)
            return [container, *sections]

    return DebateLadderDirective


def _card_anchors():
    from docutils import nodes
    from sphinx.transforms import SphinxTransform

    from .sphinxext import _doc_source

    class CardAnchors(SphinxTransform):
        """Give each card an anchor, card-<id>, where its own rung's page shows it (once per page)."""

        default_priority = 840  # before Sphinx collects the page's labels (850)

        def apply(self, **kwargs) -> None:
            path = _doc_source(Path(self.env.srcdir), self.env.docname)
            if path is None or path.suffix != ".md":
                return
            meta = front_matter(path.read_text(encoding="utf-8"))
            rung = meta.get("rung")
            if meta.get("kind") != "rung" or not isinstance(rung, int):
                return
            for node in list(self.document.findall(nodes.admonition)):
                if "evidence-card" not in node["classes"]:
                    continue
                title = node.next_node(nodes.title)
                match = _CARD_ID.match(title.astext() if title is not None else "")
                if match is None or int(match.group("rung")) != rung:
                    continue
                name = f"card-{match.group(0)}"
                if name in self.document.nameids:
                    continue
                node["names"].append(name)
                self.document.note_explicit_target(node, node)

    return CardAnchors


def register(app) -> None:
    """Add the ``debate-ladder`` directive and the evidence cards' anchors to a Sphinx app."""
    app.add_directive("debate-ladder", _ladder_directive())
    app.add_transform(_card_anchors())
