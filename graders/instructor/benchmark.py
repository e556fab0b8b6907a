"""Benchmark: nbgrader autograde against the kit's batch grader on one synthetic class.

`./kit python -m graders.instructor.benchmark --students 40` builds a course with the
sample class's kinds of work (correct, typical mistakes, stubs, broken files) spread over
N students and every assignment that exists, grades it with `nbgrader autograde` and with
`python -m graders batch` in the same run, checks that both give the same scores, and
prints wall time, peak memory (summed over each grader's whole process tree) and the ratio.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

from graders.instructor.build import ROOT, assignments_with_sources
from selfcheck.assignments import assignment
from graders.instructor.demo import nbgrader, prepare_course
from graders.instructor.samples import CLASS, SampleStudent, write_class


def synthetic_class(students: int, ids: list[str]) -> tuple[SampleStudent, ...]:
    """N students, each doing what one of the sample students did (on the given assignments)."""
    return tuple(SampleStudent(f"s{i:03d}", {a: w for a, w in CLASS[i % len(CLASS)].work.items() if a in ids})
                 for i in range(students))


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
from graders.engine.grading import plan
from graders.engine.reference import reference_result
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
    done = subprocess.run([sys.executable, "-c", COMPUTATION, *ids], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True, check=True)  # TensorFlow's start-up chatter
    parts = json.loads(done.stdout.strip().splitlines()[-1])
    seconds, _ = measured([sys.executable, "-m", "graders", "grade", str(folder), "--quiet"], folder)
    floor = parts["import"] + parts["computation"]
    print(f"one complete submission ({len(ids)} assignments): graders grade {seconds:.1f} s; TensorFlow import "
          f"{parts['import']:.1f} s + computation {parts['computation']:.1f} s = {floor:.1f} s; "
          f"ratio {seconds / floor:.2f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--course", type=Path, default=ROOT / "build" / "benchmark")
    parser.add_argument("--assignments", nargs="*", help="assignment ids (default: all that exist)")
    args = parser.parse_args(argv)
    course = args.course.resolve()
    prepare_course(course)
    ids = args.assignments or [a.id for a in assignments_with_sources()]
    single_submission(ids, course / "one-submission")
    for assignment_id in ids:
        nbgrader(course, "generate_assignment", assignment_id, "--force")
    submitted = write_class(course, synthetic_class(args.students, ids))
    print(f"{args.students} students x {len(ids)} assignments = {len(submitted)} submissions", flush=True)

    bin_dir = Path(sys.executable).parent
    nb_seconds = nb_peak = 0.0
    for assignment_id in ids:
        seconds, peak = measured([str(bin_dir / "nbgrader"), "autograde", assignment_id, "--force"], course)
        nb_seconds += seconds
        nb_peak = max(nb_peak, peak)
        print(f"  nbgrader autograde {assignment_id}: {seconds:.0f} s", flush=True)
    nbgrader(course, "export", "--to", "grades.csv")
    kit_seconds, kit_peak = measured(
        [sys.executable, "-m", "graders", "batch", "submitted", "--out", "kit-results"], course)

    theirs = {(r["student_id"], r["assignment"]): float(r["raw_score"])
              for r in csv.DictReader(open(course / "grades.csv"))}
    ours = {(r["student"], r["assignment"]): float(r["score"])
            for r in csv.DictReader(open(course / "kit-results" / "grades.csv"))}
    differ = sorted(k for k in submitted if theirs.get(k) != ours.get(k))
    print(f"nbgrader autograde: {nb_seconds:8.1f} s, peak {nb_peak:7.0f} MiB")
    print(f"graders batch:      {kit_seconds:8.1f} s, peak {kit_peak:7.0f} MiB")
    print(f"speed-up: {nb_seconds / kit_seconds:.1f}x; scores identical: {not differ}"
          + (f" (differ: {differ[:5]})" if differ else ""))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
