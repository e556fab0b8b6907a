"""Hidden checks of 06_gradient_tape: the submission against the reference on fresh
inputs, and the behaviour the contract promises (training separates the blobs)."""

from __future__ import annotations

import numpy as np

from graders.checks.define import hidden_checks_of
from graders.checks.draw import FLOATS, form, label, normal
from selfcheck.model import As, Case, Rule
from selfcheck.values import Array

A = "06_gradient_tape"


def blobs(n_per_class: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The contract's two blobs, drawn with NumPy (the grader needs no TensorFlow for it)."""
    rng = np.random.default_rng(seed)
    cov = [[1.0, 0.5], [0.5, 1.0]]
    x = np.vstack(
        [
            rng.multivariate_normal([0.0, 3.0], cov, size=n_per_class),
            rng.multivariate_normal([3.0, 0.0], cov, size=n_per_class),
        ]
    ).astype(np.float32)
    y = np.repeat([0.0, 1.0], n_per_class).astype(np.float32).reshape(-1, 1)
    return x, y


def make_blobs_values(rng):
    pairs = [
        (1, int(rng.integers(0, 10_000))),
        (7, int(rng.integers(0, 10_000))),
        (60, int(rng.integers(0, 10_000))),
    ]
    return [Case(args=(n, seed), label=f"n_per_class={n}") for n, seed in pairs]


def _model_inputs(rng, dtype, n=None, d=None):
    n = n or int(rng.integers(2, 12))
    d = d or int(rng.integers(1, 4))
    x, y = normal(rng, (n, d), dtype), normal(rng, (n, 1), dtype)
    w, b = normal(rng, (d, 1), dtype, 0.5), normal(rng, (1,), dtype, 0.5)
    return x, y, w, b, label(dtype, x=(n, d))


def gradients_values(rng):
    cases = []
    for dtype in FLOATS * 2:
        x, y, w, b, text = _model_inputs(rng, dtype)
        cases.append(
            Case(args=(form(rng, x), form(rng, y), As("variable", w), As("variable", b)), label=text)
        )
    return cases


def minimize_loss_steps(rng):
    cases = []
    for dtype in FLOATS:
        x, y, w, b, text = _model_inputs(rng, dtype)
        rate = float(np.round(rng.uniform(0.01, 0.2), 3))
        cases.append(
            Case(
                args=(As("tensor", x), As("tensor", y), w, b, rate),
                options={"steps": 3},
                label=f"{text}, 3 steps",
            )
        )
    return cases


def train_values(rng):
    cases = []
    for dtype in FLOATS:
        x, y, _, _, text = _model_inputs(rng, dtype)
        steps = int(rng.integers(5, 20))
        rate = float(np.round(rng.uniform(0.01, 0.1), 3))
        cases.append(Case(args=(form(rng, x), form(rng, y), steps, rate), label=f"{text}, {steps} steps"))
    return cases


def train_blobs(rng):
    cases = []
    for _ in range(2):
        x, y = blobs(1000, int(rng.integers(0, 10_000)))
        cases.append(
            Case(
                args=(As("tensor", x), As("tensor", y), 40, 0.1),
                label="make_blobs(1000, seed), 40 steps, learning_rate 0.1",
            )
        )
    return cases


def judge_separates(actual, expected, case):
    """train's own w and b must classify the blobs with accuracy >= 0.97."""
    if not (
        isinstance(actual, (tuple, list))
        and len(actual) == 3
        and all(isinstance(v, Array) for v in actual[:2])
    ):
        return "train must return (w, b, losses) with tensors w and b"
    if not (actual[0].real and actual[1].real):
        return f"w and b must hold real numbers: they have dtypes {actual[0].dtype} and {actual[1].dtype}"
    x, y = case.args[0].data.astype(np.float64), case.args[1].data.reshape(-1)
    w, b = actual[0].data.astype(np.float64), actual[1].data.astype(np.float64)
    if w.size != x.shape[1] or b.size != 1:
        return f"w has shape {actual[0].shape} and b {actual[1].shape}: expected (2, 1) and (1,)"
    scores = x @ w.reshape(-1, 1) + b.reshape(1)
    accuracy = float(np.mean((scores.reshape(-1) > 0.5) == (y > 0.5)))
    if not accuracy >= 0.97:
        return (
            f"the trained model classifies only {accuracy:.1%} of the blobs correctly (at least 97% expected)"
        )
    return None


def accuracy_shapes(rng):
    cases = []
    for true_shape, score_shape in (
        ("flat", "column"),
        ("column", "flat"),
        ("column", "column"),
        ("flat", "flat"),
    ):
        n = int(rng.integers(3, 30))
        y_true = rng.integers(0, 2, size=n).astype(np.float32)
        y_score = rng.uniform(0, 1, size=n).astype(np.float32)
        shaped = {"flat": lambda a: a, "column": lambda a: a.reshape(-1, 1)}
        cases.append(
            Case(
                args=(form(rng, shaped[true_shape](y_true)), form(rng, shaped[score_shape](y_score))),
                label=f"y_true {shaped[true_shape](y_true).shape}, y_score {shaped[score_shape](y_score).shape}",
            )
        )
    return cases


def accuracy_threshold(rng):
    cases = []
    for threshold in (0.25, 0.75):
        n = int(rng.integers(8, 30))
        y_true = rng.integers(0, 2, size=(n, 1)).astype(np.float32)
        y_score = rng.choice([0.0, 0.25, 0.5, 0.75, 1.0], size=(n, 1)).astype(np.float32)  # ties on purpose
        cases.append(
            Case(
                args=(As("tensor", y_true), As("tensor", y_score)),
                kwargs={"threshold": threshold},
                label=f"threshold {threshold}, scores equal to it included",
            )
        )
    return cases


def decision_line_values(rng):
    cases = []
    for dtype in FLOATS:
        w = normal(rng, (2, 1), dtype) + np.asarray([[0.0], [2.0]], dtype)
        b = normal(rng, (1,), dtype)
        cases.append(
            Case(args=(As("variable", w), As("variable", b)), label=f"{np.dtype(dtype).name} variables")
        )
        cases.append(
            Case(args=(w, b), kwargs={"threshold": 0.3}, label=f"{np.dtype(dtype).name}, threshold 0.3")
        )
    return cases


def decision_line_vertical(rng):
    w = np.asarray([[float(rng.uniform(0.5, 2))], [0.0]], np.float32)
    return [Case(args=(As("tensor", w), normal(rng, (1,), np.float32)), label="w1 = 0")]


_hidden = hidden_checks_of(A)


USES_TAPE = Rule("the gradients must be computed with tf.GradientTape", require=("tensorflow.GradientTape",))
SOURCE = (Case(label="source code"),)

CHECKS = (
    _hidden(
        "make_blobs.values",
        "make_blobs",
        2,
        "the contract's draws for several sizes and seeds",
        make_blobs_values,
    ),
    _hidden(
        "gradients.values",
        "gradients",
        2,
        "GradientTape gradients for many shapes, float32 and float64",
        gradients_values,
    ),
    _hidden("gradients.uses_tape", "gradients", 1, "computed with tf.GradientTape", SOURCE, rule=USES_TAPE),
    _hidden(
        "minimize_loss.loss",
        "minimize_loss",
        1,
        "returns the loss computed before the update",
        minimize_loss_steps,
        protocol="training_steps",
        part="losses",
    ),
    _hidden(
        "minimize_loss.w",
        "minimize_loss",
        1,
        "updates w in place by learning_rate * dw",
        minimize_loss_steps,
        protocol="training_steps",
        part="w",
    ),
    _hidden(
        "minimize_loss.b",
        "minimize_loss",
        1,
        "updates b in place by learning_rate * db",
        minimize_loss_steps,
        protocol="training_steps",
        part="b",
    ),
    _hidden(
        "minimize_loss.uses_tape",
        "minimize_loss",
        1,
        "the training step records the loss on a tf.GradientTape",
        SOURCE,
        rule=USES_TAPE,
    ),
    _hidden(
        "train.values",
        "train",
        2,
        "w, b (tf.Variables) and the losses match the reference training run",
        train_values,
        tolerance_scale=10.0,
    ),
    _hidden(
        "train.separates_blobs",
        "train",
        1,
        "40 steps at learning rate 0.1 classify make_blobs(1000) >= 97%",
        train_blobs,
        judge=judge_separates,
    ),
    _hidden(
        "accuracy.shapes",
        "accuracy",
        2,
        "(N,) and (N, 1) in every combination, flattened not broadcast",
        accuracy_shapes,
    ),
    _hidden(
        "accuracy.threshold",
        "accuracy",
        1,
        "uses the threshold it is given (strictly greater than)",
        accuracy_threshold,
    ),
    _hidden(
        "decision_line.values",
        "decision_line",
        1,
        "slope and intercept for several w, b and thresholds",
        decision_line_values,
    ),
    _hidden(
        "decision_line.vertical", "decision_line", 1, "w1 == 0 raises ValueError", decision_line_vertical
    ),
)
