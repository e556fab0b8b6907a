"""The check registry: every assignment's public checks (shared with students, in
selfcheck.public) followed by its hidden checks (here, never shipped to students)."""

from __future__ import annotations

import importlib

from selfcheck.assignments import assignment
from selfcheck.model import Check
from selfcheck.protocols import PROTOCOLS
from selfcheck.public import public_checks


class RegistryError(LookupError):
    """An assignment's checks or protocols are missing or misnamed."""


def hidden_checks(assignment_id: str) -> tuple[Check, ...]:
    """The hidden checks of an assignment, from graders/checks/<module>.py."""
    module = assignment(assignment_id).module
    try:
        found = importlib.import_module(f"{__name__}.{module}")
    except ModuleNotFoundError as error:
        if error.name != f"{__name__}.{module}":
            raise
        raise RegistryError(
            f"{assignment_id} has no hidden checks: graders/checks/{module}.py is missing"
        ) from None
    checks = getattr(found, "CHECKS", None)
    if not checks:
        raise RegistryError(f"graders/checks/{module}.py defines no CHECKS")
    return tuple(checks)


def data_files(assignment_id: str) -> dict[str, str]:
    """The data files an assignment ships (name -> content), as its entry declares them."""
    a = assignment(assignment_id)
    if not a.data_files:
        return {}
    makers = getattr(importlib.import_module(f"{__name__}.{a.module}"), "DATA_FILES", {})
    missing = [name for name in a.data_files if name not in makers]
    if missing:
        raise RegistryError(
            f"{a.id} ships {', '.join(missing)}, but graders/checks/{a.module}.py's DATA_FILES "
            "does not make it"
        )
    return {name: makers[name]() for name in a.data_files}


def checks_for(assignment_id: str) -> tuple[Check, ...]:
    """All checks of an assignment, public first, in a fixed order."""
    checks = public_checks(assignment_id) + hidden_checks(assignment_id)
    ids = [c.id for c in checks]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"{assignment_id}: check ids used twice: {duplicates}")
    unknown = sorted({c.protocol for c in checks if c.rule is None} - set(PROTOCOLS))
    if unknown:
        module = assignment(assignment_id).module
        raise RegistryError(
            f"{assignment_id}: no protocol named {', '.join(unknown)} (expected in "
            f"exercises/selfcheck/protocols/core.py or protocols/{module}.py)"
        )
    return checks
