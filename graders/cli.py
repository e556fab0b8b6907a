"""Command line: `python -m graders grade PATH [--json FILE]`, `python -m graders build`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graders", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    grade = commands.add_parser("grade", help="grade a module, a notebook, or a folder of them")
    grade.add_argument("path", type=Path, help="a <module>.py, a <module>.ipynb, or a folder holding them")
    grade.add_argument("--json", type=Path, metavar="FILE", help="also write the result as JSON to FILE")
    grade.add_argument("--seed", type=int, default=None, help="base seed of the hidden inputs")
    grade.add_argument("--quiet", action="store_true", help="print nothing (with --json)")

    batch = commands.add_parser("batch", help="grade a whole class, in parallel, resumable")
    batch.add_argument("submissions", type=Path, help="nbgrader's submitted/ folder, or a folder of student folders")
    batch.add_argument("--out", type=Path, required=True, help="folder for results/<student>/<id>.json and grades.csv")
    batch.add_argument("--workers", type=int, default=None, help="submissions graded at once (default: one per core)")
    batch.add_argument("--seed", type=int, default=None, help="base seed of the hidden inputs")

    book = commands.add_parser("gradebook", help="write batch results into nbgrader's gradebook")
    book.add_argument("results", type=Path, help="the --out folder of `batch`")
    book.add_argument("--db", default="sqlite:///gradebook.db", help="gradebook URL (default: nbgrader's)")
    book.add_argument("--course", default="hello-tensorflow", help="nbgrader course id")

    build = commands.add_parser("build", help="regenerate every artifact derived from source/")
    build.add_argument("--check", action="store_true", help="change nothing; exit 1 if anything is out of date")
    build.add_argument("--only", metavar="ID", help="rebuild one assignment only (e.g. 05_loss)")

    student = commands.add_parser("student-folder", help="write the students' folder (stubs, public checks, data)")
    student.add_argument("out", type=Path, help="folder to create (must not exist, or be empty)")

    args = parser.parse_args(argv)
    if args.command == "grade":
        return _grade(args)
    if args.command == "batch":
        return _batch(args)
    if args.command == "gradebook":
        from graders.instructor.gradebook import import_results

        count = import_results(args.results, args.db, args.course)
        print(f"wrote {count} graded submission(s) into {args.db}")
        return 0
    if args.command == "build":
        from graders.instructor.build import build as run_build

        return run_build(check_only=args.check, only=args.only)
    if args.command == "student-folder":
        from graders.instructor.build import write_student_folder

        write_student_folder(args.out)
        print(f"student folder written to {args.out}")
        return 0
    return 2


def _batch(args: argparse.Namespace) -> int:
    from graders.engine.batch import grade_class
    from graders.engine.grading import BASE_SEED
    from graders.engine.sources import NothingToGrade

    try:
        summary = grade_class(args.submissions, args.out, args.workers,
                              BASE_SEED if args.seed is None else args.seed)
    except NothingToGrade as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"graded {summary['graded']} submission(s) ({summary['already_graded']} already graded) of "
          f"{summary['students']} student(s) in {summary['seconds']:.1f} s; class table: {summary['csv']}")
    return 0


def _grade(args: argparse.Namespace) -> int:
    from graders.engine.grading import BASE_SEED, grade_path
    from graders.engine.sources import NothingToGrade

    try:
        report = grade_path(args.path, base_seed=BASE_SEED if args.seed is None else args.seed)
    except NothingToGrade as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        args.json.write_text(json.dumps(report.to_json(), indent=2) + "\n")
    if not args.quiet:
        print(report.summary())
    return 0
