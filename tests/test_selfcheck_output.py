"""What a student sees when a public check fails: one short block per check (its id, each
failing case's inputs, what differs, the hint), in pytest and in a notebook cell, and
nothing of the selfcheck code that ran it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
from conftest import ROOT, run_kit

from selfcheck import public_checks
from selfcheck.failure import CheckFailed, failure_text
from selfcheck.model import As, Case, Check

pytestmark = pytest.mark.slow

LINE_BUDGET = 40  # lines of `pytest test_loss.py` on the stubs (4 failing checks)
CHECKS = public_checks("05_loss")
# A frame of the kit's own code in a traceback, or a dataclass repr of a check.
INTERNALS = re.compile(r"selfcheck[/\\]\w+\.py|Traceback|Check\(|AssertionError")
NO_BIAS = "    return x @ w\n"  # predict without its bias: the public check must say so


@pytest.fixture(scope="module")
def student_folder(tmp_path_factory):
    """A fresh copy of the student folder, written the way students get it."""
    folder = tmp_path_factory.mktemp("selfcheck-output") / "student"
    done = run_kit("student-folder", str(folder))
    assert done.returncode == 0, done.stdout + done.stderr
    return folder


def _copy(folder, tmp_path, loss_text=None):
    copy = tmp_path / "student"
    shutil.copytree(folder, copy)
    if loss_text is not None:
        (copy / "loss.py").write_text(loss_text)
    return copy


def _python(folder, *args):
    """`python ARGS` in the student folder, with an 80-column terminal: (exit status, what
    the terminal shows, standard output alone)."""
    env = {**os.environ, "COLUMNS": "80"}
    done = subprocess.run(
        [sys.executable, *args],
        cwd=folder,
        env=env,
        text=True,
        capture_output=True,
        timeout=300,
    )
    return done.returncode, done.stdout + done.stderr, done.stdout


def _wrong_predict() -> str:
    reference = (ROOT / "solutions" / "loss.py").read_text()
    assert reference.count("    return x @ w + b\n") == 1, "the reference predict changed: update this test"
    return reference.replace("    return x @ w + b\n", NO_BIAS)


def test_stub_failures_are_one_short_block_per_check(student_folder):
    status, out, _ = _python(student_folder, "-m", "pytest", "test_loss.py")
    lines = out.splitlines()
    assert status == 1, out
    assert len(lines) <= LINE_BUDGET, f"{len(lines)} lines:\n{out}"
    assert not INTERNALS.search(out), out
    assert f"{len(CHECKS)} failed" in lines[-1]
    for check in CHECKS:
        block = _block(out, check.id)
        for index, case in enumerate(check.cases):
            assert f"case {index + 1} of {len(check.cases)} ({case.label})" in block, block
        assert block.count("not implemented yet") == len(check.cases), block
        # The summary names the test whole, never cut to the terminal's width.
        assert f"FAILED test_loss.py::test_public[{check.id}]" in lines


def test_a_wrong_result_shows_the_case_what_differs_and_the_hint(student_folder, tmp_path):
    folder = _copy(student_folder, tmp_path, _wrong_predict())
    status, out, _ = _python(folder, "-m", "pytest", "test_loss.py", "-k", "predict")
    assert status == 1, out
    assert not INTERNALS.search(out), out
    block = _block(out, "predict.public")
    assert "case 1 of 2 (float32 tensors, x (3, 2)): float32 tensors x (3, 2), w (2, 1), b (1,)" in block
    assert (
        "case 2 of 2 (float64 NumPy arrays, x (2, 1)): float64 NumPy arrays x (2, 1), w (1, 1), b (1,)"
    ) in block
    assert block.count("outside the tolerance") == 2, block
    assert re.search(r"^  Hint: .*bias", block, re.MULTILINE), block
    assert "FAILED test_loss.py::test_public[predict.public]" in out.splitlines()


def test_a_notebook_cell_shows_the_same_block_without_a_traceback(student_folder, tmp_path):
    """IPython (a notebook's kernel) shows the message of a failing check and no frames."""
    folder = _copy(student_folder, tmp_path, _wrong_predict())
    cell = 'import loss\nfrom selfcheck import check\ncheck("05_loss", "predict", loss.predict)'
    script = (
        "from IPython.core.interactiveshell import InteractiveShell\n"
        f"InteractiveShell.instance(colors='nocolor').run_cell({cell!r})\n"
    )
    _, _, out = _python(folder, "-c", script)
    assert not INTERNALS.search(out) and "Cell In" not in out, out
    assert out.startswith("CheckFailed: predict.public failed: x @ w + b"), out
    assert "case 1 of 2 (float32 tensors, x (3, 2))" in out and "\n  Hint: " in out, out


def test_a_passing_run_prints_no_failure_block(student_folder, tmp_path):
    folder = _copy(student_folder, tmp_path, (ROOT / "solutions" / "loss.py").read_text())
    status, out, _ = _python(folder, "-m", "pytest", "test_loss.py")
    assert status == 0, out
    assert f"{len(CHECKS)} passed" in out
    assert "FAILURES" not in out and " failed" not in out and "Hint" not in out, out


def test_the_block_describes_every_input_by_kind_dtype_and_shape():
    f32 = np.zeros((3, 2), np.float32)
    check = Check(
        id="f.public",
        assignment="05_loss",
        function="f",
        points=1,
        visibility="public",
        description="what f does",
        cases=(Case(), Case(), Case()),
        expected=(0, 0, 0),
    )
    grouped = Case(args=(As("tensor", f32), As("tensor", np.zeros(2, np.float32))), label="two tensors")
    mixed = Case(
        args=(f32.astype(np.float64), As("list", f32), 0.5, [As("variable", f32)] * 2),
        kwargs={"activation": "relu"},
    )
    text = failure_text(
        check,
        [(0, grouped, "it is wrong"), (2, mixed, "it raised ValueError")],
        "a known mistake",
        ("x", "y"),
    )
    assert text.splitlines() == [
        "f.public failed: what f does",
        "  case 1 of 3 (two tensors): float32 tensors x (3, 2), y (2,)",
        "    it is wrong",
        "  case 3 of 3: float64 NumPy array (3, 2), list of floats (3, 2), 0.5, "
        "a list of 2 float32 tf.Variables (3, 2), activation 'relu'",
        "    it raised ValueError",
        "  Hint: a known mistake",
    ]
    assert CheckFailed(text)._render_traceback_() == [f"CheckFailed: {text}"]


def _block(out: str, check_id: str) -> str:
    """The lines of pytest's output that belong to one check's failure block."""
    start = out.index(f"{check_id} failed: ")
    end = re.search(r"^(_{3,}|={3,})", out[start:], re.MULTILINE)
    return out[start : start + end.start()] if end else out[start:]
