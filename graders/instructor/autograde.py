"""`nbgrader autograde` with the kit's check cells graded outside the student's kernel.

nbgrader scores a grade cell by the outputs the student's kernel gave it, and code run
earlier in that kernel can patch the check functions and forge those outputs. This
preprocessor runs after nbgrader's Execute: it grades the notebook's code with the
contained grader (one grader and fork server for the whole autograde run) and replaces the
outputs of every check cell the kit wrote, public `check(...)` and hidden `grade(...)`, so
that SaveAutoGrades sees only the grader's outcome. The kit's nbgrader_config.py puts it in
place; grade cells of other forms keep what the kernel printed.

The grader needs only the notebook's code, known before the kernel runs it: `start_grading`
(called by the kit's Execute step as the kernel starts) grades it in a background thread
meanwhile, and this step takes that result when the code is still the same.
"""

from __future__ import annotations

import atexit
import copy
import hashlib
import re
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Float

from graders.engine import Source, copy_submission_files
from selfcheck.assignments import assignment
from selfcheck.graded import cell_outcome

# The calls build.py writes into check cells: check("05_loss", "predict", predict) and
# grade("05_loss", "predict", grader="graders").
CHECK_CALL = re.compile(
    r'^(?P<kind>check|grade)\("(?P<assignment>\w+)", "(?P<function>\w+)"'
    r'(, (?P=function))?(, grader="[\w.]+")?\)\s*$',
    re.M,
)
VISIBILITY = {"check": "public", "grade": "hidden"}

_grader = None
_grader_lock = threading.Lock()
_background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="graders-autograde")
_started: dict[tuple[str, str, str], Future] = {}  # (folder, assignment id, code digest) -> report


def shared_grader():
    """The grader of this process, started on first use and closed at exit."""
    global _grader
    with _grader_lock:
        if _grader is None:
            from graders.engine import Grader

            # the machine's shared memory, a way between submissions, is covered too
            _grader = Grader(hidden=[Path("/dev/shm")])
            atexit.register(_grader.close)
        return _grader


def start_grading(nb: nbformat.NotebookNode, resources: dict, timeout: float | None = None) -> None:
    """Begin grading the notebook's code for its kit check cells, in the background."""
    folder = resources.get("metadata", {}).get("path")
    for assignment_id in sorted({call["assignment"] for cell in nb.cells if (call := check_call(cell))}):
        key = (str(folder), assignment_id, _code_digest(nb))
        if key not in _started:
            _started[key] = _background.submit(_grade, copy.deepcopy(nb), assignment_id, folder, timeout)


def _graded(
    nb: nbformat.NotebookNode, assignment_id: str, folder: str | None, timeout: float | None
) -> dict[str, Any]:
    """The report of the grading `start_grading` began for this very code, or a new one."""
    started = _started.pop((str(folder), assignment_id, _code_digest(nb)), None)
    if started is not None:
        return started.result()
    return _grade(nb, assignment_id, folder, timeout)


def _grade(
    nb: nbformat.NotebookNode, assignment_id: str, folder: str | None, timeout: float | None
) -> dict[str, Any]:
    where = Path(folder) if folder else None
    if timeout is None:
        return grade_notebook(nb, assignment_id, where)
    return grade_notebook(nb, assignment_id, where, timeout=timeout)


def _code_digest(nb: nbformat.NotebookNode) -> str:
    code = "\0".join(cell.source for cell in nb.cells if cell.cell_type == "code")
    return hashlib.sha256(code.encode()).hexdigest()


def check_call(cell: nbformat.NotebookNode) -> dict[str, str] | None:
    """The kit's check call in a grade cell (not a solution cell), if it has one."""
    meta = cell.metadata.get("nbgrader", {})
    if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
        return None
    found = CHECK_CALL.search(cell.source)
    return found.groupdict() if found else None


def grade_notebook(
    nb: nbformat.NotebookNode, assignment_id: str, folder: Path | None, timeout: float | None = None
) -> dict[str, Any]:
    """Grade the code of `nb` as a submission of `assignment_id`, together with the other
    files of its folder (within `timeout` seconds, by default the checks' own limits); the
    report in its JSON form."""
    from graders.engine import GradeReport

    a = assignment(assignment_id)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="graders-autograde-") as work:
        submission = Path(work) / "submission"
        if folder is not None and folder.is_dir():
            copy_submission_files(folder, submission)  # its notebook is replaced below
        else:
            submission.mkdir()
        code_only = copy.deepcopy(nb)
        for cell in code_only.cells:
            if cell.cell_type == "code":
                cell.outputs = []
        path = submission / a.notebook
        nbformat.write(code_only, path)
        grader = shared_grader()
        results = grader.grade([Source(a, path)], timeout)
        return GradeReport(grader.environment(), results, time.perf_counter() - started).to_json()


class ContainedGrades(NbGraderPreprocessor):
    """Replace the outputs of the kit's check cells with the contained grader's outcome."""

    timeout = Float(
        None,
        allow_none=True,
        config=True,
        help="seconds the grader may spend on one notebook (default: from its checks' limits)",
    )

    def preprocess(self, nb: nbformat.NotebookNode, resources: dict) -> tuple[nbformat.NotebookNode, dict]:
        calls = [(cell, call) for cell in nb.cells if (call := check_call(cell))]
        if not calls:
            return nb, resources
        folder = resources.get("metadata", {}).get("path")
        reports: dict[str, dict | Exception] = {}
        for assignment_id in sorted({call["assignment"] for _, call in calls}):
            try:
                reports[assignment_id] = _graded(nb, assignment_id, folder, self.timeout)
            except Exception as error:  # one notebook's failure must not stop the autograde run
                self.log.error("the kit's grader failed on %s: %s", assignment_id, error)
                reports[assignment_id] = error
        for cell, call in calls:
            report = reports[call["assignment"]]
            try:
                if isinstance(report, Exception):
                    raise RuntimeError(f"the kit's grader failed: {type(report).__name__}: {report}")
                text, score = cell_outcome(
                    report, call["assignment"], call["function"], VISIBILITY[call["kind"]]
                )
            except Exception as error:
                # an error output is what gives the cell no points: without any output,
                # nbgrader would give it all of them
                cell.outputs = [
                    nbformat.v4.new_output(
                        "error", ename=type(error).__name__, evalue=str(error), traceback=[str(error)]
                    )
                ]
            else:
                cell.outputs = [
                    nbformat.v4.new_output("stream", name="stdout", text=text + "\n"),
                    nbformat.v4.new_output(
                        "execute_result",
                        data={"text/plain": repr(score)},
                        execution_count=cell.get("execution_count"),
                    ),
                ]
        return nb, resources
