"""Each assignment on its own, and nothing outliving the grader.

A submission's process that ends while loading or checking one assignment (os._exit,
sys.exit, a segfault, an abort, the memory limit, the time limit) costs that assignment
only: the honest assignment keeps exactly its own score, through `grade` (one student, each
other assignment ending a different way) and `batch` (a student per ending). And when a grading run is stopped (SIGTERM, SIGINT, SIGKILL) while a submission
never returns, ignores signals and hides helpers (with a grandchild) in new sessions, no
process of the run is left a few seconds later.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow

HONEST = "loss.py"  # 05_loss, graded in full next to the crashing module
CRASHING = "rules.py"  # 03_rules_vs_learning
ENDINGS = {
    "os_exit": "import os\nos._exit(3)\n",
    "sys_exit": "import sys\nsys.exit(4)\n",
    "segfault": "import ctypes\nctypes.string_at(0)\n",
    "abort": "import os\nos.abort()\n",
    "memory_limit": "blocks = [bytearray(1 << 30) for _ in range(64)]\n",
    # endless, asleep: the time limit ends it all the same (tests/hostile has busy loops)
    "time_limit": "import time\nwhile True:\n    time.sleep(1)\n",
}
TIMEOUT = "25"  # seconds per (student, assignment) process: how long the time-limit ending lasts


def _submission(folder: Path, ending: str) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / HONEST, folder / HONEST)
    (folder / CRASHING).write_text(ENDINGS[ending])
    return folder


def _scores(report_assignments: list[dict]) -> dict[str, tuple[float, float, str | None]]:
    return {a["id"]: (a["score"], a["max_score"], a["error"]) for a in report_assignments}


@pytest.fixture(scope="module")
def full_marks() -> float:
    from graders.checks import checks_for

    return float(sum(c.points for c in checks_for("05_loss")))


def test_grade_keeps_the_honest_assignment_for_every_ending(tmp_path, full_marks):
    """One student whose every other assignment ends its process a different way, in one
    `grade` run: each of those costs its own assignment only."""
    from selfcheck.assignments import ASSIGNMENTS

    others = [a for a in ASSIGNMENTS if a.script != HONEST]
    assert len(others) >= len(ENDINGS)
    crashing = dict(zip(ENDINGS, others))
    folder = tmp_path / "student"
    folder.mkdir()
    shutil.copy(ROOT / "solutions" / HONEST, folder / HONEST)
    for ending, a in crashing.items():
        (folder / a.script).write_text(ENDINGS[ending])
    out = tmp_path / "result.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "graders",
            "grade",
            str(folder),
            "--json",
            str(out),
            "--quiet",
            "--timeout",
            TIMEOUT,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout
    scores = _scores(json.loads(out.read_text())["assignments"])
    assert scores["05_loss"] == (full_marks, full_marks, None), scores
    for ending, a in crashing.items():
        score, _, error = scores[a.id]
        assert score == 0 and error, (ending, a.id, scores[a.id])


def test_batch_keeps_the_honest_assignment_for_every_ending(tmp_path, full_marks):
    from graders.engine import grade_class

    klass, out = tmp_path / "class", tmp_path / "out"
    for ending in ENDINGS:
        _submission(klass / ending, ending)
    grade_class(klass, out, workers=2, progress=False, timeout=float(TIMEOUT))
    for ending in ENDINGS:
        honest = json.loads((out / "results" / ending / "05_loss.json").read_text())["assignment"]
        crashed = json.loads((out / "results" / ending / "03_rules_vs_learning.json").read_text())[
            "assignment"
        ]
        assert honest["score"] == honest["max_score"] == full_marks, (ending, honest["error"])
        assert crashed["score"] == 0 and crashed["error"], ending


SIEGE = """
import os, signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGHUP, signal.SIG_IGN)
if os.fork() == 0:          # a helper in a session of its own, with a grandchild
    os.setsid()
    if os.fork() == 0:
        while True:
            time.sleep(1)
    while True:
        time.sleep(1)

def predict(x, w, b):       # never returns, deaf to signals
    while True:
        time.sleep(1)
"""


def _start(door: str, tmp_path: Path) -> subprocess.Popen:
    klass = tmp_path / door / "class"
    (klass / "mallory").mkdir(parents=True)
    (klass / "mallory" / "loss.py").write_text(SIEGE)
    if door == "grade":
        command = ["grade", str(klass / "mallory")]
    else:
        command = ["batch", str(klass), "--out", str(tmp_path / door / "out"), "--workers", "1"]
    return subprocess.Popen(
        [sys.executable, "-m", "graders", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        # as from a terminal: a process started in the background (a pytest-xdist worker
        # is one) inherits SIGINT ignored, and Python then keeps it ignored
        preexec_fn=_sigint_as_from_a_terminal,
    )


def _sigint_as_from_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _descendants(pid: int) -> dict[int, float]:
    try:
        return {c.pid: c.create_time() for c in psutil.Process(pid).children(recursive=True)}
    except psutil.Error:
        return {}


def _alive(seen: dict[int, float]) -> list[int]:
    alive = []
    for pid, created in seen.items():
        try:
            process = psutil.Process(pid)
            if process.create_time() == created and process.status() != psutil.STATUS_ZOMBIE:
                alive.append(pid)
        except psutil.Error:
            pass
    return alive


STOPS = [(door, stop) for door in ("grade", "batch") for stop in ("SIGTERM", "SIGINT", "SIGKILL")]


def test_nothing_outlives_a_stopped_run(tmp_path):
    runs = {key: _start(key[0], tmp_path / f"{key[0]}-{key[1]}") for key in STOPS}
    seen: dict[tuple, dict[int, float]] = {key: {} for key in STOPS}
    deadline = time.monotonic() + 300
    # grader -> fork server -> child -> contained process -> helper -> grandchild
    while not all(len(seen[key]) >= 5 for key in STOPS):
        assert time.monotonic() < deadline, {k: len(v) for k, v in seen.items()}
        for key, process in runs.items():
            assert process.poll() is None, (key, process.stderr.read())
            seen[key].update(_descendants(process.pid))
        time.sleep(0.5)
    time.sleep(2)  # every submission is now deep in its endless call
    for key, process in runs.items():
        seen[key].update(_descendants(process.pid))
        process.send_signal(getattr(signal, key[1]))
    for key, process in runs.items():
        process.wait(timeout=30)
        if key[1] != "SIGKILL":
            assert process.returncode in (130, 143), (key, process.returncode, process.stderr.read())
    time.sleep(3)
    left = {key: _alive(pids) for key, pids in seen.items()}
    assert not any(left.values()), left
