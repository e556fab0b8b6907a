"""What a notebook's hidden grade cells call: `grade("05_loss", "predict", grader=...)`.

The hidden checks are not in this package: they live with the kit's grader, which only
instructors have, and run in processes of their own. So `grade` imports nothing of the
grader; the hidden cell (never released to students) names its module:
- during the kit's `nbgrader autograde` (its contained kernel cannot even see the grader) it
  only says so: the autograder grades the notebook outside the kernel and writes the
  outcome into this cell;
- elsewhere (an instructor running a source notebook, `nbgrader validate`) it runs
  `python -m <grader> grade` on the notebook file, once per kernel and version of the file,
  prints this function's hidden checks and returns the points they earned (nbgrader's
  partial credit).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .assignments import assignment

# Set by the kit's nbgrader_config.py, which also puts in place the step that grades the
# check cells outside the kernel.
OUTSIDE_KERNEL = "GRADERS_CELLS_GRADED_OUTSIDE"

_reports: dict[tuple[str, float], dict] = {}


def grade(assignment_id: str, function: str, *, grader: str) -> float:
    """Grade `function` of the notebook of `assignment_id` in the current folder with the
    grader module `grader`; print its hidden checks and return the points earned."""
    if os.environ.get("NBGRADER_EXECUTION") == "autograde" and os.environ.get(OUTSIDE_KERNEL) == "1":
        print("graded outside this kernel: the autograder replaces this output")
        return 0.0
    path = Path.cwd() / assignment(assignment_id).notebook
    if not path.exists():
        raise FileNotFoundError(f"{path.name} is not in the kernel's working directory {Path.cwd()}")
    text, score = cell_outcome(_report(path, grader), assignment_id, function, "hidden")
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
        lines.append(
            f"{check['id']}: {mark} ({check['score']:g}/{check['max_score']:g}) - {check['description']}"
        )
        if check["status"] != "passed":
            lines.append(f"    {check['message']}")
    return "\n".join(lines), round(sum(c["score"] for c in checks), 6)


def _report(path: Path, grader: str) -> dict:
    key = (str(path), path.stat().st_mtime)
    if key not in _reports:
        with tempfile.TemporaryDirectory(prefix="kit-cell-") as folder:
            out = Path(folder) / "result.json"
            env = {k: v for k, v in os.environ.items() if not k.startswith("NBGRADER")}
            done = subprocess.run(
                [sys.executable, "-m", grader, "grade", str(path), "--json", str(out), "--quiet"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=env,
            )
            output = done.stdout.decode("utf-8", "replace")
            if f"No module named {grader}" in output:
                raise RuntimeError(
                    "the hidden checks run when your notebook is graded: the kit's grader "
                    "is not installed here"
                )
            if done.returncode != 0 or not out.exists():
                raise RuntimeError(f"the grader failed (exit status {done.returncode}):\n{output[-1500:]}")
            _reports[key] = json.loads(out.read_text())
    return _reports[key]
