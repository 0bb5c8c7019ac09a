"""Quality gates on the built book: accessibility, no third-party requests, links, determinism, reading level."""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from keepingscore import readability

from .conftest import BOOK, QUALITY, ROOT

EDITIONS = ("student", "teacher")


def pages(edition: str) -> list[Path]:
    out = ROOT / "_build" / edition / "html"
    return sorted(p for p in out.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


# ---------------------------------------------------------------- accessibility and requests

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            raise RuntimeError("CI must install Debian's chromium: the accessibility checks need it")
        pytest.skip("Chromium is not installed (apt-get install chromium); skipping the browser checks")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Debian's Chromium, never a browser downloaded by the test tool.
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"],
        )
        yield instance
        instance.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def served(built):
    """Serve both built editions on 127.0.0.1; return {edition: base URL}."""
    servers, bases = [], {}
    for edition in EDITIONS:
        handler = functools.partial(_Quiet, directory=str(ROOT / "_build" / edition / "html"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        bases[edition] = f"http://127.0.0.1:{server.server_address[1]}"
    yield bases
    for server in servers:
        server.shutdown()


def _settle(page) -> None:
    """Wait until colour transitions (the theme fades into dark mode) have finished, so axe sees final colours."""
    try:
        page.wait_for_function(
            "() => document.getAnimations().every(a => a.playState !== 'running')", timeout=5000
        )
    except Exception:  # an endless animation never settles; check the page as it is
        pass
    page.wait_for_timeout(100)


def _record(store: list[str], request) -> None:
    store.append(request.url)


def _axe_source() -> str:
    import axe_playwright_python  # pinned in requirements.txt; it ships axe-core's axe.min.js

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_passes_axe_and_makes_no_outside_requests(edition, browser, served):
    axe = _axe_source()
    version = re.search(r"axe v([\d.]+)", axe[:200]).group(1)
    base = served[edition]
    out = ROOT / "_build" / edition / "html"
    serious, counts, outside = [], {}, []
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        requested: list[str] = []
        page.on("request", functools.partial(_record, requested))
        for path in pages(edition):
            rel = path.relative_to(out).as_posix()
            requested.clear()
            page.goto(f"{base}/{rel}", wait_until="load")
            _settle(page)
            outside += [f"{rel}: {url}" for url in requested
                        if not url.startswith(base) and not url.startswith(("data:", "blob:", "about:"))]
            page.add_script_tag(content=axe)
            result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            for violation in result["violations"]:
                impact = violation["impact"] or "minor"
                counts[impact] = counts.get(impact, 0) + len(violation["nodes"])
                if impact in {"serious", "critical"}:
                    targets = [node["target"] for node in violation["nodes"]][:3]
                    serious.append(f"{scheme} {rel}: {violation['id']} ({impact}) at {targets}")
        context.close()
    QUALITY.mkdir(parents=True, exist_ok=True)
    (QUALITY / f"accessibility-{edition}.txt").write_text(
        f"axe-core {version}, {len(pages(edition))} pages x light and dark mode, {edition} edition: "
        + ", ".join(f"{counts.get(k, 0)} {k}" for k in ("critical", "serious", "moderate", "minor"))
        + " (moderate and minor are reported, not failed)\n", encoding="utf-8")
    assert not outside, "pages requested something outside localhost:\n" + "\n".join(outside[:20])
    assert not serious, "serious or critical accessibility violations:\n" + "\n".join(serious[:20])


# ---------------------------------------------------------------- links

class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key) and (key == "id" or tag == "a"):
                self.ids.add(attrs[key])
        for key in ("href", "src"):
            if attrs.get(key) and tag in {"a", "link", "img", "script", "iframe", "source"}:
                self.urls.append(attrs[key])


@functools.cache
def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.build
@pytest.mark.parametrize("edition", EDITIONS)
def test_every_internal_link_and_anchor_resolves(edition, built):
    out = ROOT / "_build" / edition / "html"
    broken, external = [], set()
    for path in pages(edition):
        for url in _parse(path).urls:
            parts = urlsplit(url)
            if parts.scheme in {"http", "https"}:
                external.add(url)
                continue
            if parts.scheme in {"data", "mailto", "javascript"} or url.startswith("//"):
                continue
            target = path if not parts.path else (path.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            where = f"{path.relative_to(out)} -> {url}"
            if not target.exists():
                broken.append(where)
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in _parse(target).ids:
                broken.append(where + " (no such anchor)")
    QUALITY.mkdir(parents=True, exist_ok=True)
    (QUALITY / f"external-links-{edition}.txt").write_text(
        f"{len(external)} external URLs in the {edition} edition, not fetched; "
        f"listed in _build/quality/external-urls-{edition}.json\n", encoding="utf-8")
    (QUALITY / f"external-urls-{edition}.json").write_text(json.dumps(sorted(external), indent=1), encoding="utf-8")
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:30])


