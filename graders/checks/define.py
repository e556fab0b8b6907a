"""How a hidden check is written: the one constructor every check module uses."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from selfcheck.model import Check


def hidden_check(
    assignment: str, id: str, function: str, points: float, description: str, cases: Any, **more: Any
) -> Check:
    """A hidden check of `function` (only the grader has it)."""
    return Check(
        id=id,
        assignment=assignment,
        function=function,
        points=points,
        visibility="hidden",
        description=description,
        cases=cases,
        **more,
    )


def hidden_checks_of(assignment: str) -> Callable[..., Check]:
    """`hidden_check` for one assignment: hidden(id, function, points, description, cases, ...)."""
    return partial(hidden_check, assignment)
