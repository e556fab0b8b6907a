"""Everything derived from the source notebooks, rebuilt by one command.

source/<id>/<module>.ipynb is the single source of truth of an assignment. From it:
- solutions/<module>.py: the reference module (the cells tagged "module", solution
  markers removed);
- exercises/<module>.py: the student stub (the same cells with every solution region
  replaced by nbgrader's own ClearSolutions stub, exactly as in the release notebook);
- exercises/test_<module>.py: the students' pytest file for the public checks;
- the data files an assignment declares (04_data's admissions.csv) in exercises/;
- the test cells of every graded function in the source notebook (their code and points
  come from the check registry).
Those are tracked, and `python -m graders build --check` (a test runs it) fails when one is
out of date. Not tracked, because nbgrader needs them only when it runs: the release files
next to each notebook, a copy of exercises/selfcheck (so nbgrader releases the public checks
with the notebook) and the data files. `write_release_files` writes them; the build, the
kit's nbgrader_config.py and everything that prepares a course call it.
"""

from __future__ import annotations

import copy
import filecmp
import shutil
import sys
from pathlib import Path

import nbformat
from nbgrader.preprocessors import ClearSolutions

from graders.checks import checks_for, data_files
from graders.paths import ROOT, SELFCHECK
from selfcheck.assignments import ASSIGNMENTS, BY_ID, Assignment

MODULE_TAG = "module"
COPY_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis")

PUBLIC_CELL = """# Public checks: the same ones `pytest` runs in the student folder.
from selfcheck import check
check("{assignment}", "{function}", {function})"""

HIDDEN_CELL = """# Hidden checks run here when your notebook is graded.
### BEGIN HIDDEN TESTS
from selfcheck.graded import grade
grade("{assignment}", "{function}", grader="graders")
### END HIDDEN TESTS"""

TEST_FILE = '''"""Public checks of {script}: run `pytest` in this folder.

The grader runs these same checks, and hidden ones that compare your functions with the
reference solution on many more inputs.
"""

import pytest

import {module}
from selfcheck import public_checks, run_public_check


@pytest.mark.parametrize("check", public_checks("{assignment}"), ids=lambda check: check.id)
def test_public(check):
    run_public_check(check, getattr({module}, check.function, None))
'''


class BuildError(Exception):
    """A source notebook breaks the conventions the build relies on."""


def assignments_with_sources(root: Path = ROOT, only: str | None = None) -> list[Assignment]:
    """The assignments that have a source notebook (just `only`, if given). A folder of
    source/ that no entry of selfcheck/assignments.py names is an error, not skipped."""
    unknown = sorted(
        p.name
        for p in (root / "source").iterdir()
        if p.is_dir() and p.name not in BY_ID and not p.name.startswith((".", "_"))
    )
    if unknown:
        raise BuildError(
            f"source/{unknown[0]}/ has no entry in exercises/selfcheck/assignments.py (ASSIGNMENTS)"
        )
    if only is not None and only not in BY_ID:
        raise BuildError(f"no assignment {only!r} in exercises/selfcheck/assignments.py")
    return [a for a in ASSIGNMENTS if notebook_path(a, root).exists() and only in (None, a.id)]


def notebook_path(a: Assignment, root: Path = ROOT) -> Path:
    return root / "source" / a.id / a.notebook


def graded_functions(a: Assignment) -> list[str]:
    """The graded functions of an assignment, in the order of their checks."""
    return list(dict.fromkeys(c.function for c in checks_for(a.id)))


def updated_notebook(a: Assignment, root: Path = ROOT) -> nbformat.NotebookNode:
    """The source notebook with its test cells' code and points set from the registry."""
    notebook = nbformat.read(notebook_path(a, root), as_version=4)
    cells = {(c.metadata.get("nbgrader") or {}).get("grade_id"): c for c in notebook.cells}
    checks = checks_for(a.id)
    for function in graded_functions(a):
        if function not in cells:
            raise BuildError(f"{a.id}/{a.notebook}: no solution cell with grade_id {function!r}")
        for visibility, template in (("public", PUBLIC_CELL), ("hidden", HIDDEN_CELL)):
            grade_id = f"{function}_{visibility}"
            cell = cells.get(grade_id)
            if cell is None:
                raise BuildError(f"{a.id}/{a.notebook}: no test cell with grade_id {grade_id!r}")
            points = sum(c.points for c in checks if c.function == function and c.visibility == visibility)
            cell.source = template.format(assignment=a.id, function=function)
            cell.metadata["nbgrader"].update(
                {"grade": True, "solution": False, "locked": True, "points": points, "schema_version": 3}
            )
    return notebook


