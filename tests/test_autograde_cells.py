"""The autograde preprocessor: which cells it takes over, and what nbgrader makes of the
outputs it writes (scored by nbgrader's own determine_grade)."""

import logging

import nbformat
import pytest
from nbgrader.utils import determine_grade

from graders.instructor import autograde
from graders.instructor.build import HIDDEN_CELL, PUBLIC_CELL


def _grade_cell(source, points, solution=False):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {
        "grade": True,
        "solution": solution,
        "locked": not solution,
        "points": points,
        "grade_id": f"cell{id(cell)}",
        "schema_version": 3,
    }
    cell.outputs = [
        nbformat.v4.new_output("execute_result", data={"text/plain": str(points)}, execution_count=1)
    ]
    return cell


def _report(checks):
    return {
        "assignments": [
            {
                "id": "05_loss",
                "error": None,
                "checks": [
                    {
                        "id": f"predict.{name}",
                        "function": "predict",
                        "visibility": visibility,
                        "status": status,
                        "score": points if status == "passed" else 0.0,
                        "max_score": points,
                        "description": name,
                        "message": "" if status == "passed" else f"{name} is wrong",
                    }
                    for name, visibility, status, points in checks
                ],
            }
        ]
    }


def _notebook():
    public = _grade_cell(PUBLIC_CELL.format(assignment="05_loss", function="predict"), 1)
    hidden = _grade_cell(HIDDEN_CELL.format(assignment="05_loss", function="predict"), 3)
    solution = _grade_cell('def predict(x, w, b):\n    grade("05_loss", "predict")', 2, solution=True)
    other = _grade_cell("assert 1 + 1 == 2", 1)
    return nbformat.v4.new_notebook(cells=[public, hidden, solution, other])


def test_only_the_kits_check_cells_are_taken_over():
    nb = _notebook()
    assert [autograde.check_call(cell) for cell in nb.cells] == [
        {"kind": "check", "assignment": "05_loss", "function": "predict"},
        {"kind": "grade", "assignment": "05_loss", "function": "predict"},
        None,
        None,
    ]


def test_outputs_forged_in_the_kernel_are_replaced_by_the_graders_outcome(monkeypatch):
    report = _report(
        [
            ("public", "public", "passed", 1.0),
            ("values", "hidden", "failed", 2.0),
            ("tf_function", "hidden", "passed", 1.0),
        ]
    )
    monkeypatch.setattr(autograde, "grade_notebook", lambda nb, assignment_id, folder: report)
    nb, _ = autograde.ContainedGrades().preprocess(_notebook(), {"metadata": {"path": ""}})
    scores = [determine_grade(cell, logging.getLogger())[0] for cell in nb.cells]
    assert scores == [1.0, 1.0, None, 1.0]  # the hidden cell's forged 3 points became 1
    assert "predict.values: FAILED (0/2)" in nb.cells[1].outputs[0]["text"]
    assert "values is wrong" in nb.cells[1].outputs[0]["text"]


@pytest.mark.parametrize("failure", [RuntimeError("the fork server died"), LookupError("no such check")])
def test_a_grader_failure_gives_the_cells_no_points_and_says_why(monkeypatch, failure):
    def fail(nb, assignment_id, folder):
        raise failure

    monkeypatch.setattr(autograde, "grade_notebook", fail)
    nb, _ = autograde.ContainedGrades().preprocess(_notebook(), {"metadata": {"path": ""}})
    for cell in nb.cells[:2]:
        assert determine_grade(cell, logging.getLogger())[0] == 0
        assert str(failure) in cell.outputs[0]["evalue"]


def test_a_report_without_the_functions_checks_gives_no_points(monkeypatch):
    monkeypatch.setattr(autograde, "grade_notebook", lambda nb, assignment_id, folder: _report([]))
    nb, _ = autograde.ContainedGrades().preprocess(_notebook(), {"metadata": {"path": ""}})
    assert [determine_grade(cell, logging.getLogger())[0] for cell in nb.cells[:2]] == [0, 0]
    assert "no public check of 'predict'" in nb.cells[0].outputs[0]["evalue"]
