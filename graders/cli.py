"""Command line: `python -m graders grade PATH [--json FILE]`, `python -m graders build`."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path


class Stopped(BaseException):
    """The process was asked to stop (SIGTERM, SIGHUP): unwind, so that every grader closes
    and ends the submissions it runs."""


def _stop(signum: int, frame: object) -> None:
    raise Stopped(signum)


def main(argv: list[str] | None = None) -> int:
    """Run one command; Ctrl-C and SIGTERM stop it promptly, ending every process it started
    and keeping every result already written."""
    import threading

    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, _stop)
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("interrupted: stopped grading; results already written are kept", file=sys.stderr)
        return 130
    except Stopped as stop:
        print(f"stopped by signal {stop.args[0]}: results already written are kept", file=sys.stderr)
        return 128 + int(stop.args[0])


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graders", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    grade = commands.add_parser("grade", help="grade a module, a notebook, or a folder of them")
    grade.add_argument("path", type=Path, help="a <module>.py, a <module>.ipynb, or a folder holding them")
    grade.add_argument("--json", type=Path, metavar="FILE", help="also write the result as JSON to FILE")
    grade.add_argument("--seed", type=int, default=None, help="base seed of the hidden inputs")
    grade.add_argument("--quiet", action="store_true", help="print nothing (with --json)")
    grade.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="wall-clock limit of each assignment's process (default: from its checks)",
    )

    batch = commands.add_parser("batch", help="grade a whole class, in parallel, resumable")
    batch.add_argument(
        "submissions", type=Path, help="nbgrader's submitted/ folder, or a folder of student folders"
    )
    batch.add_argument(
        "--out", type=Path, required=True, help="folder for results/<student>/<id>.json and grades.csv"
    )
    batch.add_argument(
        "--workers", type=int, default=None, help="submissions graded at once (default: one per core)"
    )
    batch.add_argument("--seed", type=int, default=None, help="base seed of the hidden inputs")
    batch.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="wall-clock limit of each (student, assignment) process (default: from its checks)",
    )
    batch.add_argument(
        "--isolate",
        choices=("assignment", "submission"),
        default="assignment",
        help="a process per (student, assignment), the default, or per student (for benchmarks: "
        "one module that ends its process then costs the student's other assignments)",
    )
    batch.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        default=None,
        help="grade on the workers of this Dask scheduler (default: on this machine)",
    )

    book = commands.add_parser("gradebook", help="write batch results into nbgrader's gradebook")
    book.add_argument("results", type=Path, help="the --out folder of `batch`")
    book.add_argument("--db", default="sqlite:///gradebook.db", help="gradebook URL (default: nbgrader's)")
    book.add_argument("--course", default="hello-tensorflow", help="nbgrader course id")

    build = commands.add_parser("build", help="regenerate every artifact derived from source/")
    build.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if anything is out of date"
    )
    build.add_argument("--only", metavar="ID", help="rebuild one assignment only (e.g. 05_loss)")

    student = commands.add_parser(
        "student-folder", help="write the students' folder (stubs, public checks, data)"
    )
    student.add_argument("out", type=Path, help="folder to create (must not exist, or be empty)")

    gradescope = commands.add_parser(
        "gradescope", help="write a Gradescope autograder zip for some assignments"
    )
    gradescope.add_argument(
        "ids", nargs="+", metavar="ID", help="assignment ids (e.g. 05_loss) or module names"
    )
    gradescope.add_argument(
        "--out", type=Path, default=Path("autograder.zip"), help="the zip (default: autograder.zip)"
    )
    gradescope.add_argument("--seed", type=int, default=None, help="base seed of the hidden inputs")
    gradescope.add_argument(
        "--time-limit",
        type=int,
        default=10,
        metavar="MINUTES",
        help="the timeout set in Gradescope's autograder settings (default: 10, its default)",
    )

    results_help = "a `batch --out` folder, or an nbgrader course (a folder holding gradebook.db)"
    report = commands.add_parser("report", help="one self-contained HTML page about the whole class")
    report.add_argument("results", type=Path, help=results_help)
    report.add_argument(
        "--out", type=Path, default=Path("report.html"), help="the page (default: report.html)"
    )
    feedback = commands.add_parser("feedback", help="one HTML feedback page per student and assignment")
    feedback.add_argument("results", type=Path, help=results_help)
    feedback.add_argument("--out", type=Path, required=True, help="folder for <student>/<assignment>.html")
    export = commands.add_parser("export", help="grades as a CSV for Canvas's gradebook import")
    export.add_argument("results", type=Path, help=results_help)
    export.add_argument("--canvas", type=Path, metavar="FILE.csv", required=True, help="the CSV to write")
    export.add_argument(
        "--students",
        type=Path,
        metavar="MAP.csv",
        help="student_id -> Canvas's Student, ID, SIS User ID, SIS Login ID, Section "
        "(default: SIS Login ID = the student id)",
    )
    export.add_argument(
        "--assignments",
        type=Path,
        metavar="MAP.csv",
        help="assignment -> canvas: the column header, e.g. 'Loss (4711)' (default: the id)",
    )
    export.add_argument(
        "--zero-missing", action="store_true", help="0 where nothing was handed in (default: empty)"
    )

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
    if args.command == "gradescope":
        return _gradescope(args)
    if args.command in ("report", "feedback", "export"):
        return _instructor_pages(args)
    return 2


def _gradescope(args: argparse.Namespace) -> int:
    from graders.engine import BASE_SEED
    from graders.instructor.gradescope.bundle import BundleRequestError, build

    try:
        built = build(args.ids, args.out, BASE_SEED if args.seed is None else args.seed, args.time_limit)
    except BundleRequestError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(
        f"Gradescope autograder for {', '.join(built.assignments)}: {built.path} "
        f"({built.bytes / 1024:.0f} kB, {built.files} files; timeout {args.time_limit} min)"
    )
    return 0


def _instructor_pages(args: argparse.Namespace) -> int:
    """report, feedback and export: what was written, and every result left out, said."""
    from graders.instructor.canvas import MapError
    from graders.instructor.results import ResultsError

    try:
        if args.command == "report":
            from graders.instructor.class_report import write_report

            done = write_report(args.results, args.out)
            print(
                f"class report: {done.out} ({done.bytes / 1024:.0f} kB; {done.students} students, "
                f"{done.submissions} submissions)"
            )
            unreadable = done.unreadable
        elif args.command == "feedback":
            from graders.instructor.feedback_pages import write_feedback

            pages = write_feedback(args.results, args.out)
            print(f"{len(pages.pages)} feedback page(s) in {args.out} (index: {args.out / 'index.html'})")
            for student, assignment in pages.skipped:
                print(
                    f"no page for {student} {assignment}: no kit result (the gradebook's cells only)",
                    file=sys.stderr,
                )
            unreadable = len(pages.unreadable)
        else:
            return _export(args)
    except (ResultsError, MapError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if unreadable:
        print(f"warning: {unreadable} result file(s) could not be read; the pages list them", file=sys.stderr)
    return 0


def _export(args: argparse.Namespace) -> int:
    from graders.instructor.canvas import write_canvas_csv
    from graders.instructor.results import load

    results = load(args.results)
    done = write_canvas_csv(results, args.canvas, args.students, args.assignments, args.zero_missing)
    print(f"Canvas CSV: {args.canvas} ({len(done.rows)} students, {len(done.header) - 5} assignments)")
    if args.students is None:
        print(
            "no --students map: each row names its student by SIS Login ID = the student id", file=sys.stderr
        )
    for notice in done.notices:
        print(f"warning: {notice}", file=sys.stderr)
    for file, why in results.unreadable:
        print(f"warning: {file} could not be read ({why}); its grade is not in the CSV", file=sys.stderr)
    for student in done.without_results:
        print(f"note: {student} is in the map but has no graded submission (empty cells)", file=sys.stderr)
    if done.missing:
        print(
            f"error: {len(done.missing)} student(s) with results are not in {args.students}, so not in the "
            f"CSV: {', '.join(sorted(done.missing))}",
            file=sys.stderr,
        )
        return 1
    return 0


def _batch(args: argparse.Namespace) -> int:
    from graders.engine import BASE_SEED, NothingToGrade, grade_class

    if args.scheduler is not None and (args.workers is not None or args.isolate != "assignment"):
        print(
            "error: --workers and --isolate do not apply with --scheduler: the cluster grades each "
            "(student, assignment) as one task, as many at once as its workers have threads",
            file=sys.stderr,
        )
        return 2
    expected: tuple[type[Exception], ...] = (NothingToGrade,)
    if args.scheduler is not None:  # Dask is imported only when asked for
        from graders.engine import ClusterError

        expected += (ClusterError,)
    try:
        summary = grade_class(
            args.submissions,
            args.out,
            args.workers,
            BASE_SEED if args.seed is None else args.seed,
            timeout=args.timeout,
            isolate=args.isolate,
            scheduler=args.scheduler,
        )
    except expected as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(
        f"graded {summary['graded']} submission(s) ({summary['already_graded']} already graded) of "
        f"{summary['students']} student(s) in {summary['seconds']:.1f} s; class table: {summary['csv']}"
    )
    for why in summary["not_graded"]:
        print(f"not graded: {why}", file=sys.stderr)
    if summary["not_graded"]:
        print(
            f"{len(summary['not_graded'])} submission(s) not graded: run the same command again to "
            "grade them",
            file=sys.stderr,
        )
        return 1
    return 0


def _grade(args: argparse.Namespace) -> int:
    from graders.engine import BASE_SEED, NothingToGrade, grade_path

    try:
        report = grade_path(
            args.path, base_seed=BASE_SEED if args.seed is None else args.seed, timeout=args.timeout
        )
    except NothingToGrade as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        args.json.write_text(json.dumps(report.to_json(), indent=2) + "\n")
    if not args.quiet:
        print(report.summary())
    return 0
