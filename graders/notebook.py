"""The nbgrader front door, as the instructors' side sees it.

A hidden grade cell calls `selfcheck.graded.grade("05_loss", "mean_squared_error",
grader="graders")`: the public package, so that the cell runs where the grader cannot be
imported (the contained autograde kernel, a student's environment). That function grades the
notebook file with `python -m graders grade` in separate processes, or, during the kit's
`nbgrader autograde`, only says
that the cell is graded outside the kernel: `graders.instructor.autograde` writes the
contained grader's outcome into every check cell after the kernel has run, with
`cell_outcome`, and nbgrader_config.py sets `OUTSIDE_KERNEL`.
"""

from __future__ import annotations

from selfcheck import graded
from selfcheck.graded import OUTSIDE_KERNEL, cell_outcome

__all__ = ["GRADER", "OUTSIDE_KERNEL", "cell_outcome", "grade"]

GRADER = "graders"  # the module a hidden cell names: `python -m graders grade ...`


def grade(assignment_id: str, function: str) -> float:
    """`selfcheck.graded.grade` with this grader."""
    return graded.grade(assignment_id, function, grader=GRADER)
