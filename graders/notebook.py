"""The nbgrader front door: what a hidden grade cell calls.

`grade("05_loss", "mean_squared_error")` grades the notebook file the cell belongs to (the
one in the kernel's working directory) with the kit's grader, in separate processes, and
shows the checks of that function. Its value is the points earned, which nbgrader takes as
the cell's partial credit. The whole notebook is graded once per kernel; later cells reuse
the result.

During `nbgrader autograde` with the kit's configuration, the kernel is the student's and
cannot be trusted: there the cell only says so, and `graders.instructor.autograde` writes
the contained grader's outcome into every check cell after the kernel has run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from selfcheck.assignments import assignment

# Set by the kit's nbgrader_config.py together with the preprocessor that grades the cells.
OUTSIDE_KERNEL = "GRADERS_CELLS_GRADED_OUTSIDE"

_results: dict[tuple[str, float], dict] = {}


def grade(assignment_id: str, function: str) -> float:
    """Grade `function` of the notebook of `assignment_id` in the current folder; print
    its checks and return the points earned."""
    if os.environ.get("NBGRADER_EXECUTION") == "autograde" and os.environ.get(OUTSIDE_KERNEL) == "1":
        print("graded outside this kernel: the autograder replaces this output")
        return 0.0
    path = Path.cwd() / assignment(assignment_id).notebook
    if not path.exists():
        raise FileNotFoundError(f"{path.name} is not in the kernel's working directory {Path.cwd()}")
    text, score = cell_outcome(_report(path), assignment_id, function, "hidden")
    print(text)
    return score


def cell_outcome(report: dict, assignment_id: str, function: str, visibility: str) -> tuple[str, float]:
    """What a check cell shows for `function`'s checks of one visibility, and the points
    they earned, from a grading report in its JSON form."""
    entry = next((a for a in report["assignments"] if a["id"] == assignment_id), None)
    if entry is None:
        raise RuntimeError(f"the grader did not grade {assignment_id}")
    checks = [c for c in entry["checks"] if c["function"] == function and c["visibility"] == visibility]
    if not checks:
        raise LookupError(f"{assignment_id} has no {visibility} check of {function!r}")
    lines = []
    for check in checks:
        mark = "passed" if check["status"] == "passed" else check["status"].upper()
        lines.append(f"{check['id']}: {mark} ({check['score']:g}/{check['max_score']:g}) - {check['description']}")
        if check["status"] != "passed":
            lines.append(f"    {check['message']}")
    return "\n".join(lines), round(sum(c["score"] for c in checks), 6)


def _report(path: Path) -> dict:
    key = (str(path), path.stat().st_mtime)
    if key not in _results:
        with tempfile.TemporaryDirectory(prefix="graders-cell-") as folder:
            out = Path(folder) / "result.json"
            env = {k: v for k, v in os.environ.items() if not k.startswith("NBGRADER")}
            done = subprocess.run(
                [sys.executable, "-m", "graders", "grade", str(path), "--json", str(out), "--quiet"],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
            )
            if done.returncode != 0 or not out.exists():
                tail = done.stdout.decode("utf-8", "replace")[-1500:]
                raise RuntimeError(f"the grader failed (exit status {done.returncode}):\n{tail}")
            _results[key] = json.loads(out.read_text())
    return _results[key]
