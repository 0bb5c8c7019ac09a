"""Launch buttons (Binder, Colab, a school JupyterHub) and how a notebook gets the helper package there.

How each place gets the package:

- Binder builds its environment from the repository's ``requirements.txt``, whose last line installs this
  package (``-e .``); nothing else is needed.
- A JupyterHub opens the repository's notebooks (through the theme's nbgitpuller link); the hub's
  environment needs ``pip install .`` of the project once, as the start page says.
- Colab opens a notebook straight from the repository and has no helper package. Every notebook's setup
  cell therefore starts with a short bootstrap (``bootstrap_code``) that, only when it runs inside Colab
  and the package is missing, installs it from the repository with pip. Elsewhere it does nothing.

The repository address is set in one place, ``keepingscore_repository_url`` in ``_config.yml`` (or the
``KEEPINGSCORE_REPOSITORY_URL`` environment variable for one build). ``python -m keepingscore launch
--repository URL`` writes it to the configuration and to every notebook's bootstrap, so they cannot
disagree; the tests check that they do not. With no address the book shows no launch buttons, and the
bootstrap tells a Colab user how to upload the project instead.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

__all__ = ["BOOTSTRAP_FIRST_LINE", "bootstrap_code", "configure", "notebook_repository", "repository_url",
           "set_repository", "sync_notebooks"]

BOOTSTRAP_FIRST_LINE = "# Colab only: install the book's helper package first (elsewhere it is already there)."
_REPO_LINE = re.compile(r'^REPOSITORY = "(?P<url>[^"]*)"', re.M)
_CONFIG_LINE = re.compile(
    r'^(?P<indent>\s*)keepingscore_repository_url: *"?(?P<url>[^"\n#]*?)"?(?P<rest> *#.*)?$', re.M
)
BINDER = "https://mybinder.org"
COLAB = "https://colab.research.google.com"


def bootstrap_code(repository: str) -> str:
    """The lines that start every notebook's setup cell."""
    return "\n".join([
        BOOTSTRAP_FIRST_LINE,
        "import importlib.util, subprocess, sys  # noqa: E401",
        f'REPOSITORY = "{repository}"  # set with: python -m keepingscore launch --repository URL',
        'if "google.colab" in sys.modules and importlib.util.find_spec("keepingscore") is None:',
        "    if not REPOSITORY:",
        '        raise RuntimeError("This copy of the book names no repository to install the helper package from: "',
        "                           \"upload the project folder and install it with pip, as the book's start page \"",
        "                           \"explains under 'How to run the notebooks'.\")",
        '    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", f"keepingscore @ git+{REPOSITORY}"],',
        "                   check=True)",
        "",
    ])


def _valid(url: str) -> str:
    url = url.strip().rstrip("/")
    if url and not re.fullmatch(r"https://[A-Za-z0-9.-]+(/[A-Za-z0-9._~-]+){2,}", url):
        raise ValueError(f"{url!r} is not a repository address like https://github.com/<owner>/<name>.")
    return url


def repository_url(config_text: str) -> str:
    """The repository address in the text of _config.yml ('' when none is set)."""
    match = _CONFIG_LINE.search(config_text)
    return match.group("url").strip() if match else ""


def notebook_repository(notebook: dict) -> str | None:
    """The address in a notebook's bootstrap, or None when its first cell has no bootstrap."""
    source = "".join(notebook["cells"][0]["source"]) if notebook.get("cells") else ""
    if not source.startswith(BOOTSTRAP_FIRST_LINE):
        return None
    match = _REPO_LINE.search(source)
    return match.group("url") if match else None


def sync_notebooks(lessons: Path, repository: str) -> list[Path]:
    """Give every notebook in `lessons` the bootstrap for `repository`; return the notebooks it changed."""
    repository = _valid(repository)
    changed = []
    for path in sorted(Path(lessons).glob("*.ipynb")):
        text = path.read_text(encoding="utf-8")
        notebook = json.loads(text)
        first = notebook["cells"][0]
        source = "".join(first["source"])
        if source.startswith(BOOTSTRAP_FIRST_LINE):
            body = source.split("\n\n", 1)[1] if "\n\n" in source else ""
        else:
            body = source
        new = bootstrap_code(repository) + "\n" + body
        if new != source:
            first["source"] = new.splitlines(keepends=True)
            path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            changed.append(path)
    return changed


def set_repository(root: Path, repository: str) -> list[Path]:
    """Write `repository` to _config.yml and every notebook's bootstrap; return the files changed."""
    repository = _valid(repository)
    config = Path(root) / "_config.yml"
    text = config.read_text(encoding="utf-8")
    if not _CONFIG_LINE.search(text):
        raise ValueError(f"{config} has no keepingscore_repository_url line under sphinx: config:; add one.")
    new = _CONFIG_LINE.sub(lambda m: f'{m.group("indent")}keepingscore_repository_url: "{repository}"'
                           + (m.group("rest") or ""), text, count=1)
    changed = []
    if new != text:
        config.write_text(new, encoding="utf-8")
        changed.append(config)
    return changed + sync_notebooks(Path(root) / "lessons", repository)


def configure(app, config) -> None:
    """Sphinx config-inited hook: switch on the launch buttons when a repository address is set."""
    repository = _valid(os.environ.get("KEEPINGSCORE_REPOSITORY_URL") or config.keepingscore_repository_url or "")
    hub = (os.environ.get("KEEPINGSCORE_HUB_URL") or config.keepingscore_hub_url or "").strip().rstrip("/")
    if not repository:
        return
    options = dict(config.html_theme_options or {})
    options.update({
        "repository_url": repository,
        "repository_branch": config.keepingscore_repository_branch or "main",
        "path_to_docs": "",
        "launch_buttons": {
            "binderhub_url": BINDER,
            "colab_url": COLAB,
            "jupyterhub_url": hub,
            "notebook_interface": "jupyterlab",
        },
    })
    config.html_theme_options = options
