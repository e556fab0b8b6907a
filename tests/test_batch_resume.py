"""Batch grading killed with kill -9 part-way and run again: no grade lost, none
duplicated, none half-written."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow

STUDENTS = [f"student{i:02d}" for i in range(8)]


def _class(folder):
    for i, student in enumerate(STUDENTS):
        (folder / student).mkdir(parents=True)
        origin = ROOT / ("solutions" if i % 2 == 0 else "exercises")
        for module in ("loss.py", "gradient_tape.py"):
            shutil.copy(origin / module, folder / student / module)


def _batch(klass, out):
    return subprocess.Popen(
        [sys.executable, "-m", "graders", "batch", str(klass), "--out", str(out), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def test_kill_dash_nine_then_resume(tmp_path):
    klass, out = tmp_path / "class", tmp_path / "out"
    _class(klass)
    first = _batch(klass, out)
    deadline = time.monotonic() + 300
    while len(list(out.glob("results/*/*.json"))) < 3:
        assert first.poll() is None, first.stdout.read()
        assert time.monotonic() < deadline, "no results after 300 s"
        time.sleep(0.2)
    os.killpg(first.pid, signal.SIGKILL)  # the batch, its fork server and every child
    first.wait()
    kept = {p: p.stat().st_mtime_ns for p in out.glob("results/*/*.json")}
    assert 3 <= len(kept) < 2 * len(STUDENTS)
    for path in kept:
        json.loads(path.read_text())  # every file is whole

    second = _batch(klass, out)
    output, _ = second.communicate(timeout=900)
    assert second.returncode == 0, output
    assert f"({len(kept)} already graded)" in output
    results = sorted(out.glob("results/*/*.json"))
    assert len(results) == 2 * len(STUDENTS)
    for path, mtime in kept.items():
        assert path.stat().st_mtime_ns == mtime, f"{path} was graded twice"
    rows = (out / "grades.csv").read_text().strip().split("\n")[1:]
    assert len(rows) == 2 * len(STUDENTS)
    assert len({tuple(r.split(",")[:2]) for r in rows}) == len(rows)
    for row in rows:
        student, _assignment, score, max_score = row.split(",")[:4]
        honest = int(student[-2:]) % 2 == 0
        assert float(score) == (float(max_score) if honest else 0.0), row
