"""What a class's results say, as plain data for the class report: scores per assignment,
each student's state on each function, pass rates, the hints the class got most often,
checks nobody passed, grading times and the environments graded in."""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from graders.instructor.results import ClassResults, Submission, most_common, split_message

_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


@dataclass
class AssignmentScores:
    assignment: str
    scores: list[float]
    max_score: float
    not_loaded: int  # submissions whose file could not be loaded at all

    @property
    def mean(self) -> float:
        return statistics.fmean(self.scores) if self.scores else 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.scores) if self.scores else 0.0


def assignment_scores(results: ClassResults) -> list[AssignmentScores]:
    found = []
    for assignment in results.assignments:
        subs = results.of_assignment(assignment)
        found.append(
            AssignmentScores(
                assignment,
                [s.score for s in subs],
                max(most_common([s.max_score for s in subs]) or 0.0, 0.0),
                sum(1 for s in subs if s.error),
            )
        )
    return found


@dataclass(frozen=True)
class Cell:
    state: str
    score: float = 0.0
    max_score: float = 0.0


@dataclass
class HeatMap:
    columns: list[tuple[str, str]]  # (assignment, function)
    rows: list[tuple[str, list[Cell]]]  # (student, one cell per column)
    totals: dict[str, tuple[float, float]]  # student -> (score, max score) over what was submitted


def function_state(submission: Submission, function: str) -> Cell:
    """pass: every check of the function passed; fail: none earned a point; error: none earned
    a point and at least one raised, timed out, or the file did not load; partial: the rest."""
    checks = [c for c in submission.checks if c.function == function]
    score, max_score = sum(c.score for c in checks), sum(c.max_score for c in checks)
    if not checks:
        return Cell("error" if submission.error else "missing")
    if all(c.status == "passed" for c in checks):
        return Cell("pass", score, max_score)
    if score > 0:
        return Cell("partial", score, max_score)
    if submission.error or any(c.status in ("error", "timeout") for c in checks):
        return Cell("error", score, max_score)
    return Cell("fail", score, max_score)


def functions_of(results: ClassResults) -> list[tuple[str, str]]:
    """(assignment, function) in assignment order, functions in the order their checks run."""
    columns: dict[tuple[str, str], None] = {}
    for assignment in results.assignments:
        for submission in results.of_assignment(assignment):
            for function in submission.functions():
                columns[(assignment, function)] = None
    return list(columns)


def heat_map(results: ClassResults) -> HeatMap:
    columns = functions_of(results)
    by_key = {(s.student, s.assignment): s for s in results.submissions}
    rows, totals = [], {}
    for student in results.students:
        cells = []
        for assignment, function in columns:
            submission = by_key.get((student, assignment))
            cells.append(Cell("missing") if submission is None else function_state(submission, function))
        rows.append((student, cells))
        own = [s for s in results.submissions if s.student == student]
        totals[student] = (sum(s.score for s in own), sum(s.max_score for s in own))
    return HeatMap(columns, rows, totals)


@dataclass
class CheckRate:
    assignment: str
    check: str
    function: str
    visibility: str
    description: str
    passed: int = 0
    total: int = 0
    statuses: Counter = field(default_factory=Counter)
    problems: Counter = field(default_factory=Counter)  # what went wrong, numbers masked

    @property
    def rate(self) -> float:
        return self.passed / self.total if self.total else 0.0

    @property
    def usual_problem(self) -> str:
        return self.problems.most_common(1)[0][0] if self.problems else ""


def check_rates(results: ClassResults) -> list[CheckRate]:
    """The pass rate of every check, over the submissions whose file loaded."""
    rates: dict[tuple[str, str], CheckRate] = {}
    for assignment in results.assignments:
        for submission in results.of_assignment(assignment):
            for check in submission.checks:
                key = (assignment, check.id)
                rate = rates.get(key)
                if rate is None:
                    rate = rates[key] = CheckRate(
                        assignment, check.id, check.function, check.visibility, check.description
                    )
                if submission.error:
                    continue
                rate.total += 1
                rate.statuses[check.status] += 1
                if check.status == "passed":
                    rate.passed += 1
                elif check.message:
                    rate.problems[_NUMBER.sub("#", split_message(check.message).problem)] += 1
    return list(rates.values())


def never_passed(rates: list[CheckRate]) -> list[CheckRate]:
    """Checks that no loaded submission passed: a hard idea, or a broken check."""
    return [r for r in rates if r.total and not r.passed]


@dataclass
class Misconception:
    """One hint, as often as the class got it."""

    example: str  # the hint as a student saw it
    count: int = 0  # failed checks that carried it
    students: set[str] = field(default_factory=set)
    functions: Counter = field(default_factory=Counter)  # "05_loss/mean_squared_error" -> count
    variants: set[str] = field(default_factory=set)


def misconceptions(results: ClassResults) -> list[Misconception]:
    """Hints grouped by their wording with numbers masked ("4 times" and "6 times" are one
    mistake), most students first."""
    found: dict[str, Misconception] = {}
    for submission in results.submissions:
        for check in submission.checks:
            hint = check.hint
            if not hint:
                continue
            key = _NUMBER.sub("#", hint)
            entry = found.setdefault(key, Misconception(hint))
            entry.count += 1
            entry.students.add(submission.student)
            entry.functions[f"{submission.assignment}/{check.function}"] += 1
            entry.variants.add(hint)
    return sorted(found.values(), key=lambda m: (-len(m.students), -m.count, m.example))


@dataclass(frozen=True)
class Timing:
    student: str
    assignment: str
    seconds: float


def timings(results: ClassResults) -> list[Timing]:
    found = [Timing(s.student, s.assignment, s.seconds) for s in results.submissions if s.seconds is not None]
    return sorted(found, key=lambda t: -t.seconds)


def environments(results: ClassResults) -> list[tuple[dict[str, Any], int]]:
    """Each distinct environment the class was graded in, with how many submissions."""
    counts: Counter = Counter()
    for submission in results.submissions:
        if submission.environment:
            counts[json.dumps(submission.environment, sort_keys=True)] += 1
    return [(json.loads(text), count) for text, count in counts.most_common()]
