"""Hidden checks of 05_loss: the submission against the reference on fresh inputs."""

from __future__ import annotations

import numpy as np

from graders.checks.define import hidden_checks_of
from graders.checks.draw import FLOATS, form, label, mentions_shapes, normal
from selfcheck.model import As, Case, Rule
from selfcheck.values import Raised

A = "05_loss"


def _linear_inputs(rng, dtype, forms=("tensor", "numpy")):
    n, d = int(rng.integers(1, 10)), int(rng.integers(1, 6))
    x, w, b = normal(rng, (n, d), dtype), normal(rng, (d, 1), dtype), normal(rng, (1,), dtype)
    return (form(rng, x, forms), form(rng, w, forms), form(rng, b, forms)), label(dtype, x=(n, d))


def predict_values(rng):
    cases = []
    for dtype in FLOATS * 3:
        args, text = _linear_inputs(rng, dtype)
        cases.append(Case(args=args, label=text))
    x = normal(rng, (3, 2), np.float32)
    cases.append(
        Case(
            args=(
                As("list", x),
                As("list", normal(rng, (2, 1), np.float32)),
                As("list", normal(rng, (1,), np.float32)),
            ),
            label="Python lists, x (3, 2)",
        )
    )
    return cases


def predict_graph(rng):
    return [
        Case(args=_linear_inputs(rng, dtype, ("tensor",))[0], label=np.dtype(dtype).name) for dtype in FLOATS
    ]


def _pair(rng, shape, dtype, true_dtype=None):
    y_true = normal(rng, shape, true_dtype or dtype)
    y_pred = normal(rng, shape, dtype)
    return form(rng, y_true), form(rng, y_pred)


def mse_values(rng):
    cases = []
    for dtype in FLOATS:
        n, k = int(rng.integers(2, 12)), int(rng.integers(2, 5))
        for shape in ((n,), (n, 1), (n, k)):
            cases.append(Case(args=_pair(rng, shape, dtype), label=label(dtype, y=shape)))
    n = int(rng.integers(2, 12))
    labels = rng.integers(0, 2, size=(n, 1)).astype(np.int32)
    cases.append(
        Case(
            args=(As("tensor", labels), As("tensor", normal(rng, (n, 1), np.float32))),
            label=f"int32 y_true against float32 y_pred, y {(n, 1)}",
        )
    )
    cases.append(
        Case(
            args=(
                As("numpy", normal(rng, (n, 1), np.float64)),
                As("tensor", normal(rng, (n, 1), np.float32)),
            ),
            label=f"float64 y_true against float32 y_pred, y {(n, 1)}",
        )
    )
    return cases


def mse_mismatch(rng):
    n = int(rng.integers(2, 9))
    pairs = (((n,), (n, 1)), ((n, 1), (n,)), ((n, 1), (n, 2)), ((n,), (n + 1,)))
    return [
        Case(
            args=(As("tensor", normal(rng, a, np.float32)), As("tensor", normal(rng, b, np.float32))),
            label=f"y_true {a} against y_pred {b}",
        )
        for a, b in pairs
    ]


def judge_mismatch(actual, expected, case):
    """Must raise ValueError, and the message must name both shapes."""
    if not isinstance(actual, Raised):
        return "returned a value: unequal shapes must raise a ValueError (nothing may be broadcast)"
    if "ValueError" not in actual.types:
        return f"raised {actual.type}, expected a ValueError"
    shapes = [tuple(arg.data.shape) for arg in case.args]
    if not mentions_shapes(actual.message, *shapes):
        return "the ValueError's message should name both shapes"
    return None


def mse_gradient(rng):
    cases = []
    for dtype in FLOATS:
        n = int(rng.integers(2, 10))
        y_true, y_pred = normal(rng, (n, 1), dtype), normal(rng, (n, 1), dtype)
        cases.append(
            Case(
                args=(As("tensor", y_true), As("tensor", y_pred)),
                options={"wrt": 1},
                label=label(dtype, y=(n, 1)),
            )
        )
    return cases


def mse_graph(rng):
    return [
        Case(
            args=(As("tensor", normal(rng, (5, 1), d)), As("tensor", normal(rng, (5, 1), d))),
            label=np.dtype(d).name,
        )
        for d in FLOATS
    ]


def mse_gradients_values(rng):
    cases = []
    for dtype in FLOATS * 3:
        n, d = int(rng.integers(1, 10)), int(rng.integers(1, 6))
        x, y = normal(rng, (n, d), dtype), normal(rng, (n, 1), dtype)
        w, b = normal(rng, (d, 1), dtype), normal(rng, (1,), dtype)
        cases.append(
            Case(args=(form(rng, x), form(rng, y), form(rng, w), form(rng, b)), label=label(dtype, x=(n, d)))
        )
    return cases


