"""The check registry: every assignment's public checks (shared with students, in
selfcheck.public) followed by its hidden checks (here, never shipped to students)."""

from __future__ import annotations

import importlib

from selfcheck.assignments import assignment
from selfcheck.model import Check
from selfcheck.public import public_checks


def hidden_checks(assignment_id: str) -> tuple[Check, ...]:
    """The hidden checks of an assignment; () if it has none yet."""
    module = assignment(assignment_id).module
    try:
        found = importlib.import_module(f"{__name__}.{module}")
    except ModuleNotFoundError as error:
        if error.name != f"{__name__}.{module}":
            raise
        return ()
    return tuple(found.CHECKS)


def checks_for(assignment_id: str) -> tuple[Check, ...]:
    """All checks of an assignment, public first, in a fixed order."""
    checks = public_checks(assignment_id) + hidden_checks(assignment_id)
    ids = [c.id for c in checks]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"{assignment_id}: check ids used twice: {duplicates}")
    return checks
