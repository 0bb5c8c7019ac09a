"""The Python code is ruff clean (the house style's linter)."""

import subprocess
import sys

from .conftest import ROOT


def test_ruff_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "src", "tests", "tools"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_package_imports_without_the_book_toolchain():
    code = "import keepingscore, keepingscore.data, keepingscore.town, keepingscore.plotting, keepingscore.checks"
    subprocess.run([sys.executable, "-c", code], check=True)
