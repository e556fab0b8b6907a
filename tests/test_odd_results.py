"""Results a submission's process cannot pass on as they are, through `grade`: an array of
Python objects, a tf.string tensor, an exception whose message raises, a module `__getattr__`
that raises, a tensor too large to send back. Each costs its own function's checks, with a
message that says what came back; every other function of the assignment, graded in the same
process after them, keeps its marks; and the instructor's notes hold no grader problem. A
module that breaks the grader's code in its process ends that process only, and what escaped
reaches the instructor's notes. A case past its CPU limit stops there."""

from __future__ import annotations

import pytest
from conftest import ROOT, grade_json

from graders.engine import FAULT_NOTE

pytestmark = pytest.mark.slow

LOSS = """

def predict(x, w, b):
    import numpy as np
    return np.array([object(), object()], dtype=object)


def mean_squared_error(y_true, y_pred):
    import tensorflow as tf
    return tf.constant("not a number")


class Unreadable(Exception):
    def __str__(self):
        raise RuntimeError("no message for you")


def mse_gradients(x, y, w, b):
    raise Unreadable()
"""
TAPE = """

del accuracy


def decision_line(w, b, threshold=0.5):
    import tensorflow as tf
    return tf.zeros((3000, 3000))


def __getattr__(name):
    raise LookupError(f"nothing called {name} here")
"""
# function -> what the message of each of its checks that is not a rule must say
EXPECTED = {
    "05_loss": {
        "predict": "got an object of type NumPy array of dtype object",
        "mean_squared_error": "dtype string, expected float32",
        "mse_gradients": "raised Unreadable: (its message could not be read)",
    },
    "06_gradient_tape": {
        "accuracy": "raised LookupError: nothing called accuracy here",
        "decision_line": "tf.Tensor of shape (3000, 3000) (36,000,000 bytes, too large to send back)",
    },
}


# A training run that would never end on the circles (1,000 points), and trains as it should
# on the other checks' data.
DEEP = """

_train = train


def train(x, y, layer_sizes, steps, learning_rate, seed):
    if len(x) == 1000:
        while True:
            pass
    return _train(x, y, layer_sizes, steps, learning_rate, seed)
"""
# A module that breaks the grader's code around it (reachable in its process's sys.modules).
SABOTAGE = """
import sys


def _broken(node):
    raise RuntimeError("sabotaged by rules.py")


sys.modules["graders.engine.wire"].decode = _broken
"""


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict[str, dict]:
    """One student's folder through `grade`: assignment id -> its result."""
    base = tmp_path_factory.mktemp("odd")
    submission = base / "student"
    submission.mkdir()
    (submission / "loss.py").write_text((ROOT / "solutions" / "loss.py").read_text() + LOSS)
    (submission / "gradient_tape.py").write_text((ROOT / "solutions" / "gradient_tape.py").read_text() + TAPE)
    (submission / "deep.py").write_text((ROOT / "solutions" / "deep.py").read_text() + DEEP)
    (submission / "rules.py").write_text((ROOT / "solutions" / "rules.py").read_text() + SABOTAGE)
    return {entry["id"]: entry for entry in grade_json(submission, base)["assignments"]}


def test_odd_results_cost_only_their_own_functions(graded):
    for entry in (graded["05_loss"], graded["06_gradient_tape"]):
        assert entry["error"] is None, entry["error"]
        assert not [n for n in entry["notes"] if n.startswith(FAULT_NOTE)], entry["notes"]
        odd = EXPECTED[entry["id"]]
        kept = [c for c in entry["checks"] if c["function"] not in odd]
        assert kept and all(c["status"] == "passed" for c in kept), [
            c for c in kept if c["status"] != "passed"
        ]
        for function, says in odd.items():
            checks = [c for c in entry["checks"] if c["function"] == function]
            assert checks and all(c["score"] == 0 and c["message"] for c in checks), checks
            assert any(says in c["message"] for c in checks), [c["message"] for c in checks]


def test_what_escapes_the_worker_reaches_the_instructors_notes(graded):
    """The process ends (status 70) after writing the traceback of what escaped; the checks say
    the process ended, the instructor's notes say why, and the student sees no traceback."""
    entry = graded["03_rules_vs_learning"]
    assert entry["score"] == 0 and entry["checks"]
    assert all(
        "exited with status 70" in c["message"]
        for c in entry["checks"]
        if c["devices"] != {"source code": "failed"}
    )
    faults = [n for n in entry["notes"] if n.startswith(FAULT_NOTE)]
    assert len(faults) == 1 and "Traceback" in faults[0] and "sabotaged by rules.py" in faults[0], entry[
        "notes"
    ]
    assert not any("sabotaged" in c["message"] for c in entry["checks"])


def test_a_case_past_its_cpu_limit_stops_there(graded):
    """train.circles may use 12 s of CPU time: an endless training run stops there (not at
    the 30 s on the clock), and only that check loses its points."""
    entry = graded["07_deep"]
    checks = {c["id"]: c for c in entry["checks"]}
    circles = checks.pop("train.circles")
    assert circles["status"] == "timeout" and "train used more than 12 s of CPU time" in circles["message"], (
        circles
    )
    assert all(c["status"] == "passed" for c in checks.values()), [
        c for c in checks.values() if c["status"] != "passed"
    ]
