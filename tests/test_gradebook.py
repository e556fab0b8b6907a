"""Tampering inside the student's kernel changes no score: nbgrader's autograde takes the
check cells' outcomes from the contained grader, not from the kernel; and the kit's batch
results, written into the gradebook, give the same export."""

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import run_kit

pytestmark = pytest.mark.slow

# mallory hands in the untouched release with one extra cell that patches both kinds of check
TAMPER = """import selfcheck, selfcheck.graded
selfcheck.graded.grade = lambda assignment_id, function, grader: 1.0   # every hidden cell earns a point
selfcheck.check = lambda *args: print("passed")                 # every public cell passes
"""


def _nbgrader(course, *args):
    bin_dir = Path(sys.executable).parent
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin"}
    done = subprocess.run(
        [str(bin_dir / "nbgrader"), *args],
        cwd=course,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert done.returncode == 0, done.stdout[-3000:]


def _export(course, name):
    _nbgrader(course, "export", "--to", name)
    return {
        r["student_id"]: float(r["raw_score"])
        for r in csv.DictReader(open(course / name))
        if r["assignment"] == "05_loss"
    }


def test_kernel_tampering_changes_no_score(demo_run, tmp_path):
    _, demo_course, _ = demo_run
    course = tmp_path / "course"
    shutil.copytree(
        demo_course,
        course,
        ignore=shutil.ignore_patterns("submitted", "autograded", "feedback", "kit-results"),
    )
    notebook = nbformat.read(course / "release" / "05_loss" / "loss.ipynb", as_version=4)
    notebook.cells.insert(2, nbformat.v4.new_code_cell(TAMPER))
    folder = course / "submitted" / "mallory" / "05_loss"
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / "loss.ipynb")
    _nbgrader(course, "autograde", "05_loss", "--student", "mallory", "--force")

    graded = nbformat.read(course / "autograded" / "mallory" / "05_loss" / "loss.ipynb", as_version=4)
    shown = "".join(o.get("text", "") for cell in graded.cells for o in cell.get("outputs", []))
    assert "predict.values: ERROR (0/" in shown  # the grader's outcome, not the patched function's
    autograded = _export(course, "autograded.csv")
    assert autograded["mallory"] == 0
    assert autograded["ada"] == 21  # the honest students keep their scores (05_loss: 21 points)

    out = tmp_path / "kit"
    assert run_kit("batch", str(course / "submitted"), "--out", str(out)).returncode == 0
    done = run_kit("gradebook", str(out), "--db", f"sqlite:///{course / 'gradebook.db'}")
    assert done.returncode == 0, done.stderr
    assert _export(course, "from_batch.csv") == autograded
