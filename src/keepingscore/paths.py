"""Where the project's files are, whether the package is installed editable or as a wheel."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import KeepingScoreError

_PACKAGE_DIR = Path(__file__).resolve().parent


def datasets_dir() -> Path:
    """Return the folder that holds datapackage.json and the CSVs."""
    override = os.environ.get("KEEPINGSCORE_DATASETS")
    candidates = [Path(override)] if override else []
    candidates.append(_PACKAGE_DIR / "_datasets")  # inside an installed wheel
    candidates += [parent / "datasets" for parent in _PACKAGE_DIR.parents]  # editable install
    candidates += [parent / "datasets" for parent in [Path.cwd(), *Path.cwd().parents]]
    for candidate in candidates:
        if (candidate / "datapackage.json").is_file():
            return candidate
    raise KeepingScoreError(
        "Could not find the datasets folder (a folder named 'datasets' holding datapackage.json). "
        "Fix: install the package from the project folder with `pip install -e .`, "
        "or set the environment variable KEEPINGSCORE_DATASETS to the folder's path."
    )


def project_root() -> Path:
    """Return the project's top folder (the one holding _config.yml), for build commands."""
    for parent in [Path.cwd(), *Path.cwd().parents, *_PACKAGE_DIR.parents]:
        if (parent / "_config.yml").is_file() and (parent / "_toc.yml").is_file():
            return parent
    raise KeepingScoreError(
        "Could not find the book's folder (the one holding _config.yml and _toc.yml). "
        "Fix: run the command from inside the project folder."
    )
