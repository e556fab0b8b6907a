"""What run_autograder runs in the Gradescope container: grade /autograder/submission with
the kit, write /autograder/results/results.json. Always writes one: a submission that cannot
be graded (nothing to grade, a grader failure, the time limit) gets score 0 and a clear output.

`python -P -m graders.instructor.gradescope.run` (as run_autograder calls it, with the kit
on PYTHONPATH); GRADERS_AUTOGRADER_ROOT moves /autograder.
"""

from __future__ import annotations

import json
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from graders.engine import AssignmentResult, CheckResult, NothingToGrade, Source, find_sources, run_then_exit
from graders.instructor.gradescope import permissions, results, stored
from graders.instructor.gradescope.layout import MANIFEST, STORED, Layout
from selfcheck.assignments import assignment

RESERVE_SECONDS = 120  # of the time limit: start-up (TensorFlow's import at 0.5 CPU), judging, writing
GRADER_FAILED = (
    "The autograder could not grade this submission: a problem of the autograder, not of your "
    "code. Your instructor can see the details. Resubmitting will not help until it is fixed."
)
OUT_OF_TIME = (
    "Grading was stopped at the autograder's time limit before it finished, so nothing was "
    "scored. Look for code that runs for a long time (an endless loop, a very large input) and "
    "submit again."
)


class Stopped(BaseException):
    """run_autograder's time limit ended grading (SIGTERM)."""


def main() -> int:
    started = time.perf_counter()
    layout = Layout.from_environment()
    signal.signal(signal.SIGTERM, _stop)
    try:
        content = grade_submission(layout, started)
    except Stopped:
        content = results.failure(OUT_OF_TIME, time.perf_counter() - started)
    except BaseException:  # whatever happened, Gradescope gets a results.json
        traceback.print_exc(file=sys.stdout)
        content = results.failure(GRADER_FAILED, time.perf_counter() - started)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    results.write(layout.results_file, content)
    print(
        f"results.json written: score {content['score']:g}, {len(content['tests'])} tests, "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return 0


def _stop(signum: int, frame: Any) -> None:
    raise Stopped()


def grade_submission(layout: Layout, started: float) -> dict[str, Any]:
    manifest = json.loads((layout.kit / MANIFEST).read_text())
    ids: list[str] = manifest["assignments"]
    locked = permissions.lock_down(layout)
    print(f"other users' permissions removed under source/, results/, submission/: {locked}", flush=True)
    sources, remarks = chosen_sources(layout.submission, ids)
    graded: dict[str, AssignmentResult] = {}
    environment: dict[str, Any] = {}
    saved = [stored.load(layout.kit / STORED, assignment_id) for assignment_id in ids]
    if sources:
        budget = manifest["time_limit_seconds"] - RESERVE_SECONDS
        timeout = max(30.0, budget / len(sources))
        with stored.StoredGrader(saved, hidden=[layout.results, layout.submission]) as grader:
            for result in grader.grade(sources, timeout):
                graded[result.id] = result
            environment = grader.environment()
    plans = {s.assignment: s.plans for s in saved}
    ordered = [graded.get(a) or not_submitted(a, [p.check for p in plans[a]]) for a in ids]
    for result in ordered:
        for note in results.grader_notes(result):
            print(f"{result.id}: {note}", flush=True)
    bundle = {key: manifest[key] for key in ("assignments", "base_seed", "built_with") if key in manifest}
    return results.document(ordered, environment, time.perf_counter() - started, bundle, remarks)


def chosen_sources(submission: Path, ids: list[str]) -> tuple[list[Source], list[str]]:
    """The submission's files of this bundle's assignments, and remarks on the others."""
    try:
        found = find_sources(submission)
    except NothingToGrade:
        found = []
    remarks = [
        f"Not graded here: {s.path.name} (this autograder grades {', '.join(ids)})"
        for s in found
        if s.assignment.id not in ids
    ]
    chosen = [s for s in found if s.assignment.id in ids]
    if not chosen:
        names = sorted(str(p.relative_to(submission)) for p in submission.rglob("*") if p.is_file())
        listed = ", ".join(names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "")
        remarks.append(
            f"Your submission holds: {listed or 'no files'}. File names must match exactly "
            "(e.g. loss.ipynb or loss.py), directly in the submission or one folder down."
        )
    return chosen, remarks


def not_submitted(assignment_id: str, checks: list) -> AssignmentResult:
    """An assignment the submission holds no file of: every check scores 0."""
    a = assignment(assignment_id)
    why = f"not submitted: the submission holds no {a.script} or {a.notebook}"
    result = AssignmentResult(id=assignment_id, source="", error=why)
    result.checks = [CheckResult.of(c, "error", why, {}) for c in checks]
    return result


if __name__ == "__main__":
    run_then_exit(main)
