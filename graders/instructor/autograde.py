"""`nbgrader autograde` with the kit's check cells graded outside the student's kernel.

nbgrader scores a grade cell by the outputs the student's kernel gave it, and code run
earlier in that kernel can patch the check functions and forge those outputs. This
preprocessor runs after nbgrader's Execute: it grades the notebook's code with the
contained grader (one grader and fork server for the whole autograde run) and replaces the
outputs of every check cell the kit wrote, public `check(...)` and hidden `grade(...)`, so
that SaveAutoGrades sees only the grader's outcome. The kit's nbgrader_config.py puts it in
place; grade cells of other forms keep what the kernel printed.
"""

from __future__ import annotations

import atexit
import copy
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor

from graders.engine.sandbox import copy_submission_files
from graders.engine.sources import Source
from graders.notebook import cell_outcome
from selfcheck.assignments import assignment

# The calls build.py writes into check cells: check("05_loss", "predict", predict) and
# grade("05_loss", "predict").
CHECK_CALL = re.compile(
    r'^(?P<kind>check|grade)\("(?P<assignment>\w+)", "(?P<function>\w+)"(, (?P=function))?\)\s*$', re.M)
VISIBILITY = {"check": "public", "grade": "hidden"}

_grader = None


def shared_grader():
    """The grader of this process, started on first use and closed at exit."""
    global _grader
    if _grader is None:
        from graders.engine.grading import Grader

        _grader = Grader()
        atexit.register(_grader.close)
    return _grader


def check_call(cell: nbformat.NotebookNode) -> dict[str, str] | None:
    """The kit's check call in a grade cell (not a solution cell), if it has one."""
    meta = cell.metadata.get("nbgrader", {})
    if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
        return None
    found = CHECK_CALL.search(cell.source)
    return found.groupdict() if found else None


def grade_notebook(nb: nbformat.NotebookNode, assignment_id: str, folder: Path | None) -> dict[str, Any]:
    """Grade the code of `nb` as a submission of `assignment_id`, together with the other
    files of its folder; the report in its JSON form."""
    from graders.engine.report import GradeReport

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
        results = grader.grade([Source(a, path)])
        return GradeReport(grader.environment(), results, time.perf_counter() - started).to_json()


class ContainedGrades(NbGraderPreprocessor):
    """Replace the outputs of the kit's check cells with the contained grader's outcome."""

    def preprocess(self, nb: nbformat.NotebookNode, resources: dict) -> tuple[nbformat.NotebookNode, dict]:
        calls = [(cell, call) for cell in nb.cells if (call := check_call(cell))]
        if not calls:
            return nb, resources
        folder = resources.get("metadata", {}).get("path")
        reports: dict[str, dict | Exception] = {}
        for assignment_id in sorted({call["assignment"] for _, call in calls}):
            try:
                reports[assignment_id] = grade_notebook(nb, assignment_id, Path(folder) if folder else None)
            except Exception as error:  # one notebook's failure must not stop the autograde run
                self.log.error("the kit's grader failed on %s: %s", assignment_id, error)
                reports[assignment_id] = error
        for cell, call in calls:
            report = reports[call["assignment"]]
            try:
                if isinstance(report, Exception):
                    raise RuntimeError(f"the kit's grader failed: {type(report).__name__}: {report}")
                text, score = cell_outcome(report, call["assignment"], call["function"], VISIBILITY[call["kind"]])
            except Exception as error:
                # an error output is what gives the cell no points: without any output,
                # nbgrader would give it all of them
                cell.outputs = [nbformat.v4.new_output(
                    "error", ename=type(error).__name__, evalue=str(error), traceback=[str(error)])]
            else:
                cell.outputs = [
                    nbformat.v4.new_output("stream", name="stdout", text=text + "\n"),
                    nbformat.v4.new_output("execute_result", data={"text/plain": repr(score)},
                                           execution_count=cell.get("execution_count")),
                ]
        return nb, resources
