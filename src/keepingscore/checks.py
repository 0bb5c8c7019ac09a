"""Exercise checks students can run: they say what is right or give a hint, and never raise."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

__all__ = ["Result", "check", "equal", "close", "same_items"]


class Result:
    """What a check found: `ok` plus a message that is shown in the notebook."""

    def __init__(self, ok: bool, message: str) -> None:
        self.ok, self.message = ok, message

    def __repr__(self) -> str:
        return ("Correct: " if self.ok else "Not yet: ") + self.message

    def __bool__(self) -> bool:
        return self.ok


def _is_table(answer: Any) -> bool:
    return type(answer).__name__ in {"Series", "DataFrame"} and type(answer).__module__.startswith("pandas")


def check(answer: Any, test: Callable[[Any], bool], *, right: str, hint: str, single: bool = True) -> Result:
    """Run `test` on the answer; an empty answer or an error counts as 'not yet', with a hint."""
    if answer is None or answer is ...:
        return Result(False, "there is no answer yet. " + hint)
    if single and _is_table(answer):
        return Result(
            False,
            "your answer is a whole column or table; pick out the single value the question asks for "
            "(for example with .sum(), .idxmax() or .iloc[0]). " + hint,
        )
    try:
        ok = bool(test(answer))
    except Exception as exc:  # a half-finished answer must not crash the notebook
        return Result(False, f"the answer could not be checked ({type(exc).__name__}). {hint}")
    return Result(ok, right if ok else hint)


def _same(answer: Any, expected: Any) -> bool:
    if isinstance(expected, str):
        # Spelling is not the skill being practised: ignore case and stray spaces in text answers.
        return isinstance(answer, str) and answer.strip().casefold() == expected.strip().casefold()
    return answer == expected


def equal(answer: Any, expected: Any, *, right: str = "that matches.", hint: str) -> Result:
    """Check that the answer equals the expected value (text ignores case and surrounding spaces)."""
    return check(answer, lambda a: _same(a, expected), right=right, hint=hint)


def close(answer: Any, expected: float, *, within: float, right: str = "that matches.", hint: str) -> Result:
    """Check that a number is within `within` (an absolute difference) of the expected value."""
    return check(answer, lambda a: math.isclose(float(a), float(expected), rel_tol=0, abs_tol=within),
                 right=right, hint=hint)


def same_items(answer: Any, expected: Any, *, right: str = "that matches.", hint: str) -> Result:
    """Check that the answer holds the same items as expected, in any order."""
    return check(answer, lambda a: sorted(map(str, a)) == sorted(map(str, expected)),
                 right=right, hint=hint, single=False)
