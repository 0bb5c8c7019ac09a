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


def check(answer: Any, test: Callable[[Any], bool], *, right: str, hint: str) -> Result:
    """Run `test` on the answer; an empty answer or an error counts as 'not yet'."""
    if answer is None or answer is ...:
        return Result(False, "there is no answer yet. " + hint)
    try:
        ok = bool(test(answer))
    except Exception as exc:  # a student's half-finished answer must not crash the notebook
        return Result(False, f"the answer could not be checked ({type(exc).__name__}: {exc}). {hint}")
    return Result(ok, right if ok else hint)


def equal(answer: Any, expected: Any, *, right: str = "that matches.", hint: str) -> Result:
    """Check that the answer equals the expected value."""
    return check(answer, lambda a: a == expected, right=right, hint=hint)


def close(answer: Any, expected: float, *, tol: float = 0.01, right: str = "that matches.", hint: str) -> Result:
    """Check that a number is within `tol` (relative) of the expected value."""
    return check(
        answer, lambda a: math.isclose(float(a), float(expected), rel_tol=tol, abs_tol=tol),
        right=right, hint=hint,
    )


def same_items(answer: Any, expected: Any, *, right: str = "that matches.", hint: str) -> Result:
    """Check that the answer holds the same items as expected, in any order."""
    return check(answer, lambda a: sorted(map(str, a)) == sorted(map(str, expected)), right=right, hint=hint)
