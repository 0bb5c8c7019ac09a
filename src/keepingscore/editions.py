"""Two editions from one source: what the student edition leaves out, and how.

Teacher-only material is removed from the source text before Sphinx parses it, so it is absent from
the student edition's HTML, search index and downloadable sources, not merely hidden.
"""

from __future__ import annotations

import json
import re

import yaml

__all__ = [
    "EDITIONS", "TEACHER_TAGS", "front_matter", "is_teacher_page", "strip_teacher_blocks",
    "filter_notebook", "filter_source",
]

EDITIONS = ("student", "teacher")
TEACHER_TAGS = frozenset({"teacher", "solution"})

_OPEN = re.compile(r"^(?P<fence>`{3,}|:{3,})\{teacher\}")


def front_matter(text: str) -> dict:
    """Return a Markdown page's YAML front matter as a dict (empty when there is none)."""
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    if end == -1:
        return {}
    data = yaml.safe_load(text[3:end]) or {}
    return data if isinstance(data, dict) else {}


def is_teacher_page(text: str) -> bool:
    """True when a page's front matter says `edition: teacher`."""
    return front_matter(text).get("edition") == "teacher"


def strip_teacher_blocks(text: str) -> str:
    """Remove every `{teacher}` fenced block (``` or :::, any length) from MyST text."""
    out: list[str] = []
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        match = _OPEN.match(lines[i].lstrip())
        if not match:
            out.append(lines[i])
            i += 1
            continue
        fence = match.group("fence")
        i += 1
        while i < len(lines) and lines[i].strip() != fence:
            i += 1
        if i == len(lines):
            raise ValueError(f"A {{teacher}} block opened with {fence} is never closed.")
        i += 1  # skip the closing fence
    return "".join(out)


def filter_notebook(text: str) -> str:
    """Drop cells tagged teacher or solution, and teacher blocks inside Markdown cells."""
    notebook = json.loads(text)
    kept = []
    for cell in notebook.get("cells", []):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & TEACHER_TAGS:
            continue
        if cell.get("cell_type") == "markdown":
            source = cell["source"]
            joined = "".join(source) if isinstance(source, list) else source
            stripped = strip_teacher_blocks(joined)
            if stripped != joined:
                cell = {**cell, "source": stripped}
        kept.append(cell)
    notebook["cells"] = kept
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


TEACHER_PAGE_NOTICE = (
    "This page belongs to the teacher edition of Keeping Score. "
    "Teachers can build it with `python -m keepingscore build --edition teacher`.\n"
)


def filter_source(text: str, suffix: str, edition: str) -> str:
    """Return the text Sphinx should see for this edition."""
    if edition not in EDITIONS:
        raise ValueError(f"Unknown edition {edition!r}: use 'student' or 'teacher'.")
    if edition == "teacher":
        return text
    if suffix == ".ipynb":
        return filter_notebook(text)
    if is_teacher_page(text):
        head_end = text.find("\n---", 3) + 4
        title = re.search(r"^# .+$", text, flags=re.MULTILINE)
        return text[:head_end] + "\n" + (title.group(0) + "\n\n" if title else "") + TEACHER_PAGE_NOTICE
    return strip_teacher_blocks(text)
