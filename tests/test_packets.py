"""Printable debate packets: PDFs of the built editions, with page numbers and the motions; none for students holds
teacher-only text."""

from __future__ import annotations

import functools
import os
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from keepingscore import ladder, packets
from keepingscore.__main__ import main

from .test_build import _norm, student_visible_sources, teacher_only_phrases

EDITIONS = ("student", "teacher")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@functools.cache
def pdf_pages(path: Path) -> list[str]:
    """Each page's text (remembered: extracting a few hundred pages takes tens of seconds)."""
    from pypdf import PdfReader

    # NFKC turns the ligatures Chromium writes (the "fi" in "definitions") back into letters.
    return [unicodedata.normalize("NFKC", page.extract_text() or "") for page in PdfReader(str(path)).pages]


@pytest.fixture(scope="session")
def made(html_dirs, tmp_path_factory):
    """Print both editions' packets once per session; return {edition: make_packets' result}."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            raise RuntimeError("CI must install Debian's chromium: the packet checks need it")
        pytest.skip("Chromium is not installed (apt-get install chromium); skipping the packet checks")
    out = tmp_path_factory.mktemp("packets")
    return {e: packets.make_packets(e, html_dirs[e], out / e) for e in EDITIONS}


# ---------------------------------------------------------------- no browser needed


def test_student_packets_refuse_the_teacher_edition(tmp_path):
    (tmp_path / "book" / "teacher").mkdir(parents=True)
    (tmp_path / "index.html").write_text("<html></html>", encoding="utf-8")
    with pytest.raises(packets.PacketError, match="teacher edition"):
        packets.check_edition(tmp_path, "student")
    packets.check_edition(tmp_path, "teacher")


def test_student_packets_refuse_a_page_with_teacher_blocks(tmp_path):
    (tmp_path / "book" / "debate").mkdir(parents=True)
    (tmp_path / "index.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / "book" / "debate" / "x.html").write_text('<div class="admonition teacher-only">', encoding="utf-8")
    with pytest.raises(packets.PacketError, match="teacher edition"):
        packets.check_edition(tmp_path, "student")
    with pytest.raises(packets.PacketError, match="student edition"):
        packets.check_edition(tmp_path, "teacher")


def test_missing_build_is_one_line_with_the_fix(tmp_path, capsys):
    status = main(["packets", "--edition", "student", "--html", str(tmp_path / "nothing"), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 2 and len(err.strip().splitlines()) == 1
    assert "python -m keepingscore build --edition student" in err and "Traceback" not in err


def test_print_styles_hide_navigation_and_break_before_sections():
    css = packets.PRINT_CSS
    for selector in (".bd-sidebar-primary", ".bd-sidebar-secondary", "button", ".prev-next-area", ".bd-header"):
        assert selector in css
    assert "section ~ section { break-before: page; }" in css and "thead { display: table-header-group; }" in css


# ---------------------------------------------------------------- printed packets


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize("edition", EDITIONS)
def test_every_rung_page_has_a_packet_with_page_numbers_and_its_motion(made, html_dirs, edition):
    rungs, _ = ladder.load(edition=edition)
    built = [r for r in rungs if r.docname and (html_dirs[edition] / f"{r.docname}.html").is_file()]
    result = made[edition]
    assert [p.name for p in result["rungs"]] == [f"rung-{r.rung}-{r.slug}-{edition}.pdf" for r in built]
    for path, rung in zip(result["rungs"], built, strict=True):
        pages = pdf_pages(path)
        assert len(pages) >= 2, path.name
        numbers = [re.search(r"Page (\d+) of (\d+)", text) for text in pages]
        assert all(numbers), f"{path.name}: a page without a page number"
        if edition == "student":  # one piece: numbered 1..n straight through
            assert [(int(m.group(1)), int(m.group(2))) for m in numbers] == [
                (i, len(pages)) for i in range(1, len(pages) + 1)]
        text = _norm(" ".join(pages))
        assert _norm(rung.motion) in text, f"{path.name}: the motion is missing"
        assert f"rung {rung.rung}" in text
        assert "skip to main content" not in text and "ctrl k" not in text, f"{path.name}: navigation was printed"
        tops = [_norm(page)[:60] for page in pages]
        for heading in ("why this rung comes here", "evidence cards", "ballot and rubric"):
            assert any(top.startswith(heading) for top in tops), f"{path.name}: {heading!r} does not start a page"


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize("edition", EDITIONS)
def test_the_whole_ladder_pdf_holds_every_packet(made, edition):
    from pypdf import PdfReader

    result = made[edition]
    whole = PdfReader(str(result["ladder"]))
    parts = sum(len(PdfReader(str(p)).pages) for p in result["rungs"])
    assert parts < len(whole.pages) <= parts + 10  # the ladder's overview page(s) come first
    titles = [item.title for item in whole.outline if not isinstance(item, list)]
    assert titles[0] == "The debate ladder" and len(titles) == len(result["rungs"]) + 1
    for number in (0, len(whole.pages) - 1):
        assert re.search(r"Page \d+ of \d+", whole.pages[number].extract_text()), f"page {number + 1}"


@pytest.mark.build
@pytest.mark.browser
def test_student_packets_hold_no_teacher_only_text(made):
    shared = student_visible_sources()
    phrases = [p for items in teacher_only_phrases().values() for p in items if p not in shared]
    teacher = _norm(" ".join(text for path in made["teacher"]["rungs"] for text in pdf_pages(path)))
    in_teacher = [p for p in phrases if p in teacher]
    assert len(in_teacher) >= 20, "too few teacher-only phrases in the teacher packets to make the test meaningful"
    for path in made["student"]["rungs"]:
        student = _norm(" ".join(pdf_pages(path)))
        leaks = [p for p in in_teacher if p in student]
        assert not leaks, f"teacher-only text in {path.name}: {leaks[:5]}"


@pytest.mark.build
@pytest.mark.browser
def test_teacher_packets_add_the_teacher_notes_of_the_chapters_behind_each_rung(made, html_dirs):
    from pypdf import PdfReader

    rungs = {r.slug: r for r in ladder.load(edition="teacher")[0]}
    for path in made["teacher"]["rungs"]:
        slug = re.match(r"rung-\d+-(.+)-teacher\.pdf", path.name).group(1)
        notes = [name for chapter, name in rungs[slug].chapters
                 if (html_dirs["teacher"] / "book" / "teacher" / f"{chapter}.html").is_file()]
        titles = [item.title for item in PdfReader(str(path)).outline if not isinstance(item, list)]
        assert titles[1:] == [f"Teacher notes: {name}" for name in notes], path.name


def test_teacher_bundle_carries_the_teacher_edition_and_the_packets(made, html_dirs, tmp_path):
    import zipfile

    from keepingscore.bundle import make_bundle

    ladder = Path(made["teacher"]["ladder"])
    zipped = make_bundle(html_dirs["teacher"], tmp_path / "teacher.zip", edition="teacher", packets=ladder.parent)
    with zipfile.ZipFile(zipped) as archive:
        names = set(archive.namelist())
    pdfs = {f"keeping-score-teacher/packets/{p.name}" for p in ladder.parent.glob("*.pdf")}
    assert pdfs and pdfs <= names
    assert any(n.startswith("keeping-score-teacher/book/teacher/") for n in names), "no teacher notes in the bundle"
