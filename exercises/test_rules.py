"""Public checks of rules.py: run `pytest` in this folder.

The grader runs these same checks, and hidden ones that compare your functions with the
reference solution on many more inputs.
"""

import pytest

import rules
from selfcheck import public_checks, run_public_check


@pytest.mark.parametrize("check", public_checks("03_rules_vs_learning"), ids=lambda check: check.id)
def test_public(check):
    run_public_check(check, getattr(rules, check.function, None))
