"""The reference cache: a grader started after another one on the same code, machine and
TensorFlow reads the drawn cases and reference results back instead of importing TensorFlow,
and grades exactly alike; anything the results depend on changes the fingerprint; a broken
entry is computed again; the folder is private."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT
from corpus.loss import MUTANTS

from graders.engine import BASE_SEED, ReferenceCache, StoredAssignment, plan, references

# Grades one submission with a grader on CACHE, then compares every stored entry with what
# that grader holds in memory, value by value, type by type.
SCRIPT = r"""
import dataclasses, json, sys
from pathlib import Path
import numpy as np
from graders.engine import Grader, ReferenceCache, find_sources
from selfcheck.assignments import ASSIGNMENTS

def same(a, b):
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    if isinstance(a, float):
        return a == b or (a != a and b != b)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if dataclasses.is_dataclass(a):  # a case, an argument, an array, an exception
        return all(same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    return a == b

cache = ReferenceCache(Path(sys.argv[1]))
prepare = sys.argv[3] == "all"
with Grader(cache=cache) as grader:
    if prepare:
        grader.prepare(a.id for a in ASSIGNMENTS)
    results = [r.to_json() for r in grader.grade(find_sources(Path(sys.argv[2])))]
    differ, compared = [], 0
    if prepare:
        for a in ASSIGNMENTS:
            stored = ReferenceCache(Path(sys.argv[1])).load(a.id, grader.base_seed, grader.devices)
            for key, value in stored.expected.items():
                compared += 1
                if not same(value, grader._expected[key]):
                    differ.append(key)
            for mine, theirs in zip(grader.plan_for(a.id), stored.plans):
                if not same(list(mine.cases), list(theirs.cases)):
                    differ.append(mine.check.id)
    environment = grader.environment()
print(json.dumps({"tensorflow": "tensorflow" in sys.modules, "results": results,
                  "differ": differ, "compared": compared, "environment": environment}))
"""


def _grade(cache: Path, submission: Path, prepare: str, env: dict | None = None) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(cache), str(submission), prepare],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_a_second_grader_reads_the_stored_results_without_tensorflow_and_grades_alike(tmp_path):
    """A 05_loss mutant and 07_deep's reference (its train.circles judged on circles stored
    with the results)."""
    submission = tmp_path / "submission"
    submission.mkdir()
    (submission / "loss.py").write_text(MUTANTS[0].apply((ROOT / "solutions" / "loss.py").read_text()))
    shutil.copy(ROOT / "solutions" / "deep.py", submission / "deep.py")
    cache = tmp_path / "cache"

    first = _grade(cache, submission, "all")
    assert first["tensorflow"]  # nothing stored yet: the reference ran here
    assert first["compared"] > 200 and first["differ"] == []  # every value of every assignment
    loss, deep = first["results"]
    assert loss["id"] == "05_loss" and 0 < loss["score"] < loss["max_score"]
    assert deep["id"] == "07_deep" and deep["score"] == deep["max_score"], deep

    second = _grade(cache, submission, "none")
    assert not second["tensorflow"]
    assert second["results"] == first["results"]
    assert second["environment"] == first["environment"]

    assert [p.name for p in cache.iterdir()] == [ReferenceCache(cache).here.name]


@pytest.fixture()
def code(tmp_path, monkeypatch):
    """The fingerprint reads this folder instead of the kit's code."""
    folder = tmp_path / "code"
    folder.mkdir()
    (folder / "solution.py").write_text("ANSWER = 1\n")
    monkeypatch.setattr(references, "_code_folders", lambda: [folder])
    for name in list(os.environ):
        if name.startswith(references.STEERING):
            monkeypatch.delenv(name)
    return folder


def test_the_fingerprint_follows_the_code_and_the_steering_variables(code, monkeypatch):
    base = references.fingerprint()
    assert references.fingerprint() == base
    for quiet in ("TF_CPP_MIN_LOG_LEVEL", "HOME", "GRADERS_GPU_LIKE"):  # none changes a result
        monkeypatch.setenv(quiet, "7")
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "0")  # what the grader sets anyway
    assert references.fingerprint() == base

    changed = set()
    for name, value in (
        ("GRADERS_LOGICAL_CPUS", "2"),
        ("CUDA_VISIBLE_DEVICES", "0"),
        ("TF_ENABLE_ONEDNN_OPTS", "1"),
    ):
        monkeypatch.setenv(name, value)
        changed.add(references.fingerprint())
        monkeypatch.delenv(name)
    (code / "solution.py").write_text("ANSWER = 2\n")
    changed.add(references.fingerprint())
    (code / "solution.py").write_text("ANSWER = 1\n")
    (code / "helper.py").write_text("")
    changed.add(references.fingerprint())
    assert len(changed) == 5 and base not in changed