def module_text(a: Assignment, notebook: nbformat.NotebookNode, student: bool) -> str:
    """The module made of the notebook's "module" cells: reference or stub."""
    clear = ClearSolutions()
    parts = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or MODULE_TAG not in cell.metadata.get("tags", []):
            continue
        cell = copy.deepcopy(cell)
        if student:
            clear.preprocess_cell(cell, {"language": "python"}, index)
        else:
            cell.source = "\n".join(line for line in cell.source.split("\n") if not _is_marker(line))
        parts.append(cell.source.strip("\n"))
    if student:  # students see this file: it names their notebook and their test, nothing of the graders
        header = (
            f'"""Student exercise for {a.id}: {a.title}.\n\n'
            f"The same exercises as the notebook {a.notebook}. Write each body marked YOUR CODE HERE,\n"
            f'then check your work with `pytest test_{a.module}.py`.\n"""\n\n'
        )
    else:
        header = (
            f'"""Reference solution for {a.id}: {a.title}.\n\n'
            f"Generated from source/{a.id}/{a.notebook} by `python -m graders build`: edit the\n"
            f'notebook, not this file.\n"""\n\n'
        )
    return header + "\n\n\n".join(parts) + "\n"


def _is_marker(line: str) -> bool:
    return line.strip() in ("### BEGIN SOLUTION", "### END SOLUTION")


def expected_files(root: Path = ROOT, only: str | None = None) -> dict[Path, str]:
    """Every generated text file and its content."""
    files: dict[Path, str] = {}
    for a in assignments_with_sources(root, only):
        notebook = updated_notebook(a, root)
        files[notebook_path(a, root)] = nbformat.writes(notebook) + "\n"
        files[root / "solutions" / a.script] = module_text(a, notebook, student=False)
        files[root / "exercises" / a.script] = module_text(a, notebook, student=True)
        files[root / "exercises" / f"test_{a.module}.py"] = TEST_FILE.format(
            script=a.script, module=a.module, assignment=a.id
        )
        for name, text in data_files(a.id).items():  # the student folder's copy, tracked
            files[root / "exercises" / name] = text
    return files


def write_release_files(course: Path, only: str | None = None) -> list[Path]:
    """Next to every source notebook of `course` (the kit itself or a course folder holding
    its source/), what nbgrader releases with it and the repository does not track: a copy
    of the public selfcheck package and the assignment's data files. Returns what changed."""
    written = []
    for a in assignments_with_sources(course, only):
        folder = course / "source" / a.id
        copy_dir = folder / "selfcheck"
        if not copy_dir.exists() or _differs(SELFCHECK, copy_dir):
            shutil.rmtree(copy_dir, ignore_errors=True)
            shutil.copytree(SELFCHECK, copy_dir, ignore=COPY_IGNORE)
            written.append(copy_dir)
        for name, text in data_files(a.id).items():
            path = folder / name
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
                written.append(path)
    return written


def out_of_date(root: Path = ROOT) -> list[str]:
    """The tracked generated paths whose content differs from what the build would write."""
    return [
        str(p.relative_to(root))
        for p, text in expected_files(root).items()
        if not p.exists() or p.read_text(encoding="utf-8") != text
    ]


def _differs(left: Path, right: Path) -> bool:
    comparison = filecmp.dircmp(left, right, ignore=["__pycache__"])
    if comparison.left_only or comparison.right_only or comparison.funny_files:
        return True
    _, mismatch, errors = filecmp.cmpfiles(left, right, comparison.common_files, shallow=False)
    return bool(mismatch or errors) or any(
        _differs(left / name, right / name) for name in comparison.common_dirs
    )


def build(check_only: bool = False, root: Path = ROOT, only: str | None = None) -> int:
    """Write every generated file (or, with check_only, list the stale ones)."""
    if check_only:
        stale = out_of_date(root)
        for path in stale:
            print(f"out of date: {path}", file=sys.stderr)
        if stale:
            print("run `python -m graders build` and commit the result", file=sys.stderr)
        return 1 if stale else 0
    for path, text in expected_files(root, only).items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(root)}")
    for path in write_release_files(root, only):
        print(f"wrote {path.relative_to(root)} (not tracked: nbgrader's release files)")
    return 0


def write_student_folder(out: Path) -> None:
    """The students' folder: stubs, public checks (pytest files and selfcheck), data."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} exists and is not empty")
    stale = out_of_date()
    if stale:
        raise BuildError(
            f"generated files are out of date ({', '.join(stale)}): run `python -m graders build`"
        )
    shutil.copytree(ROOT / "exercises", out, ignore=COPY_IGNORE, dirs_exist_ok=True)
