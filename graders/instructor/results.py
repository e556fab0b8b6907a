"""Read a class's grading results for the instructor's pages and exports.

RESULTS is the kit's batch output (`results/<student>/<assignment id>.json`, and `grades.csv`
for students with nothing gradable), that `results/` folder itself, or an nbgrader course
(a folder holding `gradebook.db`). For a course, nbgrader's gradebook gives the score of
every grade cell (`<function>_public`, `<function>_hidden`) and any batch output inside the
course (such as `kit-results/`) adds the kit's checks, messages and hints where it has them.

One odd file never stops a report: a file that cannot be read, or whose fields have the
wrong types, is listed in `ClassResults.unreadable` with the reason, and the rest is read.
Fields a file lacks are taken as absent (no timing, no environment, no notes).
"""

from __future__ import annotations

import csv
import json
import math
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graders.engine import student_notes

MAX_FILE_BYTES = 20 * 2**20  # a result file is a few kB; anything this large is not one
# The end of a check's message: where the first failing case ran, and how many runs failed.
_WHERE = re.compile(r" \((?:case .*, )?on [^;()]+; \d+ of \d+ runs failed\)$", re.DOTALL)


class ResultsError(Exception):
    """RESULTS holds nothing a report can be made from."""


class Unreadable(ValueError):
    """One result file that cannot be used, and why."""


@dataclass(frozen=True)
class Message:
    """A check's message in its parts: what is wrong, the hint, and where it showed."""

    problem: str
    hint: str | None
    where: str


def split_message(message: str) -> Message:
    """Split `<problem>. Hint: <hint> (case ..., on CPU:0; 2 of 8 runs failed)`."""
    where = ""
    match = _WHERE.search(message)
    if match:
        message, where = message[: match.start()], match.group(0).strip()[1:-1]
    problem, separator, hint = message.partition(" Hint: ")
    if not separator:
        return Message(message.strip(), None, where)
    return Message(problem.strip().removesuffix("."), hint.strip() or None, where)


@dataclass(frozen=True)
class CheckOutcome:
    id: str
    function: str
    visibility: str
    description: str
    score: float
    max_score: float
    status: str
    message: str
    devices: dict[str, str] = field(default_factory=dict)

    @property
    def hint(self) -> str | None:
        return split_message(self.message).hint if self.status != "passed" else None


@dataclass
class Submission:
    """One student's result for one assignment."""

    student: str
    assignment: str
    score: float
    max_score: float
    checks: list[CheckOutcome] = field(default_factory=list)
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    seconds: float | None = None
    source: str = ""
    environment: dict[str, Any] | None = None
    origin: str = "kit"  # "kit": the kit's JSON; "nbgrader": the gradebook's cells only

    def functions(self) -> list[str]:
        return list(dict.fromkeys(c.function for c in self.checks))

    @property
    def student_notes(self) -> list[str]:
        """The notes a student may see (not the grader's own failures)."""
        return student_notes(self.notes)


@dataclass
class ClassResults:
    root: Path
    kind: str  # "batch" or "nbgrader"
    submissions: list[Submission] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    without_work: dict[str, str] = field(default_factory=dict)  # student -> why nothing was graded
    roster: set[str] = field(default_factory=set)  # students known without results
    notices: list[str] = field(default_factory=list)

    @property
    def students(self) -> list[str]:
        return sorted({s.student for s in self.submissions} | set(self.without_work) | self.roster)

    @property
    def assignments(self) -> list[str]:
        return sorted({s.assignment for s in self.submissions})

    def of_assignment(self, assignment: str) -> list[Submission]:
        return [s for s in self.submissions if s.assignment == assignment]


def load(path: Path) -> ClassResults:
    """Every result under `path` (a batch --out folder, its results/ folder, or an nbgrader
    course); raise ResultsError when it holds none."""
    path = Path(path)
    if not path.is_dir():
        raise ResultsError(f"{path} is not a folder (expected a `batch --out` folder or an nbgrader course)")
    if (path / "gradebook.db").is_file():
        return _load_course(path)
    folder = path / "results" if (path / "results").is_dir() else path
    files = _result_files(folder)
    if not files:
        raise ResultsError(
            f"{path} holds no result files (results/<student>/<assignment>.json) "
            "and no nbgrader gradebook.db: run `python -m graders batch` first"
        )
    results = ClassResults(root=path, kind="batch")
    _read_files(results, files, path)
    if not results.submissions:
        file, why = results.unreadable[0]
        raise ResultsError(f"{path}: none of its {len(files)} result file(s) can be read ({file}: {why})")
    results.without_work = _students_without_work(path / "grades.csv")
    return results