def _stored(devices: list[str]) -> StoredAssignment:
    """05_loss's real cases (drawn without TensorFlow) with made-up answers."""
    planned = plan("05_loss", BASE_SEED)
    expected = {key: np.float32(0.5) for key in references.needed(planned, devices)}
    return StoredAssignment("05_loss", BASE_SEED, devices, planned, expected, {"predict": ("x", "w", "b")})


def test_an_entry_comes_back_only_for_its_devices_and_when_whole(code, tmp_path):
    cache = ReferenceCache(tmp_path / "cache")
    assert cache.load("05_loss", BASE_SEED, ["CPU:0"]) is None
    cache.store(_stored(["CPU:0"]))
    back = cache.load("05_loss", BASE_SEED, ["CPU:0"])
    assert back is not None and back.parameters == {"predict": ("x", "w", "b")}
    assert [p.check.id for p in back.plans] == [p.check.id for p in plan("05_loss", BASE_SEED)]
    assert cache.load("05_loss", BASE_SEED, ["CPU:0", "CPU:1"]) is None  # other devices
    assert cache.load("05_loss", BASE_SEED + 1, ["CPU:0"]) is None  # another seed

    path = cache.here / f"05_loss-{BASE_SEED}.json"
    data = json.loads(path.read_text())
    for broken in (
        '{"format": 1, "assignm',
        json.dumps({**data, "format": 0}),
        json.dumps({**data, "expected": []}),
    ):
        path.write_text(broken)
        assert cache.load("05_loss", BASE_SEED, ["CPU:0"]) is None


def test_the_folder_is_private_and_keeps_the_latest_states_only(code, tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    for number in range(6):  # earlier states of the kit, the oldest first
        old = folder / f"state{number}"
        old.mkdir()
        os.utime(old, (time.time() - 1000 + number, time.time() - 1000 + number))
    cache = ReferenceCache(folder)
    cache.store(_stored(["CPU:0"]))
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == sorted([cache.here.name, "state3", "state4", "state5"])
    assert cache.here.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o077 == 0 for p in cache.here.iterdir())


def test_the_cache_can_be_turned_off_or_moved(monkeypatch, tmp_path):
    monkeypatch.setenv("GRADERS_REFERENCE_CACHE", "off")
    assert ReferenceCache.configured() is None
    monkeypatch.setenv("GRADERS_REFERENCE_CACHE", str(tmp_path))
    assert ReferenceCache.configured().folder == tmp_path
    monkeypatch.delenv("GRADERS_REFERENCE_CACHE")
    assert ReferenceCache.configured().folder == ROOT / "build" / "references"


def test_no_judge_runs_the_reference():
    """A judge gets what it needs from the reference results (a check's judge_data, stored
    with them): judging needs no TensorFlow, so a grader reading stored results never
    imports it. (The second grader above judges train.circles that way.)"""
    judges, calling = set(), set()
    for path in (ROOT / "graders" / "checks").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("judge"):
                judges.add(node.name)
                names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
                if names & {"reference_module", "reference_result", "tf", "tensorflow"}:
                    calling.add(node.name)
    assert judges and not calling


def test_a_cache_that_cannot_be_used_costs_time_only(tmp_path):
    """A folder that cannot be made (here a file is in the way; another user's private folder
    alike): nothing is stored, nothing is read, and nothing raises."""
    blocked = tmp_path / "in-the-way"
    blocked.write_text("")
    cache = ReferenceCache(blocked)
    cache.store(_stored(["CPU:0"]))
    cache.store_machine({"devices": ["CPU:0"], "skipped_devices": {}, "tensorflow": "2"})
    assert cache.machine() is None
    assert cache.load("05_loss", BASE_SEED, ["CPU:0"]) is None
