"""Every source the book and its data cite exists in references.bib, and every entry is complete."""

import re

import pytest

from keepingscore import data, references

from .conftest import BOOK, LESSONS, ROOT

CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")
KEYS = references.keys(ROOT / "references.bib")


def _entries():
    text = (ROOT / "references.bib").read_text(encoding="utf-8")
    return [e for e in re.split(r"\n(?=@)", text.strip()) if e.startswith("@")]


def test_bibliography_has_entries():
    assert len(KEYS) >= 20


def test_keys_are_unique():
    found = re.findall(r"^@\w+\{([^,]+),", (ROOT / "references.bib").read_text(encoding="utf-8"), re.M)
    duplicates = {k for k in found if found.count(k) > 1}
    assert not duplicates


@pytest.mark.parametrize("entry", _entries(), ids=lambda e: e.split("{", 1)[1].split(",", 1)[0])
def test_every_entry_has_title_year_and_a_responsible_party(entry):
    assert re.search(r"^\s*title\s*=", entry, re.M | re.I)
    assert re.search(r"^\s*(year|date)\s*=", entry, re.M | re.I)
    assert re.search(r"^\s*(author|organization|institution|publisher|editor)\s*=", entry, re.M | re.I)


@pytest.mark.parametrize("name", [n for n in data.names() if "source_key" in
                                  [f["name"] for f in data.describe(n)["schema"]["fields"]]])
def test_every_source_key_in_the_data_resolves(name):
    frame = data.load(name)
    unknown = sorted(set(frame["source_key"]) - KEYS)
    assert not unknown, f"datasets/{data.describe(name)['path']}: source_key not in references.bib: {unknown}"


def _cited(path):
    keys = set()
    for match in CITE.findall(path.read_text(encoding="utf-8")):
        keys.update(k.strip() for k in match.split(","))
    return keys


@pytest.mark.parametrize("path", sorted(BOOK.rglob("*.md")) + sorted(LESSONS.glob("*.ipynb")),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_every_citation_in_the_book_resolves(path):
    unknown = sorted(_cited(path) - KEYS)
    assert not unknown, f"{path.relative_to(ROOT)} cites keys missing from references.bib: {unknown}"


@pytest.mark.parametrize("path", sorted(BOOK.rglob("*.md")), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_bare_urls_in_running_text(path):
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    assert not re.search(r"(?<![(<])https?://", text), f"{path.name}: cite sources instead of pasting URLs"
