"""One source of truth: everything derived from source/ is current, and drift is caught."""

import shutil
import subprocess

from conftest import ROOT

from graders.instructor import build


def test_generated_files_are_current():
    assert build.out_of_date() == [], "run `./kit build` and commit the result"


def _copy_repo(tmp_path):
    """The tracked part of the kit: source notebooks (without their release files), the
    references and the student folder."""
    for name in ("source", "solutions", "exercises"):
        ignored = ("__pycache__", "selfcheck", "*.csv") if name == "source" else ("__pycache__",)
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns(*ignored))
    return tmp_path


def test_drift_in_a_generated_file_is_caught(tmp_path):
    root = _copy_repo(tmp_path)
    assert build.out_of_date(root) == []
    stub = root / "exercises" / "loss.py"
    stub.write_text(stub.read_text().replace("raise NotImplementedError()", "return 0", 1))
    (root / "exercises" / "admissions.csv").write_text("age\n")
    assert sorted(build.out_of_date(root)) == ["exercises/admissions.csv", "exercises/loss.py"]
    assert build.build(root=root) == 0
    assert build.out_of_date(root) == []


def test_every_tracked_derived_file_is_guarded():
    tracked = set(
        subprocess.run(
            ["git", "ls-files", "solutions", "exercises"],
            cwd=ROOT,
            text=True,
            stdout=subprocess.PIPE,
            check=True,
        ).stdout.split()
    )
    written_by_hand = {
        p
        for p in tracked
        if p.startswith(("exercises/selfcheck/", "exercises/conftest.py", "exercises/pytest.ini"))
    }
    derived = {str(p.relative_to(ROOT)) for p in build.expected_files()}
    assert tracked - written_by_hand <= derived, sorted(tracked - written_by_hand - derived)


def test_release_files_are_written_next_to_each_notebook_and_not_tracked(tmp_path):
    root = _copy_repo(tmp_path)
    assert not (root / "source" / "05_loss" / "selfcheck").exists()
    written = build.write_release_files(root)
    assert root / "source" / "05_loss" / "selfcheck" in written
    shipped = (root / "source" / "04_data" / "admissions.csv").read_text()
    assert shipped == (ROOT / "exercises" / "admissions.csv").read_text()
    (root / "source" / "06_gradient_tape" / "selfcheck" / "compare.py").write_text("# edited\n")
    assert build.write_release_files(root) == [root / "source" / "06_gradient_tape" / "selfcheck"]
    assert build.write_release_files(root) == []
    tracked = subprocess.run(
        ["git", "ls-files", "source"], cwd=ROOT, text=True, stdout=subprocess.PIPE, check=True
    ).stdout.split()
    assert tracked and all(p.endswith(".ipynb") for p in tracked), tracked


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
