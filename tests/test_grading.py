"""The command-line grader on the reference solutions, the stubs, bad paths and notebooks
(several devices: tests/test_gpu_like.py)."""

import nbformat
import pytest
from conftest import ROOT, grade_json, run_kit

from graders.checks import checks_for
from selfcheck.assignments import ASSIGNMENTS, assignment

pytestmark = pytest.mark.slow

ALL = [a.id for a in ASSIGNMENTS]


def graded_functions(assignment_id):
    """The functions a notebook asks students to write: its solution cells."""
    a = assignment(assignment_id)
    notebook = nbformat.read(ROOT / "source" / a.id / a.notebook, as_version=4)
    return {
        c.metadata["nbgrader"]["grade_id"]
        for c in notebook.cells
        if c.cell_type == "code" and (c.metadata.get("nbgrader") or {}).get("solution")
    }


@pytest.fixture(scope="module")
def solutions_result(tmp_path_factory):
    return grade_json(ROOT / "solutions", tmp_path_factory.mktemp("solutions"))


def test_reference_solutions_get_full_marks(solutions_result):
    result = solutions_result
    assert result["max_score"] > 0 and result["score"] == result["max_score"]
    assert [a["id"] for a in result["assignments"]] == ALL
    for entry in result["assignments"]:
        assert entry["error"] is None
        assert entry["score"] == entry["max_score"] > 0
        for check in entry["checks"]:
            assert check["status"] == "passed", check


def test_json_has_the_documented_shape(solutions_result):
    result = solutions_result
    assert set(result) >= {"score", "max_score", "environment", "assignments"}
    assert set(result["environment"]) >= {"tensorflow", "devices", "skipped_devices"}
    assert result["environment"]["devices"][0].startswith("CPU")
    for entry in result["assignments"]:
        assert set(entry) >= {"id", "source", "score", "max_score", "error", "checks"}
        for check in entry["checks"]:
            assert set(check) >= {
                "id",
                "function",
                "visibility",
                "score",
                "max_score",
                "status",
                "message",
                "devices",
            }
            assert check["visibility"] in ("public", "hidden")
            assert check["status"] in ("passed", "failed", "error", "timeout")


def test_every_graded_function_has_a_hidden_check():
    for assignment_id in ALL:
        hidden = {c.function for c in checks_for(assignment_id) if c.visibility == "hidden"}
        public = {c.function for c in checks_for(assignment_id) if c.visibility == "public"}
        assert hidden == graded_functions(assignment_id) == public, assignment_id


def test_missing_gpu_is_reported_as_skipped_not_passed(solutions_result):
    env = solutions_result["environment"]
    if not any(d.startswith("GPU") for d in env["devices"]):
        assert "GPU" in env["skipped_devices"]
        for entry in solutions_result["assignments"]:
            for check in entry["checks"]:
                assert not any(d.startswith("GPU") for d in check["devices"])


def test_stubs_score_zero_with_not_implemented_per_function(tmp_path):
    result = grade_json(ROOT / "exercises", tmp_path)
    assert result["score"] == 0 and result["max_score"] > 0
    for entry in result["assignments"]:
        for check in entry["checks"]:
            assert check["status"] == "error"
            assert f"{check['function']} is not implemented yet" in check["message"]


def test_nothing_gradable_is_a_clear_error(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    done = run_kit("grade", str(tmp_path))
    assert done.returncode == 2
    assert "holds nothing to grade" in done.stderr and "loss.py or loss.ipynb" in done.stderr
    done = run_kit("grade", str(tmp_path / "missing"))
    assert done.returncode == 2 and "does not exist" in done.stderr


def test_a_notebook_and_a_broken_module_side_by_side(tmp_path):
    """An nbgrader-form notebook is graded cell by cell; a module that does not import
    costs only its own assignment."""
    notebook = ROOT / "source" / "05_loss" / "loss.ipynb"
    (tmp_path / "05_loss").mkdir()
    (tmp_path / "05_loss" / "loss.ipynb").write_bytes(notebook.read_bytes())
    (tmp_path / "gradient_tape.py").write_text("def make_blobs(:\n")
    result = grade_json(tmp_path, tmp_path)
    loss, tape = result["assignments"]
    assert loss["score"] == loss["max_score"] > 0
    assert tape["score"] == 0 and "SyntaxError" in tape["error"] and "line 1" in tape["error"]
    assert all(c["status"] == "error" for c in tape["checks"])
