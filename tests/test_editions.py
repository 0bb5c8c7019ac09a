import json

import pytest

from keepingscore.editions import (
    filter_notebook,
    filter_source,
    front_matter,
    is_teacher_page,
    strip_teacher_blocks,
)

PAGE = """---
kind: chapter
---
# Title

Before.

::::{teacher} Answer key
Secret answer.
:::{note}
Nested note inside.
:::
::::

Middle.

```{teacher}
Another secret.
```

After.
"""


def test_teacher_blocks_are_removed_with_nested_content():
    out = strip_teacher_blocks(PAGE)
    assert "Secret" not in out and "Nested note" not in out and "Another secret" not in out
    assert "Before." in out and "Middle." in out and "After." in out


def test_unclosed_teacher_block_is_an_error():
    with pytest.raises(ValueError, match="never closed"):
        strip_teacher_blocks(":::{teacher}\nOops\n")


def test_front_matter_and_teacher_pages():
    assert front_matter(PAGE) == {"kind": "chapter"}
    assert not is_teacher_page(PAGE)
    assert is_teacher_page("---\nkind: teacher\nedition: teacher\n---\n# Notes\n")
    assert front_matter("# No front matter") == {}


def _notebook():
    return json.dumps({
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["Task\n", ":::{teacher}\nModel answer\n:::\n"]},
            {"cell_type": "code", "metadata": {}, "source": "answer = None", "outputs": [], "execution_count": None},
            {"cell_type": "code", "metadata": {"tags": ["solution"]}, "source": "answer = 42", "outputs": [],
             "execution_count": None},
            {"cell_type": "markdown", "metadata": {"tags": ["teacher"]}, "source": "Teacher tip"},
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    })


def test_notebook_loses_solution_and_teacher_cells_and_blocks():
    out = filter_notebook(_notebook())
    assert "42" not in out and "Teacher tip" not in out and "Model answer" not in out
    assert "answer = None" in out and "Task" in out
    assert len(json.loads(out)["cells"]) == 2


def test_teacher_edition_keeps_everything():
    assert filter_source(PAGE, ".md", "teacher") == PAGE
    assert filter_source(_notebook(), ".ipynb", "teacher") == _notebook()


def test_teacher_page_body_is_replaced_in_student_edition():
    page = "---\nkind: teacher\nedition: teacher\n---\n# Teacher notes: X\n\nMinute 1: secret plan.\n"
    out = filter_source(page, ".md", "student")
    assert "secret plan" not in out and "# Teacher notes: X" in out and "teacher edition" in out


def test_unknown_edition_is_refused():
    with pytest.raises(ValueError, match="student.*teacher"):
        filter_source(PAGE, ".md", "principal")
