"""The capstone notebook audits any score a student defines, degenerate ones included, without crashing."""

from __future__ import annotations

import dataclasses
import json
import re

import nbformat
import pytest
from nbclient import NotebookClient

from keepingscore import audit as A
from keepingscore.editions import filter_notebook
from keepingscore.exercises import capstone as ex
from keepingscore.town import make_town

from .conftest import BOOK, LESSONS

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
    assert "audit(town, score, my_design, threshold=threshold)" in "".join(run["source"])


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



# --- The chapter's worked example: every figure it prints comes from ex.good_tenant_score and the audit tool.


@pytest.fixture(scope="module")
def good_tenant():
    town = make_town(n=10_000, seed=0)
    return town, {v: ex.good_tenant_audit(town, v) for v in ex.GOOD_TENANT_VERSIONS}


def _worked_example() -> str:
    text = (BOOK / "capstone.md").read_text(encoding="utf-8")
    return text.split("## A worked example", 1)[1].split("\n## ", 1)[0]


def _appears(figure: str, text: str) -> bool:
    """The figure as a whole number or decimal, not part of a longer one ("45" must not match "0.45" or "145")."""
    return re.search(rf"(?<![\d.,]){re.escape(figure)}(?![\d]|[.,]\d)", text) is not None


def _ratio(report: A.Report, by: str) -> str:
    """The ratio exactly as the audit prints it (two decimals, or three near 0.8)."""
    finding = next(f for f in report.findings if f.check == f"disparate impact by {by}")
    return re.search(r"a ratio of ([\d.]+)", finding.detail).group(1)


def _percent(share: float) -> str:
    return f"{share:.0%}".replace("%", " percent")


def _sim(report: A.Report) -> dict[str, str]:
    detail = next(f for f in report.findings if f.check == "errors and appeals").detail
    wrong, right, left = re.search(r"([\d,]+) residents get the wrong outcome; appeals put right ([\d,]+), "
                                   r"leaving ([\d,]+)", detail).groups()
    return {"wrong": wrong, "corrected": right, "still_wrong": left}


def test_good_tenant_score_rules_are_stated_in_the_chapter():
    text = _worked_example()
    assert "`ex.good_tenant_score`" in text and "safe streets" in text
    cap = f"up to {ex.BONUS_CAP} points"
    assert f"1 point for every {ex.VOLUNTEER_HOURS_PER_POINT} hours of volunteering, {cap}" in text
    assert f"1 point for every {ex.DONATION_UNITS_PER_POINT} units of donations, {cap}" in text
    assert f"scoring {ex.DEPOSIT_CUTOFF} or more skip the deposit" in text
    assert f"scoring below {ex.STALL_CUTOFF} are also refused a stall" in text


def test_every_good_tenant_figure_in_the_chapter_comes_from_the_audit(good_tenant):
    town, reports = good_tenant
    v1, v2, v3 = (reports[v] for v in ex.GOOD_TENANT_VERSIONS)
    income1 = v1.by_group["income_band"]
    income2 = v2.by_group["income_band"]
    scored1 = ex.good_tenant_score(town, 1)
    figures = {
        # Step 4
        "share reaching the cut-off": _percent((scored1 >= ex.DEPOSIT_CUTOFF).mean()),
        "low income, version 1": _percent(income1.loc["low", "favourable_share"]),
        "high income, version 1": _percent(income1.loc["high", "favourable_share"]),
        "income ratio, version 1": _ratio(v1, "income_band"),
        "district ratio, version 1": _ratio(v1, "district"),
        "age ratio, version 1": _ratio(v1, "age_group"),
        # Step 5
        "wrong outcomes, version 1": _sim(v1)["wrong"],
        # Step 6
        "low income, version 2": _percent(float(income2.loc["low", "favourable_share"])),
        "high income, version 2": _percent(float(income2.loc["high", "favourable_share"])),
        "income ratio, version 2": _ratio(v2, "income_band"),
        "district ratio, version 2": _ratio(v2, "district"),
        "unscored, version 2": f"{int(ex.good_tenant_score(town, 2).isna().sum()):,}",
        "low income unscored": f"{int(income2.loc['low', 'unscored']):,}",
        "low income residents": f"{int(income2.loc['low', ['residents', 'unscored']].sum()):,}",
        "high income unscored": f"{int(income2.loc['high', 'unscored']):,}",
        "high income residents": f"{int(income2.loc['high', ['residents', 'unscored']].sum()):,}",
        # Step 7
        "income ratio, version 3": _ratio(v3, "income_band"),
        "wrong outcomes, version 3": _sim(v3)["wrong"],
        "put right, version 3": _sim(v3)["corrected"],
        "still wrong, version 3": _sim(v3)["still_wrong"],
    }
    text = _worked_example()
    missing = {name: figure for name, figure in figures.items() if not _appears(figure, text)}
    assert not missing, f"book/capstone.md's worked example does not print these audit figures: {missing}"
    # Step 5: no appeal route, so the audit assumes nobody appeals and nobody is put right.
    assert _sim(v1)["corrected"] == "0" and "none of them is put right" in text


def test_good_tenant_verdicts_match_the_chapter(good_tenant):
    _, reports = good_tenant
    first = reports[1].verdicts()
    assert first["personal characteristics"] == first["scope"] == first["appeal"] == "concern"
    assert first["EU test: unrelated context"] == first["EU test: disproportionate"] == "concern"
    assert first["disparate impact by district"] == "concern"  # 0.796 is below the line
    for version in (2, 3):
        verdicts = reports[version].verdicts()
        assert all(verdicts[c] == "pass" for c in ("personal characteristics", "scope", "appeal",
                                                   "EU test: unrelated context", "EU test: disproportionate"))
    assert reports[2].verdicts()["disparate impact by income_band"] == "concern"
    assert reports[3].verdicts()["disparate impact by income_band"] == "pass"


def test_calling_the_deposit_a_housing_decision_would_flag_scope_and_the_first_eu_situation():
    design = ex.good_tenant_design(2)
    housing = dataclasses.replace(design, context="housing",
                                  consequences=[{**c, "context": "housing"} for c in design.consequences])
    verdicts = {f.check: f.verdict for f in A.scope_checks(housing) + A.eu_test(housing)}
    assert verdicts["scope"] == verdicts["EU test: unrelated context"] == "concern"
    assert verdicts["EU test: disproportionate"] == "pass"


def test_teacher_answer_key_matches_the_audit(good_tenant):
    _, reports = good_tenant
    text = (BOOK / "teacher" / "capstone.md").read_text(encoding="utf-8")
    key = text.split("**Answer key for the worked example", 1)[1].split("\n\n", 2)[1]
    for figure in (_ratio(reports[1], "income_band"), _ratio(reports[2], "income_band"),
                   _ratio(reports[3], "income_band"), _sim(reports[1])["wrong"], _sim(reports[2])["wrong"],
                   _sim(reports[2])["corrected"], _sim(reports[3])["corrected"]):
        assert _appears(figure, key), f"teacher answer key lacks {figure}"
    assert f"{_sim(reports[1])['wrong']} wrong, {_sim(reports[1])['corrected']} put right" in key


def test_good_tenant_score_rejects_unknown_versions():
    with pytest.raises(ValueError, match="versions"):
        ex.good_tenant_score(make_town(n=50, seed=1), 4)
