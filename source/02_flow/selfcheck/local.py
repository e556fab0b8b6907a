"""Run public checks in the student's own process: from a notebook cell or from pytest."""

from __future__ import annotations

from typing import Any, Callable

from .compare import compare
from .hints import hint
from .model import Case, Check
from .protocols import run
from .public import public_checks
from .values import Raised, raised


def call_case(check: Check, fn: Callable, case: Case) -> Any:
    """The plain result of one case, or `Raised` if the function raised."""
    try:
        return run(check.protocol, fn, case)
    except Exception as error:  # the student's code may raise anything
        return raised(error)


def case_problem(check: Check, actual: Any, expected: Any, case: Case | None = None,
                 table: dict | None = None) -> str | None:
    """None if one case's result is right, else what is wrong with it (with a hint when
    the result looks like a known mistake)."""
    if isinstance(actual, Raised) and "NotImplementedError" in actual.types:
        return "not implemented yet (it raises NotImplementedError)"
    if check.part is not None:
        actual = actual.get(check.part) if isinstance(actual, dict) else actual
        expected = expected[check.part]
    problem = compare(actual, expected, check.tolerance_scale, table=table)
    if problem:
        advice = hint(actual, expected, case)
        if advice:
            problem = f"{problem}. Hint: {advice}"
    return problem


def run_public_check(check: Check, fn: Callable | None) -> None:
    """Run one public check on `fn`; raise AssertionError saying what is wrong."""
    if not callable(fn):
        raise AssertionError(f"{check.function} is not defined (or is not a function)")
    problems = []
    for case, expected in zip(check.cases, check.expected):
        problem = case_problem(check, call_case(check, fn, case), expected, case)
        if problem:
            problems.append(f"  - {case.label or 'case'}: {problem}")
    if problems:
        raise AssertionError(f"{check.function}: {check.description}\n" + "\n".join(problems))


def check(assignment_id: str, function: str, fn: Callable | None) -> None:
    """Run the public checks of `function` (of the given assignment) on `fn`.

    Prints one line per check that passes; raises AssertionError listing what is wrong
    otherwise, which is what a test cell in a notebook should do.
    """
    checks = [c for c in public_checks(assignment_id) if c.function == function]
    if not checks:
        raise LookupError(f"{assignment_id} has no public check of {function!r}")
    for one in checks:
        run_public_check(one, fn)
        print(f"{function}: {one.description}: passed ({len(one.cases)} examples)")
