"""Sphinx extension for the book: editions, and pages generated from the datasets.

Directives: ``teacher`` (teacher-edition-only block), ``scorecard`` (rubric rows for systems),
``evidence-cards`` (debate evidence from evidence_cards.csv), ``glossary-table`` (glossary.csv).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from . import data
from .editions import EDITIONS, filter_source, is_teacher_page

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
ANSWER_WORDS = {"yes": "Yes", "partly": "Partly", "no": "No", "unknown": "Unknown"}
SIDE_NAMES = {"pro": "Pro", "con": "Con", "context": "Context"}


def _edition(app: Sphinx) -> str:
    edition = app.config.keepingscore_edition
    if edition not in EDITIONS:
        raise ExtensionError(f"keepingscore_edition must be 'student' or 'teacher', not {edition!r}")
    return edition


def _doc_source(srcdir: Path, docname: str) -> Path | None:
    for suffix in (".md", ".ipynb"):
        path = srcdir / f"{docname}{suffix}"
        if path.is_file():
            return path
    return None


def prune_teacher_pages(app: Sphinx, config) -> None:
    """In the student edition, take teacher pages out of the table of contents and the build."""
    if _edition(app) == "teacher":
        return
    site_map = getattr(config, "external_site_map", None)
    if site_map is None:
        return
    srcdir = Path(app.srcdir)
    teacher_docs = set()
    for docname in list(site_map):
        path = _doc_source(srcdir, docname)
        if path and path.suffix == ".md" and is_teacher_page(path.read_text(encoding="utf-8")):
            teacher_docs.add(docname)
    for docname in list(site_map):
        document = site_map[docname]
        for tree in document.subtrees:
            tree.items = [item for item in tree.items if str(item) not in teacher_docs]
        document.subtrees = [tree for tree in document.subtrees if tree.items]
    for docname in teacher_docs:
        del site_map[docname]
    config["exclude_patterns"] = list(config["exclude_patterns"]) + [
        f"{docname}.md" for docname in sorted(teacher_docs)
    ]


def filter_read_source(app: Sphinx, docname: str, source: list[str]) -> None:
    """Remove teacher-only text before parsing, in the student edition."""
    path = _doc_source(Path(app.srcdir), docname)
    suffix = path.suffix if path else ".md"
    try:
        source[0] = filter_source(source[0], suffix, _edition(app))
    except ValueError as exc:
        raise ExtensionError(f"{docname}{suffix}: {exc}") from exc


def rewrite_copied_sources(app: Sphinx, exception: Exception | None) -> None:
    """Sphinx copies raw sources for download; replace them with this edition's text."""
    if exception is not None or app.builder.format != "html" or _edition(app) == "teacher":
        return
    if not app.config.html_copy_source:
        return
    srcdir, outdir = Path(app.srcdir), Path(app.outdir)
    for docname in app.env.found_docs:
        path = _doc_source(srcdir, docname)
        if path is None:
            continue
        target = outdir / "_sources" / (
            path.relative_to(srcdir).as_posix() + app.config.html_sourcelink_suffix
        )
        if target.exists():
            target.write_text(
                filter_source(path.read_text(encoding="utf-8"), path.suffix, "student"),
                encoding="utf-8",
            )


class _GeneratedDirective(SphinxDirective):
    """A directive that writes MyST text from a dataset and parses it in place."""

    def datasets(self) -> Path:
        return Path(self.env.srcdir) / "datasets"

    def load(self, name: str):
        folder = self.datasets()
        self.env.note_dependency(str(folder / "datapackage.json"))
        self.env.note_dependency(str(folder / data.describe(name, folder)["path"]))
        try:
            return data.load(name, folder)
        except data.DataError as exc:
            raise self.error(str(exc)) from None

    def render(self, text: str, classes: list[str]) -> list[nodes.Node]:
        container = nodes.container(classes=classes)
        self.state.nested_parse(StringList(text.splitlines(), self.get_source_info()[0]),
                                self.content_offset, container)
        return [container]


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


