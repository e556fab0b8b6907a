"""Hostile notebooks through the real `nbgrader autograde`, with the kit's configuration.

Every notebook of tests/hostile_notebooks/ is the 05_loss release with the attack's cells
after the setup cell (and what its metadata says is handed in with it: links, a selfcheck/
package, or the notebook itself as a link). All of them are graded in one course, in one
autograde run, together with honest students graded before (aaa_), between (mmm_) and after
(zzz_) them. Autograde must complete; no solution or hidden check may reach an autograded
notebook or feedback page; every honest student keeps the score the kit's batch grader gives
the same notebook; every attack earns nothing; the submissions, the course's source and
release and the kit's files stay byte-identical, and the gradebook holds nbgrader's own
scores only; nothing an attack started outlives the run."""

import csv
import hashlib
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, run_kit
from test_sample_class import _hidden_check_lines, _solution_lines

from graders.engine import BASE_SEED, ReferenceCache
from graders.instructor.demo import prepare_course
from graders.instructor.samples import CLASS, CORRECT, SampleStudent, write_class

pytestmark = pytest.mark.slow

CORPUS = ROOT / "tests" / "hostile_notebooks"
ATTACKS = sorted(p.stem for p in CORPUS.glob("*.ipynb"))
HONEST = {
    "aaa_honest": CORRECT,
    "mmm_honest": next(s for s in CLASS if s.id == "ben").work["05_loss"],
    "zzz_honest": next(s for s in CLASS if s.id == "cleo").work["05_loss"],
}
MARK = "PW" + "NED"  # what an attack that worked writes; no file of the kit holds it
PROCESS_MARKERS = ("storm-" + "marker", "daemon-" + "marker")
# The cell time limit of this course: the never-ending cell sleeps through it, and the memory
# bomb meets the memory limit well within it on a busy machine (it maps address space and
# writes an eighth of it: first writes to memory can be slow in a virtual machine).
TIMEOUT = 25
GRADER_TIMEOUT = 35  # and the contained grader's, which runs the same cells


@dataclass
class Run:
    course: Path
    autograde: subprocess.CompletedProcess
    seconds: float
    honest: dict[str, float]
    scores: dict[str, float]
    before: dict[str, str]
    after: dict[str, str]
    left_running: list[int]
    connections: list[bytes]


def _nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    bin_dir = Path(sys.executable).parent
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(course.parent)}
    if "GRADERS_REFERENCE_CACHE" in os.environ:  # the run's, where read_stored_answers looks
        env["GRADERS_REFERENCE_CACHE"] = os.environ["GRADERS_REFERENCE_CACHE"]
    return subprocess.run(
        [str(bin_dir / "nbgrader"), *args],
        cwd=course,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=1800,
    )


def _digests(folder: Path) -> dict[str, str]:
    """Every file (a link: its target) under `folder` -> a digest of its bytes."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if "__pycache__" in path.parts:
            continue
        if path.is_symlink():
            found[str(path)] = "link:" + os.readlink(path)
        elif path.is_file():
            found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _protected(course: Path) -> dict[str, str]:
    found = {}
    for folder in (
        course / "submitted",
        course / "source",
        course / "release",
        ROOT / "solutions",
        ROOT / "graders" / "checks",
    ):
        found.update(_digests(folder))
    return found


def _listen() -> tuple[socket.socket, list[bytes]]:
    """A service on the loopback, as a grading machine has: it records who reached it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    received: list[bytes] = []

    def serve():
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(2)
                try:
                    received.append(connection.recv(100) or b"(connected)")
                except OSError:
                    received.append(b"(connected)")

    threading.Thread(target=serve, daemon=True).start()
    return server, received


