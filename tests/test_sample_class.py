"""The main job on the sample class: nbgrader's autograde and the kit's grader give every
sample student the expected score, and agree; nothing student-facing leaks."""

import csv
import re

import nbformat
import pytest
from conftest import ROOT

from selfcheck.assignments import ASSIGNMENTS, assignment

pytestmark = pytest.mark.slow

# (student, assignment) -> expected score, for the two assignments whose sample mistakes are
# worked out check by check; maxima: 05_loss 21, 06_gradient_tape 23.
EXPECTED = {
    ("ref", "05_loss"): 21,
    ("ref", "06_gradient_tape"): 23,  # the source notebooks themselves
    ("ada", "05_loss"): 21,
    ("ada", "06_gradient_tape"): 23,  # all correct
    ("ben", "05_loss"): 16,  # summed loss: mean_squared_error's value checks (public 1, values 2,
    # gradient 1, tf.function 1) lost; shape check and tensor-ops rule hold
    ("ben", "06_gradient_tape"): 14,  # b never updated: minimize_loss's value checks (public, loss, w, b:
    # 4) and so its tape rule (1), train 3, and the line misses the
    # blobs (separates_blobs 1) -> 23 - 9
    ("cleo", "05_loss"): 17,  # sign flipped in mse_gradients: public 1 + values 3 lost
    ("cleo", "06_gradient_tape"): 14,  # gradient ascent on w: the same nine points as ben's
    ("dev", "05_loss"): 0,
    ("dev", "06_gradient_tape"): 0,  # untouched stubs (the release itself)
    ("eli", "05_loss"): 11,  # syntax error in predict's cell: predict (4) and mse_gradients (6:
    # it calls predict, so its rule earns nothing either) lost
    ("eli", "06_gradient_tape"): 20,  # decision_line missing: its 3 points lost
    ("fay", "05_loss"): 21,
    ("fay", "06_gradient_tape"): 14,  # minimize_loss cell deleted: minimize_loss 5 and train 4 lost
}
MAXIMA = {"05_loss": 21, "06_gradient_tape": 23}
FULL, ZERO = ("ref", "ada"), ("dev",)


@pytest.fixture(scope="module")
def rows(demo_run):
    return {(r.student, r.assignment): r for r in demo_run[0]}


def test_every_sample_submission_is_graded_by_both(rows):
    assert set(EXPECTED) <= set(rows)
    assert {a for _, a in rows} == {a.id for a in ASSIGNMENTS}


def test_both_graders_agree_everywhere(rows):
    assert not [key for key, row in rows.items() if row.nbgrader != row.kit]


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_expected_score_on_both_paths(rows, key):
    row = rows[key]
    assert row.max_score == MAXIMA[key[1]]
    assert (row.nbgrader, row.kit) == (EXPECTED[key], EXPECTED[key])


def test_reference_and_correct_work_get_full_marks_and_stubs_zero(rows):
    for (student, _), row in rows.items():
        if student in FULL or row.story == "all correct":
            assert row.nbgrader == row.kit == row.max_score > 0, row
        elif student in ZERO:
            assert row.nbgrader == row.kit == 0, row
        elif (student, row.assignment) not in EXPECTED and student != "gus":  # gus: test below
            assert 0 < row.kit < row.max_score, row  # every sample mistake costs some points, not all


def test_a_notebook_that_ends_its_process_costs_only_its_assignment(rows):
    """gus's 02_flow ends the kernel and the grader's process at its first function cell;
    his 01_tensors keeps full marks through nbgrader autograde and the kit's grader."""
    honest, crashed = rows[("gus", "01_tensors")], rows[("gus", "02_flow")]
    assert honest.nbgrader == honest.kit == honest.max_score > 0
    assert crashed.nbgrader == crashed.kit == 0


def test_nbgrader_export_and_feedback_exist(demo_run):
    _, course, _ = demo_run
    rows = demo_run[0]
    # nbgrader exports every student of the gradebook for every assignment; no submission is a 0
    exported = {
        (r["student_id"], r["assignment"]): float(r["raw_score"])
        for r in csv.DictReader(open(course / "grades.csv"))
    }
    students, assignments = {r.student for r in rows}, {r.assignment for r in rows}
    assert set(exported) == {(s, a) for s in students for a in assignments}
    submitted = {(r.student, r.assignment): r.nbgrader for r in rows}
    assert {key: score for key, score in exported.items() if key in submitted} == submitted
    assert not [key for key, score in exported.items() if key not in submitted and score != 0]
    for student, assignment_id in ((r.student, r.assignment) for r in rows):
        a = assignment(assignment_id)
        assert (course / "feedback" / student / a.id / f"{a.module}.html").exists()


def _split_solutions(source_notebook):
    """(lines inside solution regions, lines outside them) of a source notebook."""
    notebook = nbformat.read(source_notebook, as_version=4)
    inside, other = set(), set()
    for cell in notebook.cells:
        in_solution = False
        for line in cell.source.split("\n"):
            text = line.strip()
            if text == "### BEGIN SOLUTION":
                in_solution = True
            elif text == "### END SOLUTION":
                in_solution = False
            elif len(text) >= 8:
                (inside if in_solution else other).add(text)
    return inside, other


def _solution_lines(source_notebook):
    """Lines of solution bodies that students are not given anyway: not in the given code or
    text of any notebook, nor in the public checks' library (written for students to read)."""
    given = _lines((ROOT / "exercises" / "selfcheck").rglob("*.py"), minimum=8)
    for notebook in (ROOT / "source").glob("*/*.ipynb"):
        given |= _split_solutions(notebook)[1]
    return _split_solutions(source_notebook)[0] - given


def _lines(paths, minimum=25):
    found = set()
    for path in paths:
        found |= {line.strip() for line in path.read_text().split("\n") if len(line.strip()) >= minimum}
    return found


def _hidden_check_lines():
    """Lines of the hidden checks that nothing given to students holds (imports aside)."""
    hidden = _lines((ROOT / "graders" / "checks").rglob("*.py"))
    public = _lines(list((ROOT / "exercises").rglob("*.py")) + list((ROOT / "source").rglob("*.ipynb")))
    return {line for line in hidden - public if not line.startswith(("from ", "import "))}


def _student_facing_files(course, student_folder, a):
    yield course / "release" / a.id / a.notebook
    yield from (course / "release" / a.id).rglob("*.py")
    yield from student_folder.rglob("*.py")


@pytest.mark.parametrize("assignment_id", [a.id for a in ASSIGNMENTS])
def test_student_facing_files_hold_no_solution_and_no_hidden_check(demo_run, assignment_id):
    _, course, student_folder = demo_run
    a = assignment(assignment_id)
    solution = _solution_lines(ROOT / "source" / a.id / a.notebook)
    hidden = _hidden_check_lines()
    assert len(solution) >= 10
    for path in _student_facing_files(course, student_folder, a):
        text = path.read_text()
        lines = {line.strip() for line in re.split(r"\\n|\n", text)}
        assert not (solution & lines), f"{path} holds solution lines {sorted(solution & lines)[:3]}"
        assert not (hidden & lines), f"{path} holds hidden-check code {sorted(hidden & lines)[:3]}"
        assert "BEGIN HIDDEN TESTS" not in text and "graders" not in text.replace("graders/", "")


def test_feedback_holds_no_hidden_check_code(demo_run):
    _, course, _ = demo_run
    hidden = {line for line in _hidden_check_lines() if "(" in line}
    for html in (course / "feedback").rglob("*.html"):
        text = html.read_text()
        leaked = [line for line in hidden if line in text]
        assert not leaked, f"{html} shows {leaked[:3]}"
