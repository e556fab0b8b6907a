"""Checks that judge different parts of one protocol's output share its run: the submission's
process (and the reference) run each case once for them all, and each check still judges
only its own part. Checks that differ in anything that changes the run keep their own.
No TensorFlow: the plans are built from hand-made checks, the judging from recorded results."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
from test_grader_faults import DEVICE, A, _grader

from graders.checks import checks_for
from graders.engine import PlannedCheck, Source, WorkerOutcome, grading
from selfcheck.assignments import ASSIGNMENTS, assignment
from selfcheck.model import Case, Check
from selfcheck.values import Array


def steps(rng):
    return [Case(args=(int(rng.integers(1, 9)),), label="steps")]


def other_steps(rng):
    return [Case(args=(int(rng.integers(1, 9)),), label="other steps")]


def _check(id: str, **more) -> Check:
    fields = {"protocol": "training_steps", "part": "losses", "cases": steps, **more}
    return Check(
        id=id, assignment=A, function="predict", points=1, visibility="hidden", description="d", **fields
    )


LOSSES = _check("predict.losses")
WEIGHTS = _check("predict.w", part="w")


def test_parts_of_one_run_share_it_and_the_first_names_it():
    runs = grading.shared_runs([LOSSES, WEIGHTS, _check("predict.b", part="b")])
    assert runs == {
        "predict.losses": "predict.losses",
        "predict.w": "predict.losses",
        "predict.b": "predict.losses",
    }


def test_checks_that_would_run_differently_keep_their_own_run():
    others = [
        _check("predict.no_part", part=None),
        _check("predict.other_cases", cases=other_steps, part="w"),
        _check("predict.other_protocol", protocol="call", part="w"),
        _check("predict.other_timeout", timeout=99.0, part="w"),
        _check("predict.other_cpu_limit", cpu_limit=5.0, part="w"),
        _check("predict.judged_on_other_data", judge_data=lambda case: {}, part="w"),
        _check("predict.written_down", cases=(Case(args=(1,)),), expected=({"w": 1},), part="w"),
        dataclasses.replace(WEIGHTS, id="other.w", function="other"),
    ]
    runs = grading.shared_runs([LOSSES, *others])
    assert runs == {check.id: check.id for check in [LOSSES, *others]}


def test_every_shared_run_of_the_kit_is_of_one_function_protocol_and_draw():
    shared = 0
    for a in ASSIGNMENTS:
        checks = {c.id: c for c in checks_for(a.id)}
        for check_id, run in grading.shared_runs(checks.values()).items():
            if run != check_id:
                shared += 1
                mine, theirs = checks[check_id], checks[run]
                assert (mine.function, mine.protocol, mine.cases) == (
                    theirs.function,
                    theirs.protocol,
                    theirs.cases,
                )
                assert mine.part and theirs.part and mine.part != theirs.part
    assert shared >= 5  # 01_tensors' dtype and values, 06's and 07's training runs


def test_a_shared_case_runs_once_and_each_check_judges_its_part():
    rng = np.random.default_rng(1)
    cases = steps(rng)
    planned = [PlannedCheck(LOSSES, cases, 7), PlannedCheck(WEIGHTS, cases, 7, "predict.losses")]
    sent = grading.tasks(planned)
    assert [t["key"] for t in sent] == [f"{A}|predict.losses|0"]

    grader = _grader(planned)
    right = {"losses": Array("tensor", np.float32([3, 2, 1])), "w": Array("tensor", np.float32([0.5]))}
    wrong_w = {**right, "w": Array("tensor", np.float32([9.0]))}
    key = (planned[0].key(0), DEVICE)
    grader._expected[key] = right
    outcome = WorkerOutcome(returncode=0)
    outcome.loads[A] = {"error": None, "problems": []}
    outcome.values[key] = wrong_w
    result = grader.judge(Source(assignment(A), Path("loss.py")), outcome)
    losses, weights = result.checks
    assert losses.status == "passed" and weights.status == "failed", (losses.message, weights.message)
