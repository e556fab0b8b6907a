"""Per-student feedback pages: `python -m graders feedback RESULTS --out DIR`.

One HTML page per student and assignment, DIR/<student>/<assignment id>.html, from the
kit's JSON results: every check with its points, its message and its hint, grouped by
function. A hidden check shows what it checks (its description) and what went wrong (its
message, which the grader already keeps free of hidden inputs and expected values); the
page adds nothing else about it. Every value is escaped: messages can quote student code.
DIR/index.html lists the pages for the instructor.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from graders.instructor.results import CheckOutcome, Message, Submission, load, split_message
from graders.instructor.templating import render


@dataclass(frozen=True)
class Page:
    student: str
    assignment: str
    score: float
    max_score: float
    path: Path
    href: str


@dataclass
class FeedbackSummary:
    pages: list[Page]
    skipped: list[tuple[str, str]]  # (student, assignment) with no kit result
    unreadable: list[tuple[str, str]]


def path_part(text: str) -> str:
    """A file or folder name for any student or assignment id (no separators, no dot
    names), different for different ids."""
    safe = quote(text, safe="@+=,-_.")
    return "%2E" + safe[1:] if safe.startswith(".") else safe or "%00"


def render_feedback(submission: Submission, title: str = "") -> str:
    by_function = []
    for function in submission.functions():
        checks = [c for c in submission.checks if c.function == function]
        items: list[tuple[CheckOutcome, Message]] = [(c, split_message(c.message)) for c in checks]
        by_function.append((function, items, sum(c.score for c in checks), sum(c.max_score for c in checks)))
    return render(
        "feedback.html.j2",
        submission=submission,
        title=title,
        by_function=by_function,
        passed=sum(1 for c in submission.checks if c.status == "passed"),
    )


def write_feedback(source: Path, out: Path) -> FeedbackSummary:
    """A page for every kit result in RESULTS, and the index; raise ResultsError when RESULTS
    holds nothing."""
    results = load(source)
    out = Path(out)
    pages, skipped = [], []
    for submission in sorted(results.submissions, key=lambda s: (s.student, s.assignment)):
        if submission.origin != "kit":
            skipped.append((submission.student, submission.assignment))
            continue
        relative = Path(path_part(submission.student)) / f"{path_part(submission.assignment)}.html"
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_feedback(submission, _title(submission.assignment)), encoding="utf-8")
        pages.append(
            Page(
                submission.student,
                submission.assignment,
                submission.score,
                submission.max_score,
                target,
                quote(relative.as_posix()),
            )
        )
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.html").write_text(
        render("feedback_index.html.j2", pages=pages, skipped=skipped, unreadable=results.unreadable),
        encoding="utf-8",
    )
    return FeedbackSummary(pages, skipped, results.unreadable)


def _title(assignment_id: str) -> str:
    from selfcheck.assignments import BY_ID

    known = BY_ID.get(assignment_id)
    return known.title if known else ""
