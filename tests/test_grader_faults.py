"""When the grader's own code fails on a value, the check says it could not judge that case
(without blaming the student), the traceback goes to the instructor's notes, and every other
check and assignment is judged as usual. No TensorFlow: the judging runs on recorded results."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import selfcheck.hints as hints
from graders.engine import (
    FAULT_NOTE,
    GRADER_FAULT,
    Grader,
    PlannedCheck,
    Source,
    WorkerOutcome,
    grading,
    student_notes,
)
from selfcheck.assignments import assignment
from selfcheck.model import Case, Check
from selfcheck.values import Array

A = "05_loss"
DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"


def boom(actual, expected, case):
    raise IndexError("index 0 is out of bounds for axis 0 with size 0")


def _check(id: str, judge=None) -> Check:
    return Check(
        id=id,
        assignment=A,
        function="predict",
        points=2,
        visibility="hidden",
        description="d",
        cases=lambda rng: [],
        judge=judge,
    )


def _grader(planned: list[PlannedCheck]) -> Grader:
    """A grader with its results already known: no fork server, no TensorFlow."""
    grader = Grader.__new__(Grader)
    grader.devices = [DEVICE]
    grader.isolate = "assignment"
    grader.known = None
    grader._plans = {A: planned}
    grader._expected = {}
    grader._faults = {}
    grader._contexts = {}
    grader.cache = None
    grader._machine = {}
    grader._tensorflow_ready = True  # nothing to set up: the judges here need no TensorFlow
    return grader


def _outcome(planned: list[PlannedCheck], values: dict) -> WorkerOutcome:
    outcome = WorkerOutcome(returncode=0)
    outcome.loads[A] = {"error": None, "problems": []}
    for p in planned:
        for index in range(len(p.cases)):
            outcome.values[(p.key(index), DEVICE)] = values[p.check.id]
    return outcome


def _judge(planned, values, expected):
    grader = _grader(planned)
    for p in planned:
        for index in range(len(p.cases)):
            grader._expected[(p.key(index), DEVICE)] = expected
    source = Source(assignment(A), Path("loss.py"))
    return grader, grader.judge(source, _outcome(planned, values))


ONE = [Case(label="float32, x (3, 2)")]
RIGHT = Array("tensor", np.ones((3, 1), np.float32))


def test_a_judge_that_raises_is_a_check_the_grader_could_not_judge():
    planned = [
        PlannedCheck(_check("predict.judged", boom), ONE, 1),
        PlannedCheck(_check("predict.values"), ONE, 2),
    ]
    _, result = _judge(planned, {"predict.judged": RIGHT, "predict.values": RIGHT}, RIGHT)
    judged, values = result.checks
    assert judged.status == "error" and judged.score == 0 and judged.message.startswith(GRADER_FAULT)
    assert "your code" in judged.message and "IndexError" not in judged.message
    assert values.status == "passed" and values.score == 2
    faults = [n for n in result.notes if n.startswith(FAULT_NOTE)]
    assert len(faults) == 1 and "IndexError" in faults[0] and "predict.judged" in faults[0]
    assert student_notes(result.notes) == []


def test_a_hint_that_raises_leaves_the_failure_without_a_hint(monkeypatch):
    def broken(*args):
        raise IndexError("tuple index out of range")

    monkeypatch.setattr(hints, "_diagnose", broken)
    planned = [PlannedCheck(_check("predict.values"), ONE, 1)]
    _, result = _judge(planned, {"predict.values": Array("tensor", np.zeros((3, 1), np.float32))}, RIGHT)
    (check,) = result.checks
    assert check.status == "failed" and "Hint" not in check.message
    assert not [n for n in result.notes if n.startswith(FAULT_NOTE)]


def test_a_failed_reference_run_is_the_graders_problem():
    planned = [PlannedCheck(_check("predict.values"), ONE, 1)]
    grader = _grader(planned)
    grader._faults[(planned[0].key(0), DEVICE)] = "Traceback: the reference raised"
    result = grader.judge(
        Source(assignment(A), Path("loss.py")), _outcome(planned, {"predict.values": RIGHT})
    )
    assert result.checks[0].status == "error" and result.checks[0].message.startswith(GRADER_FAULT)
    assert any("the reference raised" in n for n in result.notes)


def test_an_assignment_that_cannot_be_judged_keeps_its_checks_and_points(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the grader broke")

    monkeypatch.setattr(grading, "_rules_need_a_working_function", broken)
    planned = [PlannedCheck(_check("predict.values"), ONE, 1), PlannedCheck(_check("predict.more"), ONE, 2)]
    _, result = _judge(planned, {"predict.values": RIGHT, "predict.more": RIGHT}, RIGHT)
    assert result.error and "not of your code" in result.error
    assert (
        [c.status for c in result.checks] == ["error", "error"]
        and result.max_score == 4
        and result.score == 0
    )
    assert any("the grader broke" in n for n in result.notes if n.startswith(FAULT_NOTE))


@pytest.mark.parametrize(
    "odd",
    [
        Array("tensor", np.zeros((0,), np.float32)),
        Array("tensor", np.ones((3,), bool)),
        Array("tensor", np.ones((3, 1), np.complex64)),
        Array("tensor", np.ones((2, 2, 2), np.float32)),
        None,
        "text",
        [Array("tensor", np.ones(2, np.float32)), Array("tensor", np.ones((2, 2), np.float32))],
    ],
)
def test_odd_values_that_crashed_the_grader_are_judged(odd):
    """The crashes of the first outside review: a vector or an odd array where a scalar belongs."""
    scalar = Array("tensor", np.float32(1.5))
    planned = [PlannedCheck(_check("predict.values"), ONE, 1)]
    _, result = _judge(planned, {"predict.values": odd}, scalar)
    (check,) = result.checks
    assert check.status == "failed", check.message
    assert not [n for n in result.notes if n.startswith(FAULT_NOTE)]


def test_a_judge_that_computes_takes_real_numbers_only():
    """train's w and b are judged by classifying the blobs with them: a complex w whose real
    part would do fails (its imaginary part is not dropped), and strings fail, not raise."""
    from graders.checks import checks_for

    (check,) = [c for c in checks_for("06_gradient_tape") if c.judge is not None and c.function == "train"]
    case = check.draw_cases(np.random.default_rng(0))[0]
    x, y = case.args[0].data.astype(np.float64), case.args[1].data.reshape(-1, 1).astype(np.float64)
    design = np.hstack([x, np.ones((len(x), 1))])
    fit = np.linalg.lstsq(design, y, rcond=None)[0].astype(np.float32)
    w, b = fit[:-1], fit[-1]
    assert check.judge((Array("tensor", w), Array("tensor", b), []), None, case) is None
    for odd in (w + 1j, np.array([["a"], ["b"]])):
        problem = check.judge((Array("tensor", odd), Array("tensor", b), []), None, case)
        assert problem and "must hold real numbers" in problem, problem


# A case of 07_deep's train.circles (its judge reads only the init seed, args[5]).
CIRCLES_CASE = Case(args=(None, None, [2, 16, 16, 1], 150, 2.0, 11))


def _rings(n: int = 200) -> dict[str, Array]:
    """Points on the circles' two rings (radius 1: label 0, radius 0.5: label 1), no noise."""
    angle = np.random.default_rng(3).uniform(0, 2 * np.pi, n)
    radius = np.where(np.arange(n) < n // 2, 1.0, 0.5)
    x = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1).astype(np.float32)
    return {"x": Array("tensor", x), "y": Array("tensor", (radius < 1).astype(np.float32).reshape(-1, 1))}


