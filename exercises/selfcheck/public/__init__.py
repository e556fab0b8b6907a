"""The public checks of every assignment that has checks, by assignment id."""

from __future__ import annotations

import importlib

from ..assignments import assignment
from ..model import Check


def public_checks(assignment_id: str) -> tuple[Check, ...]:
    """The public checks of an assignment (by id or module name), from
    selfcheck/public/<module>.py; a missing or misnamed file is an error that names it."""
    module = assignment(assignment_id).module
    try:
        checks = importlib.import_module(f"{__name__}.{module}")
    except ModuleNotFoundError as error:
        if error.name != f"{__name__}.{module}":
            raise
        raise LookupError(
            f"{assignment_id} has no public checks: selfcheck/public/{module}.py is missing"
        ) from None
    found = getattr(checks, "CHECKS", None)
    if not found:
        raise LookupError(f"selfcheck/public/{module}.py defines no CHECKS")
    return tuple(found)
