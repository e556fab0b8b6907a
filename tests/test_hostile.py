"""Hostile submissions: each one (tests/hostile/<attack>/loss.py) attacks the grader in a
different way. Graded in one batch with two honest students, every attack must earn
nothing, get a clear message, leave the batch running and the honest grades unchanged, and
leave the kit's files as they were."""

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from graders.engine import Grader, grade_class

pytestmark = pytest.mark.slow

ATTACKS = sorted(p.name for p in (ROOT / "tests" / "hostile").iterdir() if (p / "loss.py").exists())
HONEST = ("aaa_honest", "zzz_honest")  # graded before and after the attacks
# What the message of the first failing check must mention, for attacks with a typical outcome.
MESSAGES = {
    "os_exit_at_import": "exited",
    "sleep_at_import": "time limit",
    "infinite_loop": "time limit",
    "ignore_signals": "time limit",
    "segfault": "signal 11",
    "syntax_error": "SyntaxError",
    "sys_exit_in_function": "SystemExit",
    "memory_bomb": "MemoryError",
    "read_stored_answers": "no stored answers found (0 files",
}


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    klass, out = base / "class", base / "out"
    for attack in ATTACKS:
        shutil.copytree(ROOT / "tests" / "hostile" / attack, klass / attack)
    for student in HONEST:
        (klass / student).mkdir(parents=True)
        for module in ("loss.py", "gradient_tape.py"):
            shutil.copy(ROOT / "solutions" / module, klass / student / module)
    before = {name: _digest(ROOT / name) for name in ("solutions", "graders", "source", "exercises")}
    with Grader() as grader:  # the stored answers read_stored_answers looks for, there from the start
        grader.prepare(["05_loss"])
    assert grader.cache.load("05_loss", grader.base_seed, grader.devices) is not None
    summary = grade_class(klass, out, workers=2, progress=False, timeout=20)
    after = {name: _digest(ROOT / name) for name in ("solutions", "graders", "source", "exercises")}
    results = {p.parent.name: json.loads(p.read_text()) for p in (out / "results").glob("*/05_loss.json")}
    return summary, results, before, after, out


def test_there_are_at_least_twenty_attacks():
    assert len(ATTACKS) >= 20


def test_the_batch_finishes_and_grades_everyone(graded):
    _summary, results, *_ = graded
    assert set(results) == set(ATTACKS) | set(HONEST)


@pytest.mark.parametrize("attack", ATTACKS)
def test_attack_earns_nothing_and_gets_a_clear_message(graded, attack):
    _, results, *_ = graded
    entry = results[attack]["assignment"]
    assert entry["score"] == 0, [c for c in entry["checks"] if c["score"]]
    failing = [c for c in entry["checks"] if c["status"] != "passed"]
    assert failing and all(c["message"] for c in failing)
    if attack in MESSAGES:
        text = (entry["error"] or "") + " ".join(c["message"] for c in failing)
        assert MESSAGES[attack] in text, text[:500]


def test_honest_students_keep_full_marks(graded):
    _, results, _, _, out = graded
    for student in HONEST:
        entry = results[student]["assignment"]
        assert entry["score"] == entry["max_score"] > 0
        tape = json.loads((out / "results" / student / "06_gradient_tape.json").read_text())["assignment"]
        assert tape["score"] == tape["max_score"] > 0


def test_the_kit_is_untouched(graded):
    _, _, before, after, _ = graded
    assert before == after
