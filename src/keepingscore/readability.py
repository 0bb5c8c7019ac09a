"""Word counts and reading grades for the book's chapters (Flesch-Kincaid grade level).

The reading is the part of a chapter between its learning objectives and its evidence box: the
sections whose headings are not the template's own. Markup (roles, directives, links) is stripped
first, so that citations and code do not count as words.
"""

from __future__ import annotations

import re
from pathlib import Path

from .editions import front_matter

__all__ = ["TEMPLATE_SECTIONS", "LIMITS", "prose", "reading", "syllables", "grade", "words", "report"]

TEMPLATE_SECTIONS = {
    "Opening case", "Learning objectives", "Documented, reported, disputed", "Myth versus evidence",
    "Scorecard", "Primary-source corner", "Discussion questions", "Where to go next",
}
# The blueprint's targets for a chapter's reading; a page may declare an exception with a reason.
LIMITS = {"words": (1500, 3000), "grade": (8.0, 13.0)}

_FENCE = re.compile(r"^(`{3,}|:{3,})\{([a-z-]+)\}.*?^\1[ \t]*$", re.M | re.S)
_KEEP_DIRECTIVES = {"admonition", "note", "tip", "important", "warning", "dropdown", "teacher"}


def _unfence(match: re.Match) -> str:
    if match.group(2) not in _KEEP_DIRECTIVES:
        return ""
    body = match.group(0).splitlines()[1:-1]
    return "\n".join(line for line in body if not line.startswith(":"))


def prose(text: str) -> str:
    """Plain prose from a MyST page: no front matter, code, directive options, roles or link targets."""
    if text.startswith("---"):
        text = text[text.find("\n---", 3) + 4:]
    for _ in range(3):  # nested blocks
        text = _FENCE.sub(_unfence, text)
    text = re.sub(r"\{(?:cite:[a-z]+|cite)\}`[^`]*`", "", text)
    text = re.sub(r"\{[a-z:]+\}`([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", text)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"`[^`]*`", "code", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"^\s*\|?\s*-{3,}.*$", "", text, flags=re.M)  # table rules
    text = re.sub(r"[*_|#>]", " ", text)
    text = re.sub(r"\(\s*\)|\[\s*\]", "", text)
    return text


def reading(text: str) -> str:
    """The chapter's own reading sections (everything under headings that are not the template's)."""
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    sections = zip(parts[1::2], parts[2::2], strict=True)
    return "\n".join(body for title, body in sections if title.strip() not in TEMPLATE_SECTIONS)


def words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]+(?:['’-][A-Za-z]+)*|\d[\d,.]*", text)


def syllables(word: str) -> int:
    """Estimate the syllables in an English word (vowel groups, less a silent final e)."""
    word = word.lower()
    if not word.isalpha():
        return max(1, len(re.findall(r"\d", word)) // 2) if any(c.isdigit() for c in word) else 1
    count = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(1, count)


def _sentences(text: str) -> int:
    total = 0
    for line in text.splitlines():
        if not words(line):
            continue
        # The book writes one sentence per line; list items and table rows count as one each.
        total += max(1, len(re.findall(r"[.!?]+[\"'”’)]*(?=\s|$)", line.strip())))
    return max(total, 1)


def grade(text: str) -> float:
    """Flesch-Kincaid grade level of plain prose."""
    found = words(text)
    if not found:
        return 0.0
    per_sentence = len(found) / _sentences(text)
    per_word = sum(syllables(w) for w in found) / len(found)
    return round(0.39 * per_sentence + 11.8 * per_word - 15.59, 1)


def report(book: Path) -> list[dict]:
    """One row per chapter: reading words, page words, reading grade, and any declared exceptions."""
    rows = []
    for path in sorted(book.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        meta = front_matter(text)
        if meta.get("kind") != "chapter":
            continue
        body = prose(reading(text))
        rows.append({
            "chapter": meta.get("slug", path.stem),
            "reading_words": len(words(body)),
            "page_words": len(words(prose(text))),
            "grade": grade(body),
            "exceptions": meta.get("reading_exceptions") or {},
        })
    return rows


def problems(row: dict) -> list[str]:
    """What is outside the targets and not declared as an exception in the page's front matter."""
    found = []
    low, high = LIMITS["words"]
    if not low <= row["reading_words"] <= high and "words" not in row["exceptions"]:
        found.append(f"{row['chapter']}: the reading has {row['reading_words']} words; the target is {low}-{high}")
    low, high = LIMITS["grade"]
    if not low <= row["grade"] <= high and "grade" not in row["exceptions"]:
        found.append(f"{row['chapter']}: reading grade {row['grade']}; the target is {low}-{high}")
    return found
