"""Reference pages generated from the project's own files, so they never drift from them.

Directives:

- ``standards-index``: every teaching standard the chapters address, from each chapter's ``standards``
  front matter and ``datasets/standards.csv``.
- ``standards``: one chapter's standards (used in its teacher notes).
- ``timeline-page``: a chart and a table of ``datasets/timeline.csv``.
- ``dataset-catalogue``: every resource in ``datasets/datapackage.json``: description, fields, sources,
  licence, rows by evidence status and a download link.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from docutils import nodes
from sphinx.application import Sphinx

from .editions import front_matter
from .sphinxext import _cell, _GeneratedDirective

__all__ = ["chapters", "standard_ids", "register"]

FRAMEWORK_NAMES = {
    "C3": "C3 Framework for Social Studies State Standards (NCSS, 2013)",
    "CCSS": "Common Core State Standards: literacy in history/social studies and speaking and listening (2010)",
    "CSTA": "CSTA K-12 Computer Science Standards (2017)",
}


def chapters(book: Path, kind: str = "chapter") -> list[dict]:
    """Front matter of every page of one kind (chapter or rung) in `book`, with its title, in reading order."""
    found = []
    for path in sorted(book.glob("*.md") if kind == "chapter" else (book / "debate").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        meta = front_matter(text)
        if meta.get("kind") != kind:
            continue
        title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), path.stem)
        found.append({**meta, "title": title, "path": path})
    return sorted(found, key=lambda m: (int(m.get("rung", 99)), str(m.get("slug"))))


def standard_ids(standards: pd.DataFrame) -> list[str]:
    """Codes as chapters write them in front matter: the framework, a space, the code ("C3 D2.Civ.8.9-12")."""
    return [f"{f} {c}" for f, c in zip(standards.framework, standards.code, strict=True)]


class _TitledDirective(_GeneratedDirective):
    """Generated text with its own headings, which become real sections of the page."""

    def render(self, text: str, classes: list[str]) -> list[nodes.Node]:
        from docutils.statemachine import StringList
        from sphinx.util.nodes import nested_parse_with_titles

        container = nodes.Element()
        nested_parse_with_titles(self.state, StringList(text.splitlines(), self.get_source_info()[0]), container,
                                 self.content_offset)
        return list(container.children)


class _BookDirective(_TitledDirective):
    def book(self) -> Path:
        return Path(self.env.srcdir) / "book"

    def chapters(self, kind: str = "chapter") -> list[dict]:
        found = chapters(self.book(), kind)
        for meta in found:
            self.env.note_dependency(str(meta["path"]))
        return found

    def standards(self) -> pd.DataFrame:
        table = self.load("standards")
        table["id"] = standard_ids(table)
        return table.set_index("id")

    def check_codes(self, meta: dict, known) -> list[str]:
        codes = list(meta.get("standards") or [])
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise self.error(
                f"{meta['path'].parent.name}/{meta['path'].name}: front matter 'standards' has unknown code(s) "
                f"{', '.join(unknown)}; write them as in datasets/standards.csv ('C3 D2.Civ.8.9-12', "
                "'CCSS RH.11-12.8', 'CSTA 3A-IC-29') or add a row there."
            )
        return codes


def _page_link(meta: dict) -> str:
    if meta.get("kind") == "rung":
        return f"{{doc}}`Rung {meta['rung']} </book/debate/{meta['path'].stem}>`"
    return f"{{doc}}`/book/{meta['slug']}`"


class StandardsIndexDirective(_BookDirective):
    """Every standard that some chapter addresses, grouped by framework, with the chapters that address it."""

    def run(self) -> list[nodes.Node]:
        table = self.standards()
        by_code: dict[str, list[dict]] = {}
        pages = self.chapters() + self.chapters("rung")
        for meta in pages:
            for code in self.check_codes(meta, table.index):
                by_code.setdefault(code, []).append(meta)
        lines: list[str] = []
        for framework, name in FRAMEWORK_NAMES.items():
            rows = [i for i in table.index if table.loc[i, "framework"] == framework and i in by_code]
            if not rows:
                continue
            key = table.loc[rows[0], "source_key"]
            lines += [
                f"## {name}",
                "",
                f":::{{list-table}} {framework} codes and the chapters that address them "
                f"(summaries in our words; wording of the codes from {{cite:t}}`{key}`)",
                ":header-rows: 1",
                ":widths: 20 50 30",
                ":class: standards-index",
                "",
                "* - Code",
                "  - What it asks (our summary)",
                "  - Chapters and debate rungs",
            ]
            for code in rows:
                links = "; ".join(_page_link(m) for m in by_code[code])
                lines += [
                    f"* - {table.loc[code, 'code']}",
                    f"  - {_cell(table.loc[code, 'summary'])}",
                    f"  - {links}",
                ]
            lines += [":::", ""]
        lines += ["## By chapter and rung", ""]
        for meta in pages:
            codes = self.check_codes(meta, table.index)
            shown = ", ".join(codes) if codes else "none listed"
            lines.append(f"- {_page_link(meta)}: {shown}")
        return self.render("\n".join(lines), ["standards-index-block"])


class StandardsDirective(_BookDirective):
    """One chapter's standards, with our summaries: ``{standards} slug``."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        slug = self.arguments[0]
        table = self.standards()
        meta = next((m for m in self.chapters() if m.get("slug") == slug), None)
        if meta is None:
            raise self.error(f"standards: no chapter with slug {slug!r} in book/ (kind: chapter).")
        codes = self.check_codes(meta, table.index)
        if not codes:
            raise self.error(f"standards: book/{slug}.md lists no 'standards' in its front matter; add them there.")
        lines = [
            "Codes exactly as each framework numbers them; the descriptions are our short summaries, "
            "not the standards' wording. The same list feeds the {doc}`standards index </book/standards>`.",
            "",
        ]
        lines += [f"- **{code}**: {_cell(table.loc[code, 'summary'])}" for code in codes]
        return self.render("\n".join(lines), ["standards-list"])


