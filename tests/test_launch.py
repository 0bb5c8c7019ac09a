"""Launch buttons and the Colab bootstrap: configured in one place, tested offline."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

from keepingscore import launch

from .conftest import LESSONS, ROOT

CONFIG = ROOT / "_config.yml"
_REAL_FIND_SPEC = importlib.util.find_spec


def _run_bootstrap(code: str, *, in_colab: bool, installed: bool, monkeypatch) -> list:
    """Execute a bootstrap as a notebook would, with Colab and pip faked; return the commands it ran."""
    ran = []
    monkeypatch.setattr(subprocess, "run", lambda cmd, check: ran.append(cmd))
    if in_colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    real = _REAL_FIND_SPEC
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: (real(name, *a) if installed else None) if name == "keepingscore"
                        else real(name, *a))
    exec(compile(code, "<bootstrap>", "exec"), {})
    return ran


def test_every_notebook_starts_with_the_bootstrap_for_the_configured_repository():
    repository = launch.repository_url(CONFIG.read_text(encoding="utf-8"))
    expected = launch.bootstrap_code(repository)
    for path in sorted(LESSONS.glob("*.ipynb")):
        first = "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"])
        assert first.startswith(expected), (
            f"{path.name}: its setup cell does not start with the Colab bootstrap for {repository!r}; "
            "run `python -m keepingscore launch --repository URL` (or with the current address) to fix it"
        )


def test_bootstrap_does_nothing_outside_colab_or_when_installed(monkeypatch):
    code = launch.bootstrap_code("https://github.com/example/keeping-score")
    assert _run_bootstrap(code, in_colab=False, installed=False, monkeypatch=monkeypatch) == []
    assert _run_bootstrap(code, in_colab=True, installed=True, monkeypatch=monkeypatch) == []


def test_bootstrap_installs_from_the_repository_in_colab(monkeypatch):
    code = launch.bootstrap_code("https://github.com/example/keeping-score")
    ran = _run_bootstrap(code, in_colab=True, installed=False, monkeypatch=monkeypatch)
    assert ran == [[sys.executable, "-m", "pip", "install", "--quiet",
                    "keepingscore @ git+https://github.com/example/keeping-score"]]


def test_bootstrap_without_a_repository_explains_what_to_do_in_colab(monkeypatch):
    with pytest.raises(RuntimeError, match="upload the project folder"):
        _run_bootstrap(launch.bootstrap_code(""), in_colab=True, installed=False, monkeypatch=monkeypatch)


def test_set_repository_updates_config_and_notebooks_together(tmp_path):
    shutil.copy(CONFIG, tmp_path / "_config.yml")
    shutil.copytree(LESSONS, tmp_path / "lessons")
    before = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "lessons").glob("*.ipynb")}
    changed = launch.set_repository(tmp_path, "https://github.com/example/keeping-score/")
    assert tmp_path / "_config.yml" in changed
    assert launch.repository_url((tmp_path / "_config.yml").read_text()) == "https://github.com/example/keeping-score"
    for path in (tmp_path / "lessons").glob("*.ipynb"):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        assert launch.notebook_repository(notebook) == "https://github.com/example/keeping-score"
        # only the first cell changed, and only its bootstrap
        assert notebook["cells"][1:] == before[path.name]["cells"][1:]
        old_body = "".join(before[path.name]["cells"][0]["source"]).split("\n\n", 1)[-1]
        assert "".join(notebook["cells"][0]["source"]).endswith(old_body)
    assert launch.set_repository(tmp_path, "https://github.com/example/keeping-score") == []  # idempotent
    with pytest.raises(ValueError, match="not a repository address"):
        launch.set_repository(tmp_path, "github.com/no-scheme")


def test_configure_switches_buttons_on_only_with_an_address(monkeypatch):
    monkeypatch.delenv("KEEPINGSCORE_REPOSITORY_URL", raising=False)
    monkeypatch.delenv("KEEPINGSCORE_HUB_URL", raising=False)
    config = types.SimpleNamespace(keepingscore_repository_url="", keepingscore_repository_branch="main",
                                   keepingscore_hub_url="", html_theme_options={"launch_buttons": {}})
    launch.configure(None, config)
    assert config.html_theme_options == {"launch_buttons": {}}
    config.keepingscore_repository_url = "https://github.com/example/keeping-score"
    monkeypatch.setenv("KEEPINGSCORE_HUB_URL", "https://hub.example.org/")
    launch.configure(None, config)
    buttons = config.html_theme_options["launch_buttons"]
    assert buttons["binderhub_url"] == launch.BINDER and buttons["colab_url"] == launch.COLAB
    assert buttons["jupyterhub_url"] == "https://hub.example.org"
    assert config.html_theme_options["repository_url"] == "https://github.com/example/keeping-score"


@pytest.mark.build
def test_built_notebook_pages_carry_binder_colab_and_hub_links(tmp_path, monkeypatch):
    from keepingscore.build import build

    monkeypatch.setenv("KEEPINGSCORE_REPOSITORY_URL", "https://github.com/example/keeping-score")
    monkeypatch.setenv("KEEPINGSCORE_HUB_URL", "https://hub.example.org")
    out = tmp_path / "student" / "html"
    assert build("student", out=out, execute=False, quiet=True) == 0
    for path in sorted(LESSONS.glob("*.ipynb")):
        page = (out / "lessons" / f"{path.stem}.html").read_text(encoding="utf-8")
        links = set(re.findall(r'href="([^"]+)"', page))
        want = {
            "binder": f"https://mybinder.org/v2/gh/example/keeping-score/main?urlpath=lab/tree/lessons/{path.name}",
            "colab": f"https://colab.research.google.com/github/example/keeping-score/blob/main/lessons/{path.name}",
        }
        for name, url in want.items():
            assert url in {link.replace("&amp;", "&") for link in links}, f"{path.stem}: no {name} link {url}"
        assert any(link.startswith("https://hub.example.org/hub/user-redirect/git-pull?") for link in links), path.stem
        assert f"{path.stem}.ipynb" in page  # the download button offers the notebook itself
    assert not (Path(out) / "book" / "teacher").exists()


def test_student_notebook_copies_have_no_solutions_and_leave_the_originals_alone(tmp_path, capsys):
    from keepingscore.__main__ import main
    from keepingscore.editions import TEACHER_TAGS

    before = {p.name: p.read_bytes() for p in LESSONS.glob("*.ipynb")}
    assert main(["notebooks", "--edition", "student", "--out", str(tmp_path)]) == 0
    assert {p.name for p in tmp_path.glob("*.ipynb")} == set(before)
    for path in tmp_path.glob("*.ipynb"):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        assert not any(set(c["metadata"].get("tags", [])) & TEACHER_TAGS for c in cells), path.name
        assert not any("{teacher}" in "".join(c["source"]) for c in cells), path.name
    assert {p.name: p.read_bytes() for p in LESSONS.glob("*.ipynb")} == before


def test_command_line_errors_are_one_line_with_status_2(tmp_path, capsys):
    from keepingscore.__main__ import main

    assert main(["launch", "--repository", "not-an-address"]) == 2
    assert main(["bundle", "--html", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and err[0].startswith("launch:") and err[1].startswith("bundle:")