class ScorecardDirective(_GeneratedDirective):
    """Show the comparison rubric for one or more systems, from the rubric datasets."""

    required_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        wanted = self.arguments[0].split()
        systems = self.load("systems").set_index("system_id")
        criteria = self.load("rubric_criteria")
        scores = self.load("rubric_scores")
        missing = [s for s in wanted if s not in systems.index]
        if missing:
            raise self.error(
                f"scorecard: unknown system id(s) {', '.join(missing)}; add them to datasets/systems.csv "
                f"or use one of: {', '.join(systems.index)}"
            )
        lines = [
            ":::{list-table} " + "Scorecard on the comparison rubric: "
            + "; ".join(systems.loc[s, "name"] for s in wanted),
            ":header-rows: 1",
            ":class: scorecard",
            "",
            "* - Question",
        ] + [f"  - {_cell(systems.loc[s, 'name'])}" for s in wanted]
        for criterion in criteria.itertuples():
            lines.append(f"* - {_cell(criterion.question)}")
            for system in wanted:
                row = scores[(scores.system_id == system) & (scores.criterion_id == criterion.criterion_id)]
                if row.empty:
                    raise self.error(
                        f"scorecard: datasets/rubric_scores.csv has no row for system {system!r} "
                        f"and criterion {criterion.criterion_id!r}; add one."
                    )
                r = row.iloc[0]
                answer = ANSWER_WORDS.get(str(r.answer).lower(), str(r.answer))
                status = "" if r.status == "documented" else f" ({r.status})"
                shown = f"**{_cell(answer)}**" if criterion.kind == "rating" else _cell(answer)
                lines.append(
                    f"  - {shown}{status}. {_cell(r.explanation)} {{cite:p}}`{r.source_key}`"
                )
        lines.append(":::")
        as_of = sorted(set(scores[scores.system_id.isin(wanted)].as_of.astype(str)))
        lines += [
            "",
            "Every system in this book is rated on the same questions. "
            f"Ratings describe the system as of {', '.join(as_of)}; "
            "\"reported\" or \"disputed\" marks a rating that rests on weaker evidence.",
        ]
        return self.render("\n".join(lines), ["scorecard-block"])


