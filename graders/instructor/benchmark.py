"""Benchmark: stock nbgrader, the kit's nbgrader and the kit's batch grader on one synthetic class.

`./kit python -m graders.instructor.benchmark --students 40` builds a course with the
sample class's kinds of work (correct, typical mistakes, stubs, broken files) spread over
N students and every assignment that exists, and grades it three ways in the same run:
- stock nbgrader: `nbgrader autograde` with nbgrader's own steps and an ordinary kernel per
  notebook (which imports TensorFlow, and whose hidden grade cells grade the notebook from
  inside, as the kit's notebooks do outside the kit's configuration);
- the kit's nbgrader: `nbgrader autograde` with the kit's nbgrader_config.py (the contained
  kernel forked from a pre-warmed server, the check cells graded by the contained grader);
- `python -m graders batch`.
The two nbgrader runs take turns, assignment by assignment, so that other load on the
machine falls on both alike. It checks that the kit's nbgrader and the batch give the same
scores (and says where stock nbgrader differs), and prints wall time, peak memory (resident
memory summed over each run's whole process tree, so pages shared by forked processes count
once per process) and the ratios. The batch runs twice: with a process per (student,
assignment), as always, and with one per student, which measures what isolating every
assignment costs.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

from graders.engine import run_then_exit
from graders.instructor.build import ROOT, assignments_with_sources
from graders.instructor.demo import nbgrader, prepare_course
from graders.instructor.samples import CLASS, SampleStudent, write_class
from selfcheck.assignments import assignment


def synthetic_class(students: int, ids: list[str]) -> tuple[SampleStudent, ...]:
    """N students, each doing what one of the sample students did (on the given assignments)."""
    return tuple(
        SampleStudent(f"s{i:03d}", {a: w for a, w in CLASS[i % len(CLASS)].work.items() if a in ids})
        for i in range(students)
    )


def measured(command: list[str], cwd: Path) -> tuple[float, float]:
    """Run a command; return (wall seconds, peak MiB of its process tree)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0.0
    watched = psutil.Process(process.pid)

    def sample() -> None:
        nonlocal peak
        while process.poll() is None:
            try:
                tree = [watched, *watched.children(recursive=True)]
                total = sum(p.memory_info().rss for p in tree if p.is_running())
                peak = max(peak, total / 2**20)
            except psutil.Error:
                pass
            time.sleep(0.2)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    if process.wait() != 0:
        raise RuntimeError(f"{' '.join(command)} failed")
    thread.join()
    return time.perf_counter() - started, peak


# In a fresh process: TensorFlow's import, then the submission's own work, i.e. the reference
# module run on every case of every check, once, on the CPU.
COMPUTATION = """
import json, sys, time
started = time.perf_counter()
import tensorflow as tf
imported = time.perf_counter()
from graders.engine import plan
from graders.checks.reference import reference_result
for assignment_id in sys.argv[1:]:
    for planned in plan(assignment_id):
        if planned.check.rule is None and planned.check.expected is None:
            for case in planned.cases:
                reference_result(planned.check, case, "/CPU:0")
print(json.dumps({"import": imported - started, "computation": time.perf_counter() - imported}))
"""


def single_submission(ids: list[str], folder: Path) -> None:
    """Time `python -m graders grade` on one complete submission (the reference modules)
    against TensorFlow's import plus that submission's computation."""
    folder.mkdir(parents=True, exist_ok=True)
    for assignment_id in ids:
        script = assignment(assignment_id).script
        shutil.copyfile(ROOT / "solutions" / script, folder / script)
    done = subprocess.run(
        [sys.executable, "-c", COMPUTATION, *ids],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        check=True,
    )  # TensorFlow's start-up chatter
    parts = json.loads(done.stdout.strip().splitlines()[-1])
    seconds, _ = measured([sys.executable, "-m", "graders", "grade", str(folder), "--quiet"], folder)
    floor = parts["import"] + parts["computation"]
    print(
        f"one complete submission ({len(ids)} assignments): graders grade {seconds:.1f} s; TensorFlow import "
        f"{parts['import']:.1f} s + computation {parts['computation']:.1f} s = {floor:.1f} s; "
        f"ratio {seconds / floor:.2f}",
        flush=True,
    )


# The baseline's configuration: the kit's settings (course id, quiet TensorFlow, the output
# clean-up, the cell timeout), then nbgrader's own autograde steps again, and no flag that
# tells the hidden grade cells they are graded outside the kernel.
STOCK_CONFIG = """c = get_config()  # noqa: F821
load_subconfig("kit_nbgrader_config.py")  # noqa: F821
import os
from nbgrader.converters import Autograde
c.Autograde.autograde_preprocessors = Autograde.class_traits()["autograde_preprocessors"].default()
os.environ.pop("GRADERS_CELLS_GRADED_OUTSIDE", None)
"""


