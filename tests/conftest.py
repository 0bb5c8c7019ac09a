"""Shared fixtures: the project's paths, its table of contents, and built editions."""

from __future__ import annotations

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