class EvidenceCardsDirective(_GeneratedDirective):
    """Render evidence cards for a rung and side, or by id, from evidence_cards.csv."""

    option_spec = {
        "rung": directives.positive_int,
        "side": lambda v: directives.choice(v, tuple(SIDE_NAMES)),
        "ids": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        cards = self.load("evidence_cards")
        if "ids" in self.options:
            ids = self.options["ids"].split()
            unknown = [i for i in ids if i not in set(cards.id)]
            if unknown:
                raise self.error(f"evidence-cards: no card with id {', '.join(unknown)} in evidence_cards.csv")
            chosen = cards.set_index("id").loc[ids].reset_index()
        else:
            chosen = cards
            if "rung" in self.options:
                chosen = chosen[chosen.rung == self.options["rung"]]
            if "side" in self.options:
                chosen = chosen[chosen.side == self.options["side"]]
        if chosen.empty:
            logger.warning("evidence-cards: the selection %s matches no card", self.options,
                           location=self.get_location())
            return []
        lines: list[str] = []
        for card in chosen.itertuples():
            lines += [
                f"::::{{admonition}} {card.id} · {SIDE_NAMES[card.side]}: {_cell(card.tag)}",
                f":class: evidence-card evidence-{card.side}",
                "",
                f"{_cell(card.summary)} {{cite:p}}`{card.source_key}` ({_cell(card.locator)}).",
                "",
                f"**Source type:** {card.source_type} · **Published:** {card.published} · "
                f"**Describes the situation as of:** {card.as_of}",
                "",
                f"**How far to trust it:** {_cell(card.reliability_note)}",
                "::::",
                "",
            ]
        return self.render("\n".join(lines), ["evidence-cards"])


class GlossaryTableDirective(_GeneratedDirective):
    """The bilingual glossary, generated from glossary.csv as a Sphinx glossary."""

    def run(self) -> list[nodes.Node]:
        terms = self.load("glossary").sort_values("term", key=lambda s: s.str.lower())
        lines = [":::{glossary}"]
        for t in terms.itertuples():
            chinese = ""
            if isinstance(t.hanzi, str) and t.hanzi:
                chinese = f"{t.hanzi} ({t.pinyin}), " if isinstance(t.pinyin, str) else f"{t.hanzi}, "
            english = f"*{_cell(t.english)}*. " if isinstance(t.english, str) and t.english else ""
            lines += [
                t.term,
                f"  {chinese}{english}{_cell(t.definition)} "
                f"First used in {{doc}}`/book/{t.first_chapter}`.",
                "",
            ]
        lines.append(":::")
        return self.render("\n".join(lines), ["glossary-table"])


class TeacherDirective(SphinxDirective):
    """A block for the teacher edition only (the student edition strips it before parsing)."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        if _edition(self.env.app) != "teacher":
            return []
        title = self.arguments[0] if self.arguments else "For teachers"
        node = nodes.admonition(classes=["teacher-only"])
        node += nodes.title(text=title)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


def _record_warnings(app: Sphinx, config) -> None:
    """Copy every warning to a file when asked, so tests can show them."""
    path = config.keepingscore_warning_file
    if not path:
        return
    import logging as std_logging

    handler = std_logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setLevel(std_logging.WARNING)
    handler.setFormatter(std_logging.Formatter("%(levelname)s: %(message)s"))
    std_logging.getLogger("sphinx").addHandler(handler)
    app._keepingscore_warning_handler = handler


def _stop_recording(app: Sphinx, exception: Exception | None) -> None:
    handler = getattr(app, "_keepingscore_warning_handler", None)
    if handler is not None:
        import logging as std_logging

        std_logging.getLogger("sphinx").removeHandler(handler)
        handler.close()


_LATEX_SPECIAL = re.compile(r"[\\~$%&#^_]|--|''|``")


def _skip_latex_decoding_of_plain_text() -> None:
    """Decode a bibliography field from LaTeX only when it has LaTeX in it.

    pybtex runs every field of every entry through a LaTeX decoder on every build, even when nothing
    changed: about two seconds for this bibliography. A field with no backslash, tilde, dash pair or
    other LaTeX special character decodes to itself, so the decoder can be skipped for it; braces are
    still parsed as before.
    """
    from pybtex.markup import LaTeXParser
    from pybtex.richtext import Text

    if getattr(Text.from_latex, "keepingscore_fast", False):
        return
    decode_fully = Text.from_latex.__func__

    def from_latex(cls, latex):
        if _LATEX_SPECIAL.search(latex):
            return decode_fully(cls, latex)
        return LaTeXParser(latex).parse()

    from_latex.keepingscore_fast = True
    Text.from_latex = classmethod(from_latex)


def _register_bibliography_style() -> None:
    """A bibliography style that keeps titles as written (the default lower-cases them)."""
    from pybtex.plugin import register_plugin
    from pybtex.style.formatting.unsrt import Style as UnsrtStyle
    from pybtex.style.template import field, sentence

    class KeepingScoreStyle(UnsrtStyle):
        default_sorting_style = "author_year_title"

        def format_title(self, e, which_field, as_sentence=True):
            title = field(which_field)
            return sentence[title] if as_sentence else title

    register_plugin("pybtex.style.formatting", "keepingscore", KeepingScoreStyle, force=True)

    # pybtex finds plugins by scanning every installed package's entry points, once per citation
    # (about 30 ms each, seconds a build); registering the ones the book uses turns that into a lookup.
    from pybtex.backends import html, latex, plaintext
    from pybtex.style.formatting import unsrt

    _skip_latex_decoding_of_plain_text()
    from pybtex.style.labels import alpha, number
    from pybtex.style.names import lastfirst, plain
    from pybtex.style.sorting import author_year_title, none

    for group, name, klass in [
        ("pybtex.backends", "plaintext", plaintext.Backend), ("pybtex.backends", "html", html.Backend),
        ("pybtex.backends", "latex", latex.Backend), ("pybtex.style.labels", "number", number.LabelStyle),
        ("pybtex.style.labels", "alpha", alpha.LabelStyle), ("pybtex.style.names", "plain", plain.NameStyle),
        ("pybtex.style.names", "lastfirst", lastfirst.NameStyle),
        ("pybtex.style.sorting", "none", none.SortingStyle),
        ("pybtex.style.sorting", "author_year_title", author_year_title.SortingStyle),
        ("pybtex.style.formatting", "unsrt", unsrt.Style),
    ]:
        register_plugin(group, name, klass, force=True)


_EMPTY_HEADER = re.compile(r"<th([^>]*)>(?:\s|&nbsp;)*</th>")


def _accessible_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Fix, at the source of the HTML, what axe-core flags in the theme's and docutils' output.

    - The sidebar's expand/collapse toggles are <summary> elements with only an icon: give each a name.
    - docutils marks bibliography entries role="doc-biblioentry" inside role="list"; a list needs listitems.
    - pandas tables have an empty header cell above the row labels: give it text for screen readers.
    """
    original = context.get("generate_toctree_html")
    if original is not None and not getattr(original, "keepingscore_labelled", False):
        def labelled(*args, **kwargs):
            soup = original(*args, **kwargs)
            for summary in soup.select("summary"):
                if summary.get_text(strip=True) or summary.get("aria-label"):
                    continue
                item = summary.find_parent("li")
                link = item.find("a") if item is not None else None
                name = link.get_text(" ", strip=True) if link is not None else "this section"
                summary["aria-label"] = f"Show or hide the pages under {name}"
            return soup

        labelled.keepingscore_labelled = True
        context["generate_toctree_html"] = labelled
    body = context.get("body")
    if body:
        body = body.replace('role="doc-biblioentry"', 'role="listitem"')
        body = _EMPTY_HEADER.sub(r'<th\1><span class="visually-hidden">Row</span></th>', body)
        context["body"] = body


def _add_static(app: Sphinx) -> None:
    app.config.html_static_path = [*app.config.html_static_path, str(STATIC)]


def setup(app: Sphinx) -> dict:
    _register_bibliography_style()
    app.add_config_value(
        "keepingscore_edition", os.environ.get("KEEPINGSCORE_EDITION", "student"), "env"
    )
    app.add_config_value("keepingscore_warning_file", "", "")
    app.add_config_value("keepingscore_repository_url", "", "env")
    app.add_config_value("keepingscore_repository_branch", "main", "env")
    app.add_config_value("keepingscore_hub_url", "", "env")
    from .launch import configure as configure_launch_buttons

    app.connect("config-inited", configure_launch_buttons)
    app.connect("config-inited", _record_warnings)
    app.connect("config-inited", prune_teacher_pages, priority=950)
    app.connect("build-finished", _stop_recording)
    app.connect("builder-inited", _add_static)
    app.connect("html-page-context", _accessible_page, priority=900)
    app.connect("source-read", filter_read_source)
    app.connect("build-finished", rewrite_copied_sources)
    app.add_directive("teacher", TeacherDirective)
    app.add_directive("scorecard", ScorecardDirective)
    app.add_directive("evidence-cards", EvidenceCardsDirective)
    app.add_directive("glossary-table", GlossaryTableDirective)
    __import__(f"{__package__}.ladder", fromlist=["register"]).register(app)  # debate ladder map (ladder.py)
    from .catalogue import register as register_catalogue  # imports this module's directive base

    register_catalogue(app)
    app.add_css_file("keepingscore.css")
    app.add_js_file("keepingscore.js")
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
