"""The kit's batch results written into nbgrader's gradebook give nbgrader's own export: the
main job's course, its every grade zeroed, then `python -m graders gradebook` from the batch
it ran, exports the same scores as `nbgrader autograde` did. (That kernel tampering changes
no score is tests/hostile_notebooks' tamper_with_checks.)"""

import csv
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_kit

pytestmark = pytest.mark.slow


def _export(course: Path, name: str) -> dict[tuple[str, str], float]:
    bin_dir = Path(sys.executable).parent
    done = subprocess.run(
        [str(bin_dir / "nbgrader"), "export", "--to", name],
        cwd=course,
        env={"PATH": f"{bin_dir}:/usr/bin:/bin"},
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    with open(course / name) as rows:
        return {(r["student_id"], r["assignment"]): float(r["raw_score"]) for r in csv.DictReader(rows)}


def test_batch_results_in_the_gradebook_give_nbgraders_export(demo_run, tmp_path):
    _, demo_course, _ = demo_run
    course = tmp_path / "course"
    shutil.copytree(demo_course, course, ignore=shutil.ignore_patterns("autograded", "feedback", "release"))
    nbgrader = _export(course, "nbgrader.csv")
    assert len(nbgrader) >= 36 and sum(nbgrader.values()) > 0  # every student, every assignment
    with sqlite3.connect(course / "gradebook.db") as db:
        db.execute("UPDATE grade SET auto_score = 0, manual_score = NULL")
    assert set(_export(course, "zeroed.csv").values()) == {0.0}

    done = run_kit("gradebook", str(course / "kit-results"), "--db", f"sqlite:///{course / 'gradebook.db'}")
    assert done.returncode == 0 and "wrote 36 graded submission(s)" in done.stdout, done.stdout + done.stderr
    assert _export(course, "from_batch.csv") == nbgrader
