"""The reference solutions, loaded once per process from solutions/, and their results."""

from __future__ import annotations

import importlib.util
import types
from typing import Any

from graders.paths import SOLUTIONS
from selfcheck.assignments import assignment
from selfcheck.local import call_case
from selfcheck.model import Case, Check

_modules: dict[str, types.ModuleType] = {}


def reference_module(assignment_id: str) -> types.ModuleType:
    """The reference module of an assignment (solutions/<module>.py), imported once."""
    if assignment_id not in _modules:
        module_name = assignment(assignment_id).module
        path = SOLUTIONS / f"{module_name}.py"
        spec = importlib.util.spec_from_file_location(f"reference_{module_name}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _modules[assignment_id] = module
    return _modules[assignment_id]


def reference_result(check: Check, case: Case, device: str) -> Any:
    """What the reference produces for one case of a check on one device (or, for a check
    with `judge_data`, what its judge compares with)."""
    import tensorflow as tf

    with tf.device(device):
        if check.judge_data is not None:
            return check.judge_data(case)
        return call_case(check, getattr(reference_module(check.assignment), check.function), case)
