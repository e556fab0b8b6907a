"""Public checks of flow.py: run `pytest` in this folder.

The grader runs these same checks, and hidden ones that compare your functions with the
reference solution on many more inputs.
"""

import pytest

import flow
from selfcheck import public_checks, run_public_check


@pytest.mark.parametrize("check", public_checks("02_flow"), ids=lambda check: check.id)
def test_public(check):
    run_public_check(check, getattr(flow, check.function, None))