class TimelinePageDirective(_TitledDirective):
    """A chart of the timeline by category and year, and the full table with sources."""

    def run(self) -> list[nodes.Node]:
        from .plotting import figure_markdown

        events = self.load("timeline").sort_values(["year", "date", "title"], kind="stable")
        figure = _timeline_figure(events)
        counts = events.groupby("category").size().sort_values(ascending=False)
        first, last = int(events.year.min()), int(events.year.max())
        alt = (
            f"Dot chart of {len(events)} dated events from {first} to {last}, one row per category. "
            + "; ".join(f"{cat}: {n} events" for cat, n in counts.items())
            + f". {int((events.year >= 2000).sum())} of the events fall in {2000} or later, shown on a wider scale; "
            + f"the busiest year is {int(events.year.mode().iloc[0])}."
        )
        lines = [figure_markdown(figure, alt), ""]
        lines += [
            f":::{{list-table}} All {len(events)} events in datasets/timeline.csv, oldest first",
            ":header-rows: 1",
            ":widths: 11 49 10 10 10 10",
            ":class: timeline-table",
            "",
            "* - Date",
            "  - Event",
            "  - Region",
            "  - Category",
            "  - Chapter",
            "  - Evidence",
        ]
        chapters_here = {p.stem for p in (Path(self.env.srcdir) / "book").glob("*.md")}
        for e in events.itertuples():
            label = e.chapter.replace("-", " ")
            chapter = f"{{doc}}`{label} </book/{e.chapter}>`" if e.chapter in chapters_here else label
            lines += [
                f"* - {e.date}",
                f"  - **{_cell(e.title)}.** {_cell(e.description)}",
                f"  - {_cell(e.region)}",
                f"  - {_cell(e.category)}",
                f"  - {chapter}",
                f"  - {e.status} {{cite:p}}`{e.source_key}`",
            ]
        lines.append(":::")
        return self.render("\n".join(lines), ["timeline-page"])