def stock_course(course: Path, stock: Path) -> None:
    """A copy of the released course with its submissions, configured as stock nbgrader."""
    shutil.rmtree(stock, ignore_errors=True)
    shutil.copytree(course, stock)
    shutil.move(stock / "nbgrader_config.py", stock / "kit_nbgrader_config.py")
    (stock / "nbgrader_config.py").write_text(STOCK_CONFIG)


def exported(course: Path) -> dict[tuple[str, str], float]:
    nbgrader(course, "export", "--to", "grades.csv")
    with open(course / "grades.csv", newline="") as rows:
        return {(r["student_id"], r["assignment"]): float(r["raw_score"]) for r in csv.DictReader(rows)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--course", type=Path, default=ROOT / "build" / "benchmark")
    parser.add_argument("--assignments", nargs="*", help="assignment ids (default: all that exist)")
    args = parser.parse_args(argv)
    # every run computes its own reference results, as they always did (a run that reads the
    # reference cache another run filled would not be measured under the same conditions)
    os.environ.setdefault("GRADERS_REFERENCE_CACHE", "off")
    course = args.course.resolve()
    prepare_course(course)
    ids = args.assignments or [a.id for a in assignments_with_sources()]
    single_submission(ids, course / "one-submission")
    for assignment_id in ids:
        nbgrader(course, "generate_assignment", assignment_id, "--force")
    submitted = write_class(course, synthetic_class(args.students, ids))
    print(f"{args.students} students x {len(ids)} assignments = {len(submitted)} submissions", flush=True)
    stock = course.parent / f"{course.name}-stock"
    stock_course(course, stock)

    autograde = [str(Path(sys.executable).parent / "nbgrader"), "autograde"]
    seconds = {"stock": 0.0, "kit": 0.0}
    peaks = {"stock": 0.0, "kit": 0.0}
    for assignment_id in ids:
        for name, folder in (("stock", stock), ("kit", course)):
            taken, peak = measured([*autograde, assignment_id, "--force"], folder)
            seconds[name] += taken
            peaks[name] = max(peaks[name], peak)
            print(f"  {name} nbgrader autograde {assignment_id}: {taken:.0f} s", flush=True)
    stock_scores, kit_scores = exported(stock), exported(course)
    batch_seconds, batch_peak = measured(
        [sys.executable, "-m", "graders", "batch", "submitted", "--out", "kit-results"], course
    )
    # The same batch with one process per student instead of one per (student, assignment):
    # what isolating each assignment costs.
    shared_seconds, _ = measured(
        [
            sys.executable,
            "-m",
            "graders",
            "batch",
            "submitted",
            "--out",
            "kit-results-shared",
            "--isolate",
            "submission",
        ],
        course,
    )

    ours = {
        (r["student"], r["assignment"]): float(r["score"])
        for r in csv.DictReader(open(course / "kit-results" / "grades.csv"))
    }
    differ = sorted(k for k in submitted if kit_scores.get(k) != ours.get(k))
    stock_differ = sorted(k for k in submitted if stock_scores.get(k) != ours.get(k))
    print(f"stock nbgrader autograde: {seconds['stock']:8.1f} s, peak {peaks['stock']:7.0f} MiB")
    print(
        f"kit nbgrader autograde:   {seconds['kit']:8.1f} s, peak {peaks['kit']:7.0f} MiB "
        f"({seconds['kit'] / seconds['stock']:.2f} of stock)"
    )
    print(
        f"graders batch:            {batch_seconds:8.1f} s, peak {batch_peak:7.0f} MiB "
        f"({seconds['stock'] / batch_seconds:.1f}x faster than stock nbgrader)"
    )
    print(
        f"graders batch, one process per student: {shared_seconds:8.1f} s (a process per assignment costs "
        f"{batch_seconds / shared_seconds:.2f}x)"
    )
    print(
        f"kit nbgrader and batch scores identical: {not differ}"
        + (f" (differ: {differ[:5]})" if differ else "")
    )
    print(
        f"stock nbgrader scores differ from the kit's on {len(stock_differ)} of {len(submitted)}"
        + (f": {stock_differ[:5]}" if stock_differ else "")
    )
    return 1 if differ else 0


if __name__ == "__main__":
    run_then_exit(main)
