"""One source of truth: everything derived from source/ is current, and drift is caught."""

import shutil

from conftest import ROOT
from graders.instructor import build


def test_generated_files_are_current():
    assert build.out_of_date() == [], "run `./kit build` and commit the result"


def _copy_repo(tmp_path):
    for name in ("source", "solutions", "exercises"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_drift_in_a_generated_file_is_caught(tmp_path):
    root = _copy_repo(tmp_path)
    assert build.out_of_date(root) == []
    stub = root / "exercises" / "loss.py"
    stub.write_text(stub.read_text().replace("raise NotImplementedError()", "return 0", 1))
    (root / "source" / "06_gradient_tape" / "selfcheck" / "compare.py").write_text("# edited\n")
    assert build.out_of_date(root) == ["exercises/loss.py", "source/06_gradient_tape/selfcheck"]
    assert build.build(root=root) == 0
    assert build.out_of_date(root) == []


def test_points_in_the_notebooks_come_from_the_registry(tmp_path):
    root = _copy_repo(tmp_path)
    notebook = root / "source" / "05_loss" / "loss.ipynb"
    notebook.write_text(notebook.read_text().replace('"points": 5', '"points": 7', 1))
    assert build.out_of_date(root) == ["source/05_loss/loss.ipynb"]


def test_reference_and_stub_are_the_notebook_cells():
    reference = (ROOT / "solutions" / "loss.py").read_text()
    stub = (ROOT / "exercises" / "loss.py").read_text()
    assert "BEGIN SOLUTION" not in reference and "tf.reduce_mean(tf.square(" in reference
    assert "tf.reduce_mean(tf.square(" not in stub
    assert stub.count("raise NotImplementedError()") == 4