def _result_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.glob("*/*.json") if not p.name.startswith(".") and not p.parent.name.startswith(".")
    )


def _read_files(results: ClassResults, files: list[Path], base: Path) -> None:
    for path in files:
        name = str(path.relative_to(base))  # e.g. results/ben/05_loss.json
        try:
            results.submissions.append(read_result_file(path))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            results.unreadable.append((name, str(error)))


def read_result_file(path: Path) -> Submission:
    """One batch result file; Unreadable (saying why) if it cannot be used."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise Unreadable(f"larger than {MAX_FILE_BYTES // 2**20} MiB: not a result file")
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise Unreadable(f"not valid JSON ({error.msg} at line {error.lineno})") from None
    if not isinstance(record, dict):
        raise Unreadable("not a JSON object")
    entry = record.get("assignment")
    if not isinstance(entry, dict):
        raise Unreadable("no `assignment` object")
    student = _text(record.get("student"), "student") or path.parent.name
    assignment = _text(entry.get("id"), "assignment.id") or path.stem
    raw_checks = entry.get("checks", [])
    if not isinstance(raw_checks, list):
        raise Unreadable("`assignment.checks` is not a list")
    checks = [_check(c, i) for i, c in enumerate(raw_checks)]
    score = _number(entry.get("score"), "assignment.score")
    max_score = _number(entry.get("max_score"), "assignment.max_score")
    environment = record.get("environment")
    return Submission(
        student=student,
        assignment=assignment,
        score=sum(c.score for c in checks) if score is None else score,
        max_score=sum(c.max_score for c in checks) if max_score is None else max_score,
        checks=checks,
        error=_text(entry.get("error"), "assignment.error") or None,
        notes=[n if isinstance(n, str) else json.dumps(n) for n in _list(entry.get("notes"))],
        seconds=_seconds(entry, record),
        source=Path(_text(entry.get("source"), "assignment.source")).name,
        environment=environment if isinstance(environment, dict) else None,
    )


def _check(raw: Any, index: int) -> CheckOutcome:
    where = f"check {index + 1}"
    if not isinstance(raw, dict):
        raise Unreadable(f"{where} is not a JSON object")
    check_id = _text(raw.get("id"), f"{where}.id") or f"check {index + 1}"
    devices = raw.get("devices")
    score = _number(raw.get("score"), f"{where}.score") or 0.0
    max_score = _number(raw.get("max_score"), f"{where}.max_score") or 0.0
    status = _text(raw.get("status"), f"{where}.status") or (
        "passed" if max_score and score >= max_score else "failed"
    )
    return CheckOutcome(
        id=check_id,
        function=_text(raw.get("function"), f"{where}.function") or check_id.split(".")[0],
        visibility=_text(raw.get("visibility"), f"{where}.visibility") or "hidden",
        description=_text(raw.get("description"), f"{where}.description"),
        score=score,
        max_score=max_score,
        status=status,
        message=_text(raw.get("message"), f"{where}.message"),
        devices={str(k): str(v) for k, v in devices.items()} if isinstance(devices, dict) else {},
    )


def _seconds(entry: dict, record: dict) -> float | None:
    """Grading time of one submission, from whichever field the result has."""
    for holder in (entry, record):
        for key in ("seconds", "execution_time"):
            value = holder.get(key)
            if _is_number(value):
                return float(value)
        timings = holder.get("timings")
        if _is_number(timings):
            return float(timings)
        if isinstance(timings, dict):
            if _is_number(timings.get("total")):
                return float(timings["total"])
            parts = [float(v) for v in timings.values() if _is_number(v)]
            if parts:
                return sum(parts)
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _number(value: Any, name: str) -> float | None:
    if value is None:
        return None
    if not _is_number(value):
        raise Unreadable(f"`{name}` is not a number: {str(value)[:40]!r}")
    return float(value)


def _text(value: Any, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise Unreadable(f"`{name}` is not text")
    return str(value)


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _students_without_work(grades_csv: Path) -> dict[str, str]:
    """Students the batch found nothing gradable for (rows of grades.csv with no assignment)."""
    try:
        with open(grades_csv, newline="", encoding="utf-8") as handle:
            return {
                row["student"]: row.get("error") or "nothing gradable"
                for row in csv.DictReader(handle)
                if row.get("student") and not row.get("assignment")
            }
    except (OSError, KeyError, csv.Error, UnicodeDecodeError):
        return {}


# nbgrader courses ------------------------------------------------------------------------


def _load_course(course: Path) -> ClassResults:
    results = ClassResults(root=course, kind="nbgrader")
    database = course / "gradebook.db"
    if not _is_gradebook(database):
        raise ResultsError(f"{database} is not an nbgrader gradebook (no grade table)")
    kit = ClassResults(root=course, kind="batch")
    for folder in sorted(p for p in course.iterdir() if p.is_dir() and (p / "results").is_dir()):
        _read_files(kit, _result_files(folder / "results"), course)
        kit.without_work.update(_students_without_work(folder / "grades.csv"))
    results.unreadable, results.without_work = kit.unreadable, kit.without_work
    from_kit: dict[tuple[str, str], Submission] = {}
    for submission in kit.submissions:
        key = (submission.student, submission.assignment)
        if key in from_kit:
            results.notices.append(f"{key[0]} {key[1]}: more than one kit result; the first is used")
            continue
        from_kit[key] = submission
    for submission in _gradebook_submissions(database, results.roster):
        key = (submission.student, submission.assignment)
        kit_submission = from_kit.pop(key, None)
        if kit_submission is None:
            results.submissions.append(submission)
            continue
        if abs(kit_submission.score - submission.score) > 1e-6:
            results.notices.append(
                f"{key[0]} {key[1]}: the gradebook says {submission.score:g}, the kit's result "
                f"{kit_submission.score:g} (the gradebook is shown; `python -m graders gradebook` "
                "writes the kit's scores into it)"
            )
            submission.environment = kit_submission.environment
            results.submissions.append(submission)
        else:
            results.submissions.append(kit_submission)
    results.submissions.extend(from_kit.values())  # graded by the kit, not in the gradebook
    if not results.submissions:
        raise ResultsError(
            f"{database} holds no graded submission: run nbgrader autograde, or "
            "`python -m graders batch` and `python -m graders gradebook`"
        )
    return results


def _is_gradebook(database: Path) -> bool:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
            rows = connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            tables = {row[0] for row in rows}
    except sqlite3.Error:
        return False
    return {"grade", "submitted_assignment", "student"} <= tables


def _gradebook_submissions(database: Path, roster: set[str]) -> list[Submission]:
    """Every submission nbgrader's gradebook holds, one check per grade cell."""
    from nbgrader.api import Gradebook

    found = []
    # course_id "" reads every course and, unlike a named one, adds no course to the file
    with Gradebook(f"sqlite:///{database}", course_id="") as gradebook:
        roster.update(student.id for student in gradebook.students)
        for assignment in gradebook.assignments:
            for submitted in assignment.submissions:
                checks = [_cell_check(grade) for notebook in submitted.notebooks for grade in notebook.grades]
                found.append(
                    Submission(
                        student=submitted.student_id,
                        assignment=assignment.name,
                        score=round(sum(c.score for c in checks), 6),
                        max_score=round(sum(c.max_score for c in checks), 6),
                        checks=checks,
                        origin="nbgrader",
                    )
                )
    return found


def _cell_check(grade: Any) -> CheckOutcome:
    name = str(grade.name)
    function, _, visibility = name.rpartition("_")
    if visibility not in ("public", "hidden") or not function:
        function, visibility = name, "cell"
    score, max_score = float(grade.score or 0.0), float(grade.max_score or 0.0)
    graded = grade.auto_score is not None or grade.manual_score is not None
    status = "passed" if graded and score >= max_score else "failed"
    return CheckOutcome(
        id=name,
        function=function,
        visibility=visibility,
        description=f"nbgrader grade cell {name}",
        score=score,
        max_score=max_score,
        status=status,
        message="" if graded else "no score in the gradebook",
    )


def most_common(values: list[Any]) -> Any:
    """The most frequent value (the first seen among equals)."""
    return Counter(values).most_common(1)[0][0] if values else None
