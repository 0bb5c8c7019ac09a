"""Build one edition of the book into _build/<edition>/html."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from .editions import EDITIONS
from .paths import project_root

__all__ = ["build", "output_dir"]


def output_dir(edition: str, root: Path | None = None) -> Path:
    """Where an edition's HTML goes."""
    return (root or project_root()) / "_build" / edition / "html"


def build(edition: str = "student", *, strict: bool = False, fresh: bool = False,
          root: Path | None = None, quiet: bool = False,
          warning_file: Path | None = None, execute: bool = True, out: Path | None = None) -> int:
    """Build an edition with Jupyter Book; return the Sphinx exit status (0 is success)."""
    if edition not in EDITIONS:
        raise SystemExit(f"Unknown edition {edition!r}: use --edition student or --edition teacher.")
    # jsonschema imports rfc3987-syntax when it is installed (JupyterLab brings it), which compiles
    # dozens of grammars on import: about six seconds on every build, for URI checks the build never makes.
    sys.modules.setdefault("rfc3987_syntax", None)
    from jupyter_book.sphinx import build_sphinx

    root = root or project_root()
    default_out = output_dir(edition, root)
    out = Path(out) if out is not None else default_out
    if fresh:
        # Only what a build writes: the HTML and, beside it, the doctrees and executed notebooks
        # (never the folder a user named with --out, which may hold other things).
        old = [default_out.parent] if out == default_out else [out, out.parent / ".doctrees",
                                                                 out.parent / "jupyter_execute"]
        for folder in old:
            if folder.exists():
                shutil.rmtree(folder)
    # The kernel's "running over TCP without encryption" notice is noise for readers of the log.
    ipython_dir = root / "_build" / ".ipython"
    (ipython_dir / "profile_default").mkdir(parents=True, exist_ok=True)
    (ipython_dir / "profile_default" / "ipython_kernel_config.py").write_text(
        'c.IPKernelApp.log_level = "ERROR"\n', encoding="utf-8"
    )
    # The same overrides `jupyter-book build` passes, plus the edition.
    overrides = {
        "keepingscore_edition": edition,
        "external_toc_path": (root / "_toc.yml").as_posix(),
        "latex_individualpages": False,
    }
    if strict:
        overrides["nitpicky"] = True
    if not execute:
        overrides["nb_execution_mode"] = "off"  # for timing the build without the notebooks
    if warning_file is not None:
        overrides["keepingscore_warning_file"] = str(warning_file)
    saved = os.environ.get("IPYTHONDIR")
    os.environ.setdefault("IPYTHONDIR", str(ipython_dir))  # read by the kernels that run the notebooks
    try:
        result = build_sphinx(
            str(root),
            str(out),
            noconfig=True,
            path_config=str(root / "_config.yml"),
            confoverrides=overrides,
            builder="html",
            warningiserror=strict,
            keep_going=strict,
            freshenv=fresh,
            quiet=quiet,
        )
    finally:
        if saved is None:
            os.environ.pop("IPYTHONDIR", None)
    if isinstance(result, Exception):
        raise result
    return int(result)
