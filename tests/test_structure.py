"""The book's pages are all in the table of contents, and follow their templates."""

from __future__ import annotations

import re

import pytest

from keepingscore import data
from keepingscore.editions import front_matter

from .conftest import BOOK, ROOT, source_of, toc_files

CHAPTER = ["Opening case", "Learning objectives", "Documented, reported, disputed", "Myth versus evidence",
           "Scorecard", "Primary-source corner", "Discussion questions", "Where to go next"]
TEACHER = ["Essential and guiding questions", "Time plan", "Materials", "Procedure", "Discussion protocol",
           "Differentiation and extension", "Formative check and answer key", "Summative task and rubric",
           "Standards", "Classroom climate"]
RUNG = ["Motion and format", "Why this rung comes here", "Background for a lay judge", "Definitions",
        "Burdens and weighing", "Case outlines", "Evidence cards", "Rebuttal blocks", "Question bank",
        "Roles and times", "Ballot and rubric", "Further reading"]


def pages(kind: str):
    return sorted(p for p in BOOK.rglob("*.md") if front_matter(p.read_text(encoding="utf-8")).get("kind") == kind)


def headings(text: str) -> list[str]:
    text = re.sub(r"^(```|~~~).*?^\1", "", text, flags=re.S | re.M)
    return [h.strip() for h in re.findall(r"^## (.+)$", text, flags=re.M)]


def section(text: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, flags=re.S | re.M)
    return match.group(1) if match else ""


def in_order(found: list[str], wanted: list[str]) -> bool:
    positions = [found.index(h) for h in wanted if h in found]
    return len(positions) == len(wanted) and positions == sorted(positions)


def test_every_toc_entry_exists():
    for docname in toc_files():
        assert source_of(docname).exists()


def test_every_page_and_notebook_is_in_the_toc():
    listed = {str(source_of(d).relative_to(ROOT)) for d in toc_files()}
    on_disk = {str(p.relative_to(ROOT)) for p in [*BOOK.rglob("*.md"), *(ROOT / "lessons").glob("*.ipynb")]}
    assert on_disk - listed == set(), "pages missing from _toc.yml"


def test_every_page_declares_its_kind():
    for path in BOOK.rglob("*.md"):
        kind = front_matter(path.read_text(encoding="utf-8")).get("kind")
        assert kind in {"chapter", "rung", "teacher", "front", "back"}, f"{path.name}: kind {kind!r}"


def test_there_are_chapters_rungs_and_teacher_notes():
    assert len(pages("chapter")) >= 2 and len(pages("rung")) >= 1 and len(pages("teacher")) >= 2


@pytest.mark.parametrize("path", pages("chapter"), ids=lambda p: p.stem)
def test_chapter_follows_the_template(path):
    text = path.read_text(encoding="utf-8")
    meta = front_matter(text)
    found = headings(text)
    assert in_order(found, CHAPTER), f"{path.name}: headings {found}"
    assert found.index("Learning objectives") + 1 < found.index("Documented, reported, disputed"), \
        "the reading's own sections go between the objectives and the evidence box"
    assert "Essential question" in section(text, "Opening case")
    objectives = re.findall(r"^\s*(?:[-*]|\d+\.) ", section(text, "Learning objectives"), flags=re.M)
    assert 3 <= len(objectives) <= 5
    questions = re.findall(r"^\s*(?:[-*]|\d+\.) ", section(text, "Discussion questions"), flags=re.M)
    assert len(questions) >= 5
    assert "```{scorecard}" in section(text, "Scorecard")
    for system in meta["systems"]:
        assert system in section(text, "Scorecard")
    corner = section(text, "Primary-source corner").lower()
    assert "who is behind" in corner and "evidence" in corner and "other sources" in corner
    where = section(text, "Where to go next")
    assert f"lessons/{meta['lesson']}.ipynb" in where and "debate/" in where and "{term}" in where
    assert (ROOT / "lessons" / f"{meta['lesson']}.ipynb").exists()
    assert (BOOK / "teacher" / path.name).exists(), "every chapter has teacher notes"


@pytest.mark.parametrize("path", pages("chapter"), ids=lambda p: p.stem)
def test_chapter_scorecard_systems_have_rubric_rows(path):
    meta = front_matter(path.read_text(encoding="utf-8"))
    scores = data.load("rubric_scores")
    criteria = set(data.load("rubric_criteria")["criterion_id"])
    for system in meta["systems"]:
        assert set(scores.loc[scores.system_id == system, "criterion_id"]) == criteria


@pytest.mark.parametrize("path", pages("teacher"), ids=lambda p: p.stem)
def test_teacher_notes_follow_the_template(path):
    text = path.read_text(encoding="utf-8")
    assert front_matter(text).get("edition") == "teacher"
    assert in_order(headings(text), TEACHER), f"{path.name}: {headings(text)}"
    # The codes live in the chapter's front matter; the notes show them with the directive (tests/test_catalogue.py).
    assert "```{standards}" in section(text, "Standards"), f"{path.name}: Standards should use the directive"


@pytest.mark.parametrize("path", pages("rung"), ids=lambda p: p.stem)
def test_rung_follows_the_template_with_cards_on_both_sides(path):
    text = path.read_text(encoding="utf-8")
    rung = front_matter(text)["rung"]
    assert in_order(headings(text), RUNG), f"{path.name}: {headings(text)}"
    assert "```{evidence-cards}" in section(text, "Evidence cards")
    cards = data.load("evidence_cards")
    mine = cards[cards.rung == rung]
    for side in ("pro", "con"):
        assert (mine.side == side).sum() >= 3, f"rung {rung} needs at least three {side} cards"


def test_evidence_card_ids_match_their_rung_and_side():
    cards = data.load("evidence_cards")
    for card in cards.itertuples():
        prefix = f"r{card.rung}-{ {'pro': 'pro', 'con': 'con', 'context': 'ctx'}[card.side] }-"
        assert card.id.startswith(prefix), card.id


TERM = re.compile(r"\{term\}`([^`<]+?)(?:\s*<([^>]+)>)?`")


def test_glossary_terms_are_linked_and_defined():
    terms = {t.lower() for t in data.load("glossary")["term"]}
    used = set()
    for path in BOOK.rglob("*.md"):
        for label, target in TERM.findall(path.read_text(encoding="utf-8")):
            used.add((target or label).strip().lower())
    assert used - terms == set(), "terms linked but not in datasets/glossary.csv"
    assert terms - used == set(), "datasets/glossary.csv terms never linked from a page"


def test_prose_avoids_latin_abbreviations():
    for path in BOOK.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        found = re.findall(r"\b(e\.g\.|i\.e\.|etc\.|viz\.)", text)
        assert not found, f"{path.name}: write 'for example', 'that is', 'and so on' instead of {found}"


def test_no_placeholder_text_ships():
    for path in [*BOOK.rglob("*.md"), *(ROOT / "lessons").glob("*.ipynb"), *(ROOT / "datasets").glob("*.csv")]:
        text = path.read_text(encoding="utf-8").lower()
        for marker in ("lorem ipsum", "todo: write", "tbd", "placeholder text", "xxx"):
            assert marker not in text, f"{path.name} contains {marker!r}"
