"""The class report: `python -m graders report RESULTS --out report.html`.

One self-contained HTML page (figures embedded as PNG data URIs, styles inline, no script,
nothing loaded from elsewhere) that answers "which ideas did the class miss?": each
assignment's score distribution, a heat map of students x functions, the pass rate of
every check, the hints the class got most often, the checks nobody passed, the grading
time per submission and the environment the class was graded in.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graders.instructor import analysis, plots
from graders.instructor.results import ClassResults, load
from graders.instructor.templating import number, render

LEGEND = (
    ("pass", "✓", "every check passed"),
    ("partial", "½", "some points"),
    ("fail", "✗", "no points"),
    ("error", "!", "raised, timed out, missing or not loaded"),
    ("missing", "", "not handed in"),
)
GLYPHS = {state: glyph for state, glyph, _ in LEGEND}


@dataclass
class ReportSummary:
    out: Path
    bytes: int
    students: int
    submissions: int
    unreadable: int


def render_report(results: ClassResults) -> str:
    """The page's HTML."""
    scores = analysis.assignment_scores(results)
    heat = analysis.heat_map(results)
    rates = analysis.check_rates(results)
    timings = analysis.timings(results)
    spans = Counter(assignment for assignment, _ in heat.columns)
    state_counts = Counter(cell.state for _, cells in heat.rows for cell in cells)
    heat_rows = [
        (
            student,
            [
                (cell.state, GLYPHS[cell.state], _cell_title(student, column, cell))
                for column, cell in zip(heat.columns, cells)
            ],
        )
        for student, cells in heat.rows
    ]
    return render(
        "report.html.j2",
        name=results.root.name,
        kind=results.kind,
        students=results.students,
        submission_count=len(results.submissions),
        unreadable=results.unreadable,
        notices=results.notices,
        without_work=results.without_work,
        scores=scores,
        distributions={s.assignment: plots.score_distribution(s) for s in scores},
        heat=heat,
        heat_rows=heat_rows,
        assignment_spans=[(a, spans[a]) for a in dict.fromkeys(spans)],
        legend=LEGEND,
        state_counts={state: state_counts.get(state, 0) for state, _, _ in LEGEND},
        misconceptions=analysis.misconceptions(results),
        nobody=analysis.never_passed(rates),
        rates=rates,
        assignments_with_zero={r.assignment for r in analysis.never_passed(rates)},
        timings=timings,
        timing_figure=plots.grading_times(timings) if timings else None,
        timing_median=statistics.median(t.seconds for t in timings) if timings else None,
        environments=[(_environment(env), count) for env, count in analysis.environments(results)],
    )


def write_report(source: Path, out: Path) -> ReportSummary:
    """Read RESULTS, write the page to `out`; raise ResultsError when RESULTS holds nothing."""
    results = load(source)
    html = render_report(results)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return ReportSummary(
        out,
        len(html.encode("utf-8")),
        len(results.students),
        len(results.submissions),
        len(results.unreadable),
    )


def _cell_title(student: str, column: tuple[str, str], cell: analysis.Cell) -> str:
    points = f" {number(cell.score)}/{number(cell.max_score)}" if cell.max_score else ""
    return f"{student}, {column[0]}/{column[1]}: {cell.state}{points}"


def _environment(env: dict[str, Any]) -> dict[str, Any]:
    """The environment with the shapes the page expects (odd values shown as text)."""
    env = dict(env)
    devices = env.get("devices")
    if not isinstance(devices, list):
        devices = [devices] if devices else []
    env["devices"] = [str(d) for d in devices]
    skipped = env.get("skipped_devices")
    env["skipped_devices"] = skipped if isinstance(skipped, dict) else ({"": str(skipped)} if skipped else {})
    return env
