"""results.json as Gradescope specifies it, from the kit's results.

One test per check: a public check is `visible` at once, a hidden one `after_published`
(shown when the instructor publishes the grades). A test's output is the check's
description and the kit's message, which for hidden checks never holds a hidden input or an
expected value. The top-level output, visible at once, says only what the student may know
before publication: the public checks' total, files that could not be loaded, cells that
raised. The environment and the per-assignment totals go to `extra_data` (stored, not shown);
the grader's own failures go to standard output, which only the instructor sees.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from graders.engine import FAULT_NOTE, AssignmentResult, CheckResult

VISIBILITY = {"public": "visible", "hidden": "after_published"}
STATUS_WORDS = {"passed": "passed", "failed": "failed", "error": "error", "timeout": "timed out"}


def _num(x: float) -> str:
    return f"{x:g}"


def check_test(number: str, assignment_id: str, check: CheckResult) -> dict[str, Any]:
    """One Gradescope test for one check."""
    lines = [check.description, f"Result: {STATUS_WORDS.get(check.status, check.status)}"]
    if check.message:
        lines.append(check.message)
    return {
        "name": f"{assignment_id}: {check.id}",
        "number": number,
        "score": check.score,
        "max_score": check.max_score,
        "status": "passed" if check.status == "passed" else "failed",
        "output": "\n".join(lines),
        "visibility": VISIBILITY.get(check.visibility, "after_published"),
        "tags": [assignment_id, check.function, check.visibility],
    }


def student_notes(result: AssignmentResult) -> list[str]:
    return [n for n in result.notes if not n.startswith(FAULT_NOTE)]


def grader_notes(result: AssignmentResult) -> list[str]:
    return [n for n in result.notes if n.startswith(FAULT_NOTE)]


def summary(result: AssignmentResult) -> list[str]:
    """What the student may read at once about one assignment."""
    public = [c for c in result.checks if c.visibility == "public"]
    hidden = [c for c in result.checks if c.visibility != "public"]
    source = f" ({Path(result.source).name})" if result.source else ""
    hidden_points = _num(sum(c.max_score for c in hidden))
    lines = [
        f"{result.id}{source}: public checks {_num(sum(c.score for c in public))} / "
        f"{_num(sum(c.max_score for c in public))}; hidden checks ({hidden_points} points): "
        "shown when your instructor publishes the grades."
    ]
    if result.error:
        lines.append(f"  {result.error}")
    lines.extend(f"  note: {note}" for note in student_notes(result))
    return lines


def document(
    results: list[AssignmentResult],
    environment: dict[str, Any],
    seconds: float,
    bundle: dict[str, Any],
    remarks: list[str] = (),
) -> dict[str, Any]:
    """The whole results.json of one graded submission."""
    tests, lines = [], []
    for a_number, result in enumerate(results, start=1):
        lines.extend(summary(result))
        tests.extend(
            check_test(f"{a_number}.{c_number}", result.id, check)
            for c_number, check in enumerate(result.checks, start=1)
        )
    lines.extend(remarks)
    return {
        "score": round(sum(t["score"] for t in tests), 6),
        "execution_time": round(seconds),
        "output": "\n".join(lines),
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": {
            "environment": environment,
            "bundle": bundle,
            "assignments": [
                {
                    "id": r.id,
                    "source": Path(r.source).name if r.source else None,
                    "score": r.score,
                    "max_score": r.max_score,
                    "error": r.error,
                    "grader_problems": len(grader_notes(r)),
                }
                for r in results
            ],
        },
        "tests": tests,
    }


def failure(output: str, seconds: float, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """A results.json for a submission that could not be graded at all: score 0, and why."""
    return {
        "score": 0.0,
        "execution_time": round(seconds),
        "output": output,
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": extra or {},
        "tests": [],
    }


def write(path: Path, content: dict[str, Any]) -> None:
    """Write atomically: Gradescope never reads half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".results-", suffix=".json", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(content, out, indent=1)
        out.write("\n")
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)
