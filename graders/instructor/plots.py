"""The class report's figures, as PNG data URIs so that the page needs no other file.

Figures are drawn with matplotlib's object API on the Agg canvas: no pyplot, no display,
no global state shared with anything else in the process.
"""

from __future__ import annotations

import base64
import io
from collections import defaultdict

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from graders.instructor.analysis import AssignmentScores, Timing

COLOURS = {"median": "#f9a825", "bar": "#1565c0"}
DPI = 96


def data_uri(figure: Figure) -> str:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def score_distribution(scores: AssignmentScores) -> str:
    """Histogram of one assignment's scores, from 0 to its maximum, mean and median marked."""
    figure = Figure(figsize=(4.2, 2.4))
    axes = figure.add_subplot()
    top = max(scores.max_score, max(scores.scores, default=0.0), 1.0)
    bins = np.linspace(0, top, int(min(top, 20)) + 1) if top >= 1 else 10
    axes.hist(scores.scores, bins=bins, color=COLOURS["bar"], edgecolor="white")
    axes.axvline(scores.mean, color="#424242", linestyle="--", linewidth=1, label=f"mean {scores.mean:.1f}")
    axes.axvline(scores.median, color=COLOURS["median"], linewidth=1.5, label=f"median {scores.median:g}")
    axes.set_xlim(0, top)
    axes.set_xlabel(f"score (of {scores.max_score:g})")
    axes.set_ylabel("students")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.legend(fontsize=7, frameon=False, loc="upper left")
    axes.set_title(f"{scores.assignment} ({len(scores.scores)} submissions)", fontsize=9)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return data_uri(figure)


def grading_times(timings: list[Timing]) -> str:
    """Seconds per submission, one column of points per assignment, box behind them."""
    per_assignment: dict[str, list[float]] = defaultdict(list)
    for timing in timings:
        per_assignment[timing.assignment].append(timing.seconds)
    names = sorted(per_assignment)
    figure = Figure(figsize=(6.4, 2.6))
    axes = figure.add_subplot()
    axes.boxplot([per_assignment[n] for n in names], widths=0.5, showfliers=False)
    jitter = np.random.default_rng(0)
    for index, name in enumerate(names, start=1):
        values = per_assignment[name]
        axes.scatter(
            index + jitter.uniform(-0.15, 0.15, len(values)), values, s=8, alpha=0.6, color=COLOURS["bar"]
        )
    axes.set_xticks(range(1, len(names) + 1), names, fontsize=7, rotation=20)
    axes.set_ylabel("seconds per submission", fontsize=8)
    axes.set_ylim(bottom=0)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return data_uri(figure)