def _ring_network(sharpness: float = 20.0) -> list[tuple[np.ndarray, np.ndarray]]:
    """A [2, 16, 16, 1] network of relu layers and a sigmoid output that tells the rings apart
    by |x| + |y| (at most 0.71 on the inner ring, at least 1 on the outer)."""
    W1, W2, W3 = np.zeros((2, 16)), np.zeros((16, 16)), np.zeros((16, 1))
    W1[0, :2], W1[1, 2:4] = (1, -1), (1, -1)  # relu(x), relu(-x), relu(y), relu(-y)
    W2[:4, 0] = 1  # |x| + |y|
    W3[0, 0] = -sharpness
    b3 = np.array([0.85 * sharpness])
    return [(W1, np.zeros(16)), (W2, np.zeros(16)), (W3, b3)]


def test_the_circles_judge_runs_the_network_without_tensorflow():
    """train.circles is judged in NumPy on the circles its judge_data drew (stored with the
    reference results): a network that separates them passes; one that does not, a diverged
    one, a complex or a string W fail with a message; nothing raises."""
    from graders.checks import checks_for

    (check,) = [c for c in checks_for("07_deep") if c.id == "train.circles"]

    def judged(pairs, seconds=1.0, rings=None):
        params = [(Array("tensor", np.asarray(W)), Array("tensor", np.asarray(b))) for W, b in pairs]
        return check.judge({"result": (params, []), "cpu_seconds": seconds}, rings or _rings(), CIRCLES_CASE)

    good = [(W.astype(np.float32), b.astype(np.float32)) for W, b in _ring_network()]
    assert judged(good) is None
    assert "at most 10 s" in judged(good, seconds=11.0)
    flipped = [*good[:2], (-good[2][0], -good[2][1])]  # every point in the other class
    assert "classifies only 0.0%" in judged(flipped)
    assert "not finite" in judged([*good[:2], (good[2][0] * np.nan, good[2][1])])
    saturated = good[2][0].copy()
    saturated[0, 0] = -np.inf  # an output of sigmoid(-inf) = 0 is finite: judged by its accuracy
    assert "classifies only 50.0%" in judged([*good[:2], (saturated, good[2][1])])
    assert "must hold real numbers" in judged([(good[0][0] + 1j, good[0][1]), *good[1:]])
    assert "must hold real numbers" in judged([(np.full((2, 16), "a"), good[0][1]), *good[1:]])
    assert "expected tensors W" in judged(good[:2] + [(np.zeros((16, 2), np.float32), good[2][1])])
