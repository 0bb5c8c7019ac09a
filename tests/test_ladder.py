"""The ladder map and the ladder table are generated from the rung pages and the data, and never drift from them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from keepingscore import data, ladder
from keepingscore.editions import filter_source, front_matter

from .conftest import BOOK

EDITIONS = ("student", "teacher")
CARD = re.compile(r"\br(\d+)-(?:pro|con|ctx)-\d+\b")


def rung_pages() -> dict[int, tuple[Path, dict]]:
    found = {}
    for path in sorted((BOOK / "debate").glob("*.md")):
        meta = front_matter(path.read_text(encoding="utf-8"))
        if meta.get("kind") == "rung":
            found[meta["rung"]] = (path, meta)
    return found


def expected_shown(path: Path, cards, edition: str = "student") -> list[str]:
    """The test's own reading of a page's card blocks: fenced {evidence-cards} with :ids: or :rung:/:side:."""
    text = filter_source(path.read_text(encoding="utf-8"), ".md", edition)
    shown = []
    for body in re.findall(r"^(?:`{3,}|:{3,})\{evidence-cards\}[^\n]*\n(.*?)^(?:`{3,}|:{3,})\s*$", text, re.M | re.S):
        options = dict(re.findall(r"^:([a-z]+):[ \t]*(.*?)\s*$", body, re.M))
        if "ids" in options:
            ids = options["ids"].split()
        else:
            ids = [c.id for c in cards.itertuples()
                   if ("rung" not in options or c.rung == int(options["rung"]))
                   and ("side" not in options or c.side == options["side"])]
        shown += [i for i in ids if i not in shown]
    return shown


def expected_reuse(edition: str = "student") -> dict[int, dict[int, list[str]]]:
    """For every rung page: the earlier rungs' cards it shows, by origin rung (from the card ids and the pages)."""
    cards = data.load("evidence_cards")
    found = {}
    for number, (path, _) in rung_pages().items():
        reuse: dict[int, list[str]] = {}
        for card in expected_shown(path, cards, edition):
            origin = int(CARD.match(card).group(1))
            if origin < number:
                reuse.setdefault(origin, []).append(card)
        found[number] = reuse
    return found


# ---------------------------------------------------------------- from the sources, no build


def test_the_plan_has_every_rung_once_and_its_chapter_names_line_up():
    plan = data.load("debate_ladder")
    assert sorted(plan.rung) == list(range(1, 10))
    for row in plan.itertuples():
        assert len(row.chapters.split()) == len(row.chapter_names.split(";")), row.rung


def test_every_rung_page_names_rung_slug_format_and_motion():
    for path, meta in rung_pages().values():
        for key in ("rung", "slug", "format", "motion"):
            assert meta.get(key), f"{path.name}: front matter needs {key!r}"
        assert meta["slug"] == path.stem
        text = path.read_text(encoding="utf-8")
        plain = " ".join(re.sub(r"[*\"“”]", "", text).split())
        assert " ".join(str(meta["motion"]).replace('"', "").split()) in plain, \
            f"{path.name}: the front matter's motion is not the motion the page states"


def test_the_ladder_reads_every_page_and_the_plan_in_order():
    rungs, _ = ladder.load()
    assert [r.rung for r in rungs] == list(range(1, 10))
    pages = rung_pages()
    for r in rungs:
        if r.rung in pages:
            path, meta = pages[r.rung]
            assert (r.docname, r.slug, r.format, r.motion) == (
                f"book/debate/{path.stem}", meta["slug"], meta["format"], " ".join(meta["motion"].split()))
        else:
            assert r.docname is None


@pytest.mark.parametrize("edition", EDITIONS)
def test_reuse_matches_the_pages_and_the_cards(edition):
    rungs, cards = ladder.load(edition=edition)
    expected = expected_reuse(edition)
    known = set(cards.id)
    for r in rungs:
        if r.docname:
            wanted = {k: [i for i in v if i in known] for k, v in expected[r.rung].items()}
            assert ladder.reuse(r, cards) == {k: v for k, v in wanted.items() if v}, f"rung {r.rung}"


def test_rungs_reuse_the_cards_the_blueprint_says_they_build_on():
    plan = data.load("debate_ladder").set_index("rung")
    for number, reuse in expected_reuse().items():
        row = plan.loc[number]
        needed = {int(r) for r in str(row.builds_on).split()} if isinstance(row.builds_on, str) else set()
        assert needed <= set(reuse), f"rung {number} must reuse cards from rungs {sorted(needed - set(reuse))}"
        assert len(reuse) >= row.min_rungs_reused, \
            f"rung {number} must reuse cards from at least {row.min_rungs_reused} earlier rungs, not {len(reuse)}"


def test_markdown_lists_every_rung_reuse_and_card():
    rungs, cards = ladder.load()
    text = ladder.markdown(rungs, cards)
    for r in rungs:
        assert r.motion in text
    reuse_part = ladder.markdown(rungs, cards, ("reuse",))
    for number, reuse in expected_reuse().items():
        block = re.search(rf"^- [^\n]*Rung {number}:.*?(?=^- |\Z)", reuse_part, re.M | re.S).group(0)
        assert set(CARD.findall(block)) <= {str(k) for k in reuse}
        for ids in reuse.values():
            for card in ids:
                if card in set(cards.id):
                    assert f"{{ref}}`{card} <card-{card}>`" in block