def _hand_in(course: Path, attack: str, port: int) -> None:
    """Write the attack's submission: the release with its cells after the setup cell."""
    corpus = nbformat.read(CORPUS / f"{attack}.ipynb", as_version=4)
    extras = corpus.metadata.get("hostile", {})
    folder = course / "submitted" / attack / "05_loss"
    folder.mkdir(parents=True)
    (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
    if "notebook_link" in extras:
        (folder / "loss.ipynb").symlink_to(extras["notebook_link"])
        return
    notebook = nbformat.read(course / "release" / "05_loss" / "loss.ipynb", as_version=4)
    known = {"PORT": str(port), "COURSE_FOLDER": str(course), "KIT_FOLDER": str(ROOT)}
    cells = [
        nbformat.v4.new_code_cell(_fill(c.source, known)) if c.cell_type == "code" else c
        for c in corpus.cells
    ]
    first_code = next(i for i, c in enumerate(notebook.cells) if c.cell_type == "code")
    notebook.cells[first_code + 1 : first_code + 1] = cells
    nbformat.write(notebook, folder / "loss.ipynb")
    for name, target in extras.get("links", {}).items():
        (folder / name).symlink_to(target.replace("{kit}", str(ROOT)))
    for name, text in extras.get("files", {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)


def _fill(source: str, known: dict[str, str]) -> str:
    """What an attack is told about the machine (a port to reach, where its course is)."""
    for name, value in known.items():
        source = source.replace(name, value)
    return source


def _alive(markers) -> list[int]:
    found = []
    for pid in os.listdir("/proc"):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if pid.isdigit() and any(m.encode() in command for m in markers):
            found.append(int(pid))
    return found


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    base = tmp_path_factory.mktemp("hostile-notebooks")
    course = base / "course"
    prepare_course(course)
    with open(course / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.Execute.timeout = {TIMEOUT}\nc.ContainedGrades.timeout = {GRADER_TIMEOUT}\n")
    assert _nbgrader(course, "generate_assignment", "05_loss", "--force").returncode == 0
    write_class(course, tuple(SampleStudent(s, {"05_loss": w}) for s, w in HONEST.items()))

    # what the kit's batch grader gives the honest notebooks, graded apart from any attack
    apart = base / "honest"
    for student in HONEST:
        shutil.copytree(course / "submitted" / student, apart / student)
    assert run_kit("batch", str(apart), "--out", str(base / "honest-out")).returncode == 0
    with open(base / "honest-out" / "grades.csv") as rows:
        honest = {r["student"]: float(r["score"]) for r in csv.DictReader(rows)}
    stored = ReferenceCache.configured()  # the batch stored 05_loss's cases and answers
    assert stored is None or stored.load("05_loss", BASE_SEED, stored.machine()["devices"]) is not None

    server, connections = _listen()
    for attack in ATTACKS:
        _hand_in(course, attack, server.getsockname()[1])
    before = _protected(course)
    started = time.monotonic()
    autograde = _nbgrader(course, "autograde", "05_loss", "--force")
    seconds = time.monotonic() - started
    print(f"\nnbgrader autograde, {len(ATTACKS)} attacks and {len(HONEST)} honest students: {seconds:.0f} s")
    time.sleep(6)  # longer than any attack's daemon waits before it strikes
    left_running = _alive(PROCESS_MARKERS)
    assert _nbgrader(course, "generate_feedback", "05_loss", "--force").returncode == 0
    assert _nbgrader(course, "export", "--to", "grades.csv").returncode == 0
    with open(course / "grades.csv") as rows:
        scores = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(rows)}
    after = _protected(course)
    server.close()
    return Run(course, autograde, seconds, honest, scores, before, after, left_running, connections)


def test_the_corpus_covers_at_least_fifteen_attacks():
    assert len(ATTACKS) >= 15


def test_autograde_completes_and_grades_every_notebook_handed_in(run):
    assert run.autograde.returncode == 0, run.autograde.stdout[-4000:]
    graded = {p.parent.parent.name for p in (run.course / "autograded").glob("*/05_loss/loss.ipynb")}
    assert graded == (set(ATTACKS) | set(HONEST)) - {"notebook_is_a_link"}
    assert set(run.scores) == set(ATTACKS) | set(HONEST)


def test_honest_students_keep_their_scores(run):
    assert run.honest == {s: run.scores[s] for s in HONEST}
    assert run.honest["aaa_honest"] == 21 and 0 < run.honest["mmm_honest"] < 21


@pytest.mark.parametrize("attack", ATTACKS)
def test_the_attack_earns_nothing(run, attack):
    assert run.scores[attack] == 0


def _texts(folder: Path):
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            yield path, path.read_text(errors="replace")


def test_no_solution_and_no_hidden_check_reaches_a_notebook_or_feedback(run):
    solution, hidden = _solution_lines(ROOT / "source" / "05_loss" / "loss.ipynb"), _hidden_check_lines()
    assert len(solution) >= 10 and len(hidden) >= 10
    for student in [*ATTACKS, *HONEST]:
        for folder in (run.course / "autograded" / student, run.course / "feedback" / student):
            for path, text in _texts(folder):
                lines = {line.strip() for line in re.split(r"\\n|\n|<br>", text)}
                lines |= {re.sub(r"<[^>]+>", "", line) for line in lines}
                assert not lines & hidden, (path, sorted(lines & hidden)[:3])
                if student in ATTACKS:  # honest students' notebooks hold their own right answers
                    assert not lines & solution, (path, sorted(lines & solution)[:3])
                    assert "05_loss|" not in text, path  # a stored answer's key
                else:  # an attack's own outputs may name the file it failed to write
                    assert MARK not in text, path


def test_submissions_source_release_and_the_kit_are_untouched(run):
    changed = sorted(k for k in set(run.before) | set(run.after) if run.before.get(k) != run.after.get(k))
    assert changed == []


def test_the_gradebook_holds_nbgraders_own_scores_only(run):
    with sqlite3.connect(run.course / "gradebook.db") as db:
        assert db.execute("SELECT count(*) FROM grade WHERE manual_score IS NOT NULL").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM grade").fetchone()[0] > 0


def test_nothing_written_outside_reached_or_left_running(run):
    assert [p for p in run.course.parent.rglob(f"*{MARK}*")] == []
    assert [p for p in Path("/dev/shm").iterdir() if MARK in p.name] == []
    assert run.connections == []
    assert run.left_running == [] and _alive(PROCESS_MARKERS) == []


def test_the_kernels_were_contained_and_stopped_what_they_had_to(run):
    log = run.autograde.stdout
    found = re.findall(r"contained kernel \(uid \d+\): (.*)", log)
    cases = {re.sub(r"uid \d+", "uid N", case) for case in found}
    assert cases and all("namespaces" in case for case in cases), cases
    print("\ncontainment:", *sorted(cases), sep="\n  ")

    def outputs(student):
        notebook = nbformat.read(run.course / "autograded" / student / "05_loss" / "loss.ipynb", as_version=4)
        return "\n".join(str(o) for c in notebook.cells for o in c.get("outputs", []))

    assert "CellTimeoutError" in outputs("never_ending_cell")
    assert "out of memory after" in outputs("memory_bomb")
    assert "output truncated" in outputs("output_flood") or "CellTimeoutError" in outputs("output_flood")
    assert "stopped after" in outputs("fork_storm") or "CellTimeoutError" in outputs("fork_storm")
    assert "No module named 'graders'" in outputs("import_hidden_checks")
    # the check cells show the contained grader's outcome, not the patched functions'
    assert "predict.values: ERROR (0/" in outputs("tamper_with_checks")
    # the search for stored answers ran through the kernel's whole disk and found none
    assert "searched the disk" in outputs("read_stored_answers") and MARK not in outputs(
        "read_stored_answers"
    )
