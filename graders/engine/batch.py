"""Grade a whole class: `python -m graders batch SUBMISSIONS --out DIR`.

SUBMISSIONS is nbgrader's submitted/ tree (<student>/<assignment id>/<notebook>) or a folder
of script-form submissions (<student>/<module>.py). Every student's submission runs in a
contained child of one fork server (TensorFlow imported once), several at once. Each
(student, assignment) result is written to DIR/results/<student>/<assignment>.json the
moment it is known, atomically (a temporary file renamed into place), so a run that is
interrupted, even by kill -9, and started again grades only what is missing: no result is
lost, duplicated or half-written. DIR/grades.csv, the class table, is rebuilt from those
files at the end of every run. With --scheduler, the workers of a Dask cluster grade instead
(see cluster); the results are written here in the same way.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

from graders.engine.grading import BASE_SEED, Grader
from graders.engine.sources import NothingToGrade, Source, find_sources


def discover_class(root: Path) -> tuple[list[tuple[str, list[Source]]], dict[str, str]]:
    """(student, sources) for every student folder in `root`, and the students with
    nothing gradable (student -> why)."""
    if not root.is_dir():
        raise NothingToGrade(f"{root} is not a folder of submissions")
    found, empty = [], {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            found.append((folder.name, find_sources(folder)))
        except NothingToGrade as error:
            empty[folder.name] = str(error)
    if not found and not empty:
        raise NothingToGrade(f"{root} holds no student folders")
    return found, empty


def result_path(out: Path, student: str, assignment_id: str) -> Path:
    return out / "results" / student / f"{assignment_id}.json"


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` so that readers see the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def grade_class(
    root: Path,
    out: Path,
    workers: int | None = None,
    base_seed: int = BASE_SEED,
    progress: bool = True,
    timeout: float | None = None,
    isolate: str = "assignment",
    scheduler: str | None = None,
) -> dict[str, Any]:
    """Grade every submission in `root` that has no result in `out` yet; return a summary.
    `timeout` bounds each (student, assignment) process (default: from the checks' own limits).
    With `scheduler` (a Dask scheduler's address) the cluster's workers grade (see cluster);
    what they could not grade is listed in the summary's "not_graded"."""
    started = time.perf_counter()
    students, empty = discover_class(root)
    todo = []
    for student, sources in students:
        missing = [s for s in sources if not result_path(out, student, s.assignment.id).exists()]
        if missing:
            todo.append((student, missing))
    total = sum(len(sources) for _, sources in todo)
    done = 0
    not_graded: list[str] = []
    if todo:
        hidden = [root.resolve(), out.resolve()]
        if scheduler is None:
            graded = _grade_here(todo, workers, base_seed, timeout, isolate, hidden)
        else:
            from graders.engine.cluster import grade_on_cluster

            graded = grade_on_cluster(scheduler, todo, base_seed, timeout, hidden, not_graded, progress)
        with closing(graded):
            for student, environment, assignment in graded:
                record = {"student": student, "environment": environment, "assignment": assignment}
                path = result_path(out, student, assignment["id"])
                write_atomically(path, json.dumps(record, indent=1) + "\n")
                done += 1
                if progress:
                    _progress(
                        done,
                        total,
                        student,
                        assignment["id"],
                        assignment["score"],
                        assignment["max_score"],
                        started,
                    )
    rows = write_class_csv(out, empty)
    return {
        "graded": done,
        "already_graded": len(rows) - done - len(empty),
        "students": len(students) + len(empty),
        "seconds": time.perf_counter() - started,
        "csv": str(out / "grades.csv"),
        "not_graded": not_graded,
    }


def _grade_here(
    todo: list[tuple[str, list[Source]]],
    workers: int | None,
    base_seed: int,
    timeout: float | None,
    isolate: str,
    hidden: list[Path],
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(student, environment, assignment JSON) of every source in `todo`, graded on this machine."""
    with Grader(base_seed, workers=workers or os.cpu_count() or 1, hidden=hidden, isolate=isolate) as grader:
        environment = grader.environment()
        for student, results in grader.grade_many(todo, timeout):
            for result in results:
                yield student, environment, result.to_json()


def write_class_csv(out: Path, empty: dict[str, str] | None = None) -> list[dict]:
    """Rebuild DIR/grades.csv from every result file; return its rows."""
    rows = []
    for path in sorted((out / "results").glob("*/*.json")):
        record = json.loads(path.read_text())
        a = record["assignment"]
        rows.append(
            {
                "student": record["student"],
                "assignment": a["id"],
                "score": a["score"],
                "max_score": a["max_score"],
                "error": a["error"] or "",
                "source": a["source"],
            }
        )
    for student, why in sorted((empty or {}).items()):
        rows.append(
            {"student": student, "assignment": "", "score": 0, "max_score": 0, "error": why, "source": ""}
        )
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=["student", "assignment", "score", "max_score", "error", "source"]
    )
    writer.writeheader()
    writer.writerows(rows)
    write_atomically(out / "grades.csv", buffer.getvalue())
    return rows


def _progress(
    done: int, total: int, student: str, assignment_id: str, score: float, max_score: float, started: float
) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    bar = "#" * filled + "-" * (width - filled)
    line = (
        f"[{bar}] {done}/{total} {time.perf_counter() - started:5.0f} s  "
        f"{student} {assignment_id}: {score:g}/{max_score:g}"
    )
    end = "\r" if sys.stderr.isatty() and done < total else "\n"
    print(line.ljust(100), end=end, file=sys.stderr, flush=True)
