"""Lesson notebooks: stripped, following the template, and running in a fresh kernel in both editions."""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from nbclient import NotebookClient

from keepingscore import launch
from keepingscore.editions import filter_notebook

from .conftest import LESSONS

NOTEBOOKS = sorted(LESSONS.glob("*.ipynb"))
TAGS = {"hide-input", "solution", "teacher", "remove-output", "skip-execution"}


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_there_are_notebooks():
    assert {p.stem for p in NOTEBOOKS} >= {"town", "timeline"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_outputs_and_personal_metadata_are_stripped(path):
    notebook = load(path)
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
        assert set(cell["metadata"]) <= {"tags"}
        assert set(cell["metadata"].get("tags", [])) <= TAGS
    assert set(notebook["metadata"]) <= {"kernelspec", "language_info"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_follows_the_template(path):
    notebook = load(path)
    cells = notebook["cells"]
    student_cells = [c for c in cells if "solution" not in c["metadata"].get("tags", [])]
    assert 10 <= len(student_cells) <= 25, "the blueprint asks for small notebooks: 10 to 25 cells"
    first = cells[0]
    assert first["cell_type"] == "code" and "hide-input" in first["metadata"].get("tags", [])
    assert "keepingscore" in "".join(first["source"])
    text = "".join("".join(c["source"]) for c in cells)
    assert "**Builds on:**" in text and "**Used later by:**" in text
    # The Colab bootstrap (tests/test_launch.py checks it) is the one place that may name pip and an address.
    code = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    code = code.replace(launch.bootstrap_code(launch.notebook_repository(notebook) or ""), "", 1)
    for banned in ("!pip", "%pip", "pip install", "http://", "https://", "../", "read_csv("):
        assert banned not in code, banned
    exercises = [c for c in cells
                 if c["cell_type"] == "markdown" and re.search(r"\*\*Exercise \d", "".join(c["source"]))]
    checks = [c for c in cells if c["cell_type"] == "code" and "ex.check_" in "".join(c["source"])
              and "solution" not in c["metadata"].get("tags", [])]
    solutions = [c for c in cells if "solution" in c["metadata"].get("tags", [])]
    assert len(exercises) >= 3 and len(checks) >= 3 and len(solutions) >= 3


def _run(source: str):
    notebook = nbformat.reads(source, as_version=4)
    client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(LESSONS)}})
    client.execute()
    return notebook


def _outputs(notebook) -> str:
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                raise AssertionError(f"cell raised {output['ename']}: {output['evalue']}")
            parts.append(json.dumps(output.get("data", output.get("text", "")), sort_keys=True))
    return "\n".join(parts)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_teacher_edition_runs_and_every_solution_passes_its_check(path):
    text = _outputs(_run(path.read_text(encoding="utf-8")))
    assert "Not yet" in text  # the student's empty answers
    solved = text.count("Correct: ")
    assert solved >= 3 and "could not be checked" not in text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_edition_runs_and_has_no_solutions(path):
    source = filter_notebook(path.read_text(encoding="utf-8"))
    text = _outputs(_run(source))
    assert "Correct: " not in text
    assert "Not yet: there is no answer yet" in text