# ---------------------------------------------------------------- determinism

_NOISE = [
    (re.compile(r"0x[0-9a-f]{6,}"), "0xADDRESS"),
    (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?"), "TIMESTAMP"),
]


def _outputs(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    # A cell tagged remove-output is hidden from the book on purpose, for example one that times code:
    # its output is meant to differ from machine to machine.
    shown = [c for c in cells if not {"remove-output", "skip-execution"} & set(c.get("metadata", {}).get("tags", []))]
    text = json.dumps([cell.get("outputs", []) for cell in shown], sort_keys=True)
    for pattern, replacement in _NOISE:
        text = pattern.sub(replacement, text)
    return text


@pytest.mark.build
def test_two_clean_builds_give_identical_notebook_outputs(built, plain_build):
    first = sorted((ROOT / "_build" / "student" / "jupyter_execute").rglob("*.ipynb"))
    assert first, "the build wrote no executed notebooks"
    for path in first:
        twin = plain_build / "jupyter_execute" / path.relative_to(ROOT / "_build" / "student" / "jupyter_execute")
        assert twin.exists(), twin
        assert _outputs(path) == _outputs(twin), f"{path.name}: outputs differ between two clean builds"


# ---------------------------------------------------------------- reading level

def test_chapters_are_within_reading_targets():
    rows = readability.report(BOOK)
    assert rows
    lines = [f"{'chapter':<24}{'reading words':>14}{'page words':>12}{'grade':>7}"]
    lines += [f"{r['chapter']:<24}{r['reading_words']:>14}{r['page_words']:>12}{r['grade']:>7}" for r in rows]
    QUALITY.mkdir(parents=True, exist_ok=True)
    (QUALITY / "reading-levels.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = [p for row in rows for p in readability.problems(row)]
    assert not found, "\n".join(found) + "\nDeclare a justified exception under reading_exceptions in the front matter."


def test_declared_exceptions_give_a_reason():
    for row in readability.report(BOOK):
        for key, reason in row["exceptions"].items():
            assert key in {"words", "grade"} and isinstance(reason, str) and len(reason) > 20, row["chapter"]


# ---------------------------------------------------------------- offline bundle

@pytest.mark.build
def test_student_bundle_works_from_disk_with_the_network_off(built, browser, tmp_path):
    import zipfile

    from keepingscore.bundle import README_NAME, make_bundle

    html = ROOT / "_build" / "student" / "html"
    first = make_bundle(html, tmp_path / "one.zip", edition="student")
    second = make_bundle(html, tmp_path / "two.zip", edition="student")
    assert first.read_bytes() == second.read_bytes(), "the same build should give the same zip"
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        assert f"keeping-score-student/{README_NAME}" in names
        assert not any("/_sources/book/teacher/" in n or ".doctrees" in n for n in names)
        archive.extractall(tmp_path / "unzipped")
    site = tmp_path / "unzipped" / "keeping-score-student"
    context = browser.new_context(offline=True)  # no network at all, as in a classroom without internet
    page = context.new_page()
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto((site / "index.html").as_uri())
    page.click("nav.bd-docs-nav a:has-text('Blacklists')")
    page.wait_for_load_state("load")
    assert "blacklists" in page.url and page.locator("h1").first.inner_text().startswith("Blacklists")
    assert page.locator("table.scorecard, .scorecard-block table").count() >= 1
    page.goto((site / "lessons" / "town.html").as_uri())
    images = page.locator("img")
    assert images.count() >= 1
    assert all(images.nth(i).evaluate("i => i.complete && i.naturalWidth > 0") for i in range(images.count()))
    page.goto((site / "search.html").as_uri() + "?q=hukou")
    page.wait_for_selector("#search-results li", timeout=15000)
    assert page.locator("#search-results li").count() >= 1, "search does not work from disk"
    context.close()
    assert not [u for u in failed if not u.startswith("file:")], failed


def test_bundle_refuses_a_folder_with_no_built_site(tmp_path):
    from keepingscore.bundle import make_bundle

    with pytest.raises(FileNotFoundError, match="build it first"):
        make_bundle(tmp_path, tmp_path / "x.zip", edition="student")
    assert not (tmp_path / "x.zip").exists()