def test_a_new_rung_page_appears_with_no_other_edits(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(BOOK / "debate", book / "debate")
    for path in (book / "debate").glob("*.md"):
        if front_matter(path.read_text(encoding="utf-8")).get("rung", 0) >= 9:
            path.unlink()
    (book / "debate" / "new-rung.md").write_text(
        "---\nkind: rung\nslug: new-rung\nrung: 9\nformat: Policy round\nmotion: \"Resolved: A test motion.\"\n---\n\n"
        "# Rung 9\n\n```{evidence-cards}\n:ids: r4-pro-01 r3-con-01 r2-pro-01 r1-pro-01\n```\n", encoding="utf-8")
    cards = data.load("evidence_cards")
    rungs = ladder.rungs(book, cards, data.load("debate_ladder"))
    nine = rungs[8]
    assert (nine.docname, nine.motion, nine.format) == ("book/debate/new-rung", "Resolved: A test motion.",
                                                        "Policy round")
    assert nine.skill == "Drawing on cards from four earlier rungs"  # the plan fills what the page leaves out
    assert ladder.reuse(nine, cards) == {1: ["r1-pro-01"], 2: ["r2-pro-01"], 3: ["r3-con-01"], 4: ["r4-pro-01"]}
    text = ladder.markdown(rungs, cards)
    assert "{doc}`Resolved: A test motion. </book/debate/new-rung>`" in text
    assert "{ref}`r4-pro-01 <card-r4-pro-01>`" in text


@pytest.mark.parametrize("front, message", [
    ("rung: five", "must be the rung's number"),
    ("rung: 1", "already has a page"),
    ("rung: 12", "has no 'motion'"),
])
def test_bad_rung_front_matter_is_explained(tmp_path, front, message):
    book = tmp_path / "book"
    shutil.copytree(BOOK / "debate", book / "debate")
    (book / "debate" / "zz-bad.md").write_text(f"---\nkind: rung\nslug: zz-bad\n{front}\n---\n\n# Bad\n",
                                               encoding="utf-8")
    with pytest.raises(ladder.LadderError, match=message) as info:
        ladder.rungs(book, data.load("evidence_cards"), data.load("debate_ladder"))
    assert "zz-bad.md" in str(info.value) and "Fix:" in str(info.value)


def test_card_blocks_reads_every_fence_style():
    text = "```{evidence-cards}\n:rung: 2\n:side: pro\n```\n\n::::{evidence-cards}\n:ids: r1-pro-01\n::::\n"
    assert ladder.card_blocks(text) == [{"rung": "2", "side": "pro"}, {"ids": "r1-pro-01"}]


# ---------------------------------------------------------------- the built pages


def _soup(path: Path):
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _words(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split())


@pytest.mark.build
@pytest.mark.parametrize("edition", EDITIONS)
def test_built_ladder_table_matches_the_pages_and_plan(html_dirs, edition):
    rungs, cards = ladder.load(edition=edition)
    for page in ("index", "ladder-map"):
        table = _soup(html_dirs[edition] / "book" / "debate" / f"{page}.html").select_one("table.ladder-table")
        assert table is not None, f"{page}: no generated ladder table"
        rows = [[_words(td.get_text(" ")) for td in tr.find_all("td")] for tr in table.select("tbody tr")]
        assert [int(r[0]) for r in rows] == [r.rung for r in rungs]
        for row, r in zip(rows, rungs, strict=True):
            assert row[1] == _words(r.format) and row[2] == _words(r.motion) and row[3] == _words(r.skill)
            reuse = ladder.reuse(r, cards)
            for origin, ids in reuse.items():
                assert f"rung {origin}: {len(ids)} card" in row[5]
        links = {a["href"].split("#")[0] for a in table.select("a[href]")}
        for r in rungs:
            if r.docname:
                assert any(link.endswith(f"{Path(r.docname).name}.html") for link in links), r.docname


@pytest.mark.build
@pytest.mark.parametrize("edition", EDITIONS)
def test_built_map_shows_what_each_rung_reuses_with_working_card_links(html_dirs, edition):
    out = html_dirs[edition]
    soup = _soup(out / "book" / "debate" / "ladder-map.html")
    section = soup.find("section", id="what-each-rung-reuses")
    items = {int(re.search(r"Rung (\d+):", li.get_text()).group(1)): li
             for li in section.select(":scope > div > ul > li")}
    known = set(data.load("evidence_cards").id)
    for number, reuse in expected_reuse(edition).items():
        wanted = {i for ids in reuse.values() for i in ids if i in known}
        assert set(CARD.findall(items[number].get_text())) == {str(k) for k, v in reuse.items() if set(v) & known}
        linked = {a.get_text() for a in items[number].select("a[href*='#card-']")}
        assert linked == wanted, f"rung {number}"
    for link in soup.select("a[href*='#card-']"):
        target, anchor = link["href"].split("#")
        assert _soup(out / "book" / "debate" / target).find(id=anchor) is not None, link["href"]
    maps = soup.find("section", id="argument-maps")
    for r in ladder.load(edition=edition)[0]:
        if r.docname:
            assert _words(r.motion) in _words(maps.get_text(" ")), f"rung {r.rung} has no argument map"


@pytest.mark.build
def test_each_card_has_an_anchor_on_its_own_rung_page(html_dirs):
    rungs, cards = ladder.load()
    origin = dict(zip(cards.id, cards.rung, strict=True))
    for r in rungs:
        if not r.docname:
            continue
        page = _soup(html_dirs["student"] / f"{r.docname}.html")
        ids = {tag["id"] for tag in page.select("[id^='card-']")}
        assert ids == {f"card-{c}" for c in r.shown if origin.get(c) == r.rung}, r.docname