def mse_gradients_bad_y(rng):
    n, d = int(rng.integers(2, 8)), int(rng.integers(1, 4))
    x, w, b = normal(rng, (n, d), np.float64), normal(rng, (d, 1), np.float64), normal(rng, (1,), np.float64)
    return [Case(args=(x, normal(rng, (n,), np.float64), w, b), label=f"y shaped {(n,)} instead of {(n, 1)}")]


def numeric_values(rng):
    cases = []
    for shape in ((3,), (2, 3), (1,), (4, 1)):
        c = rng.uniform(-2, 2, size=shape)
        w = rng.uniform(-1.5, 1.5, size=shape)
        cases.append(Case(args=(c, As("tensor", w)), label=label(np.float64, w=shape)))
    return cases


def numeric_eps(rng):
    cases = []
    for eps in (1e-2, 1e-4):
        c, w = rng.uniform(-2, 2, size=(3,)), rng.uniform(-1.5, 1.5, size=(3,))
        cases.append(
            Case(args=(c, As("tensor", w)), kwargs={"eps": eps}, label=f"float64, w (3,), eps={eps:g}")
        )
    return cases


_hidden = hidden_checks_of(A)


NO_KERAS_LOSSES = Rule(
    "mean_squared_error must be written from tensor ops, without Keras or TensorFlow losses and metrics",
    forbid=(
        "keras.losses",
        "keras.metrics",
        "tensorflow.losses",
        "tensorflow.metrics",
        "tensorflow.nn.l2_loss",
    ),
)
NO_AUTODIFF = Rule(
    "mse_gradients must be derived by hand, without automatic differentiation",
    forbid=(
        "tensorflow.GradientTape",
        "tensorflow.autodiff",
        "tensorflow.gradients",
        "tensorflow.custom_gradient",
        "tensorflow.keras",
        "keras.ops.grad",
        "jax",
        "torch",
    ),
)
SOURCE = (Case(label="source code"),)

CHECKS = (
    _hidden(
        "predict.values",
        "predict",
        2,
        "x @ w + b for many shapes, float32 and float64, tensors, arrays and lists",
        predict_values,
    ),
    _hidden(
        "predict.tf_function",
        "predict",
        1,
        "works inside tf.function",
        predict_graph,
        protocol="call_in_tf_function",
    ),
    _hidden(
        "mean_squared_error.values",
        "mean_squared_error",
        2,
        "the mean over every element for shapes (N,), (N, 1) and (N, K); y_true cast to y_pred's dtype",
        mse_values,
    ),
    _hidden(
        "mean_squared_error.shape_mismatch",
        "mean_squared_error",
        1,
        "unequal shapes raise a ValueError naming both shapes (no broadcasting)",
        mse_mismatch,
        judge=judge_mismatch,
    ),
    _hidden(
        "mean_squared_error.gradient",
        "mean_squared_error",
        1,
        "differentiable with tf.GradientTape (gradient with respect to y_pred)",
        mse_gradient,
        protocol="value_and_gradient",
    ),
    _hidden(
        "mean_squared_error.tf_function",
        "mean_squared_error",
        1,
        "works inside tf.function",
        mse_graph,
        protocol="call_in_tf_function",
    ),
    _hidden(
        "mean_squared_error.tensor_ops_only",
        "mean_squared_error",
        1,
        "written from tensor ops: no Keras losses, tf.losses or metrics",
        SOURCE,
        rule=NO_KERAS_LOSSES,
    ),
    _hidden(
        "mse_gradients.values",
        "mse_gradients",
        3,
        "dw and db for many shapes, float32 and float64",
        mse_gradients_values,
    ),
    _hidden(
        "mse_gradients.bad_y_shape",
        "mse_gradients",
        1,
        "y not shaped (N, 1) raises ValueError",
        mse_gradients_bad_y,
    ),
    _hidden(
        "mse_gradients.by_hand",
        "mse_gradients",
        1,
        "derived by hand: no GradientTape or tf.gradients",
        SOURCE,
        rule=NO_AUTODIFF,
    ),
    _hidden(
        "numeric_gradient.values",
        "numeric_gradient",
        2,
        "central differences for w of several shapes",
        numeric_values,
        protocol="numeric_gradient_of_test_function",
    ),
    _hidden(
        "numeric_gradient.eps",
        "numeric_gradient",
        1,
        "uses the eps it is given",
        numeric_eps,
        protocol="numeric_gradient_of_test_function",
    ),
)
