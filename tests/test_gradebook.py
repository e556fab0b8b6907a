"""Tampering inside the student's kernel fools nbgrader's autograde, not the kit: the kit's
batch results, written into the gradebook, put the honest score back for export."""

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from conftest import run_kit

TAMPER = '''import graders.notebook
graders.notebook.grade = lambda assignment_id, function: 1.0  # every hidden cell earns a point
'''


def _nbgrader(course, *args):
    bin_dir = Path(sys.executable).parent
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin"}
    done = subprocess.run([str(bin_dir / "nbgrader"), *args], cwd=course, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert done.returncode == 0, done.stdout[-3000:]


def test_kernel_tampering_is_undone_by_the_gradebook_import(demo_run, tmp_path):
    _, demo_course, _ = demo_run
    course = tmp_path / "course"
    shutil.copytree(demo_course, course, ignore=shutil.ignore_patterns("submitted", "autograded", "feedback", "kit-results"))
    # mallory hands in the untouched release with one extra cell that patches the grade function
    notebook = nbformat.read(course / "release" / "05_loss" / "loss.ipynb", as_version=4)
    notebook.cells.insert(2, nbformat.v4.new_code_cell(TAMPER))
    folder = course / "submitted" / "mallory" / "05_loss"
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / "loss.ipynb")
    _nbgrader(course, "autograde", "05_loss", "--student", "mallory", "--force")
    _nbgrader(course, "export", "--to", "fooled.csv")
    fooled = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(open(course / "fooled.csv"))
              if r["assignment"] == "05_loss"}
    assert fooled["mallory"] > 0  # nbgrader believed the patched cells

    out = tmp_path / "kit"
    assert run_kit("batch", str(course / "submitted"), "--out", str(out)).returncode == 0
    done = run_kit("gradebook", str(out), "--db", f"sqlite:///{course / 'gradebook.db'}")
    assert done.returncode == 0, done.stderr
    _nbgrader(course, "export", "--to", "honest.csv")
    honest = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(open(course / "honest.csv"))
              if r["assignment"] == "05_loss"}
    assert honest["mallory"] == 0
    assert honest["ada"] == 21  # the honest students keep their scores (05_loss: 21 points)
