"""The capstone notebook audits any score a student defines, degenerate ones included, without crashing."""

from __future__ import annotations

import json

import nbformat
from nbclient import NotebookClient

from keepingscore.editions import filter_notebook

from .conftest import LESSONS

NOTEBOOK = LESSONS / "capstone.ipynb"

# What students might type into the `my_score = None` cell, and what the audit should then say.
SCORES = {
    "constant": ("my_score = pd.Series(500, index=town.index)", "ranks no one"),
    "random": ("import numpy as np\nmy_score = pd.Series(np.random.default_rng(0).random(len(town)), "
               "index=town.index)", "disparate impact by district"),
    "single attribute": ('my_score = town["volunteer_hours"]', "disparate impact by income_band"),
    "yes or no": ('my_score = town["has_smartphone"]', "disparate impact by age_group"),
    "all missing": ("my_score = pd.Series(float('nan'), index=town.index)", "nobody has a score"),
    "text column": ('my_score = town["district"]', "could not read this score"),
    "wrong length": ("my_score = [1, 2, 3]", "could not read this score"),
    "plain list": ("my_score = list(range(len(town)))", "disparate impact by district"),
    "with a design": ('my_score = -town["traffic_violations"]\nmy_design = ex.example_design()', "EU test"),
}


def _cells():
    notebook = json.loads(filter_notebook(NOTEBOOK.read_text(encoding="utf-8")))
    cells = notebook["cells"]
    setup = cells[0]
    choose = next(c for c in cells if "".join(c["source"]).startswith("my_score = None"))
    run = next(c for c in cells if "# Audit your score" in "".join(c["source"]))
    return notebook, setup, choose, run


def test_the_notebook_has_a_score_cell_and_an_audit_cell_for_students():
    _, _, choose, run = _cells()
    assert "my_design = None" in "".join(choose["source"])
    assert "audit(town, score, my_design)" in "".join(run["source"])


def test_any_score_a_student_defines_gets_an_audit_or_a_clear_message():
    notebook, setup, choose, run = _cells()
    cells = [nbformat.v4.new_code_cell("".join(setup["source"]))]
    for name, (code, _) in SCORES.items():
        source = "".join(choose["source"]) + f"\nprint('=== {name}')\n" + code
        cells += [nbformat.v4.new_code_cell(source), nbformat.v4.new_code_cell("".join(run["source"]))]
    notebook = nbformat.from_dict({**notebook, "cells": cells})
    for i, cell in enumerate(notebook.cells):
        cell["id"] = f"t{i:03d}"
    NotebookClient(notebook, timeout=300, kernel_name="python3").execute()  # raises on any error
    outputs = []
    for cell in notebook.cells[1:]:
        outputs.append("".join(o.get("text", "") for o in cell.get("outputs", []) if o["output_type"] == "stream"))
    text = "\n".join(outputs)
    for name, (_, expected) in SCORES.items():
        block = text.split(f"=== {name}\n", 1)[1].split("=== ", 1)[0]
        assert expected in block, f"{name}: expected {expected!r} in the audit's output, got:\n{block}"
    assert "Traceback" not in text

