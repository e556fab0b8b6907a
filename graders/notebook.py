"""The nbgrader front door: what a hidden grade cell calls.

`grade("05_loss", "mean_squared_error")` grades the notebook file the cell belongs to (the
one nbgrader is autograding, in the kernel's working directory) with the kit's grader, in
separate processes, and shows the checks of that function. Its value is the points earned,
which nbgrader takes as the cell's partial credit. The whole notebook is graded once per
kernel; later cells reuse the result.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from selfcheck.assignments import assignment

_results: dict[tuple[str, float], dict] = {}


def grade(assignment_id: str, function: str) -> float:
    """Grade `function` of the notebook of `assignment_id` in the current folder; print
    its checks and return the points earned."""
    path = Path.cwd() / assignment(assignment_id).notebook
    if not path.exists():
        raise FileNotFoundError(f"{path.name} is not in the kernel's working directory {Path.cwd()}")
    report = _report(path)
    entry = next((a for a in report["assignments"] if a["id"] == assignment_id), None)
    if entry is None:
        raise RuntimeError(f"the grader did not grade {assignment_id}")
    checks = [c for c in entry["checks"] if c["function"] == function and c["visibility"] == "hidden"]
    if not checks:
        raise LookupError(f"{assignment_id} has no hidden check of {function!r}")
    for check in checks:
        mark = "passed" if check["status"] == "passed" else check["status"].upper()
        print(f"{check['id']}: {mark} ({check['score']:g}/{check['max_score']:g}) - {check['description']}")
        if check["status"] != "passed":
            print(f"    {check['message']}")
    return round(sum(c["score"] for c in checks), 6)


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
