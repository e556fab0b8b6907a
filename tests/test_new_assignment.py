"""Adding an assignment as the README says: in a throwaway copy of the kit, a minimal eighth
assignment (one function, one public and one hidden check) is added, built and graded, and
the change touches at most eight committed files. A source folder without its registry entry
is an error that names the file to edit."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, run_kit

pytestmark = pytest.mark.slow

NEW = "08_scale"
MODULE = "scale"
TRACKED = (
    "graders",
    "exercises",
    "solutions",
    "source",
    "nbgrader_config.py",
    "pyproject.toml",
    ".gitignore",
)

SETUP = "import numpy as np\nimport tensorflow as tf"
SOLUTION = '''def double(x):
    """Twice x, as a tensor in the dtype of x."""
    ### BEGIN SOLUTION
    x = tf.convert_to_tensor(x)
    return x + x
    ### END SOLUTION'''
PUBLIC = f'''"""Public checks of {NEW}."""

from ..expect import f32, tensor
from ..model import As, Case, Check

CHECKS = (
    Check(id="double.public", assignment="{NEW}", function="double", points=1, visibility="public",
          description="twice a small vector", cases=(Case(args=(As("tensor", f32([1, -2])),), label="(2,)"),),
          expected=(tensor([2, -4], "float32"),)),
)
'''
HIDDEN = f'''"""Hidden checks of {NEW}."""

from graders.checks.define import hidden_checks_of
from graders.checks.draw import form, normal
from selfcheck.model import Case

_hidden = hidden_checks_of("{NEW}")


def values(rng):
    return [Case(args=(form(rng, normal(rng, (int(rng.integers(1, 9)),), "float32")),), label="float32")
            for _ in range(3)]


CHECKS = (_hidden("double.values", "double", 2, "twice many vectors", values),)
'''


def _cell(
    kind: str,
    source: str,
    grade_id: str,
    solution: bool = False,
    grade: bool = False,
    tags: tuple[str, ...] = (),
) -> nbformat.NotebookNode:
    make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    cell = make(source)
    cell.metadata["nbgrader"] = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": not solution,
        "schema_version": 3,
        "solution": solution,
    }
    if grade:
        cell.metadata["nbgrader"]["points"] = 0
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def _minimal_notebook() -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# 08 · Doubling"),
        _cell("code", SETUP, "setup", tags=("module",)),
        _cell("code", SOLUTION, "double", solution=True, tags=("module",)),
        _cell("code", "", "double_public", grade=True),
        _cell("code", "", "double_hidden", grade=True),
    ]
    return notebook


def _kit(tmp_path: Path) -> tuple[Path, dict]:
    """A copy of the kit's committed files, as a git repository of its own."""
    copy = tmp_path / "kit"
    copy.mkdir()
    files = subprocess.run(
        ["git", "ls-files", *TRACKED], cwd=ROOT, text=True, capture_output=True, check=True
    ).stdout.split()
    for name in files:
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, copy / name)
    env = {
        **os.environ,
        "PYTHONPATH": f"{copy}{os.pathsep}{copy / 'exercises'}",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    for command in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "kit"]):
        subprocess.run(command, cwd=copy, check=True, env=env)
    return copy, env


def test_an_eighth_assignment_touches_at_most_eight_committed_files(tmp_path):
    copy, env = _kit(tmp_path)
    where = subprocess.run(
        [sys.executable, "-c", "import graders; print(graders.__file__)"],
        cwd=copy,
        env=env,
        text=True,
        capture_output=True,
        check=True,
    ).stdout
    assert where.startswith(str(copy)), where  # the copy's code runs, not the installed kit's

    # 1. the notebook, 2. the registry entry, 3. public checks, 4. hidden checks
    nbformat.write(
        _minimal_notebook(), (copy / "source" / NEW).mkdir() or copy / "source" / NEW / f"{MODULE}.ipynb"
    )
    registry = copy / "exercises" / "selfcheck" / "assignments.py"
    text = registry.read_text()
    last = text.index("\n)", text.index("ASSIGNMENTS"))
    registry.write_text(text[:last] + f'\n    Assignment("{NEW}", "{MODULE}", "Doubling"),' + text[last:])
    (copy / "exercises" / "selfcheck" / "public" / f"{MODULE}.py").write_text(PUBLIC)
    (copy / "graders" / "checks" / f"{MODULE}.py").write_text(HIDDEN)

    built = run_kit("build", cwd=copy, env=env)
    assert built.returncode == 0, built.stdout + built.stderr
    assert run_kit("build", "--check", cwd=copy, env=env).returncode == 0

    reference = _grade(copy, env, copy / "solutions" / f"{MODULE}.py", tmp_path / "reference.json")
    assert reference["score"] == reference["max_score"] == 3
    stub = _grade(copy, env, copy / "exercises" / f"{MODULE}.py", tmp_path / "stub.json")
    assert stub["score"] == 0 and "not implemented" in json.dumps(stub)

    changed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=copy,
        text=True,
        capture_output=True,
        check=True,
    ).stdout.splitlines()
    changed = [line[3:] for line in changed if "__pycache__" not in line]
    assert 7 <= len(changed) <= 8, changed


def _grade(copy: Path, env: dict, path: Path, out: Path) -> dict:
    done = run_kit("grade", str(path), "--json", str(out), "--quiet", cwd=copy, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(out.read_text())


def test_a_notebook_without_its_registry_entry_is_an_error(tmp_path):
    from graders.instructor.build import BuildError, assignments_with_sources

    (tmp_path / "source" / "09_new").mkdir(parents=True)
    with pytest.raises(
        BuildError, match=r"source/09_new/ has no entry in exercises/selfcheck/assignments.py"
    ):
        assignments_with_sources(tmp_path)


def test_a_missing_check_module_is_an_error_naming_it(monkeypatch):
    import graders.checks as checks
    from selfcheck import assignments

    extra = assignments.Assignment("09_new", "brand_new", "New")
    monkeypatch.setitem(assignments.BY_ID, extra.id, extra)
    with pytest.raises(LookupError, match=r"selfcheck/public/brand_new.py is missing"):
        checks.checks_for("09_new")
    with pytest.raises(LookupError, match=r"graders/checks/brand_new.py is missing"):
        checks.hidden_checks("09_new")
