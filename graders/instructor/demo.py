"""The kit's main job, end to end (`./kit demo`).

1. Check that every generated file is current, and write the student folder.
2. In a fresh course folder (build/demo/), run the real nbgrader workflow with the shipped
   nbgrader_config.py: generate_assignment, the sample class's submissions, autograde,
   generate_feedback (each once, for every assignment: `nbgrader autograde "*"`) and export
   (a CSV of grades, from the SQLite gradebook).
3. Grade the same submissions with the kit's grader.
4. Print each student's scores from both side by side; exit 1 if they disagree anywhere.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from graders.engine import run_then_exit
from graders.instructor.build import (
    ROOT,
    BuildError,
    assignments_with_sources,
    write_release_files,
    write_student_folder,
)
from graders.instructor.samples import CLASS, write_class


@dataclass
class Row:
    student: str
    assignment: str
    story: str
    nbgrader: float | None
    kit: float | None
    max_score: float


def nbgrader(course: Path, *args: str) -> None:
    """Run one nbgrader command in the course folder; raise if it fails."""
    bin_dir = Path(sys.executable).parent
    # nbgrader runs `alembic` from PATH: it must be this environment's.
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        [str(bin_dir / "nbgrader"), *args],
        cwd=course,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"`nbgrader {' '.join(args)}` failed:\n{done.stdout[-3000:]}")


def prepare_course(course: Path) -> None:
    """A fresh course folder holding the kit's source notebooks, their release files and
    nbgrader_config.py."""
    shutil.rmtree(course, ignore_errors=True)
    course.mkdir(parents=True)
    shutil.copytree(
        ROOT / "source", course / "source", ignore=shutil.ignore_patterns("__pycache__", "selfcheck")
    )
    shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    write_release_files(course)


def nbgrader_scores(course: Path) -> dict[tuple[str, str], float]:
    """(student, assignment) -> score, from the CSV that `nbgrader export` wrote."""
    with open(course / "grades.csv", newline="") as handle:
        return {
            (row["student_id"], row["assignment"]): float(row["raw_score"]) for row in csv.DictReader(handle)
        }


def kit_scores(course: Path) -> tuple[dict[tuple[str, str], float], dict[str, float]]:
    """(student, assignment) -> score and assignment -> max score, from the kit's batch grader
    (results in course/kit-results/)."""
    from graders.engine import grade_class, write_class_csv

    out = course / "kit-results"
    grade_class(course / "submitted", out)
    scores, maxima = {}, {}
    for row in write_class_csv(out):
        scores[(row["student"], row["assignment"])] = float(row["score"])
        maxima[row["assignment"]] = float(row["max_score"])
    return scores, maxima


def run(course: Path, student_folder: Path) -> list[Row]:
    shutil.rmtree(student_folder, ignore_errors=True)
    try:
        write_student_folder(student_folder)  # refuses when a generated file is out of date
    except BuildError as error:
        raise SystemExit(f"{error}; run ./kit build") from None
    print(f"student folder: {student_folder}")

    prepare_course(course)
    ids = [a.id for a in assignments_with_sources()]
    step = time.perf_counter()
    # one nbgrader run per step for every assignment (nbgrader reads the id as a pattern):
    # autograde then starts its contained kernels' server and the kit's grader once
    nbgrader(course, "generate_assignment", "*", "--force")
    submitted = write_class(course)
    print(
        f"nbgrader: released {', '.join(ids)}; {len(submitted)} sample submissions; autograding...",
        flush=True,
    )
    nbgrader(course, "autograde", "*", "--force")
    nbgrader(course, "generate_feedback", "*", "--force")
    nbgrader(course, "export", "--to", "grades.csv")
    print(
        f"nbgrader: autograde, generate_feedback and export took {time.perf_counter() - step:.0f} s",
        flush=True,
    )

    step = time.perf_counter()
    kit, maxima = kit_scores(course)
    print(
        f"kit grader (python -m graders batch): {len(submitted)} submissions graded in "
        f"{time.perf_counter() - step:.0f} s",
        flush=True,
    )
    theirs = nbgrader_scores(course)
    stories = {(s.id, a): w.story for s in CLASS for a, w in s.work.items()}
    return [
        Row(
            student,
            a,
            stories.get((student, a), ""),
            theirs.get((student, a)),
            kit.get((student, a)),
            maxima.get(a, 0.0),
        )
        for student, a in submitted
    ]


def table(rows: list[Row]) -> str:
    def num(x: float | None) -> str:
        return "-" if x is None else f"{x:g}"

    lines = [
        f"{'student':8} {'assignment':20} {'nbgrader':>8} {'kit':>6} {'max':>5}  {'':5} sample",
        "-" * 80,
    ]
    for r in rows:
        agree = "" if r.nbgrader == r.kit else "DIFF"
        lines.append(
            f"{r.student:8} {r.assignment:20} {num(r.nbgrader):>8} {num(r.kit):>6} {num(r.max_score):>5}"
            f"  {agree:5} {r.story}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./kit demo", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--course", type=Path, default=ROOT / "build" / "demo", help="course folder to (re)create"
    )
    parser.add_argument(
        "--students-out",
        type=Path,
        default=ROOT / "build" / "student",
        help="where to write the student folder",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows = run(args.course.resolve(), args.students_out.resolve())
    print()
    print(table(rows))
    disagreements = [r for r in rows if r.nbgrader != r.kit]
    print()
    print(
        f"{len(rows)} submissions; both graders agree on {len(rows) - len(disagreements)}; "
        f"feedback in {args.course / 'feedback'}; grades in {args.course / 'grades.csv'}; "
        f"{time.perf_counter() - started:.0f} s in all"
    )
    return 1 if disagreements else 0


if __name__ == "__main__":
    run_then_exit(main)
