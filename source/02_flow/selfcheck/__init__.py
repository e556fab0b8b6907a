"""Self-checks for the "Hello, TensorFlow" exercises.

Students run them from a notebook cell (``check("05_loss", "predict", predict)``) or with
``pytest`` in their exercise folder; the grader runs the very same public checks, plus
hidden ones, against every submission.
"""

from .local import check, run_public_check
from .public import public_checks

__all__ = ["check", "public_checks", "run_public_check"]
