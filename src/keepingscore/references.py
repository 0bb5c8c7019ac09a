"""The book's bibliography keys, so data and exercises can check that a source exists."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .errors import KeepingScoreError
from .paths import datasets_dir

_ENTRY = re.compile(r"^\s*@(\w+)\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)


def bibliography_path() -> Path:
    """Return the path of references.bib (next to datasets/, or inside an installed package)."""
    folder = datasets_dir()
    for candidate in (folder / "references.bib", folder.parent / "references.bib"):
        if candidate.is_file():
            return candidate
    raise KeepingScoreError(
        f"Could not find references.bib next to {folder}. Fix: run from the project folder."
    )


@lru_cache(maxsize=4)
def _keys(path: str, mtime_ns: int) -> frozenset[str]:
    text = Path(path).read_text(encoding="utf-8")
    return frozenset(key for kind, key in _ENTRY.findall(text) if kind.lower() != "comment")


def keys(path: Path | None = None) -> frozenset[str]:
    """Return every citation key defined in references.bib."""
    path = path or bibliography_path()
    return _keys(str(path), path.stat().st_mtime_ns)
