"""The sample class: nbgrader submissions made from the release notebooks, the way real
students hand them in (all correct, typical mistakes, untouched stubs, broken files).

Each sample student is a recipe applied to the release notebook of an assignment: fill in
the solution cells with the reference code, then change that code (a mistake), leave the
stubs (no work done), or break the file. A recipe whose text no longer occurs in the source
notebook raises SampleError, so the class cannot silently stop making the mistakes it names.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from selfcheck.assignments import ASSIGNMENTS, assignment


class SampleError(Exception):
    """A recipe does not fit the source notebook any more."""


@dataclass(frozen=True)
class Edit:
    """Replace `old` by `new` in the solution cell of `function` (which must contain `old`)."""

    function: str
    old: str
    new: str


@dataclass(frozen=True)
class Work:
    """What one sample student handed in for one assignment."""

    solved: bool = True  # reference code pasted into every solution cell
    reference_notebook: bool = False  # hand in the instructor's source notebook itself
    edits: tuple[Edit, ...] = ()  # then these mistakes made in it
    delete_cells: tuple[str, ...] = ()  # cells (by nbgrader grade_id) the student deleted
    story: str = ""


@dataclass(frozen=True)
class SampleStudent:
    id: str
    work: dict[str, Work] = field(default_factory=dict)  # assignment id -> work


CORRECT = Work(story="all correct")
STUBS = Work(solved=False, story="untouched stubs")

REFERENCE = Work(reference_notebook=True, story="the reference (source) notebook itself")

EVERY = tuple(a.id for a in ASSIGNMENTS)

CLASS: tuple[SampleStudent, ...] = (
    SampleStudent("ref", dict.fromkeys(EVERY, REFERENCE)),
    SampleStudent("ada", dict.fromkeys(EVERY, CORRECT)),
    SampleStudent(
        "ben",
        {
            "05_loss": Work(
                edits=(Edit("mean_squared_error", "tf.reduce_mean(tf.square(", "tf.reduce_sum(tf.square("),),
                story="loss summed instead of averaged",
            ),
            "06_gradient_tape": Work(
                edits=(Edit("minimize_loss", "    b.assign_sub(learning_rate * db)\n", ""),),
                story="bias never updated",
            ),
            "01_tensors": Work(
                edits=(
                    Edit(
                        "scale_pixels",
                        "return tf.cast(tf.convert_to_tensor(images), tf.float32) / 255.0",
                        "return images / 255",
                    ),
                ),
                story="pixels divided directly (float64 for NumPy input)",
            ),
        },
    ),
    SampleStudent(
        "cleo",
        {
            "05_loss": Work(
                edits=(Edit("mse_gradients", "e = pred - y", "e = y - pred"),), story="gradient sign flipped"
            ),
            "06_gradient_tape": Work(
                edits=(
                    Edit(
                        "minimize_loss",
                        "w.assign_sub(learning_rate * dw)",
                        "w.assign_add(learning_rate * dw)",
                    ),
                ),
                story="gradient ascent on w",
            ),
            "02_flow": Work(
                edits=(Edit("to_graph", "return tf.function(fn)", "return tf.autograph.to_graph(fn)"),),
                story="tf.autograph.to_graph instead of tf.function",
            ),
        },
    ),
    SampleStudent("dev", dict.fromkeys(EVERY, STUBS)),
    SampleStudent(
        "eli",
        {
            "05_loss": Work(
                edits=(Edit("predict", "return x @ w + b", "return x @ w + b)"),),
                story="syntax error in predict",
            ),
            "06_gradient_tape": Work(
                edits=(Edit("decision_line", "def decision_line(", "def decision_boundary("),),
                story="decision_line deleted (renamed)",
            ),
            "04_data": Work(
                edits=(
                    Edit(
                        "standardize",
                        "std = tf.sqrt(tf.reduce_mean(tf.square(x - mean), axis=0))",
                        "std = tf.math.reduce_std(x, axis=0) * tf.sqrt(tf.cast(tf.shape(x)[0], x.dtype) "
                        "/ tf.cast(tf.shape(x)[0] - 1, x.dtype))",
                    ),
                ),
                story="sample standard deviation (ddof=1)",
            ),
        },
    ),
    SampleStudent(
        "fay",
        {
            "05_loss": CORRECT,
            "06_gradient_tape": Work(delete_cells=("minimize_loss",), story="minimize_loss cell deleted"),
            "03_rules_vs_learning": Work(
                edits=(Edit("rule_status", "speed < 4", "speed <= 4"),),
                story="4 km/h counted as walking (<= for <)",
            ),
            "07_deep": Work(
                edits=(
                    Edit(
                        "forward", '"sigmoid" if i == last else "relu"', '"relu" if i == last else "sigmoid"'
                    ),
                ),
                story="activations swapped between layers",
            ),
        },
    ),
    SampleStudent(
        "gus",
        {
            "01_tensors": CORRECT,
            "02_flow": Work(
                edits=(
                    Edit(
                        "affine", "def affine(", "import os\nos._exit(3)  # ends the process\n\n\ndef affine("
                    ),
                ),
                story="a cell that ends its process (os._exit)",
            ),
        },
    ),
)


def solution_sources(source_notebook: Path) -> dict[str, str]:
    """grade_id -> code of every solution cell of a source notebook (markers removed)."""
    notebook = nbformat.read(source_notebook, as_version=4)
    found = {}
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader") or {}
        if cell.cell_type == "code" and meta.get("solution"):
            lines = [
                line
                for line in cell.source.split("\n")
                if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")
            ]
            found[meta["grade_id"]] = "\n".join(lines)
    return found


def submission(release_notebook: Path, source_notebook: Path, work: Work) -> nbformat.NotebookNode:
    """The notebook a student with this `work` hands in."""
    if work.reference_notebook:
        return nbformat.read(source_notebook, as_version=4)
    notebook = nbformat.read(release_notebook, as_version=4)
    solutions = solution_sources(source_notebook)
    for edit in work.edits:
        if edit.old not in solutions.get(edit.function, ""):
            raise SampleError(f"{source_notebook.name}: {edit.function} has no {edit.old!r} to change")
        solutions[edit.function] = solutions[edit.function].replace(edit.old, edit.new)
    cells = []
    for cell in notebook.cells:
        cell = copy.deepcopy(cell)
        grade_id = (cell.metadata.get("nbgrader") or {}).get("grade_id")
        if grade_id in work.delete_cells:
            continue
        if work.solved and grade_id in solutions and (cell.metadata.get("nbgrader") or {}).get("solution"):
            cell.source = solutions[grade_id]
        cells.append(cell)
    missing = set(work.delete_cells) - {
        (c.metadata.get("nbgrader") or {}).get("grade_id") for c in notebook.cells
    }
    if missing:
        raise SampleError(f"{release_notebook.name}: no cells {sorted(missing)} to delete")
    notebook.cells = cells
    return notebook


def write_class(course: Path, students: tuple[SampleStudent, ...] = CLASS) -> list[tuple[str, str]]:
    """Write every sample submission of an assignment the course has into course/submitted/;
    return (student, assignment) of each."""
    written = []
    for student in students:
        for assignment_id, work in student.work.items():
            a = assignment(assignment_id)
            if not (course / "release" / a.id / a.notebook).exists():
                continue
            release = course / "release" / a.id / a.notebook
            source = course / "source" / a.id / a.notebook
            folder = course / "submitted" / student.id / a.id
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(submission(release, source, work), folder / a.notebook)
            (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
            written.append((student.id, a.id))
    return written
