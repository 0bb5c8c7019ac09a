"""Strict builds of both editions, and proof that the student edition holds no teacher-only text."""

from __future__ import annotations

import html
import json
import re

import pytest

from keepingscore.editions import TEACHER_TAGS, front_matter, strip_teacher_blocks

from .conftest import BOOK, LESSONS, ROOT, source_of, toc_files

pytestmark = pytest.mark.build


def _plain(text: str) -> str:
    """MyST source reduced to roughly what a reader sees: citations dropped, other roles and links as their text."""
    text = re.sub(r"\{cite(?::[a-z]+)?\}`[^`]*`", " ", text)
    text = re.sub(r"\{[a-z:]+\}`([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`|#>]", " ", text)


def _norm(text: str) -> str:
    """Lower case, letters and digits only: so punctuation and markup cannot hide a match or fake one."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def _phrases(text: str) -> list[str]:
    """The first twelve words of every sentence of ten words or more (the book writes one sentence per line)."""
    found = []
    for line in _plain(text).splitlines():
        words = _norm(line).split()
        if len(words) >= 10:
            found.append(" ".join(words[:12]))
    return found


def teacher_only_phrases() -> dict[str, list[str]]:
    """Distinctive runs of words from every piece of teacher-only material, by where they come from."""
    found: dict[str, list[str]] = {}
    in_book = {source_of(docname) for docname in toc_files()}
    for path in sorted(p for p in BOOK.rglob("*.md") if p in in_book):
        text = path.read_text(encoding="utf-8")
        if front_matter(text).get("edition") == "teacher":
            body = text.split("\n---", 1)[1]
            body = re.sub(r"^# .*$", "", body, count=1, flags=re.M)
            found[str(path.relative_to(ROOT))] = _phrases(body)
        elif "{teacher}" in text:
            removed = "".join(line for line in text.splitlines(True) if line not in strip_teacher_blocks(text))
            found[f"{path.relative_to(ROOT)} (teacher blocks)"] = _phrases(removed)
    for path in LESSONS.glob("*.ipynb"):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        hidden = []
        for cell in cells:
            source = "".join(cell["source"])
            if set(cell["metadata"].get("tags", [])) & TEACHER_TAGS:
                hidden.append(source)
            elif "{teacher}" in source:
                kept = strip_teacher_blocks(source)
                hidden.append("".join(line for line in source.splitlines(True) if line not in kept))
        found[str(path.relative_to(ROOT))] = [p for h in hidden for p in _phrases(h)] + [
            _norm(line) for h in hidden for line in h.splitlines() if len(line.strip()) > 25 and "=" in line
        ]
    return found


def student_visible_sources() -> str:
    """The text a student may see anyway: every source page and notebook, filtered for the student edition."""
    from keepingscore.editions import filter_source

    parts = []
    for path in [*BOOK.rglob("*.md"), *LESSONS.glob("*.ipynb")]:
        text = filter_source(path.read_text(encoding="utf-8"), path.suffix, "student")
        if front_matter(text).get("edition") != "teacher":
            parts.append(text)
    # Pages generated from the data (glossary, scorecards, cards) show the datasets' text to students too.
    parts += [path.read_text(encoding="utf-8") for path in (ROOT / "datasets").glob("*.csv")]
    return _norm(_plain(" ".join(parts)))


def site_text(folder) -> dict[str, str]:
    texts = {}
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".txt", ".js", ".json", ".ipynb", ".md", ".inv"}:
            raw = path.read_text(encoding="utf-8", errors="ignore")
            if path.suffix == ".html":
                raw = html.unescape(re.sub(r"<[^>]+>", "", raw))
            if path.suffix == ".ipynb":
                try:
                    cells = json.loads(raw)["cells"]
                    raw = "\n".join("".join(c["source"]) for c in cells)
                except (ValueError, KeyError):
                    pass
            texts[str(path.relative_to(folder))] = _norm(raw)
    return texts


def test_both_editions_build_strictly_with_no_warnings(built):
    for edition, (status, log) in built.items():
        assert status == 0 and not log.strip(), f"{edition} edition warnings:\n{log}"


def test_every_toc_page_is_built_in_the_teacher_edition(built):
    out = ROOT / "_build" / "teacher" / "html"
    for docname in toc_files():
        assert (out / f"{docname}.html").exists(), docname


def test_student_edition_contains_no_teacher_only_text(built):
    shared = student_visible_sources()
    # A teacher page may repeat a sentence from the chapter (an essential question, say): that is not a leak.
    phrases = {origin: [p for p in items if p not in shared] for origin, items in teacher_only_phrases().items()}
    assert sum(map(len, phrases.values())) >= 20, "too few teacher-only phrases to make the test meaningful"
    teacher = "\n".join(site_text(ROOT / "_build" / "teacher" / "html").values())
    student = site_text(ROOT / "_build" / "student" / "html")
    checked = 0
    for origin, items in phrases.items():
        present_in_teacher = [p for p in items if p in teacher]
        assert present_in_teacher or not items, f"no teacher-only text from {origin} found in the teacher edition"
        for phrase in present_in_teacher:
            checked += 1
            leaks = [name for name, text in student.items() if phrase in text]
            assert not leaks, f"teacher-only text from {origin} leaked into the student edition: {phrase!r} in {leaks}"
    assert checked >= 20


def test_student_edition_lists_no_teacher_pages(built):
    student = ROOT / "_build" / "student" / "html"
    assert not (student / "book" / "teacher").exists()
    assert "Teacher notes:" not in (student / "book" / "intro.html").read_text(encoding="utf-8")
    assert (ROOT / "_build" / "teacher" / "html" / "book" / "teacher").is_dir()


def test_student_downloads_have_empty_answers_and_no_solutions(built):
    source = ROOT / "_build" / "student" / "html" / "_sources" / "lessons" / "town.ipynb"
    cells = json.loads(source.read_text(encoding="utf-8"))["cells"]
    assert not any(set(c["metadata"].get("tags", [])) & TEACHER_TAGS for c in cells)
    assert any("answer_1 = None" in "".join(c["source"]) for c in cells)


def test_scorecards_and_cards_render_from_the_data(built):
    page = (ROOT / "_build" / "student" / "html" / "book" / "the-plan.html").read_text(encoding="utf-8")
    assert "Scorecard on the comparison rubric" in page and "Are the rules published?" in page
    rung = (ROOT / "_build" / "student" / "html" / "book" / "debate" / "trust-can-be-engineered.html")
    assert "r1-pro-01" in rung.read_text(encoding="utf-8")


def test_no_page_loads_assets_from_other_sites(built):
    for path in (ROOT / "_build" / "student" / "html").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        remote = re.findall(r"<(?:script|link|img)[^>]+(?:src|href)=\"(https?://[^\"]+)\"", text)
        assert not remote, f"{path.name} loads {remote}"


def test_plain_jupyter_book_build_gives_the_student_edition(plain_build):
    out = plain_build / "html"
    assert (out / "book" / "the-plan.html").exists()
    assert not (out / "book" / "teacher").exists()
    town = (out / "_sources" / "lessons" / "town.ipynb").read_text(encoding="utf-8")
    assert '"solution"' not in town
