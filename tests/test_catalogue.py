"""Generated reference pages: the standards index, the timeline page and the dataset catalogue."""

from __future__ import annotations

import hashlib
import html
import json
import re

import pytest

from keepingscore import data
from keepingscore.catalogue import chapters, standard_ids

from .conftest import BOOK, DATASETS, ROOT

HTML = ROOT / "_build" / "student" / "html"
CODE = re.compile(
    r"\b(?:C3|CCSS|CSTA) (?:D[1-4]\.(?:Civ\.)?\d+\.9-12|(?:RH|SL|WHST)\.(?:9-10|11-12)\.\d+|3[AB]-IC-\d\d)\b"
)


def _text(page: str) -> str:
    """What a reader sees, with typographic quotes made plain (the theme curls them)."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    return text.translate(str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}))


# --- standards -------------------------------------------------------------------------------------------

def test_every_chapter_lists_known_standards_in_its_front_matter():
    known = set(standard_ids(data.load("standards")))
    found = chapters(BOOK)
    assert found, "no chapter pages found"
    for meta in found:
        codes = meta.get("standards") or []
        assert len(codes) >= 3, f"book/{meta['slug']}.md: list at least three standards in its front matter"
        unknown = [c for c in codes if c not in known]
        assert not unknown, f"book/{meta['slug']}.md: unknown standard codes {unknown}; see datasets/standards.csv"
        assert len(set(codes)) == len(codes), f"book/{meta['slug']}.md lists a standard twice"
    rungs = chapters(BOOK, "rung")
    assert len(rungs) == 9
    for meta in rungs:
        codes = meta.get("standards") or []
        assert len(codes) >= 3 and not [c for c in codes if c not in known], f"rung {meta['rung']}: {codes}"


def test_teacher_notes_show_the_chapters_list_rather_than_a_second_copy():
    for meta in chapters(BOOK):
        notes = BOOK / "teacher" / f"{meta['slug']}.md"
        if not notes.exists():
            continue
        text = notes.read_text(encoding="utf-8")
        section = re.search(r"^## Standards\n(.*?)(?=^## |\Z)", text, re.S | re.M)
        assert section, f"{notes.name}: no '## Standards' section"
        assert f"```{{standards}} {meta['slug']}" in section.group(1), (
            f"{notes.name}: the Standards section should be the directive ```{{standards}} {meta['slug']}```, "
            "so the notes and the index cannot drift apart"
        )
        assert not CODE.search(section.group(1)), f"{notes.name}: hand-typed codes in the Standards section"


def test_standard_codes_keep_each_frameworks_own_numbering():
    table = data.load("standards")
    assert not table.duplicated(["framework", "code"]).any()
    for row in table.itertuples():
        assert CODE.fullmatch(f"{row.framework} {row.code}"), row.code


@pytest.mark.build
def test_standards_index_shows_every_code_and_chapter(built):
    page = _text((HTML / "book" / "standards.html").read_text(encoding="utf-8"))
    for meta in chapters(BOOK) + chapters(BOOK, "rung"):
        for code in meta.get("standards") or []:
            assert code.split(" ", 1)[1] in page, f"standards index lacks {code} ({meta['slug']})"
        assert (f"Rung {meta['rung']}" if meta["kind"] == "rung" else meta["title"].split(":")[0]) in page


# --- timeline --------------------------------------------------------------------------------------------

@pytest.mark.build
def test_timeline_page_has_every_event_and_a_described_chart(built):
    page = (HTML / "book" / "timeline.html").read_text(encoding="utf-8")
    text = " ".join(_text(page).split())
    events = data.load("timeline")
    for title in events.title:
        assert " ".join(html.unescape(title).split()) in text, f"timeline page lacks {title!r}"
    alts = re.findall(r'<img[^>]+alt="([^"]+)"', page)
    assert any(f"{len(events)} dated events" in a for a in alts), "the timeline chart has no text alternative"
    for category in set(events.category):
        assert any(category in a for a in alts), f"the chart's alt text does not mention {category}"


# --- dataset catalogue -------------------------------------------------------------------------------------

@pytest.mark.build
def test_catalogue_describes_every_dataset_and_its_download_is_the_file(built):
    page = (HTML / "book" / "datasets.html").read_text(encoding="utf-8")
    text = _text(page)
    package = json.loads((DATASETS / "datapackage.json").read_text(encoding="utf-8"))
    for res in package["resources"]:
        assert res["title"] in text, f"catalogue lacks {res['name']}"
        for field in res["schema"]["fields"]:
            assert field["name"] in text
        table = data.load(res["name"])
        assert f"{len(table):,} rows" in text
        if "status" in table.columns:
            for status, n in table.status.value_counts().items():
                assert f"{status} {n}" in text, f"{res['name']}: count of {status} rows missing"
        links = re.findall(rf'href="([^"]*_downloads/[^"]*/{re.escape(res["path"])})"', page)
        assert links, f"no download link for {res['path']}"
        served = (HTML / "book" / links[0]).resolve()
        assert hashlib.sha256(served.read_bytes()).digest() == \
            hashlib.sha256((DATASETS / res["path"]).read_bytes()).digest()


# --- pathways and the classroom kit ------------------------------------------------------------------------

def _section(text: str, heading: str) -> str:
    match = re.search(rf"^## {re.escape(heading)}.*?\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"no section starting '## {heading}'"
    return match.group(1)


def test_three_week_pathway_visits_every_chapter_and_the_club_track_every_rung():
    from keepingscore.editions import front_matter

    text = (BOOK / "pathways.md").read_text(encoding="utf-8")
    three_weeks = _section(text, "Three weeks")
    for meta in chapters(BOOK):
        assert f"]({meta['slug']}.md)" in three_weeks, f"the three-week pathway never reaches {meta['slug']}"
    club = _section(text, "The debate-club track")
    for path in sorted((BOOK / "debate").glob("*.md")):
        if front_matter(path.read_text(encoding="utf-8")).get("kind") == "rung":
            assert f"](debate/{path.name})" in club, f"the debate-club track skips {path.name}"


def test_pathways_never_link_teacher_only_pages():
    # They are in both editions; a link into book/teacher/ would break in the student edition.
    for page in ("pathways.md", "classroom-climate.md", "teachers.md", "intro.md"):
        text = (BOOK / page).read_text(encoding="utf-8")
        assert "teacher/" not in re.sub(r"```.*?```", "", text, flags=re.S).replace("_build/teacher/", ""), page


def test_classroom_climate_guide_covers_what_teachers_need():
    text = (BOOK / "classroom-climate.md").read_text(encoding="utf-8").lower()
    for topic in ("diaspora", "anonymous", "opt-out", "current events", "personas", "fewer than five"):
        assert topic in text, f"the climate guide does not cover {topic!r}"
    assert "{cite:" in text
