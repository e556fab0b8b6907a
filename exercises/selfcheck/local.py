"""Run public checks in the student's own process: from a notebook cell or from pytest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .compare import compare
from .failure import CheckFailed, failure_text
from .hints import Context, Diagnosis, agreed, diagnose
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


def case_problem(
    check: Check,
    actual: Any,
    expected: Any,
    case: Case | None = None,
    table: dict | None = None,
    context: Context | None = None,
) -> str | None:
    """None if one case's result is right, else what is wrong with it (with a hint when
    the result looks like a known mistake)."""
    problem, diagnoses = case_verdict(check, actual, expected, case, table, context)
    return with_hint(problem, [diagnoses]) if problem else None


def case_verdict(
    check: Check,
    actual: Any,
    expected: Any,
    case: Case | None = None,
    table: dict | None = None,
    context: Context | None = None,
) -> tuple[str | None, list[Diagnosis]]:
    """(None, []) if one case's result is right, else what is wrong with it and the known
    mistakes it fits (for `with_hint`, which keeps only a hint every failing case agrees on)."""
    if isinstance(actual, Raised) and "NotImplementedError" in actual.types:
        return "not implemented yet (it raises NotImplementedError)", []
    if check.part is not None:
        actual = actual.get(check.part) if isinstance(actual, dict) else actual
        expected = expected[check.part]
    problem = compare(actual, expected, check.tolerance_scale, table=table)
    if not problem:
        return None, []
    return problem, diagnose(actual, expected, case, context)


def with_hint(problem: str, diagnoses: list[list[Diagnosis]]) -> str:
    """`problem`, followed by the hint that every failing case's diagnoses agree on."""
    advice = agreed(diagnoses)
    return f"{problem}. Hint: {advice}" if advice else problem


def context_of(fn: Any) -> Context:
    """What hints may know of a function: its parameter names."""
    import inspect

    try:
        return Context(tuple(inspect.signature(fn).parameters))
    except (TypeError, ValueError):
        return Context()


def run_public_check(check: Check, fn: Callable | None) -> None:
    """Run one public check on `fn`; raise CheckFailed (an AssertionError) whose message is
    the whole report: the check id, each failing case's inputs and problem, and the hint."""
    if not callable(fn):
        raise CheckFailed(f"{check.id} failed: {check.function} is not defined (or is not a function)")
    failures, found = [], []
    context = context_of(fn)
    for index, (case, expected) in enumerate(zip(check.cases, check.expected)):
        problem, diagnoses = case_verdict(check, call_case(check, fn, case), expected, case, context=context)
        if problem:
            failures.append((index, case, problem))
            found.append(diagnoses)
    if failures:
        raise CheckFailed(failure_text(check, failures, agreed(found), context.parameters))


def check(assignment_id: str, function: str, fn: Callable | None) -> None:
    """Run the public checks of `function` (of the given assignment) on `fn`.

    Prints one line per check that passes; raises CheckFailed (an AssertionError) with one
    block per failing check otherwise, which is what a test cell in a notebook should do.
    """
    checks = [c for c in public_checks(assignment_id) if c.function == function]
    if not checks:
        raise LookupError(f"{assignment_id} has no public check of {function!r}")
    failed = []
    for one in checks:
        try:
            run_public_check(one, fn)
        except CheckFailed as failure:
            failed.append(str(failure))
        else:
            count = len(one.cases)
            print(f"{one.id} passed: {one.description} ({count} example{'s' if count != 1 else ''})")
    if failed:
        raise CheckFailed("\n".join(failed))
