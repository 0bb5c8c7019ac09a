"""Shared fixtures: the project's paths, its table of contents, and built editions."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
LESSONS = ROOT / "lessons"
DATASETS = ROOT / "datasets"


def toc_files() -> list[str]:
    """Every file named in _toc.yml, as written there (no suffix), root first."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    found = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                found.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return found


def source_of(docname: str) -> Path:
    for suffix in (".md", ".ipynb"):
        if (ROOT / f"{docname}{suffix}").is_file():
            return ROOT / f"{docname}{suffix}"
    raise FileNotFoundError(docname)


QUALITY = ROOT / "_build" / "quality"


@pytest.fixture(scope="session")
def plain_build(tmp_path_factory):
    """`jupyter-book build .` (no edition given), into a temporary folder; returns its _build folder."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("plain")
    env = {k: v for k, v in os.environ.items() if k != "KEEPINGSCORE_EDITION"}
    jb = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT), "--path-output", str(out)]
    result = subprocess.run(jb, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out / "_build"


_STARTED = __import__("time").time()


def pytest_terminal_summary(terminalreporter):
    """Print the quality reports (accessibility counts, external links, reading levels) this run wrote."""
    if not QUALITY.is_dir():
        return
    for path in sorted(QUALITY.glob("*.txt")):
        if path.stat().st_mtime < _STARTED:
            continue
        terminalreporter.section(path.stem.replace("-", " "))
        terminalreporter.write(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def built():
    """Build both editions once per test session, fresh and strict; return {edition: (status, log)}."""
    from keepingscore.build import build

    results = {}
    for edition in ("student", "teacher"):
        log = ROOT / "_build" / f"{edition}-warnings.log"
        if (ROOT / "_build" / edition).exists():
            shutil.rmtree(ROOT / "_build" / edition)
        status = build(edition, strict=True, fresh=True, root=ROOT, quiet=True, warning_file=log)
        results[edition] = (status, log.read_text(encoding="utf-8") if log.exists() else "")
    return results


@pytest.fixture(scope="session")
def html_dirs(request):
    """Both editions' HTML: a folder named by KEEPINGSCORE_TEST_HTML holding student/html and teacher/html
    (built with `python -m keepingscore build --out`), or else the test session's strict builds."""
    given = os.environ.get("KEEPINGSCORE_TEST_HTML")
    if given:
        dirs = {e: Path(given) / e / "html" for e in ("student", "teacher")}
        missing = [str(d) for d in dirs.values() if not (d / "index.html").is_file()]
        if missing:
            pytest.fail(f"KEEPINGSCORE_TEST_HTML: no build in {missing}")
        return dirs
    request.getfixturevalue("built")
    return {e: ROOT / "_build" / e / "html" for e in ("student", "teacher")}