def _timeline_figure(events: pd.DataFrame, split: int = 2000):
    """Events as dots, one row per category, with each category's own marker as well as its own colour.

    Most events fall after `split`, so the years before it get a narrow panel of their own and the
    recent decades a wide one; otherwise the recent dots would pile on top of each other.
    """
    import matplotlib.pyplot as plt

    from .plotting import MARKERS, PALETTE, use_style

    use_style()
    categories = list(events.groupby("category").year.min().sort_values().index)
    colours = list(PALETTE.values())
    fig, (early, recent) = plt.subplots(
        1, 2, sharey=True, figsize=(9.5, 0.5 * len(categories) + 1.8), gridspec_kw={"width_ratios": [1, 2.6]}
    )
    for i, cat in enumerate(categories):
        years = events.loc[events.category == cat, "year"].astype(int)
        for ax in (early, recent):
            ax.scatter(years, [i] * len(years), marker=MARKERS[i % len(MARKERS)], s=55,
                       color=colours[i % len(colours)], edgecolor="black", linewidth=0.6, alpha=0.8, zorder=3)
    first = int(events.year.min())
    early.set_xlim(first - 5, split - 1)
    recent.set_xlim(split - 1, max(int(events.year.max()), 2026) + 1)
    early.set_xticks(range((first // 50) * 50 + 50, split, 50))
    recent.set_xticks(range(split, int(events.year.max()) + 2, 5))
    recent.spines["left"].set_visible(False)
    recent.tick_params(axis="y", length=0)
    early.set_yticks(range(len(categories)), labels=categories)
    early.invert_yaxis()
    early.set_ylabel("Category")
    early.set_title(f"Before {split}", fontsize=11, fontweight="normal")
    recent.set_title(f"{split} onwards (wider scale)", fontsize=11, fontweight="normal")
    fig.supxlabel("Year")
    fig.suptitle("Events in the book's timeline, by category", fontweight="bold")
    fig.tight_layout()
    return fig


class DatasetCatalogueDirective(_TitledDirective):
    """One section per dataset in datapackage.json."""

    def run(self) -> list[nodes.Node]:
        folder = self.datasets()
        package_path = folder / "datapackage.json"
        self.env.note_dependency(str(package_path))
        package = json.loads(package_path.read_text(encoding="utf-8"))
        licences = ", ".join(f"[{lic['title']}]({lic['path']})" for lic in package.get("licenses", []))
        lines = [
            f"All datasets share one licence: {licences}. "
            "Each download is the CSV exactly as the lessons read it; `datapackage.json` holds the full schema.",
            "",
            "{download}`Download datapackage.json (the schema for every file) </datasets/datapackage.json>`",
            "",
        ]
        for res in package["resources"]:
            table = self.load(res["name"])
            lines += [
                f"## {_cell(res.get('title', res['name']))}",
                "",
                f"`{res['path']}`: {len(table):,} rows. {_cell(res.get('description', ''))}",
                "",
                f"{{download}}`Download {res['path']} </datasets/{res['path']}>`",
                "",
            ]
            if "status" in table.columns:
                counts = table.status.value_counts()
                lines += ["**Rows by evidence status:** " + ", ".join(f"{s} {n}" for s, n in counts.items()) + ".", ""]
            if "source_key" in table.columns:
                keys = sorted(set(table.source_key.dropna().astype(str)) - {""})
                lines += [f"**Sources:** {len(keys)} works in the references, for example "
                          + ", ".join(f"{{cite:t}}`{k}`" for k in keys[:3]) + ".", ""]
            lines += [
                f":::{{list-table}} Fields of {res['path']}",
                ":header-rows: 1",
                ":widths: 22 12 66",
                ":class: dataset-fields",
                "",
                "* - Field",
                "  - Type",
                "  - Meaning",
            ]
            for field in res["schema"]["fields"]:
                lines += [
                    f"* - `{field['name']}`",
                    f"  - {field.get('type', 'string')}",
                    f"  - {_cell(field.get('description', ''))}",
                ]
            lines += [":::", ""]
        return self.render("\n".join(lines), ["dataset-catalogue"])


class BookContentsDirective(_BookDirective):
    """What is in the book: each part's chapters with their notebook and debate rung, from _toc.yml and front matter."""

    def run(self) -> list[nodes.Node]:
        import yaml

        root = Path(self.env.srcdir)
        self.env.note_dependency(str(root / "_toc.yml"))
        toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
        found = {m["slug"]: m for m in self.chapters()}
        rungs = {}
        for path in sorted((root / "book" / "debate").glob("*.md")):
            meta = front_matter(path.read_text(encoding="utf-8"))
            if meta.get("kind") == "rung":
                self.env.note_dependency(str(path))
                rungs[int(meta["rung"])] = (path.stem, meta)
        lines = [
            ":::{list-table} Chapters, notebooks and debate rungs, in reading order",
            ":header-rows: 1",
            ":class: book-contents",
            "",
            "* - Part",
            "  - Reading",
            "  - Notebook",
            "  - Debate",
        ]
        for part in toc.get("parts", []):
            for entry in part.get("chapters", []):
                slug = Path(entry["file"]).name
                meta = found.get(slug)
                if meta is None or not entry["file"].startswith("book/"):
                    continue
                lesson = meta.get("lesson")
                notebook = f"{{doc}}`/lessons/{lesson}`" if lesson and (root / "lessons" / f"{lesson}.ipynb").exists() \
                    else "none"
                rung = meta.get("rung")
                if rung in rungs:
                    page, rung_meta = rungs[rung]
                    debate = f"{{doc}}`Rung {rung}: {_cell(rung_meta.get('format', ''))} </book/debate/{page}>`"
                else:
                    debate = f"Rung {rung}" if rung else ""
                lines += [f"* - {_cell(part.get('caption', ''))}", f"  - {{doc}}`/book/{slug}`",
                          f"  - {notebook}", f"  - {debate}"]
        lines.append(":::")
        return self.render("\n".join(lines), ["book-contents-block"])


def register(app: Sphinx) -> None:
    app.add_directive("book-contents", BookContentsDirective)
    app.add_directive("standards-index", StandardsIndexDirective)
    app.add_directive("standards", StandardsDirective)
    app.add_directive("timeline-page", TimelinePageDirective)
    app.add_directive("dataset-catalogue", DatasetCatalogueDirective)
